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

/** The sizes of one axis or several (Keras `axis=[1, 2]`), in the order given; each must be known, none repeated. */
export function axisSizes(x: Shape, axis: number | readonly number[]): number[] {
  if (typeof axis === 'number') return [axisSize(x, axis)];
  const seen = new Set(axis.map((a) => (a < 0 ? x.length + a : a)));
  if (seen.size !== axis.length) throw new LayerError(`axis ${JSON.stringify(axis)} names one axis twice; list each axis once`, 'axis');
  return axis.map((a) => axisSize(x, a));
}

/** Learned scale (gamma) and offset (beta) of the normalised dims, as `scale` and `center` ask. */
export function affineWeights(c: number | number[], p: { scale: boolean; center: boolean }) {
  const shape = typeof c === 'number' ? [c] : c;
  return [
    ...(p.scale ? [{ name: 'gamma', shape, trainable: true }] : []),
    ...(p.center ? [{ name: 'beta', shape, trainable: true }] : []),
  ];
}
