import { defineLayer } from '../../layer.ts';
import { float } from '../../params.ts';

/** Keras `SpatialDropout1D`: drops whole feature channels of a sequence while training; a no-op at inference. */
export default defineLayer({
  kind: 'SpatialDropout1D',
  category: 'Core',
  doc: 'During training, zeroes a fraction `rate` of whole channels of a (steps, channels) sequence; a no-op at inference.',
  params: { rate: float({ default: 0.5, min: 0, max: 1, maxExclusive: true }) },
  inputs: { min: 1, max: 1, ranks: [2] },
  // Keras 3's SpatialDropout takes no trainable keyword: a model.json naming one does not load there.
  keras: { noTrainable: true, className: 'SpatialDropout1D' },
  receptive: 'pass',
  inferShape: ([x]) => x, // shapes are immutable values: same shape, same array
  describe: (p) => `${p.rate}`,
});
