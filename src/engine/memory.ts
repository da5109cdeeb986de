/**
 * Memory to train, and to run, a network at a batch size: per layer and in
 * total, in bytes. The rules (the README's cost rules repeat them):
 *
 * - Bytes per value. Weights 4 B, gradients 4 B, optimizer slots 4 B in
 *   every dtype: fp16 and bf16 are mixed precision as Keras `mixed_float16`
 *   does it, with fp32 master weights and fp32 weight gradients. Activations
 *   (and their gradients) 4 B in fp32, 2 B in fp16/bf16, where each trainable
 *   weight also has a 2 B compute copy for the step (the ops that use it keep
 *   it for the backward pass).
 * - Optimizer slots per trainable value: sgd 0, momentum 1, adam/adamw 2,
 *   rmsprop 1 (Keras at momentum 0; TF.js's RMSProp keeps a second, momentum
 *   slot even then). Non-trainable weights (BatchNormalization's moving mean
 *   and variance) have no gradient and no slots.
 * - Activations kept for the backward pass are what TF.js's gradient tape
 *   keeps, counted per layer in output-sized tensors (each row's `kept`) and
 *   checked against TF.js on the CPU backend
 *   (tests/train/memory-measure.test.ts). A Dense/Conv layer keeps its
 *   product plus what its activation keeps (relu reads its input, so the
 *   pre-bias product, the pre-activation and the output stay: 3 × output);
 *   recurrent layers keep every step's gates (GRU 20 × units per step and
 *   sample with tanh and sigmoid, more with hardSigmoid); Flatten and Reshape share their input's buffer (0); the model
 *   inputs (the batch) count once.
 * - Peak: the larger of the step's two phases.
 *   backward = params + grads + optimizer + activations + their gradients.
 *   TF.js runs the backward pass in one scope, so every gradient it makes
 *   stays until the pass ends: each layer's input gradient (none for a
 *   model input, except that TF.js's fused Dense/Conv product, linear or
 *   with an activation other than relu/elu, returns it anyway); those of
 *   its inner tensors (its activation's; BatchNormalization 6 and
 *   LayerNormalization 14 × output, one more right after a linear product;
 *   GlobalAveragePooling 2 × input); one more where a strided or unpadded
 *   window shrinks an input that has a gradient; a sum per extra consumer
 *   of a tensor; and a recurrent layer's per-step gate gradients and
 *   weight-gradient contributions (steps × its weights). Temporaries inside
 *   one op's gradient (tanh's 1 − y²) are not counted.
 *   update = params + grads + optimizer + the inputs + the optimizer's
 *   workspace, its temporaries in TF.js: sgd 2, momentum 4, rmsprop
 *   14 × the largest weight tensor (one variable at a time); adam/adamw
 *   12 × the weight tensor it is on + 11 × every one updated before it, in
 *   model order, at the worst tensor (Adam updates all variables in one
 *   scope).
 * - Inference: params + the most activation bytes live at once, when each
 *   layer's output is freed after its last consumer ran; the model inputs
 *   are held throughout (the caller owns the batch), Flatten, Reshape and
 *   Dropout share their input's buffer, and a recurrent layer adds its
 *   per-step working set.
 *
 * Keras on a GPU keeps less (it frees what the backward pass no longer
 * needs and fuses the optimizer update), so for Keras these are upper bounds.
 * Per-layer peak and inference are that layer's own share; the totals take a
 * maximum over the step, so they are not the sums of the layer rows.
 */
import type { Analysis, NodeResult } from './analyze.ts';
import { fmt } from './formula.ts';
import { getLayer, KIND } from './layers/index.ts';
import type { Shape } from './types.ts';

export type Optimizer = 'sgd' | 'momentum' | 'adam' | 'adamw' | 'rmsprop';
export type Dtype = 'fp32' | 'fp16' | 'bf16';

export const OPTIMIZERS: readonly Optimizer[] = ['sgd', 'momentum', 'adam', 'adamw', 'rmsprop'];
export const DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'bf16'];

export interface MemoryOptions {
  batch: number;
  optimizer: Optimizer;
  dtype: Dtype;
}

/** Bytes of one training step's parts, of its peak, and of inference at the same batch. */
export interface MemoryBytes {
  params: number;
  grads: number;
  optimizer: number;
  activations: number;
  peak: number;
  inference: number;
}

export interface LayerMemory extends MemoryBytes {
  id: string;
  /** What the layer keeps for the backward pass, e.g. `3 × output`; for a block use, its layer count. */
  kept: string;
}

export interface TrainingMemory {
  options: MemoryOptions;
  total: MemoryBytes;
  /** One row per analysed layer (the expanded ones for graphs with blocks), in topological order. */
  layers: LayerMemory[];
  /** One row per block use: its members' sums, its own peak and inference share. */
  blocks: LayerMemory[];
  /** The phase that sets the peak. */
  phase: 'backward' | 'update';
  /** The numbers behind the totals, for the arithmetic texts. */
  detail: MemoryDetail;
  rules: MemoryRules;
  /** Layers left out: in error, blocked, or with a size unknown before runtime (a `None` other than the batch). */
  incomplete: string[];
}

export interface MemoryDetail {
  params: number;
  trainable: number;
  /** Activation values kept per sample, and those kept whatever the batch (GRU's per-step kernel copies). */
  keptPerSample: number;
  keptFixed: number;
  /** Bytes of the fp16/bf16 compute copies of the weights (0 in fp32). */
  weightCopies: number;
  /** Gradients of the kept activations, held until the backward pass ends: bytes, and values per sample and fixed. */
  activationGradients: number;
  gradPerSample: number;
  gradFixed: number;
  /** Bytes of the model inputs (the batch), held through the update too. */
  inputs: number;
  backward: number;
  update: number;
  /** The optimizer's update temporaries. */
  workspace: number;
  /** Where the workspace peaks: values of the weight tensors updated before, and of the one being updated. */
  workspaceEarlier: number;
  workspaceCurrent: number;
  /** The layer running when the most is live at inference, and what is live then. */
  inferenceAt: string;
  livePerSample: number;
  liveFixed: number;
}

export interface MemoryRules {
  weightBytes: number;
  gradBytes: number;
  slotBytes: number;
  activationBytes: number;
  copyBytes: number;
  slots: number;
  workspace: Workspace;
  /** The rules as sentences, for a tooltip or the README. */
  text: string[];
}

/** Memory presets of common accelerators, in GB (binary: 1 GB = 1,024³ B, as `bytesText` prints). */
export const MEMORY_PRESETS_GB = [8, 16, 24, 80] as const;
export const GB = 1024 ** 3;

/** Master weights, weight gradients and slots stay fp32 under mixed precision, as in Keras `mixed_float16`. */
export const WEIGHT_BYTES = 4;
export const GRAD_BYTES = 4;
export const SLOT_BYTES = 4;
export const ACTIVATION_BYTES: Readonly<Record<Dtype, number>> = { fp32: 4, fp16: 2, bf16: 2 };
/** Mixed precision casts each trainable weight to the compute dtype; the ops using the copy keep it. */
export const COPY_BYTES: Readonly<Record<Dtype, number>> = { fp32: 0, fp16: 2, bf16: 2 };

/** Slots per trainable value: Keras's counts (momentum 0 for RMSprop). */
export const OPTIMIZER_SLOTS: Readonly<Record<Optimizer, number>> = { sgd: 0, momentum: 1, adam: 2, adamw: 2, rmsprop: 1 };

/**
 * The update's temporaries, counted from TF.js's optimizers: SGD, momentum
 * and RMSProp update one variable per scope (their workspace scales with the
 * largest weight tensor); Adam computes every variable's update in one scope
 * and keeps 11 temporaries of each, 12 of the one it is on.
 */
export const UPDATE_WORKSPACE: Readonly<Record<Optimizer, Workspace>> = {
  sgd: { earlier: 0, current: 2 },
  momentum: { earlier: 0, current: 4 },
  rmsprop: { earlier: 0, current: 14 },
  adam: { earlier: 11, current: 12 },
  adamw: { earlier: 11, current: 12 },
};

/**
 * Update temporaries while one weight tensor is updated: so many × its
 * values, plus so many × the values of every tensor updated before it (in
 * model order) whose temporaries are still held.
 */
export interface Workspace {
  earlier: number;
  current: number;
}

/** The worst moment of the update over weight tensors in model order: values there, before and current. */
function workspaceOf(w: Workspace, counts: readonly number[]): { values: number; earlier: number; current: number } {
  let before = 0;
  let best = { values: 0, earlier: 0, current: 0 };
  for (const n of counts) {
    const v = w.earlier * before + w.current * n;
    if (v > best.values) best = { values: v, earlier: before, current: n };
    before += n;
  }
  return best;
}

/** Output-sized tensors an activation keeps: its output and its own intermediates (TF.js, measured). */
export const ACTIVATION_KEPT: Readonly<Record<string, number>> = {
  linear: 0, relu: 1, relu6: 2, elu: 1, selu: 1, sigmoid: 1, hardSigmoid: 3, tanh: 1,
  softmax: 1, softplus: 1, softsign: 3, swish: 2, mish: 2, gelu: 5,
};

/** Activations whose gradient reads their input: after a separate bias add, the pre-activation stays too. */
const READS_INPUT = new Set(['relu', 'relu6', 'selu', 'hardSigmoid', 'softplus', 'softsign', 'swish', 'mish', 'gelu']);

/** Kinds whose product and bias TF.js fuses into one op while training, when the activation is linear. */
const FUSED_LINEAR = new Set<string>([KIND.Dense, KIND.Conv1D, KIND.Conv2D]);
/** Activations TF.js would fuse at inference, so while training it runs the product, the bias and them apart. */
const UNFUSED = new Set(['relu', 'elu']);
const SEPARATE_BIAS = new Set<string>([KIND.Conv2DTranspose, KIND.DepthwiseConv2D, KIND.SeparableConv2D]);

/** Kinds that keep one output-sized tensor. */
const KEEP_OUTPUT = new Set<string>([
  KIND.MaxPooling2D, KIND.AveragePooling2D, KIND.GlobalMaxPooling2D, KIND.GlobalAveragePooling2D,
  KIND.ZeroPadding2D, KIND.UpSampling2D, KIND.Concatenate, KIND.ReLU, KIND.LeakyReLU, KIND.PReLU,
]);
/** 1D pooling copies its input once (TF.js pools a reshaped or transposed copy). */
const KEEP_INPUT_AND_OUTPUT = new Set<string>([KIND.MaxPooling1D, KIND.AveragePooling1D, KIND.GlobalMaxPooling1D, KIND.GlobalAveragePooling1D]);
/** Kinds whose output shares its input's buffer (Dropout only at inference). */
const VIEWS = new Set<string>([KIND.Flatten, KIND.Reshape]);
const INFERENCE_VIEWS = new Set<string>([KIND.Flatten, KIND.Reshape, KIND.Dropout]);

/** Per step and sample, in units: what a GRU and an LSTM step keeps (its gates and their products), with tanh and sigmoid. */
export const RNN_STEP_KEPT = { GRU: 20, LSTM: 21 } as const;
/** Gates per step using the recurrent activation, and uses of the activation: GRU z, r and h̃; LSTM i, f, o and c̃, tanh(c). */
const CELL_GATES = { GRU: { rec: 2, act: 1 }, LSTM: { rec: 3, act: 2 } } as const;

/** Output-sized tensors an activation leaves kept: its own, and its input when its gradient reads it. */
const keptBy = (act: string) => (ACTIVATION_KEPT[act] ?? 1) + (READS_INPUT.has(act) ? 1 : 0);
const gradsBy = (act: string) => ACTIVATION_GRADIENTS[act] ?? 1;

/** The gated cell a recurrent kind runs, or null for SimpleRNN. */
const gatedCell = (cell: string): keyof typeof CELL_GATES | null => (cell === KIND.GRU || cell === KIND.LSTM ? (cell as keyof typeof CELL_GATES) : null);

/** Units per step a GRU/LSTM keeps beyond its tanh/sigmoid counts, for other activations. */
function cellActivationDelta(cell: keyof typeof CELL_GATES, act: string, rec: string, by: (a: string) => number): number {
  const g = CELL_GATES[cell];
  return g.rec * (by(rec) - by('sigmoid')) + g.act * (by(act) - by('tanh'));
}
/** Each step's input slice is copied twice (the slice and the cell's copy). */
const STEP_INPUT_COPIES = 2;

/**
 * Output-sized gradient tensors an activation's backward pass leaves (TF.js,
 * measured): for an Activation layer these include the gradient of its input.
 */
export const ACTIVATION_GRADIENTS: Readonly<Record<string, number>> = {
  linear: 0, relu: 1, relu6: 2, elu: 1, selu: 1, sigmoid: 1, hardSigmoid: 2, tanh: 1,
  softmax: 2, softplus: 1, softsign: 3, swish: 4, mish: 4, gelu: 9,
};
/** Gradient tensors per step and sample, in units, beside one input-sized one (TF.js, measured). */
export const RNN_STEP_GRADIENTS = { SimpleRNN: 2, GRU: 17, LSTM: 16 } as const;

/** Largest batch `largestBatch` reports when the activations have no size per sample. */
export const MAX_BATCH = 2 ** 31 - 1;

export interface OptionProblem {
  field: 'batch' | 'optimizer' | 'dtype' | 'budget';
  message: string;
}

export class MemoryOptionError extends Error {
  readonly field: OptionProblem['field'];
  constructor(readonly problems: OptionProblem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.name = 'MemoryOptionError';
    this.field = problems[0].field;
  }
}

const list = (xs: readonly string[]) => `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;

/** Every problem with the options, each naming its field and the fix; empty when they are valid. */
export function memoryOptionProblems(o: Partial<Record<keyof MemoryOptions, unknown>>): OptionProblem[] {
  const out: OptionProblem[] = [];
  if (!(typeof o.batch === 'number' && Number.isSafeInteger(o.batch) && o.batch >= 1)) {
    out.push({ field: 'batch', message: `batch must be a positive whole number of samples (got ${String(o.batch)}); use e.g. 32` });
  }
  if (!OPTIMIZERS.includes(o.optimizer as Optimizer)) {
    out.push({ field: 'optimizer', message: `optimizer ${JSON.stringify(o.optimizer) ?? 'undefined'} is not known; choose ${list(OPTIMIZERS)}` });
  }
  if (!DTYPES.includes(o.dtype as Dtype)) {
    out.push({ field: 'dtype', message: `dtype ${JSON.stringify(o.dtype) ?? 'undefined'} is not known; choose ${list(DTYPES)}` });
  }
  return out;
}

function check(o: Partial<Record<keyof MemoryOptions, unknown>>): void {
  const problems = memoryOptionProblems(o);
  if (problems.length) throw new MemoryOptionError(problems);
}

/** Per-sample size of a shape; null when a dimension other than the batch is unknown. */
function perSample(shape: Shape | null | undefined): number | null {
  if (!shape) return null;
  let n = 1;
  for (let i = 1; i < shape.length; i++) {
    const d = shape[i];
    if (d === null) return null;
    n *= d;
  }
  return n;
}

/** What one layer keeps for the backward pass, in values: per sample and whatever the batch. */
interface Kept {
  perSample: number;
  fixed: number;
  rule: string;
}

/** Values per sample and whatever the batch. */
interface Size {
  perSample: number;
  fixed: number;
}

const times = (k: number, what = 'output') => (k === 1 ? what : `${k} × ${what}`);

/** Output-sized tensors a Dense/Conv layer keeps with its activation and bias. */
function weightedKept(kind: string, act: string, bias: boolean): number {
  const separate = bias && (SEPARATE_BIAS.has(kind) || (FUSED_LINEAR.has(kind) && act !== 'linear'));
  if (act === 'linear') return separate ? 2 : 1;
  return 1 + (ACTIVATION_KEPT[act] ?? 1) + (separate && READS_INPUT.has(act) ? 1 : 0);
}

/** One direction of a recurrent layer: every step's gates, the step's input copies, the initial state. */
function cellKept(cell: string, units: number, steps: number, features: number, bias: boolean, act: string, rec: string, sequences: boolean): Kept {
  const gated = gatedCell(cell);
  const perUnit = gated
    ? RNN_STEP_KEPT[gated] + cellActivationDelta(gated, act, rec, keptBy)
    : 2 + (bias ? 1 : 0) + keptBy(act);
  const step = perUnit * units + STEP_INPUT_COPIES * features;
  const stack = sequences ? steps * units : 0;
  // TF.js's GRU splits its recurrent kernel at every step, a copy per step whatever the batch.
  const fixed = cell === KIND.GRU ? steps * 3 * units * units : 0;
  const rule = `${fmt(steps)} steps × (${perUnit}·${fmt(units)} + ${STEP_INPUT_COPIES}·${fmt(features)}) + ${fmt(units)}${sequences ? ' + output' : ''}`
    + (fixed ? ` per sample, + ${fmt(steps)} × 3·${fmt(units)}² kernel copies` : '');
  return { perSample: steps * step + units + stack, fixed, rule };
}

function keptOf(r: NodeResult, spec = getLayer(r.kind)): Kept | null {
  const out = perSample(r.outputShape);
  if (out === null) return null;
  const ins: number[] = [];
  for (const s of r.inputShapes) {
    const n = perSample(s);
    if (n === null) return null;
    ins.push(n);
  }
  const p = r.params as Record<string, unknown>;
  const k = (n: number, rule = times(n)): Kept => ({ perSample: n * out, fixed: 0, rule });
  if (spec?.isModelInput) return k(1, 'the batch');
  const kind = r.kind;
  if (FUSED_LINEAR.has(kind) || SEPARATE_BIAS.has(kind)) {
    const act = String(p.activation ?? 'linear');
    const n = weightedKept(kind, act, p.useBias !== false);
    if (kind !== KIND.SeparableConv2D) return k(n);
    // The depthwise step's output stays too: output positions × input channels × depthMultiplier.
    const filters = r.outputShape![r.outputShape!.length - 1] as number;
    const channels = r.inputShapes[0][r.inputShapes[0].length - 1] as number;
    const depthwise = (out / filters) * channels * Number(p.depthMultiplier ?? 1);
    return { perSample: depthwise + n * out, fixed: 0, rule: `depthwise ${fmt(depthwise)} + ${times(n)}` };
  }
  if (KEEP_OUTPUT.has(kind)) return k(1);
  if (KEEP_INPUT_AND_OUTPUT.has(kind)) return { perSample: ins[0] + out, fixed: 0, rule: 'input + output' };
  if (VIEWS.has(kind)) return { perSample: 0, fixed: 0, rule: 'none (shares its input)' };
  switch (kind) {
    case KIND.Activation: return k(ACTIVATION_KEPT[String(p.activation)] ?? 1);
    case KIND.Add:
    case KIND.Multiply: return k(Math.max(1, ins.length - 1));
    case KIND.Dropout: return Number(p.rate) > 0 ? k(4, '4 × output (noise, mask, scaled)') : { perSample: 0, fixed: 0, rule: 'none (rate 0)' };
    case KIND.BatchNormalization: return k(3);
    case KIND.LayerNormalization: return k(6);
    case KIND.Embedding: return { perSample: out + ins[0], fixed: 0, rule: 'output + input (the indices cast)' };
    case KIND.Cropping2D: {
      // Rows are cropped first: that slice stays beside the output.
      const [, , w, c] = r.inputShapes[0] as number[];
      const rows = r.outputShape![1] as number;
      return { perSample: rows * w * c + out, fixed: 0, rule: 'rows-cropped copy + output' };
    }
    case KIND.SimpleRNN:
    case KIND.GRU:
    case KIND.LSTM:
    case KIND.Bidirectional: {
      const x = r.inputShapes[0];
      const steps = x[1] as number;
      const features = x[2] as number;
      const cell = kind === KIND.Bidirectional ? String(p.layer) : kind;
      const one = cellKept(cell, Number(p.units), steps, features, p.useBias !== false, String(p.activation ?? 'tanh'),
        String(p.recurrentActivation ?? 'sigmoid'), p.returnSequences === true);
      if (kind !== KIND.Bidirectional) return one;
      return { perSample: 2 * one.perSample + out, fixed: 2 * one.fixed, rule: `2 × (${one.rule}) + output` };
    }
    default: return k(1);
  }
}

/**
 * The gradients the backward pass of one layer leaves until it ends, in
 * values: its inputs' gradients (`dx`: those on the path from a weight, or
 * all of them for a fused product) and those of its inner tensors, per kind.
 */
function gradientsOf(r: NodeResult, dx: number, onPathInput: boolean, afterProduct: boolean, spec = getLayer(r.kind), trainable = r.trainable): Size {
  const out = perSample(r.outputShape) ?? 0;
  const p = r.params as Record<string, unknown>;
  const kind = r.kind;
  const act = ACTIVATION_GRADIENTS[String(p.activation ?? 'linear')] ?? 1;
  if (spec?.isModelInput) return { perSample: 0, fixed: 0 };
  // A window that is strided or not padded leaves one more gradient: (input − output positions) × input channels.
  const x = r.inputShapes[0];
  const shrink = onPathInput && WINDOWED.has(kind)
    ? Math.max(0, dx - (out / (r.outputShape![r.outputShape!.length - 1] as number)) * (x[x.length - 1] as number))
    : 0;
  switch (kind) {
    case KIND.MaxPooling2D:
    case KIND.AveragePooling2D: return { perSample: dx + shrink, fixed: 0 };
    // The mean's gradient broadcasts the output's over a copy of the input, then divides it.
    case KIND.GlobalAveragePooling1D:
    case KIND.GlobalAveragePooling2D: return { perSample: 2 * dx, fixed: 0 };
    // 1D pooling runs on an expanded view of its input: its input's gradient is a view, only output-sized work stays.
    case KIND.MaxPooling1D:
    case KIND.AveragePooling1D: return { perSample: dx ? out : 0, fixed: 0 };
  }
  if (FUSED_LINEAR.has(kind) || SEPARATE_BIAS.has(kind)) {
    let inner = act * out + shrink;
    if (kind === KIND.SeparableConv2D) {
      const filters = r.outputShape![r.outputShape!.length - 1] as number;
      const channels = r.inputShapes[0][r.inputShapes[0].length - 1] as number;
      inner += (out / filters) * channels * Number(p.depthMultiplier ?? 1);
    }
    return { perSample: dx + inner, fixed: 0 };
  }
  switch (kind) {
    case KIND.Flatten:
    case KIND.Reshape:
    case KIND.Add:
    case KIND.Embedding: return { perSample: 0, fixed: 0 };
    case KIND.Activation: return { perSample: dx ? act * out : 0, fixed: 0 };
    case KIND.ReLU:
    case KIND.LeakyReLU:
    case KIND.PReLU: return { perSample: dx || trainable ? out : 0, fixed: 0 };
    // Normalisations make their gradients only when their input has one; one more right after a linear product.
    case KIND.BatchNormalization: return { perSample: dx ? (6 + (afterProduct ? 1 : 0)) * out : 0, fixed: 0 };
    case KIND.LayerNormalization: return { perSample: dx ? (14 + (afterProduct ? 1 : 0)) * out : 0, fixed: 0 };
    case KIND.SimpleRNN:
    case KIND.GRU:
    case KIND.LSTM:
    case KIND.Bidirectional: {
      const [, steps, features] = r.inputShapes[0] as number[];
      const cell = (kind === KIND.Bidirectional ? String(p.layer) : kind) as keyof typeof RNN_STEP_GRADIENTS;
      const u = Number(p.units);
      const dirs = kind === KIND.Bidirectional ? 2 : 1;
      // Every step's weight-gradient contribution stays until the pass ends: steps × the weights.
      const fixed = steps * trainable + (cell === KIND.GRU ? dirs * steps * 3 * u * u : 0);
      // Bidirectional also reverses the input and the backward direction's gradient, and merges the two.
      const wrap = dirs > 1 ? steps * features + out : 0;
      const act = String(p.activation ?? 'tanh');
      const gated = gatedCell(cell);
      const perUnit = gated
        ? RNN_STEP_GRADIENTS[gated] + cellActivationDelta(gated, act, String(p.recurrentActivation ?? 'sigmoid'), gradsBy)
        : RNN_STEP_GRADIENTS.SimpleRNN + gradsBy(act) - gradsBy('tanh');
      return { perSample: dirs * steps * (perUnit * u + features) + wrap, fixed };
    }
    default: return { perSample: dx, fixed: 0 };
  }
}

/** A recurrent layer's working set at inference beyond its input and output (TF.js, measured), in values. */
function rnnWorking(r: NodeResult): { perSample: number; fixed: number } {
  const p = r.params as Record<string, unknown>;
  const cell = r.kind === KIND.Bidirectional ? String(p.layer) : r.kind;
  const [, steps, features] = r.inputShapes[0] as number[];
  const u = Number(p.units);
  const state = cell === KIND.LSTM ? 2 : 1;
  const gates = cell === KIND.LSTM ? 29 : cell === KIND.GRU ? 26 : 5;
  const one = steps * (state * u + STEP_INPUT_COPIES * features) + gates * u;
  const fixed = cell === KIND.GRU ? 3 * u * u : 0;
  // Bidirectional runs its directions one after the other: one working set, plus the first direction's output
  // and the reversed input.
  const first = r.kind === KIND.Bidirectional ? (p.returnSequences === true ? steps * u : u) + steps * features : 0;
  return { perSample: Math.max(0, one + first - (perSample(r.outputShape) ?? 0)), fixed };
}

/** Kinds that slide a window over their input. */
const WINDOWED = new Set<string>([KIND.Conv1D, KIND.Conv2D, KIND.DepthwiseConv2D, KIND.SeparableConv2D, KIND.MaxPooling2D, KIND.AveragePooling2D]);

const RECURRENT = new Set<string>([KIND.SimpleRNN, KIND.GRU, KIND.LSTM, KIND.Bidirectional]);

/** Per-layer figures that do not depend on the batch, computed once for trainingMemory and largestBatch. */
interface LayerPlan {
  r: NodeResult;
  input: boolean;
  kept: Kept;
  /** Gradients of activations its backward pass leaves. */
  grad: Size;
  /** Trainable weight tensors' values, in declared order (the order TF.js updates them). */
  weights: number[];
  live: { perSample: number; fixed: number };
}

interface Plan {
  layers: LayerPlan[];
  incomplete: string[];
  params: number;
  trainable: number;
  weights: number[];
}

function plan(a: Analysis): Plan {
  const layers: LayerPlan[] = [];
  const incomplete: string[] = [];
  // A tensor has a gradient when a trainable weight lies before it; each extra consumer adds one summed gradient.
  const onPath = new Set<string>();
  const consumers = new Map<string, number>();
  for (const r of a.nodes) for (const id of r.inputIds) consumers.set(id, (consumers.get(id) ?? 0) + 1);
  for (const r of a.nodes) {
    const spec = getLayer(r.kind);
    // A layer sharing trainable weights (`shares`) makes their gradient too, though it counts none of them:
    // what its call keeps for that gradient is kept as the owner's call keeps it.
    const learned = r.shares !== undefined ? a.byId.get(r.shares)?.trainable ?? 0 : r.trainable;
    if (learned > 0 || r.inputIds.some((id) => onPath.has(id))) onPath.add(r.id);
    const kept = r.status === 'ok' ? keptOf(r, spec) : null;
    if (!kept) {
      incomplete.push(r.id);
      continue;
    }
    // TF.js's fused product (Dense/Conv without relu or elu) returns every input's gradient, needed or not.
    const fused = FUSED_LINEAR.has(r.kind) && !UNFUSED.has(String(r.params.activation ?? 'linear'));
    let dx = 0;
    r.inputIds.forEach((id, i) => {
      if (fused || onPath.has(id)) dx += perSample(r.inputShapes[i]) ?? 0;
    });
    const up = r.inputIds.length === 1 ? a.byId.get(r.inputIds[0]) : undefined;
    const afterProduct = !!up && (FUSED_LINEAR.has(up.kind) || SEPARATE_BIAS.has(up.kind)) && String(up.params.activation ?? 'linear') === 'linear';
    const grad = gradientsOf(r, dx, r.inputIds.some((id) => onPath.has(id)), afterProduct, spec, learned);
    const fan = consumers.get(r.id) ?? 0;
    if (fan > 1 && onPath.has(r.id)) grad.perSample += (fan - 1) * (perSample(r.outputShape) ?? 0);
    const weights = r.trainable > 0 ? r.weights.filter((w) => w.trainable).map((w) => w.count) : [];
    layers.push({ r, input: !!spec?.isModelInput, kept, grad, weights, live: { perSample: 0, fixed: 0 } });
  }
  liveness(a, layers);
  let params = 0;
  let trainable = 0;
  const weights: number[] = [];
  for (const l of layers) {
    params += l.r.paramCount;
    trainable += l.r.trainable;
    weights.push(...l.weights);
  }
  return { layers, incomplete, params, trainable, weights };
}

/**
 * What is live while each layer runs at inference: every output produced
 * and still to be read (each freed after its last consumer), the model
 * inputs and outputs throughout, views sharing their source's buffer.
 */
function liveness(a: Analysis, layers: LayerPlan[]): void {
  const at = new Map<string, number>();
  layers.forEach((l, k) => at.set(l.r.id, k));
  const buffer = new Map<string, string>();
  const size = new Map<string, number>();
  const lastUse = new Map<string, number>();
  const held = new Set([...a.inputs, ...a.outputs]);
  layers.forEach((l, k) => {
    const r = l.r;
    const src = r.inputIds.length === 1 ? buffer.get(r.inputIds[0]) : undefined;
    if (INFERENCE_VIEWS.has(r.kind) && src !== undefined) buffer.set(r.id, src);
    else {
      buffer.set(r.id, r.id);
      size.set(r.id, perSample(r.outputShape) ?? 0);
    }
    for (const id of [...r.inputIds, r.id]) {
      const b = buffer.get(id);
      if (b !== undefined) lastUse.set(b, Math.max(lastUse.get(b) ?? k, k));
    }
  });
  for (const id of held) {
    const b = buffer.get(id);
    if (b !== undefined) lastUse.set(b, Infinity);
  }
  const ending = new Array<number>(layers.length).fill(0);
  for (const [b, k] of lastUse) if (k !== Infinity) ending[k] += size.get(b) ?? 0;
  // Inputs are live from the start: the caller holds the whole batch.
  let live = 0;
  for (const id of a.inputs) if (at.has(id)) live += size.get(id) ?? 0;
  layers.forEach((l, k) => {
    if (!l.input && buffer.get(l.r.id) === l.r.id) live += size.get(l.r.id) ?? 0;
    const extra = RECURRENT.has(l.r.kind) ? rnnWorking(l.r) : { perSample: 0, fixed: 0 };
    l.live = { perSample: live + extra.perSample, fixed: extra.fixed };
    live -= ending[k];
  });
}

function rulesOf(o: Omit<MemoryOptions, 'batch'>): MemoryRules {
  const ab = ACTIVATION_BYTES[o.dtype];
  const cb = COPY_BYTES[o.dtype];
  const ws = UPDATE_WORKSPACE[o.optimizer];
  const slots = OPTIMIZER_SLOTS[o.optimizer];
  return {
    weightBytes: WEIGHT_BYTES, gradBytes: GRAD_BYTES, slotBytes: SLOT_BYTES, activationBytes: ab, copyBytes: cb, slots, workspace: ws,
    text: [
      `weights ${WEIGHT_BYTES} B, gradients ${GRAD_BYTES} B, optimizer slots ${SLOT_BYTES} B per value${o.dtype === 'fp32' ? '' : ` (fp32 master weights, as Keras mixed_float16 keeps them)`}`,
      `activations ${ab} B per value (${o.dtype})${cb ? `, plus a ${cb} B compute copy of each trainable weight` : ''}`,
      `${o.optimizer}: ${slots} slot${slots === 1 ? '' : 's'} per trainable value; non-trainable weights have no gradient and no slots`,
      'activations kept for the backward pass: per layer, the tensors TF.js\'s gradient tape keeps (see each layer\'s rule), plus the model inputs',
      `peak = max(backward: params + grads + optimizer + activations + their gradients, update: params + grads + optimizer + inputs + (${ws.current} × the weight tensor being updated${ws.earlier ? ` + ${ws.earlier} × those updated before it` : ''}) × 4 B, at the worst tensor)`,
      'inference = params + the most activations live at once (each output freed after its last consumer; inputs held)',
    ],
  };
}

function evaluate(a: Analysis, p: Plan, o: MemoryOptions): TrainingMemory {
  const { batch } = o;
  const rules = rulesOf(o);
  const ab = rules.activationBytes;
  const ws = rules.workspace;
  const row = (l: LayerPlan) => {
    const r = l.r;
    const params = r.paramCount * WEIGHT_BYTES;
    const grads = r.trainable * GRAD_BYTES;
    const optimizer = r.trainable * rules.slots * SLOT_BYTES;
    const copies = r.trainable * rules.copyBytes;
    const activations = (batch * l.kept.perSample + l.kept.fixed) * ab + copies;
    const gradients = (batch * l.grad.perSample + l.grad.fixed) * ab + copies;
    const workspace = workspaceOf(ws, l.weights).values * WEIGHT_BYTES;
    const fixed = params + grads + optimizer;
    return {
      id: r.id, params, grads, optimizer, activations,
      peak: fixed + Math.max(activations + gradients, workspace),
      inference: params + (batch * l.live.perSample + l.live.fixed) * ab + copies,
      kept: l.kept.rule,
      gradients, workspace, copies,
    };
  };
  const rows = p.layers.map(row);
  let activations = 0;
  let gradients = 0;
  let copies = 0;
  let keptPerSample = 0;
  let keptFixed = 0;
  let gradPerSample = 0;
  let gradFixed = 0;
  let live = -1;
  let liveAt = -1;
  p.layers.forEach((l, k) => {
    activations += rows[k].activations;
    gradients += rows[k].gradients;
    copies += rows[k].copies;
    keptPerSample += l.kept.perSample;
    keptFixed += l.kept.fixed;
    gradPerSample += l.grad.perSample;
    gradFixed += l.grad.fixed;
    const v = (batch * l.live.perSample + l.live.fixed) * ab + rows[k].copies;
    if (v > live) {
      live = v;
      liveAt = k;
    }
  });
  const params = p.params * WEIGHT_BYTES;
  const grads = p.trainable * GRAD_BYTES;
  const optimizer = p.trainable * rules.slots * SLOT_BYTES;
  const worst = workspaceOf(ws, p.weights);
  const workspace = worst.values * WEIGHT_BYTES;
  // The caller holds the batch through the update too.
  const inputs = rows.reduce((s, r, k) => s + (p.layers[k].input ? r.activations : 0), 0);
  const backward = params + grads + optimizer + activations + gradients;
  const update = params + grads + optimizer + inputs + workspace;
  const at = liveAt >= 0 ? p.layers[liveAt] : undefined;
  const total: MemoryBytes = {
    params, grads, optimizer, activations,
    peak: Math.max(backward, update),
    inference: params + Math.max(0, live),
  };
  const layers: LayerMemory[] = rows.map(({ gradients: _g, workspace: _w, copies: _c, ...rest }) => rest);
  const byId = new Map(layers.map((l, k) => [l.id, { l, plan: p.layers[k], row: rows[k] }]));
  const blocks: LayerMemory[] = a.blocks.map((u) => {
    const ms = u.members.map((id) => byId.get(id)).filter((m) => m !== undefined);
    const sum = (f: (m: (typeof ms)[number]) => number) => ms.reduce((s, m) => s + f(m), 0);
    const b = { params: sum((m) => m.l.params), grads: sum((m) => m.l.grads), optimizer: sum((m) => m.l.optimizer), activations: sum((m) => m.l.activations) };
    const wsAll = workspaceOf(ws, ms.flatMap((m) => m.plan.weights)).values * WEIGHT_BYTES;
    return {
      id: u.id, ...b,
      peak: b.params + b.grads + b.optimizer + Math.max(b.activations + sum((m) => m.row.gradients), wsAll),
      inference: b.params + Math.max(0, ...ms.map((m) => m.l.inference - m.l.params)),
      kept: `${fmt(ms.length)} layers`,
    };
  });
  return {
    options: { ...o }, total, layers, blocks,
    phase: backward >= update ? 'backward' : 'update',
    detail: {
      params: p.params, trainable: p.trainable, keptPerSample, keptFixed, weightCopies: copies,
      activationGradients: gradients, gradPerSample, gradFixed, inputs, backward, update, workspace, workspaceEarlier: worst.earlier, workspaceCurrent: worst.current,
      inferenceAt: at?.r.id ?? '', livePerSample: at?.live.perSample ?? 0, liveFixed: at?.live.fixed ?? 0,
    },
    rules, incomplete: p.incomplete,
  };
}

/**
 * Memory of one training step at `o.batch`, per layer and in total, and of
 * inference at the same batch. Throws `MemoryOptionError` (naming the field
 * and the fix) for invalid options; layers in error or of unknown size are
 * left out and listed in `incomplete`.
 */
export function trainingMemory(a: Analysis, o: MemoryOptions): TrainingMemory {
  check(o);
  return evaluate(a, plan(a), o);
}

/**
 * The largest batch whose training peak fits `budgetBytes`: peak(b) ≤ budget
 * < peak(b + 1). 0 when even batch 1 does not fit; `MAX_BATCH` when the
 * activations have no size per sample.
 */
export function largestBatch(a: Analysis, o: Omit<MemoryOptions, 'batch'>, budgetBytes: number): number {
  check({ ...o, batch: 1 });
  if (!(typeof budgetBytes === 'number' && Number.isFinite(budgetBytes) && budgetBytes > 0)) {
    throw new MemoryOptionError([{ field: 'budget', message: `budget must be a positive number of bytes (got ${String(budgetBytes)}); use e.g. 16 GB = ${fmt(16 * GB)} B` }]);
  }
  const p = plan(a);
  const at = (batch: number) => evaluate(a, p, { ...o, batch });
  const fits = (batch: number) => at(batch).total.peak <= budgetBytes;
  // peak(b) = max(backward(b), update): backward grows by the same bytes per sample, update is fixed.
  const one = at(1);
  if (one.total.peak > budgetBytes) return 0;
  const slope = at(2).detail.backward - one.detail.backward;
  if (slope <= 0) return MAX_BATCH;
  let b = Math.min(MAX_BATCH, Math.max(1, Math.floor((budgetBytes - one.detail.backward) / slope) + 1));
  while (b > 1 && !fits(b)) b--;
  while (b < MAX_BATCH && fits(b + 1)) b++;
  return b;
}

const B = (n: number) => `${fmt(n)} B`;

/**
 * The arithmetic behind each total, e.g. `params 61,706 × 4 B = 246,824 B`,
 * as the product shows it beside every number.
 */
export function memoryArithmetic(m: TrainingMemory): Record<keyof MemoryBytes, string> {
  const { total: t, detail: d, rules: r, options: o } = m;
  const ab = r.activationBytes;
  const kept = d.keptFixed ? `(${fmt(o.batch)} × ${fmt(d.keptPerSample)} + ${fmt(d.keptFixed)})` : `${fmt(o.batch)} × ${fmt(d.keptPerSample)}`;
  const copies = d.weightCopies ? ` + ${fmt(d.trainable)} × ${r.copyBytes} B weight copies` : '';
  const live = d.liveFixed ? `(${fmt(o.batch)} × ${fmt(d.livePerSample)} + ${fmt(d.liveFixed)})` : `${fmt(o.batch)} × ${fmt(d.livePerSample)}`;
  const fixed = `${fmt(t.params)} + ${fmt(t.grads)} + ${fmt(t.optimizer)}`;
  const grads = `${d.gradFixed ? `(${fmt(o.batch)} × ${fmt(d.gradPerSample)} + ${fmt(d.gradFixed)})` : `${fmt(o.batch)} × ${fmt(d.gradPerSample)}`} × ${ab} B${d.weightCopies ? ` + ${fmt(d.weightCopies)}` : ''}`;
  const w = r.workspace;
  const ws = `(${w.current} × ${fmt(d.workspaceCurrent)}${w.earlier ? ` + ${w.earlier} × ${fmt(d.workspaceEarlier)}` : ''}) × ${WEIGHT_BYTES} B`;
  const at = m.layers.find((l) => l.id === d.inferenceAt);
  const copy = at && r.copyBytes ? at.inference - at.params - (o.batch * d.livePerSample + d.liveFixed) * ab : 0;
  return {
    params: `params ${fmt(d.params)} × ${WEIGHT_BYTES} B = ${B(t.params)}`,
    grads: `grads ${fmt(d.trainable)} trainable × ${GRAD_BYTES} B = ${B(t.grads)}`,
    optimizer: `optimizer ${r.slots} slot${r.slots === 1 ? '' : 's'} (${o.optimizer}) × ${fmt(d.trainable)} × ${SLOT_BYTES} B = ${B(t.optimizer)}`,
    activations: `activations ${kept} kept × ${ab} B${copies} = ${B(t.activations)}`,
    peak: `peak max(backward ${fixed} + ${fmt(t.activations)} + ${grads} gradients = ${fmt(d.backward)}, `
      + `update ${fixed} + ${fmt(d.inputs)} inputs + ${ws} = ${fmt(d.update)}) = ${B(t.peak)}`,
    inference: `inference ${fmt(t.params)} + ${live} live${d.inferenceAt ? ` at ${d.inferenceAt}` : ''} × ${ab} B${copy ? ` + ${fmt(copy)}` : ''} = ${B(t.inference)}`,
  };
}
