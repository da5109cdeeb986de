import { defineLayer } from '../../layer.ts';
import { int } from '../../params.ts';

export default defineLayer({
  kind: 'Embedding',
  category: 'Core',
  doc: 'Looks up a learned vector of outputDim numbers for each token id below inputDim; ids of any shape (L) or (L1, L2) give (L, outputDim) or (L1, L2, outputDim).',
  params: { inputDim: int({ default: 1000, doc: 'vocabulary size' }), outputDim: int({ default: 64 }) },
  // Ids of any rank, as Keras 3: each id becomes a vector on a new last axis.
  inputs: { min: 1, max: 1 },
  keras: { className: 'Embedding' },
  receptive: 'end',
  inferShape: ([x], p) => [...x, p.outputDim],
  weights: (_x, p) => [{ name: 'embeddings', shape: [p.inputDim, p.outputDim], trainable: true }],
  describe: (p) => `${p.inputDim} → ${p.outputDim}`,
});
