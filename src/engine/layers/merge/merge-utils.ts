/** Shared rules of element-wise merges (Keras `_Merge`). */
import { LayerError, defineLayer, dimsText, shapeEq } from '../../layer.ts';
import type { Shape } from '../../types.ts';

export const MAX_MERGE_INPUTS = 64;

export function elementwise(kind: string, doc: string) {
  return defineLayer({
    kind, category: 'Merge', doc,
    params: {},
    inputs: { min: 2, max: MAX_MERGE_INPUTS, variadic: true },
    keras: { className: kind },
    receptive: 'merge',
    inferShape: (xs: Shape[]) => {
      const [a] = xs;
      xs.forEach((b, i) => {
        if (!shapeEq(a, b)) {
          const fix = a.length === b.length && a.length === 4
            ? `; project one branch to ${a[3]} channels with a 1×1 Conv2D (and matching strides) so both are ${dimsText(a)}`
            : '; make every input the same shape';
          throw new LayerError(`${kind} needs inputs of one shape, but in0 is ${dimsText(a)} and in${i} is ${dimsText(b)}${fix}`);
        }
      });
      return [...a];
    },
  });
}
