/**
 * The training loop on tiny models where the answer is known: one SGD step
 * against the hand-derived gradient of a linear layer (with and without
 * Keras-style clipping), early stopping, best-weight restoring, stopping by
 * AbortSignal, progress, setting errors, losses against TF.js's own, and the
 * model.json export loaded back by `tf.loadLayersModel`.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/engine/index.ts';
import { makeWindows } from '../../src/data/index.ts';
import {
  buildModel, classErrors, compareRuns, evaluateLoss, exportModel, loadExported, lossFn, makeRunRecord, seriesErrors, trainModel,
  type BatchProgress, type TrainData, type TrainSettings,
} from '../../src/train/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Input(features) → Dense(1, linear). */
function linearModel(features: number): tf.LayersModel {
  const b = new GraphBuilder('linear');
  const x = b.add('Input', { shape: [features] }, [], 'x');
  b.add('Dense', { units: 1, activation: 'linear' }, [x], 'out');
  return buildModel(tf, b.build());
}

const X = [[1, 2], [3, -1], [0.5, 4], [-2, 1]];
const Y = [3, 1, -2, 0.5];
const data = (x = X, y = Y): TrainData => ({ count: x.length, x: Float32Array.from(x.flat()), xShape: [x[0].length], y: Float32Array.from(y), yShape: [1] });
const sgd = (extra: Partial<TrainSettings> = {}): TrainSettings => ({ optimizer: 'sgd', learningRate: 0.1, loss: 'mse', epochs: 1, batchSize: 4, shuffle: false, ...extra });

/** mse = mean((xW + b − y)²): dW = 2/N·Xᵀ(pred − y), db = 2/N·Σ(pred − y). */
function manualGradient(W: number[], b: number) {
  const r = X.map((row, i) => row[0] * W[0] + row[1] * W[1] + b - Y[i]);
  const dW = [0, 1].map((j) => (2 / X.length) * X.reduce((s, row, i) => s + row[j] * r[i], 0));
  const db = (2 / X.length) * r.reduce((s, v) => s + v, 0);
  return { dW, db };
}

async function oneStep(settings: TrainSettings) {
  const model = linearModel(2);
  const [W0, b0] = model.getWeights().map((t) => Array.from(t.dataSync()));
  await trainModel(tf, model, { train: data() }, settings);
  const [W1, b1] = model.getWeights().map((t) => Array.from(t.dataSync()));
  model.dispose();
  return { W0, b0: b0[0], W1, b1: b1[0], g: manualGradient(W0, b0[0]) };
}

describe('one SGD step equals the hand-derived gradient', () => {
  it('without clipping', async () => {
    const { W0, b0, W1, b1, g } = await oneStep(sgd());
    W1.forEach((w, j) => expect(w).toBeCloseTo(W0[j] - 0.1 * g.dW[j], 5));
    expect(b1).toBeCloseTo(b0 - 0.1 * g.db, 5);
  });

  it('clipvalue clips each gradient element', async () => {
    const c = 0.05;
    const { W0, b0, W1, b1, g } = await oneStep(sgd({ clipvalue: c }));
    const clip = (v: number) => Math.max(-c, Math.min(c, v));
    expect(Math.max(...g.dW.map(Math.abs), Math.abs(g.db))).toBeGreaterThan(c); // so clipping matters
    W1.forEach((w, j) => expect(w).toBeCloseTo(W0[j] - 0.1 * clip(g.dW[j]), 5));
    expect(b1).toBeCloseTo(b0 - 0.1 * clip(g.db), 5);
  });

  it('clipnorm rescales each weight\'s gradient to the norm', async () => {
    const c = 0.01;
    const { W0, b0, W1, b1, g } = await oneStep(sgd({ clipnorm: c }));
    const norm = Math.hypot(...g.dW);
    expect(norm).toBeGreaterThan(c);
    W1.forEach((w, j) => expect(w).toBeCloseTo(W0[j] - 0.1 * g.dW[j] * (c / norm), 5));
    const bScale = Math.abs(g.db) > c ? c / Math.abs(g.db) : 1;
    expect(b1).toBeCloseTo(b0 - 0.1 * g.db * bScale, 5);
  });
});

describe('the loop', () => {
  const many = (n: number, sign = 1, seed = 1): TrainData => {
    let s = seed;
    const r = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const x = Array.from({ length: n }, () => [r(), r()]);
    return { count: n, x: Float32Array.from(x.flat()), xShape: [2], y: Float32Array.from(x.map(([a, b]) => sign * (2 * a - b))), yShape: [1] };
  };

  it('reports batches and epochs with a progress fraction that ends at 1', async () => {
    const model = linearModel(2);
    const batches: BatchProgress[] = [];
    const epochs: number[] = [];
    const r = await trainModel(tf, model, { train: many(50), val: many(20, 1, 7) }, { optimizer: 'adam', learningRate: 0.05, loss: 'mse', metrics: ['mae'], epochs: 3, batchSize: 16 }, {
      onBatch: (p) => batches.push(p), onEpoch: (p) => epochs.push(p.epoch),
    });
    model.dispose();
    expect(batches).toHaveLength(3 * 4);
    expect(batches.map((b) => b.batch).slice(0, 4)).toEqual([1, 2, 3, 4]);
    expect(batches.at(-1)!.fraction).toBe(1);
    expect(batches.at(-1)!.etaMs).toBe(0);
    expect(batches.every((b, i) => i === 0 || b.fraction > batches[i - 1].fraction)).toBe(true);
    expect(epochs).toEqual([1, 2, 3]);
    expect(r.history.loss).toHaveLength(3);
    expect(r.history.valMetrics.mae).toHaveLength(3);
    expect(r.history.loss[2]).toBeLessThan(r.history.loss[0]);
    expect(r.stopped).toBe('completed');
  });

  it('early stopping waits `patience` epochs without improvement', async () => {
    const model = linearModel(2);
    const r = await trainModel(tf, model, { train: many(32), val: many(16, 1, 5) }, {
      optimizer: 'sgd', learningRate: 1e-9, loss: 'mse', epochs: 20, batchSize: 8, earlyStopping: { patience: 2, minDelta: 1e-3 },
    });
    model.dispose();
    expect(r.stopped).toBe('early-stopping');
    expect(r.epochsRun).toBe(3);
    expect(r.bestEpoch).toBe(1);
    expect(r.history.valLoss).toHaveLength(3);
  });

  it('keeps the best epoch\'s weights: the model ends where validation loss was lowest', async () => {
    // validation wants the opposite function, so learning the training data makes validation worse
    const model = linearModel(2);
    const val = many(32, -1, 9);
    const s: TrainSettings = { optimizer: 'adam', learningRate: 0.05, loss: 'mse', epochs: 6, batchSize: 8 };
    const r = await trainModel(tf, model, { train: many(64), val }, s);
    const best = r.history.valLoss.indexOf(Math.min(...r.history.valLoss)) + 1;
    expect(r.bestEpoch).toBe(best);
    expect(r.bestEpoch).toBeLessThan(r.epochsRun);
    const now = await evaluateLoss(tf, model, val, s);
    expect(now.loss).toBeCloseTo(r.history.valLoss[best - 1], 5);
    expect(now.loss).toBeLessThan(r.history.valLoss.at(-1)!);
    model.dispose();
  });

  it('stops when the signal aborts, keeping the finished epochs only', async () => {
    const model = linearModel(2);
    const ac = new AbortController();
    const r = await trainModel(tf, model, { train: many(40) }, { optimizer: 'adam', learningRate: 0.01, loss: 'mse', epochs: 10, batchSize: 10 }, {
      onBatch: (p) => {
        if (p.epoch === 2 && p.batch === 2) ac.abort();
      },
      signal: ac.signal,
    });
    model.dispose();
    expect(r.stopped).toBe('aborted');
    expect(r.epochsRun).toBe(1);
    expect(r.history.loss).toHaveLength(1);
  });

  it('a signal aborted before the start runs no batch and leaves the weights alone', async () => {
    const model = linearModel(2);
    const w0 = model.getWeights().map((t) => Array.from(t.dataSync()));
    let batches = 0;
    const r = await trainModel(tf, model, { train: many(40) }, { optimizer: 'adam', learningRate: 0.1, loss: 'mse', epochs: 3, batchSize: 10 }, {
      signal: AbortSignal.abort(), onBatch: () => batches++,
    });
    expect(r.stopped).toBe('aborted');
    expect(r.epochsRun).toBe(0);
    expect(batches).toBe(0);
    expect(model.getWeights().map((t) => Array.from(t.dataSync()))).toEqual(w0);
    model.dispose();
  });

  it('yields to the event loop between batches, so a timer set meanwhile runs', async () => {
    const model = linearModel(2);
    let fired = 0;
    let sawTimer = false;
    const timer = setInterval(() => fired++, 0);
    await trainModel(tf, model, { train: many(200) }, { optimizer: 'sgd', learningRate: 0.01, loss: 'mse', epochs: 2, batchSize: 2 }, {
      yieldEveryMs: 0, onBatch: () => (sawTimer ||= fired > 0),
    });
    clearInterval(timer);
    model.dispose();
    expect(sawTimer).toBe(true);
  });

  it('settings and shapes that cannot work are named with the fix', async () => {
    const model = linearModel(2);
    const run = (s: Partial<TrainSettings>, d = data()) => trainModel(tf, model, { train: d }, { ...sgd(), ...s });
    await expect(run({ learningRate: 0 })).rejects.toThrow(/^learningRate: 0 must be a number > 0/);
    await expect(run({ batchSize: 2.5 })).rejects.toThrow(/^batchSize: 2.5 must be a whole number ≥ 1/);
    await expect(run({ optimizer: 'adagrad' as never })).rejects.toThrow(/^optimizer: "adagrad" is not known; choose adam, sgd or rmsprop/);
    await expect(run({ metrics: ['accuracy'] })).rejects.toThrow(/^metrics: accuracy needs a classification loss/);
    await expect(run({}, { ...data(), xShape: [3], x: new Float32Array(12) })).rejects.toThrow(/^x: the model takes samples of shape \(2\), the training data gives \(3\)/);
    await expect(run({}, { ...data(), yShape: [2], y: new Float32Array(8) })).rejects.toThrow(/^out: .*set the last layer's units to 2/);
    await expect(run({ learningRate: 1e30 }, { ...data(), x: Float32Array.from(X.flat().map((v) => v * 1e20)) })).rejects.toThrow(/^learningRate: the loss became/);
    model.dispose();
  });
});

describe('losses and metrics agree with TF.js', () => {
  it('mse, mae and categorical crossentropy', () => {
    const yTrue = tf.tensor2d([[0, 1, 0], [1, 0, 0]]);
    const probs = tf.tensor2d([[0.2, 0.7, 0.1], [0.5, 0.3, 0.2]]);
    const ours = lossFn(tf, 'categoricalCrossentropy')(yTrue, probs).dataSync()[0];
    expect(ours).toBeCloseTo(tf.mean(tf.metrics.categoricalCrossentropy(yTrue, probs)).dataSync()[0], 5);
    expect(lossFn(tf, 'sparseCategoricalCrossentropy')(tf.tensor1d([1, 0]), probs).dataSync()[0]).toBeCloseTo(ours, 6);
    const a = tf.tensor2d([[1], [2], [4]]);
    const p = tf.tensor2d([[1.5], [1], [5]]);
    expect(lossFn(tf, 'mse')(a, p).dataSync()[0]).toBeCloseTo(tf.losses.meanSquaredError(a, p).dataSync()[0], 6);
    expect(lossFn(tf, 'mae')(a, p).dataSync()[0]).toBeCloseTo(tf.losses.absoluteDifference(a, p).dataSync()[0], 6);
  });
});

describe('evaluation', () => {
  it('series errors are in the data\'s units, beside tomorrow = today', () => {
    // normalised with mean 10, std 2: the values 10, 12, 14, 16, 18 are 0, 1, 2, 3, 4
    const w = makeWindows([[0], [1], [2], [3], [4]], { nSteps: 2 });
    const e = seriesErrors([2.5, 3, 4.5], w, { mean: [10], std: [2] }, [0], ['t']);
    expect(e.targets[0].actual).toEqual([14, 16, 18]);
    expect(e.targets[0].predicted).toEqual([15, 16, 19]);
    expect(e.mae).toBeCloseTo((1 + 0 + 1) / 3, 10);
    expect(e.naiveMae).toBeCloseTo(2, 10); // each naive forecast is one step (2 units) behind
    expect(e.gain).toBeCloseTo(2 - 2 / 3, 10);
  });

  it('confusion matrix rows are actual classes, columns predicted', () => {
    const scores = [0.9, 0.1, 0, 0.2, 0.7, 0.1, 0.1, 0.2, 0.7, 0.6, 0.3, 0.1];
    const e = classErrors(scores, [0, 1, 1, 2], 3);
    expect(e.confusion).toEqual([[1, 0, 0], [0, 1, 1], [1, 0, 0]]);
    expect(e.accuracy).toBe(0.5);
  });

  it('run records copy their inputs and compare side by side', () => {
    const settings = sgd();
    const rec = makeRunRecord({
      id: 'a', label: 'GRU', model: { name: 'm', params: 4545 }, data: { dataset: 'seattle-weather', trainSamples: 10, valSamples: 5 }, settings,
      startedAt: new Date(0), backend: 'cpu',
      result: { history: { loss: [2, 1], valLoss: [3, 2.5], metrics: {}, valMetrics: {} }, epochsRun: 2, bestEpoch: 2, bestLoss: 2.5, monitor: 'val_loss', stopped: 'completed', seconds: 1, samplesPerSecond: 10 },
      val: { samples: 5, mae: 2.35, naiveMae: 2.57, gain: 0.22, targets: [] },
    });
    settings.epochs = 99;
    expect(rec.settings.epochs).toBe(1);
    expect(rec.startedAt).toBe('1970-01-01T00:00:00.000Z');
    const rows = compareRuns([rec]);
    expect(rows[1]).toEqual(['GRU', '4,545', '2', '2.5000', '2.350', '2.570', '', '', '']);
  });
});

describe('export', () => {
  it('model.json + weights load back with tf.loadLayersModel and predict the same', async () => {
    const b = new GraphBuilder('gru-export');
    const w = b.add('Window', { nSteps: 5, horizon: 1, stride: 1, features: 3 }, [], 'window');
    b.chain(w, [['GRU', { units: 4, resetAfter: false }, 'gru_1'], ['Dense', { units: 1, activation: 'linear' }, 'dense_1']]);
    const model = buildModel(tf, b.build());
    const e = await exportModel(model);
    const json = JSON.parse(e.modelJson);
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['./model.weights.bin']);
    expect(e.weights.byteLength).toBe(model.countParams() * 4);
    const back = await loadExported(tf, e);
    const x = tf.randomNormal([7, 5, 3]);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const c = (back.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(c)).toEqual(Array.from(a));
    expect(back.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    model.dispose();
    back.dispose();
  });
});

describe('the graph decides the window', () => {
  it('reads nSteps, horizon and stride from the Window node and names it when features disagree', async () => {
    const { graphWindow } = await import('../../src/train/model.ts');
    const b = new GraphBuilder('g');
    const w = b.add('Window', { nSteps: 14, horizon: 3, stride: 2, features: 4 }, [], 'win');
    b.add('Dense', { units: 1 }, [w], 'out');
    const g = b.build();
    expect(graphWindow(g, 4)).toMatchObject({ nSteps: 14, horizon: 3, stride: 2, features: 4 });
    expect(() => graphWindow(g, 2)).toThrow('win: features is 4 but the data has 2 feature columns; set features to 2 or choose 4 columns');
    const c = new GraphBuilder('c');
    c.add('Dense', { units: 1 }, [c.add('Input', { shape: [3] }, [], 'x')]);
    expect(() => graphWindow(c.build())).toThrow(/^model: the graph has no Window node; add a Window/);
  });
});

describe('seeded builds', () => {
  it('the same seed gives the same initial weights, another seed others; Math.random is restored', () => {
    const b = new GraphBuilder('s');
    const w = b.add('Window', { nSteps: 4, horizon: 1, stride: 1, features: 2 }, [], 'win');
    b.chain(w, [['GRU', { units: 3, resetAfter: false }, 'gru'], ['Dense', { units: 1 }, 'out']]);
    const g = b.build();
    const weights = (seed?: number) => {
      const m = buildModel(tf, g, seed);
      const v = m.getWeights().map((t) => Array.from(t.dataSync()));
      m.dispose();
      return v;
    };
    const random = Math.random;
    expect(weights(5)).toEqual(weights(5));
    expect(weights(5)).not.toEqual(weights(6));
    expect(weights()).not.toEqual(weights());
    expect(Math.random).toBe(random);
  });
});

describe('memory', () => {
  it('training and evaluating leave no tensors behind', async () => {
    const model = linearModel(2);
    const before = tf.memory().numTensors;
    await trainModel(tf, model, { train: data(), val: data() }, { optimizer: 'adam', learningRate: 0.01, loss: 'mse', metrics: ['mae'], epochs: 3, batchSize: 2, clipnorm: 1, clipvalue: 1 });
    await evaluateLoss(tf, model, data(), sgd({ metrics: ['mse'] }));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
