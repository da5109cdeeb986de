import { LayerError, dimsText } from '../../layer.ts';
import type { Shape } from '../../types.ts';

/** Resolves a (possibly negative) feature axis and returns its size. */
export function axisSize(x: Shape, axis: number): number {
  const ax = axis < 0 ? x.length + axis : axis;
  if (ax < 1 || ax >= x.length) {
    throw new LayerError(`axis ${axis} is outside the ${x.length - 1}-D input (${dimsText(x)}); use -1 for the last axis`, 'axis');
  }
  const d = x[ax];
  if (d === null) throw new LayerError(`axis ${axis} has an unknown size; normalise a known axis`, 'axis');
  return d;
}

/** Learned scale (gamma) and offset (beta) over one axis, as `scale` and `center` ask. */
export function affineWeights(c: number, p: { scale: boolean; center: boolean }) {
  return [
    ...(p.scale ? [{ name: 'gamma', shape: [c], trainable: true }] : []),
    ...(p.center ? [{ name: 'beta', shape: [c], trainable: true }] : []),
  ];
}
