import { defineLayer } from '../../layer.ts';

/** Keras `Identity`: its output is its input (a placeholder that keeps a name in the graph); no weights. */
export default defineLayer({
  kind: 'Identity',
  category: 'Core',
  doc: 'Passes its input through unchanged (a named placeholder); no weights.',
  params: {},
  inputs: { min: 1, max: 1 },
  keras: { className: 'Identity' },
  receptive: 'pass',
  layout: 'follows',
  inferShape: ([x]) => x, // shapes are immutable values: same shape, same array
});
