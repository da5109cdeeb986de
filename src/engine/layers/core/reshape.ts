import { LayerError, defineLayer, dimsText, product, sizeOf } from '../../layer.ts';
import { list } from '../../params.ts';

export default defineLayer({
  kind: 'Reshape',
  category: 'Core',
  doc: 'Gives the same values a new shape; one dimension may be -1 to infer it.',
  params: { targetShape: list({ default: [-1], allowInfer: true }) },
  inputs: { min: 1, max: 1 },
  keras: {
    className: 'Reshape',
    // TF.js cannot infer a -1 in a symbolic shape (Keras can): the target written is the inferred one.
    // This is the one place the workaround lives; the -1 itself travels in netloom's metadata.
    encode: (p, { outputShape }) => ({ target_shape: (outputShape ?? [null, ...p.targetShape]).slice(1) }),
  },
  receptive: 'end',
  layout: { sets: 'targetShape' },
  inferShape: ([x], p) => {
    const n = sizeOf(x);
    const known = product(p.targetShape.filter((d) => d !== -1));
    const infer = p.targetShape.includes(-1);
    if (infer ? n % known !== 0 : n !== known) {
      throw new LayerError(
        `cannot reshape ${dimsText(x)} (${n} values) into (${p.targetShape.join(', ')}) (${infer ? `a multiple of ${known}` : known} values); make the target hold ${n} values`,
        'targetShape',
      );
    }
    return [null, ...p.targetShape.map((d) => (d === -1 ? n / known : d))];
  },
  describe: (p) => `→ ${p.targetShape.join('×')}`,
});
