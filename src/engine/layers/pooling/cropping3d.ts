import { CHANNELS_LAST } from '../conv/conv-utils.ts';
import { LayerError, defineLayer, requireRank } from '../../layer.ts';
import { pads } from '../../params.ts';

const AXES = ['depth', 'height', 'width'];

export default defineLayer({
  kind: 'Cropping3D',
  category: 'Pooling',
  doc: 'Removes slices from the borders of a volume: ((front, back), (top, bottom), (left, right)).',
  params: { cropping: pads({ default: [[1, 1], [1, 1], [1, 1]] }) },
  inputs: { min: 1, max: 1, ranks: [4] },
  keras: { className: 'Cropping3D', fixed: CHANNELS_LAST },
  // tf.layers (4.22) has no cropping3D.
  receptive: 'pass',
  inferShape: ([x], p) => {
    requireRank('Cropping3D', x, 4, '(depth, height, width, channels)', 'use Cropping2D for images');
    const dims = x.slice(1, 4).map((d, i) => {
      const n = d === null ? null : d - p.cropping[i][0] - p.cropping[i][1];
      if (n !== null && n < 1) throw new LayerError(`cropping ${p.cropping[i].join(', ')} removes all ${d} of the ${AXES[i]} of the input; crop less`, 'cropping');
      return n;
    });
    return [null, ...dims, x[4]];
  },
  describe: (p) => p.cropping.map((a) => a.join('/')).join(' × '),
});
