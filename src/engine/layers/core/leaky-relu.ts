import { defineLayer } from '../../layer.ts';
import { float } from '../../params.ts';

/** Keras `LeakyReLU`: x for x > 0, alpha·x otherwise (YOLO and Darknet use alpha 0.1). */
export default defineLayer({
  kind: 'LeakyReLU',
  category: 'Core',
  doc: 'Leaky rectifier: passes positive values, scales negative ones by alpha (Keras default 0.3; YOLO uses 0.1).',
  params: { alpha: float({ default: 0.3, min: 0, max: 1000, doc: 'slope for negative inputs' }) },
  inputs: { min: 1, max: 1 },
  // tfjs-layers and Keras 2 write `alpha`; Keras 3 renamed it `negative_slope`.
  keras: { className: 'LeakyReLU', readAlso: { alpha: ['negative_slope'] }, keras3: { alpha: 'negative_slope' } },
  receptive: 'pass',
  layout: 'follows',
  inferShape: ([x]) => x, // shapes are immutable values: same shape, same array
  describe: (p) => `α ${p.alpha}`,
});
