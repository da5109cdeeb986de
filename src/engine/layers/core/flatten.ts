import { LayerError, defineLayer, dimsText, sizeOf } from '../../layer.ts';

export default defineLayer({
  kind: 'Flatten',
  category: 'Core',
  doc: 'Unrolls a feature map into one vector per sample (e.g. 6×6×256 → 9216).',
  params: {},
  inputs: { min: 1, max: 1, ranks: [2, 3, 4, 5, 6] },
  keras: { className: 'Flatten' },
  receptive: 'end',
  layout: 'reorders',
  inferShape: ([x]) => {
    if (x.length < 3) throw new LayerError(`the input ${dimsText(x)} is already flat; remove this Flatten`);
    if (x.slice(1).some((d) => d === null)) throw new LayerError(`cannot flatten ${dimsText(x)} with an unknown dimension; give the input a fixed size`);
    return [null, sizeOf(x)];
  },
});
