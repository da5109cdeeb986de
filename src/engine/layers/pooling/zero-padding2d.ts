import { CHANNELS_LAST } from '../conv/conv-utils.ts';
import { defineLayer, requireRank } from '../../layer.ts';
import { pads } from '../../params.ts';

export default defineLayer({
  kind: 'ZeroPadding2D',
  category: 'Pooling',
  doc: 'Adds rows and columns of zeros around an image: ((top, bottom), (left, right)).',
  params: { padding: pads({ default: [[1, 1], [1, 1]] }) },
  inputs: { min: 1, max: 1, ranks: [3] },
  keras: { className: 'ZeroPadding2D', fixed: CHANNELS_LAST },
  receptive: 'pass',
  inferShape: ([x], p) => {
    requireRank('ZeroPadding2D', x, 3, '(height, width, channels)', 'add a Reshape to an image shape before it');
    const [h, w, c] = x.slice(1);
    return [null, h === null ? null : h + p.padding[0][0] + p.padding[0][1], w === null ? null : w + p.padding[1][0] + p.padding[1][1], c];
  },
  describe: (p) => `${p.padding[0].join('/')} × ${p.padding[1].join('/')}`,
});
