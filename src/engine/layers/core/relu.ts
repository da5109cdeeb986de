import { defineLayer } from '../../layer.ts';
import { float, optFloat } from '../../params.ts';

/**
 * Keras `ReLU`: x from `threshold` up, capped at `maxValue`, and
 * negativeSlope·(x − threshold) below it. `maxValue` 6 is MobileNet's ReLU6.
 */
export default defineLayer({
  kind: 'ReLU',
  category: 'Core',
  doc: 'Rectifier with options: max(x, 0) capped at maxValue (6: ReLU6), with a slope below a threshold.',
  params: {
    maxValue: optFloat({ doc: 'upper bound; empty: none' }),
    negativeSlope: float({ default: 0, doc: 'slope below the threshold' }),
    threshold: float({ default: 0, min: -Number.MAX_VALUE, doc: 'where the rectifier bends' }),
  },
  inputs: { min: 1, max: 1 },
  keras: { className: 'ReLU' },
  // tfjs-layers' ReLU has only maxValue.
  tfjs: {
    cannot: (p) => (p.negativeSlope !== 0 || p.threshold !== 0
      ? { field: p.negativeSlope !== 0 ? 'negativeSlope' : 'threshold', message: 'TF.js ReLU has no negativeSlope or threshold; set both to 0 (or use a LeakyReLU for a slope) to compile it' }
      : null),
    drop: ['negative_slope', 'threshold'],
  },
  receptive: 'pass',
  layout: 'follows',
  inferShape: ([x]) => x, // shapes are immutable values: same shape, same array
  describe: (p) => [p.maxValue !== null ? `≤ ${p.maxValue}` : '', p.negativeSlope ? `slope ${p.negativeSlope}` : '', p.threshold ? `from ${p.threshold}` : ''].filter(Boolean).join(' · '),
});
