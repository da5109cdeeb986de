import { defineLayer } from '../../layer.ts';
import { bool, float, int } from '../../params.ts';
import { affineWeights, axisSize } from './norm-utils.ts';

export default defineLayer({
  kind: 'BatchNormalization',
  category: 'Normalization',
  doc: 'Normalises each channel with batch statistics; gamma/beta are learned, moving mean/variance are not trained.',
  params: {
    axis: int({ default: -1, min: -8, max: 8 }),
    momentum: float({ default: 0.99, min: 0, max: 1 }),
    epsilon: float({ default: 0.001, min: 0, max: 1 }),
    center: bool({ default: true }),
    scale: bool({ default: true }),
  },
  inputs: { min: 1, max: 1 },
  keras: { className: 'BatchNormalization' },
  receptive: 'pass',
  layout: 'axis',
  inferShape: ([x], p) => {
    axisSize(x, p.axis);
    return x; // shapes are immutable values: same shape, same array
  },
  // PyTorch keeps the moving statistics as buffers, not parameters.
  pytorch: ([x], p) => {
    const c = axisSize(x, p.axis);
    const n = (p.scale ? c : 0) + (p.center ? c : 0);
    return { count: n, formula: `${[p.scale ? String(c) : '', p.center ? String(c) : ''].filter(Boolean).join(' + ') || '0'} = ${n.toLocaleString('en-US')}`, why: 'running_mean and running_var are buffers in PyTorch, not parameters' };
  },
  weights: ([x], p) => {
    const c = axisSize(x, p.axis);
    return [
      ...affineWeights(c, p),
      { name: 'moving_mean', shape: [c], trainable: false },
      { name: 'moving_variance', shape: [c], trainable: false },
    ];
  },
});
