import { defineLayer } from '../../layer.ts';
import { axes, bool, float } from '../../params.ts';
import { affineWeights, axisSizes } from './norm-utils.ts';

export default defineLayer({
  kind: 'LayerNormalization',
  category: 'Normalization',
  doc: 'Normalises each sample over its last axis (or several axes), with learned gamma and beta of the normalised dims.',
  params: {
    axis: axes({ default: -1, doc: 'an axis, or a list of axes ([1, 2]): gamma and beta have their sizes' }),
    epsilon: float({ default: 0.001, min: 0, max: 1 }),
    center: bool({ default: true }),
    scale: bool({ default: true }),
  },
  inputs: { min: 1, max: 1 },
  receptive: 'pass',
  layout: 'axis',
  // Keras 3 writes one axis as [-1]: the int is the canonical form.
  keras: { className: 'LayerNormalization', normalize: (p) => (Array.isArray(p.axis) && p.axis.length === 1 ? { ...p, axis: p.axis[0] } : p) },
  inferShape: ([x], p) => {
    axisSizes(x, p.axis);
    return x; // shapes are immutable values: same shape, same array
  },
  // Keras 3: gamma and beta have the shape of the normalised axes, in axis order ([1, 2] of (9, 8, 3): (9, 8)).
  weights: ([x], p) => affineWeights(axisSizes(x, p.axis), p),
  formula: ([x], p) => {
    const dims = axisSizes(x, p.axis);
    const n = (p.scale ? 1 : 0) + (p.center ? 1 : 0);
    return dims.length > 1 && n ? `${n > 1 ? `${n}·` : ''}${dims.join('·')}` : null;
  },
});
