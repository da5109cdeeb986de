/**
 * The training loop for a compiled `tf.LayersModel`, with the tf namespace
 * passed in (CPU in Node, WebGPU/WebGL in the browser).
 *
 * It is a hand-written loop rather than `model.fit` because TF.js optimizers
 * have no gradient clipping (Keras' `clipnorm` / `clipvalue`, the notes'
 * remedy for exploding gradients), and because the page must stay live: after
 * every batch it reports progress and, when a frame's worth of time has
 * passed, yields with `tf.nextFrame()` so the browser can paint and take the
 * Stop click. It keeps the weights of the best epoch and can be stopped with
 * an `AbortSignal`.
 */
import type * as tfType from '@tensorflow/tfjs';
import { mulberry32, permutation } from '../data/random.ts';
import { installCpuKernels } from './cpu-kernels.ts';
import { lossFn, metricFn } from './losses.ts';
import type { BatchProgress, EpochProgress, History, TrainData, TrainResult, TrainSettings } from './types.ts';

type Tf = typeof tfType;

/** A setting that cannot work, named with its fix. */
export class TrainError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'TrainError';
  }
}

export interface TrainHooks {
  onBatch?: (p: BatchProgress) => void;
  onEpoch?: (p: EpochProgress) => void;
  signal?: AbortSignal;
  /** Yield to the event loop when this many ms passed since the last yield (default 16: about one frame). */
  yieldEveryMs?: number;
}

export interface TrainInput {
  train: TrainData;
  val?: TrainData;
}

/** Checks settings before anything is allocated; each error names the field and a value that works. */
export function checkSettings(s: TrainSettings): void {
  const positive = (field: string, v: unknown, fix: string) => {
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new TrainError(field, `${String(v)} must be a number > 0; ${fix}`);
  };
  const whole = (field: string, v: unknown, fix: string) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new TrainError(field, `${String(v)} must be a whole number ≥ 1; ${fix}`);
  };
  if (!['adam', 'sgd', 'rmsprop'].includes(s.optimizer)) throw new TrainError('optimizer', `"${s.optimizer}" is not known; choose adam, sgd or rmsprop`);
  if (!['mse', 'mae', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy'].includes(s.loss)) {
    throw new TrainError('loss', `"${s.loss}" is not known; choose mse, mae, categoricalCrossentropy or sparseCategoricalCrossentropy`);
  }
  positive('learningRate', s.learningRate, 'e.g. 0.001 for adam and rmsprop, 0.01 for sgd');
  whole('epochs', s.epochs, 'e.g. 10');
  whole('batchSize', s.batchSize, 'e.g. 32');
  if (s.clipnorm != null) positive('clipnorm', s.clipnorm, 'e.g. 1, or leave it empty for no clipping');
  if (s.clipvalue != null) positive('clipvalue', s.clipvalue, 'e.g. 0.5, or leave it empty for no clipping');
  if (s.earlyStopping) whole('earlyStopping.patience', s.earlyStopping.patience, 'e.g. 3 epochs');
  for (const m of s.metrics ?? []) {
    if (!['mae', 'mse', 'accuracy'].includes(m)) throw new TrainError('metrics', `"${m}" is not known; choose mae, mse or accuracy`);
    if (m === 'accuracy' && !s.loss.includes('Crossentropy')) throw new TrainError('metrics', 'accuracy needs a classification loss; use categoricalCrossentropy or sparseCategoricalCrossentropy, or measure mae');
  }
}

/** The model's per-sample input and output shapes must match the data's; the error names the model's layer. */
function checkShapes(model: tfType.LayersModel, d: TrainData, what: string): void {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new TrainError('model', `training takes one input and one output, the model has ${model.inputs.length} and ${model.outputs.length}; join the branches into one output layer`);
  }
  const want = model.inputs[0].shape.slice(1);
  if (want.length !== d.xShape.length || want.some((v, i) => v != null && v !== d.xShape[i])) {
    throw new TrainError(model.inputLayers[0]?.name ?? 'input', `the model takes samples of shape (${want.join(', ')}), the ${what} data gives (${d.xShape.join(', ')}); make the input match the data`);
  }
  const out = model.outputs[0].shape.slice(1);
  const yWidth = d.yShape.reduce((a, b) => a * b, 1);
  const outWidth = out.reduce<number>((a, b) => a * (b ?? 1), 1);
  if (d.yShape.length && outWidth !== yWidth) {
    throw new TrainError(model.outputLayers[0]?.name ?? 'output', `the model outputs (${out.join(', ')}) per sample, the ${what} targets are (${d.yShape.join(', ')}); set the last layer's units to ${yWidth}`);
  }
  if (d.x.length !== d.count * d.xShape.reduce((a, b) => a * b, 1)) throw new TrainError('data', `x holds ${d.x.length} values, not ${d.count} samples of (${d.xShape.join(', ')})`);
}

function makeOptimizer(tf: Tf, s: TrainSettings): tfType.Optimizer {
  if (s.optimizer === 'sgd') return tf.train.sgd(s.learningRate);
  if (s.optimizer === 'rmsprop') return tf.train.rmsprop(s.learningRate);
  return tf.train.adam(s.learningRate);
}

/** Keras semantics: clipvalue clips elements, clipnorm rescales each gradient whose own L2 norm exceeds it. */
function clipGradients(tf: Tf, grads: tfType.NamedTensorMap, s: TrainSettings): tfType.NamedTensorMap {
  if (s.clipnorm == null && s.clipvalue == null) return grads;
  const out: tfType.NamedTensorMap = {};
  for (const [name, g0] of Object.entries(grads)) {
    let g = g0;
    if (s.clipvalue != null) g = tf.clipByValue(g, -s.clipvalue, s.clipvalue);
    if (s.clipnorm != null) {
      const norm = tf.norm(g);
      g = tf.mul(g, tf.div(s.clipnorm, tf.maximum(norm, s.clipnorm)));
    }
    out[name] = g;
  }
  return out;
}

const tensorOf = (tf: Tf, d: TrainData) => ({
  x: tf.tensor(d.x, [d.count, ...d.xShape], 'float32'),
  y: tf.tensor(d.y, [d.count, ...d.yShape], 'float32'),
});

/**
 * Loss and metrics of the model on a whole data set, in batches (inference
 * mode: dropout off).
 */
export async function evaluateLoss(tf: Tf, model: tfType.LayersModel, d: TrainData, s: TrainSettings): Promise<{ loss: number; metrics: Record<string, number> }> {
  const names = s.metrics ?? [];
  const { x, y } = tensorOf(tf, d);
  try {
    const pred = model.predict(x, { batchSize: s.batchSize }) as tfType.Tensor;
    const values = tf.tidy(() => tf.stack([lossFn(tf, s.loss)(y, pred), ...names.map((m) => metricFn(tf, m, s.loss)(y, pred))]));
    pred.dispose();
    const v = await values.data();
    values.dispose();
    return { loss: v[0], metrics: Object.fromEntries(names.map((m, i) => [m, v[i + 1]])) };
  } finally {
    x.dispose();
    y.dispose();
  }
}

/** Trains `model` in place and returns the curves; the model ends with the best epoch's weights unless told otherwise. */
export async function trainModel(tf: Tf, model: tfType.LayersModel, data: TrainInput, settings: TrainSettings, hooks: TrainHooks = {}): Promise<TrainResult> {
  checkSettings(settings);
  installCpuKernels(tf);
  checkShapes(model, data.train, 'training');
  if (data.val) checkShapes(model, data.val, 'validation');
  if (data.train.count < 1) throw new TrainError('data', 'the training part has no samples; use more rows or a shorter window');
  const s = settings;
  const names = s.metrics ?? [];
  const loss = lossFn(tf, s.loss);
  const metrics = names.map((m) => metricFn(tf, m, s.loss));
  const optimizer = makeOptimizer(tf, s);
  const vars = model.trainableWeights.map((w) => w.read() as tfType.Variable);
  const rng = mulberry32(s.seed ?? 1);
  // TF.js dropout draws its masks' seeds from Math.random: with a seed, each step gets them from its own generator, so dropout repeats too.
  const maskRng = s.seed == null ? null : mulberry32((s.seed ^ 0x5bd1e995) >>> 0);
  const hasVal = !!data.val && data.val.count > 0;
  const monitor = hasVal ? 'val_loss' : 'loss';
  const restore = s.restoreBestWeights ?? true;
  const minDelta = s.earlyStopping?.minDelta ?? 0;
  const history: History = { loss: [], valLoss: [], metrics: Object.fromEntries(names.map((m) => [m, []])), valMetrics: Object.fromEntries(names.map((m) => [m, []])) };
  const n = data.train.count;
  const batches = Math.ceil(n / s.batchSize);
  const totalBatches = batches * s.epochs;
  const yieldEvery = hooks.yieldEveryMs ?? 16;
  const t0 = performance.now();
  let lastYield = t0;
  let done = 0;
  let samplesDone = 0;
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: tfType.Tensor[] | null = null;
  let sinceBest = 0;
  let stopped: TrainResult['stopped'] = 'completed';
  let epoch = 0;
  const { x: xAll, y: yAll } = tensorOf(tf, data.train);
  try {
    for (epoch = 1; epoch <= s.epochs; epoch++) {
      const order = s.shuffle === false ? Array.from({ length: n }, (_, i) => i) : permutation(n, rng);
      let lossSum = 0;
      const metricSums = new Array<number>(names.length).fill(0);
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        if (hooks.signal?.aborted) break;
        const idx = order.slice(b * s.batchSize, Math.min(n, (b + 1) * s.batchSize));
        const original = Math.random;
        if (maskRng) Math.random = maskRng;
        let values: tfType.Tensor;
        try {
          values = tf.tidy(() => {
            const ix = tf.tensor1d(idx, 'int32');
            const xb = tf.gather(xAll, ix);
            const yb = tf.gather(yAll, ix);
            let kept: tfType.Tensor[] = [];
            const { value, grads } = tf.variableGrads(() => {
              const pred = model.apply(xb, { training: true }) as tfType.Tensor;
              kept = metrics.map((m) => tf.keep(m(yb, pred)));
              return loss(yb, pred);
            }, vars);
            optimizer.applyGradients(clipGradients(tf, grads, s));
            const out = tf.stack([value, ...kept]);
            kept.forEach((t) => t.dispose());
            return out;
          });
        } finally {
          Math.random = original;
        }
        const v = await values.data();
        values.dispose();
        if (!Number.isFinite(v[0])) {
          throw new TrainError('learningRate', `the loss became ${v[0]} in epoch ${epoch}, batch ${b + 1} (exploding gradients); lower the learning rate or set clipnorm, e.g. 1`);
        }
        lossSum += v[0] * idx.length;
        names.forEach((_, i) => (metricSums[i] += v[i + 1] * idx.length));
        seen += idx.length;
        samplesDone += idx.length;
        done++;
        const elapsed = performance.now() - t0;
        hooks.onBatch?.({
          epoch, epochs: s.epochs, batch: b + 1, batches, loss: lossSum / seen, fraction: done / totalBatches,
          elapsedMs: elapsed, etaMs: (elapsed / done) * (totalBatches - done), samplesPerSecond: samplesDone / (elapsed / 1000),
        });
        if (performance.now() - lastYield >= yieldEvery) {
          await tf.nextFrame();
          lastYield = performance.now();
        }
      }
      if (hooks.signal?.aborted && seen < n) {
        stopped = 'aborted';
        epoch--; // the cut epoch is not recorded
        break;
      }
      history.loss.push(lossSum / seen);
      names.forEach((m, i) => history.metrics[m].push(metricSums[i] / seen));
      let valLoss: number | undefined;
      let valMetrics: Record<string, number> = {};
      if (hasVal) {
        const r = await evaluateLoss(tf, model, data.val!, s);
        valLoss = r.loss;
        valMetrics = r.metrics;
        history.valLoss.push(r.loss);
        names.forEach((m) => history.valMetrics[m].push(r.metrics[m]));
      }
      const current = hasVal ? valLoss! : lossSum / seen;
      const improved = current < best - minDelta;
      if (improved) {
        best = current;
        bestEpoch = epoch;
        sinceBest = 0;
        if (restore) {
          bestWeights?.forEach((t) => t.dispose());
          bestWeights = model.getWeights().map((t) => t.clone());
        }
      } else sinceBest++;
      const elapsed = performance.now() - t0;
      hooks.onEpoch?.({
        epoch, epochs: s.epochs, loss: lossSum / seen, valLoss, metrics: Object.fromEntries(names.map((m, i) => [m, metricSums[i] / seen])), valMetrics,
        improved, elapsedMs: elapsed, etaMs: (elapsed / done) * (totalBatches - done),
      });
      if (hooks.signal?.aborted) {
        stopped = 'aborted';
        break;
      }
      if (s.earlyStopping && sinceBest >= s.earlyStopping.patience) {
        stopped = 'early-stopping';
        break;
      }
    }
  } finally {
    xAll.dispose();
    yAll.dispose();
    optimizer.dispose();
  }
  const epochsRun = Math.min(epoch, s.epochs);
  if (restore && bestWeights) {
    if (bestEpoch !== epochsRun) model.setWeights(bestWeights);
    bestWeights.forEach((t) => t.dispose());
  } else if (!restore) {
    bestEpoch = epochsRun;
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    history, epochsRun, bestEpoch, bestLoss: best, monitor, stopped, seconds,
    samplesPerSecond: seconds > 0 ? samplesDone / seconds : 0,
  };
}
