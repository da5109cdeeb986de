import { LayerError, defineLayer } from '../../layer.ts';
import { float, optList } from '../../params.ts';
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
  params: {
    rate: float({ default: 0.5, min: 0, max: 1, maxExclusive: true }),
    noiseShape: optList({ min: 1, doc: 'the shape of the dropout mask, batch first; None: the input\'s size (EfficientNet: None, 1, 1, 1); empty: the input\'s shape' }),
  },
  inputs: { min: 1, max: 1 },
  keras: {
    className: 'Dropout',
    imports: {
      GaussianDropout: (c, note) => (note('GaussianDropout imported as Dropout: both are no-ops at inference, with no parameters'), { rate: typeof c.rate === 'number' ? c.rate : 0.5 }),
      AlphaDropout: (c, note) => (note('AlphaDropout imported as Dropout: both are no-ops at inference, with no parameters'), { rate: typeof c.rate === 'number' ? c.rate : 0.5 }),
    },
  },
  receptive: 'pass',
  layout: 'follows',
  inferShape: ([x], p) => {
    const m = p.noiseShape;
    if (m !== null && (m.length !== x.length || m.some((d, i) => i > 0 && d !== null && d !== 1 && d !== x[i]))) {
      throw new LayerError(
        `noiseShape (${m.map((d) => (d === null ? 'None' : d)).join(', ')}) must have ${x.length} entries, batch first, each None, 1 or the input's size (${x.map((d) => (d === null ? 'None' : d)).join(', ')}); clear it to drop values one by one`,
        'noiseShape',
      );
    }
    return x; // shapes are immutable values: same shape, same array
  },
  describe: (p) => `${p.rate}${p.noiseShape ? ` · mask ${p.noiseShape.map((d) => (d === null ? '?' : d)).join('×')}` : ''}`,
});
