/**
 * Windows and image sets as `TrainData`: the flat arrays the training loop
 * batches from, with the per-sample shapes the model's input must have.
 */
import type { ImageSet } from '../data/types.ts';
import type { Windows } from '../data/window.ts';
import type { TrainData } from './types.ts';

/** Series windows: x (nSteps, features), y (targets). */
export const windowData = (w: Windows): TrainData => ({
  count: w.count, x: w.x, xShape: [w.nSteps, w.features], y: w.y, yShape: [w.targets],
});

/**
 * Images: x (height, width, channels); y as integer labels (`sparse`, for
 * sparseCategoricalCrossentropy) or one-hot rows (for categoricalCrossentropy).
 */
export function imageData(set: ImageSet, labels: 'sparse' | 'oneHot' = 'sparse'): TrainData {
  let y: Float32Array;
  if (labels === 'sparse') y = Float32Array.from(set.labels);
  else {
    y = new Float32Array(set.count * set.classes);
    set.labels.forEach((l, i) => (y[i * set.classes + l] = 1));
  }
  return { count: set.count, x: set.pixels, xShape: [set.height, set.width, set.channels], y, yShape: labels === 'sparse' ? [] : [set.classes] };
}
