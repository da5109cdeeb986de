import { LayerError, defineLayer, dimsText } from '../../layer.ts';
import { list } from '../../params.ts';

/** Keras `Permute`: reorders the dimensions after the batch; `dims` counts from 1 (the batch is 0), like Keras. */
export default defineLayer({
  kind: 'Permute',
  category: 'Core',
  doc: 'Reorders the axes after the batch: dims [2, 1] swaps the first two (counted from 1, like Keras); no weights.',
  params: { dims: list({ default: [2, 1], doc: 'the new order of the axes, counted from 1' }) },
  inputs: { min: 1, max: 1 },
  keras: { className: 'Permute' },
  receptive: 'end',
  inferShape: ([x], p) => {
    const rank = x.length - 1;
    const sorted = [...p.dims].sort((a, b) => a - b);
    if (p.dims.length !== rank || sorted.some((d, i) => d !== i + 1)) {
      throw new LayerError(
        `dims (${p.dims.join(', ')}) must order the ${rank} axes of ${dimsText(x)}: each of ${Array.from({ length: rank }, (_, i) => i + 1).join(', ')} once`,
        'dims',
      );
    }
    return [null, ...p.dims.map((d) => x[d])];
  },
  describe: (p) => `(${p.dims.join(', ')})`,
});
