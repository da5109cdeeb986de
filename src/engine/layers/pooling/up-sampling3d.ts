import { CHANNELS_LAST } from '../conv/conv-utils.ts';
import { defineLayer, pairText, requireRank } from '../../layer.ts';
import { tuple } from '../../params.ts';

export default defineLayer({
  kind: 'UpSampling3D',
  category: 'Pooling',
  doc: 'Repeats slices, rows and columns to enlarge a volume by `size`.',
  params: { size: tuple({ default: [2, 2, 2] }) },
  inputs: { min: 1, max: 1, ranks: [4] },
  keras: { className: 'UpSampling3D', fixed: CHANNELS_LAST },
  // tf.layers (4.22) has no upSampling3d.
  receptive: (p) => ({ kernel: p.size, stride: p.size, transposed: true }),
  inferShape: ([x], p) => {
    requireRank('UpSampling3D', x, 4, '(depth, height, width, channels)', 'use UpSampling2D for images');
    const dims = x.slice(1, 4).map((d, i) => (d === null ? null : d * p.size[i]));
    return [null, ...dims, x[4]];
  },
  describe: (p) => `×${pairText(p.size)}`,
});
