/**
 * Evaluation the way the notes judge a model. For series: mean absolute error
 * in the data's own units (°C, dollars) beside the naive forecast "tomorrow =
 * today" (the target's value at the window's last row), so a user sees at
 * once whether the network beats common sense; plus predicted and actual
 * values for a plot. For classifiers: accuracy and a confusion matrix.
 */
import type * as tfType from '@tensorflow/tfjs';
import { denormalize, type ColumnStats, type Windows } from '../data/window.ts';
import { installCpuKernels } from './cpu-kernels.ts';
import type { TrainData } from './types.ts';

type Tf = typeof tfType;

/** The model's outputs for every sample, flat (count × outputs), in batches. */
export async function predictAll(tf: Tf, model: tfType.LayersModel, d: TrainData, batchSize = 256): Promise<Float32Array> {
  installCpuKernels(tf);
  const x = tf.tensor(d.x, [d.count, ...d.xShape], 'float32');
  try {
    const pred = model.predict(x, { batchSize }) as tfType.Tensor;
    const v = (await pred.data()) as Float32Array;
    pred.dispose();
    return v;
  } finally {
    x.dispose();
  }
}

export interface TargetEvaluation {
  /** Target column name. */
  name: string;
  /** Mean absolute error of the model, in the column's units. */
  mae: number;
  /** Mean absolute error of "the next value = the last value of the window", same units. */
  naiveMae: number;
  predicted: number[];
  actual: number[];
}

export interface SeriesEvaluation {
  samples: number;
  /** Means over the targets. */
  mae: number;
  naiveMae: number;
  /** naiveMae − mae: > 0 when the model beats the naive forecast. */
  gain: number;
  targets: TargetEvaluation[];
}

/**
 * Compares normalised model outputs with the windows' targets, back in the
 * data's units (`value·std + mean` of each target column, from the training
 * statistics).
 */
export function seriesErrors(outputs: ArrayLike<number>, w: Windows, stats: ColumnStats, targetColumns: number[], targetNames: string[]): SeriesEvaluation {
  const T = w.targets;
  const targets = targetColumns.map((col, k): TargetEvaluation => {
    const pick = (a: ArrayLike<number>) => Array.from({ length: w.count }, (_, i) => a[i * T + k]);
    const predicted = denormalize(pick(outputs), stats, col);
    const actual = denormalize(pick(w.y), stats, col);
    const naive = denormalize(pick(w.naive), stats, col);
    const mean = (f: (i: number) => number) => (w.count ? actual.reduce((s, _, i) => s + f(i), 0) / w.count : NaN);
    return {
      name: targetNames[k], predicted, actual,
      mae: mean((i) => Math.abs(predicted[i] - actual[i])),
      naiveMae: mean((i) => Math.abs(naive[i] - actual[i])),
    };
  });
  const avg = (f: (t: TargetEvaluation) => number) => targets.reduce((s, t) => s + f(t), 0) / targets.length;
  const mae = avg((t) => t.mae);
  const naiveMae = avg((t) => t.naiveMae);
  return { samples: w.count, mae, naiveMae, gain: naiveMae - mae, targets };
}

/** Runs the model on the windows and measures it against the naive forecast. */
export async function evaluateSeries(
  tf: Tf, model: tfType.LayersModel, w: Windows, p: { stats: ColumnStats; targetColumns: number[]; targets: string[] }, batchSize = 256,
): Promise<SeriesEvaluation> {
  const out = await predictAll(tf, model, { count: w.count, x: w.x, xShape: [w.nSteps, w.features], y: w.y, yShape: [w.targets] }, batchSize);
  return seriesErrors(out, w, p.stats, p.targetColumns, p.targets);
}

export interface ClassEvaluation {
  samples: number;
  accuracy: number;
  /** confusion[actual][predicted] counts. */
  confusion: number[][];
}

/** Accuracy and confusion matrix from class scores (count × classes) and integer labels. */
export function classErrors(scores: ArrayLike<number>, labels: ArrayLike<number>, classes: number): ClassEvaluation {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[i * classes + c] > scores[i * classes + best]) best = c;
    confusion[labels[i]][best]++;
    if (best === labels[i]) right++;
  }
  return { samples: labels.length, accuracy: labels.length ? right / labels.length : NaN, confusion };
}

/** Runs a classifier on `d` (sparse or one-hot labels) and scores it. */
export async function evaluateClassifier(tf: Tf, model: tfType.LayersModel, d: TrainData, classes: number, batchSize = 256): Promise<ClassEvaluation> {
  const scores = await predictAll(tf, model, d, batchSize);
  const labels = d.yShape.length === 0
    ? Array.from(d.y, (v) => Math.round(v))
    : Array.from({ length: d.count }, (_, i) => {
      const row = d.y.subarray(i * classes, (i + 1) * classes);
      return row.indexOf(Math.max(...row));
    });
  return classErrors(scores, labels, classes);
}
