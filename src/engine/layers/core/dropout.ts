import { defineLayer } from '../../layer.ts';
import { float } from '../../params.ts';
import type { Note } from '../../passport.ts';

/** Another dropout class: the same rate, no parameters, and a note saying so. */
const like = (why: string) => (c: Record<string, unknown>, note: Note) => {
  note(why);
  return typeof c.rate === 'number' ? { rate: c.rate } : {};
};

export default defineLayer({
  kind: 'Dropout',
  category: 'Core',
  doc: 'During training, zeroes a fraction `rate` of its inputs; a no-op at inference.',
  params: { rate: float({ default: 0.5, min: 0, max: 1, maxExclusive: true }) },
  inputs: { min: 1, max: 1 },
  keras: {
    className: 'Dropout',
    imports: {
      SpatialDropout1D: (c, note) => (note('SpatialDropout1D imported as Dropout (same shapes, no parameters)'), { rate: typeof c.rate === 'number' ? c.rate : 0.5 }),
      SpatialDropout2D: (c, note) => (note('SpatialDropout2D imported as Dropout (same shapes, no parameters)'), { rate: typeof c.rate === 'number' ? c.rate : 0.5 }),
      GaussianDropout: (c, note) => (note('GaussianDropout imported as Dropout: both are no-ops at inference, with no parameters'), { rate: typeof c.rate === 'number' ? c.rate : 0.5 }),
      AlphaDropout: (c, note) => (note('AlphaDropout imported as Dropout: both are no-ops at inference, with no parameters'), { rate: typeof c.rate === 'number' ? c.rate : 0.5 }),
    },
  },
  receptive: 'pass',
  layout: 'follows',
  inferShape: ([x]) => x, // shapes are immutable values: same shape, same array
  describe: (p) => `${p.rate}`,
});
