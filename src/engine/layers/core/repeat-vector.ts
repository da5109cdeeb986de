import { defineLayer, requireRank } from '../../layer.ts';
import { int } from '../../params.ts';

/** Keras `RepeatVector`: (features) → (n, features), the input repeated n times (a seq2seq decoder's input). */
export default defineLayer({
  kind: 'RepeatVector',
  category: 'Core',
  doc: 'Repeats a vector n times: (features) becomes (n, features); no weights.',
  params: { n: int({ default: 2, doc: 'how many times' }) },
  inputs: { min: 1, max: 1, ranks: [1] },
  keras: { className: 'RepeatVector' },
  receptive: 'end',
  inferShape: ([x], p) => {
    requireRank('RepeatVector', x, 1, 'features', 'put a Flatten or a GlobalAveragePooling before it');
    return [null, p.n, x[1]];
  },
  describe: (p) => `× ${p.n}`,
});
