import { defineLayer } from '../../layer.ts';
import { bool, float, int } from '../../params.ts';
import { affineWeights, axisSize } from './norm-utils.ts';

export default defineLayer({
  kind: 'LayerNormalization',
  category: 'Normalization',
  doc: 'Normalises each sample over its last axis, with learned gamma and beta.',
  params: {
    axis: int({ default: -1, min: -8, max: 8 }),
    epsilon: float({ default: 0.001, min: 0, max: 1 }),
    center: bool({ default: true }),
    scale: bool({ default: true }),
  },
  inputs: { min: 1, max: 1 },
  keras: { className: 'LayerNormalization' },
  receptive: 'pass',
  layout: 'axis',
  inferShape: ([x], p) => {
    axisSize(x, p.axis);
    return x; // shapes are immutable values: same shape, same array
  },
  weights: ([x], p) => {
    const c = axisSize(x, p.axis);
    return affineWeights(c, p);
  },
});
