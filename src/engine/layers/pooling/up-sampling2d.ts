import { CHANNELS_LAST } from '../conv/conv-utils.ts';
import { defineLayer, pairText, requireRank } from '../../layer.ts';
import { oneOf, tuple } from '../../params.ts';

export default defineLayer({
  kind: 'UpSampling2D',
  category: 'Pooling',
  doc: 'Repeats rows and columns to enlarge an image by `size`.',
  params: { size: tuple({ default: [2, 2] }), interpolation: oneOf(['nearest', 'bilinear'], { default: 'nearest' }) },
  inputs: { min: 1, max: 1, ranks: [3] },
  keras: { className: 'UpSampling2D', fixed: CHANNELS_LAST },
  // Outputs are `size` times closer together; each still sees one input.
  receptive: (p) => ({ kernel: p.size, stride: p.size, transposed: true }),
  inferShape: ([x], p) => {
    requireRank('UpSampling2D', x, 3, '(height, width, channels)', 'add a Reshape to an image shape before it');
    const [h, w, c] = x.slice(1);
    return [null, h === null ? null : h * p.size[0], w === null ? null : w * p.size[1], c];
  },
  describe: (p) => `×${pairText(p.size)} · ${p.interpolation}`,
});
