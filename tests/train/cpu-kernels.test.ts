/**
 * The row-copying CPU Slice and SplitV and the one-pass UnsortedSegmentSum
 * give exactly what TF.js's own kernels give, for every rank, dtype and axis
 * the layers use; a GRU trains to the same weights with either, and an
 * Embedding's gradient (a gather's) is the same.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installCpuKernels, sliceValues } from '../../src/train/cpu-kernels.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const cases: [shape: number[], begin: number[], size: number[]][] = [
  [[7], [2], [4]],
  [[5, 9], [1, 3], [3, 4]],
  [[5, 9], [0, 0], [5, 9]],
  [[4, 6, 8], [1, 2, 3], [2, 3, 5]],
  [[4, 6, 8], [0, 5, 0], [4, 1, 8]],
  [[3, 4, 5, 6], [1, 0, 2, 1], [2, 4, 2, 5]],
  [[3, 0, 2], [0, 0, 0], [3, 0, 2]],
];

/** Two SGD steps of a GRU(3) with fixed initial weights; its final weights, flat. */
function gruSteps(): number[] {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const gru = tf.layers.gru({ units: 3, inputShape: [5, 2], kernelInitializer: init(1), recurrentInitializer: init(2), recurrentActivation: 'hardSigmoid', resetAfter: false } as Parameters<typeof tf.layers.gru>[0]);
  const m = tf.sequential({ layers: [gru, tf.layers.dense({ units: 1, kernelInitializer: init(3) })] });
  const x = tf.tensor3d(Array.from({ length: 8 * 5 * 2 }, (_, i) => Math.sin(i)), [8, 5, 2]);
  const y = tf.tensor2d(Array.from({ length: 8 }, (_, i) => Math.cos(i)), [8, 1]);
  const opt = tf.train.sgd(0.1);
  const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
  for (let i = 0; i < 2; i++) opt.applyGradients(tf.variableGrads(() => tf.mean(tf.square(tf.sub(m.apply(x) as tf.Tensor, y))) as tf.Scalar, vars).grads);
  const out = m.getWeights().flatMap((w) => Array.from(w.dataSync()));
  m.dispose();
  return out;
}

/** Slices, splits and gradients with whichever CPU kernels are registered now. */
function before(): { slice: unknown[]; split: unknown[]; segments: unknown[]; grads: number[][] } {
  const x = (shape: number[], dtype: 'float32' | 'int32') => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (dtype === 'int32' ? i : i * 0.5 - 3)), shape, dtype);
  const slice = cases.flatMap(([shape, b, s]) => (['float32', 'int32'] as const).map((d) => tf.slice(x(shape, d), b, s).arraySync()));
  const t = x([4, 6, 12], 'float32');
  const split = [tf.split(t, 3, 2), tf.split(t, [1, 2, 3], 1), tf.split(t, [2, 8, 2], -1), tf.split(x([6], 'int32'), 2)].map((ts) => ts.map((v) => v.arraySync()));
  // gradients flow through the kernels' own gradient functions
  const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.split(v, [4, 8], 2)[1], tf.slice(v, [0, 0, 4], [4, 6, 8]))))(t);
  // Segment sums: ids repeat, skip segments and fall out of range (dropped); rows of rank 1 and 2; float and int.
  const ids = tf.tensor1d([3, 0, 3, 7, 1, -1, 3], 'int32');
  const segments = [
    tf.unsortedSegmentSum(x([7, 5], 'float32'), ids, 6).arraySync(),
    tf.unsortedSegmentSum(x([7, 2, 3], 'int32'), ids, 4).arraySync(),
    tf.unsortedSegmentSum(x([7], 'float32'), ids, 8).arraySync(),
  ];
  // An Embedding's gradient: a gather's, which TF.js computes with UnsortedSegmentSum.
  const table = x([9, 4], 'float32');
  const tokens = tf.tensor2d([[1, 4, 4], [8, 0, 1]], [2, 3], 'int32');
  const ge = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.gather(w, tokens), tf.range(0, 24).reshape([2, 3, 4]))))(table);
  return { slice, split, segments, grads: [Array.from(g.dataSync()), gruSteps(), Array.from(ge.dataSync())] };
}

describe('row-copying CPU slicing and one-pass segment sums', () => {
  it('equal TF.js\'s Slice, SplitV and UnsortedSegmentSum: values, gradients and a GRU\'s training steps', () => {
    const reference = before();
    installCpuKernels(tf);
    installCpuKernels(tf); // twice is harmless
    expect(tf.getKernel('Slice', 'cpu')!.kernelFunc.name).not.toBe('slice');
    expect(tf.getKernel('UnsortedSegmentSum', 'cpu')!.kernelFunc.name).toBe('UnsortedSegmentSum');
    expect(before()).toEqual(reference);
    // strings keep the original path
    expect(tf.slice(tf.tensor(['a', 'b', 'c', 'd'], [2, 2]), [0, 1], [2, 1]).arraySync()).toEqual([['b'], ['d']]);
  });

  it('sliceValues copies last-axis runs of a row-major array', () => {
    const v = Float32Array.from({ length: 24 }, (_, i) => i);
    expect(Array.from(sliceValues(v, [2, 3, 4], [1, 1, 1], [1, 2, 2]))).toEqual([17, 18, 21, 22]);
    expect(sliceValues(Int32Array.from([1, 2, 3]), [3], [1], [2])).toEqual(Int32Array.from([2, 3]));
    expect(sliceValues(v, [2, 3, 4], [0, 0, 0], [0, 3, 4])).toHaveLength(0);
  });
});
