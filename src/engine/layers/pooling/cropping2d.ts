import { CHANNELS_LAST } from '../conv/conv-utils.ts';
import { LayerError, defineLayer, requireRank } from '../../layer.ts';
import { pads } from '../../params.ts';

export default defineLayer({
  kind: 'Cropping2D',
  category: 'Pooling',
  doc: 'Removes rows and columns from the borders of an image: ((top, bottom), (left, right)).',
  params: { cropping: pads({ default: [[0, 0], [0, 0]] }) },
  inputs: { min: 1, max: 1, ranks: [3] },
  keras: { className: 'Cropping2D', fixed: CHANNELS_LAST },
  receptive: 'pass',
  inferShape: ([x], p) => {
    requireRank('Cropping2D', x, 3, '(height, width, channels)', 'add a Reshape to an image shape before it');
    const [h, w, c] = x.slice(1);
    const ch = h === null ? null : h - p.cropping[0][0] - p.cropping[0][1];
    const cw = w === null ? null : w - p.cropping[1][0] - p.cropping[1][1];
    if ((ch !== null && ch < 1) || (cw !== null && cw < 1)) {
      throw new LayerError(`cropping ${JSON.stringify(p.cropping)} removes all of the ${h}×${w} input; crop less`, 'cropping');
    }
    return [null, ch, cw, c];
  },
  describe: (p) => `${p.cropping[0].join('/')} × ${p.cropping[1].join('/')}`,
});
