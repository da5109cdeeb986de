import { defineLayer } from '../../layer.ts';
import { float } from '../../params.ts';

/** Keras `SpatialDropout2D`: drops whole feature maps of an image while training; a no-op at inference. */
export default defineLayer({
  kind: 'SpatialDropout2D',
  category: 'Core',
  doc: 'During training, zeroes a fraction `rate` of whole feature maps of a (height, width, channels) input; a no-op at inference.',
  params: { rate: float({ default: 0.5, min: 0, max: 1, maxExclusive: true }) },
  inputs: { min: 1, max: 1, ranks: [3] },
  // Keras 3's SpatialDropout takes no trainable keyword: a model.json naming one does not load there.
  keras: { noTrainable: true, className: 'SpatialDropout2D', fixed: { data_format: 'channels_last' } },
  receptive: 'pass',
  inferShape: ([x]) => x, // shapes are immutable values: same shape, same array
  describe: (p) => `${p.rate}`,
});
