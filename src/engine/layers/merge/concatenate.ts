import { LayerError, defineLayer, dimsText } from '../../layer.ts';
import { int } from '../../params.ts';
import { MAX_MERGE_INPUTS } from './merge-utils.ts';

export default defineLayer({
  kind: 'Concatenate',
  category: 'Merge',
  doc: 'Joins its inputs along one axis (channels by default): Inception branches, DenseNet, towers that meet.',
  params: { axis: int({ default: -1, min: -8, max: 8, doc: 'negative counts from the end; 0 (batch) is not allowed' }) },
  inputs: { min: 2, max: MAX_MERGE_INPUTS, variadic: true },
  keras: { className: 'Concatenate' },
  receptive: 'merge',
  inferShape: (xs, p) => {
    const rank = xs[0].length;
    const ax = p.axis < 0 ? rank + p.axis : p.axis;
    if (ax < 1 || ax >= rank) {
      throw new LayerError(`axis ${p.axis} is outside the ${rank - 1}-D inputs (${dimsText(xs[0])}); use -1 for the last axis`, 'axis');
    }
    const out = [...xs[0]];
    xs.forEach((x, i) => {
      if (i === 0) return;
      const same = x.length === rank && x.every((d, j) => j === ax || d === xs[0][j]);
      if (!same) {
        throw new LayerError(
          `inputs must match except on axis ${p.axis}, but in0 is ${dimsText(xs[0])} and in${i} is ${dimsText(x)}; resize one branch (pooling/strides) or concatenate on another axis`,
        );
      }
      const d = x[ax];
      out[ax] = out[ax] === null || d === null ? null : (out[ax] as number) + d;
    });
    return out;
  },
  describe: (p) => (p.axis === -1 ? '' : `axis ${p.axis}`),
});
