import { LayerError, defineLayer, requireRank } from '../../layer.ts';
import { tuple } from '../../params.ts';

export default defineLayer({
  kind: 'Cropping1D',
  category: 'Pooling',
  doc: 'Removes steps from the start and end of a sequence: (before, after).',
  params: { cropping: tuple({ default: [1, 1], min: 0, doc: '(before, after)' }) },
  inputs: { min: 1, max: 1, ranks: [2] },
  // Keras's Cropping1D has no data_format; tf.layers (4.22) has no cropping1D, so netloom builds its own (src/compile/custom-layers.ts).
  keras: { className: 'Cropping1D' },
  receptive: 'pass',
  inferShape: ([x], p) => {
    requireRank('Cropping1D', x, 2, '(steps, channels)', 'use Cropping2D for images');
    const [n, c] = x.slice(1);
    const out = n === null ? null : n - p.cropping[0] - p.cropping[1];
    if (out !== null && out < 1) throw new LayerError(`cropping ${p.cropping.join(', ')} removes all ${n} steps of the input; crop less`, 'cropping');
    return [null, out, c];
  },
  describe: (p) => p.cropping.join('/'),
});
