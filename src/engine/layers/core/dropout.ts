import { defineLayer } from '../../layer.ts';
import { float } from '../../params.ts';

export default defineLayer({
  kind: 'Dropout',
  category: 'Core',
  doc: 'During training, zeroes a fraction `rate` of its inputs; a no-op at inference.',
  params: { rate: float({ default: 0.5, min: 0, max: 1, maxExclusive: true }) },
  inputs: { min: 1, max: 1 },
  inferShape: ([x]) => x, // shapes are immutable values: same shape, same array
  describe: (p) => `${p.rate}`,
});
