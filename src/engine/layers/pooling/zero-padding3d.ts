import { CHANNELS_LAST } from '../conv/conv-utils.ts';
import { defineLayer, requireRank } from '../../layer.ts';
import { pads } from '../../params.ts';

export default defineLayer({
  kind: 'ZeroPadding3D',
  category: 'Pooling',
  doc: 'Adds zeros around a volume: ((front, back), (top, bottom), (left, right)).',
  params: { padding: pads({ default: [[1, 1], [1, 1], [1, 1]] }) },
  inputs: { min: 1, max: 1, ranks: [4] },
  keras: { className: 'ZeroPadding3D', fixed: CHANNELS_LAST },
  // tf.layers (4.22) has no zeroPadding3d.
  receptive: 'pass',
  inferShape: ([x], p) => {
    requireRank('ZeroPadding3D', x, 4, '(depth, height, width, channels)', 'use ZeroPadding2D for images');
    const dims = x.slice(1, 4).map((d, i) => (d === null ? null : d + p.padding[i][0] + p.padding[i][1]));
    return [null, ...dims, x[4]];
  },
  describe: (p) => p.padding.map((a) => a.join('/')).join(' × '),
});
