import { defineLayer } from '../../layer.ts';
import { bool, int } from '../../params.ts';
import { axisSize } from '../normalization/norm-utils.ts';

/**
 * Keras `Normalization`: (x − mean) / √variance per feature of `axis`, with
 * the statistics learned by `adapt()` on data, not by training. Built
 * without a given mean and variance it keeps them as non-trainable weights,
 * one per feature each, plus the count of samples seen (a scalar):
 * 3 + 3 + 1 = 7 over RGB images.
 */
export default defineLayer({
  kind: 'Normalization',
  category: 'Normalization',
  doc: 'Standardises each feature of `axis` with a mean and variance adapted from data (non-trainable weights, with the sample count).',
  params: {
    axis: int({ default: -1, min: -8, max: 8, doc: 'the feature axis; -1: the last' }),
    invert: bool({ default: false, doc: 'undo a normalisation: x · √variance + mean' }),
  },
  inputs: { min: 1, max: 1 },
  keras: {
    className: 'Normalization',
    // Given statistics are constants of the layer, not weights: Keras then counts 0 parameters.
    unmodelled: (c) => (c.mean !== null && c.mean !== undefined) || (c.variance !== null && c.variance !== undefined)
      ? { kind: 'Normalization (given mean and variance)', note: 'a Normalization with a given mean and variance keeps them as constants (0 parameters) and netloom stores no values; rebuild it as a Normalization adapted to the data' }
      : null,
  },
  tfjs: {
    cannot: () => ({ field: 'axis', message: 'TF.js 4.22 has no Normalization layer; normalise the data before training (or use a Rescaling), or export the Keras Python script to train this network' }),
  },
  receptive: 'pass',
  layout: 'axis',
  inferShape: ([x], p) => {
    axisSize(x, p.axis);
    return x; // shapes are immutable values: same shape, same array
  },
  weights: ([x], p) => {
    const c = axisSize(x, p.axis);
    return [
      { name: 'mean', shape: [c], trainable: false },
      { name: 'variance', shape: [c], trainable: false },
      { name: 'count', shape: [], trainable: false },
    ];
  },
  // mean + variance + the count (a scalar): 3 + 3 + 1 over RGB.
  formula: ([x], p) => {
    const c = axisSize(x, p.axis);
    return `${c} + ${c} + 1`;
  },
  describe: (p) => (p.invert ? 'inverted' : ''),
});
