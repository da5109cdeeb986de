import { LayerError, defineLayer, dimsText } from '../../layer.ts';
import { int } from '../../params.ts';

export default defineLayer({
  kind: 'Embedding',
  category: 'Core',
  doc: 'Looks up a learned vector of outputDim numbers for each token id below inputDim.',
  params: { inputDim: int({ default: 1000, doc: 'vocabulary size' }), outputDim: int({ default: 64 }) },
  inputs: { min: 1, max: 1, ranks: [1] },
  keras: { className: 'Embedding' },
  receptive: 'end',
  inferShape: ([x], p) => {
    if (x.length !== 2) {
      throw new LayerError(`Embedding takes a sequence of token ids (length) but got ${dimsText(x)}; use an Input of shape [length]`);
    }
    return [null, x[1], p.outputDim];
  },
  weights: (_x, p) => [{ name: 'embeddings', shape: [p.inputDim, p.outputDim], trainable: true }],
  describe: (p) => `${p.inputDim} → ${p.outputDim}`,
});
