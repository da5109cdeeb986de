/**
 * `defineLayer`: one declarative object per layer kind. Parameter counts are
 * never computed here: a kind declares its weight shapes and everything else
 * (count, trainable split, displayed arithmetic) is derived from them.
 */
import { TFJS_ACTIVATIONS, type ParamSchema, type ParamSchemaMap, type ParamsOf } from './params.ts';
import { isActivation, kerasActivation, type KerasCodec, type ReceptiveRole, type TfjsNotes } from './passport.ts';
import type { Shape, WeightSpec } from './types.ts';

export type Category =
  | 'Inputs & data'
  | 'Convolution'
  | 'Pooling'
  | 'Recurrent'
  | 'Merge'
  | 'Core'
  | 'Normalization'
  | 'Attention';

export const CATEGORIES: readonly Category[] = [
  'Inputs & data', 'Convolution', 'Pooling', 'Recurrent', 'Merge', 'Core', 'Normalization',
  'Attention',
];

export interface LayerSpec<S extends ParamSchemaMap = ParamSchemaMap> {
  readonly kind: string;
  readonly category: Category;
  /** One sentence for the palette and docs. */
  readonly doc: string;
  readonly params: S;
  /** The inputs the node takes. */
  readonly inputs: InputPorts;
  /** A model input (Input, Window): takes no edges in, becomes `tf.input`. */
  readonly isModelInput?: boolean;
  /** How it is written as a Keras layer and read back (see passport.ts). */
  readonly keras: KerasCodec<S>;
  /** What TF.js cannot build of it; absent when TF.js builds every configuration. */
  readonly tfjs?: TfjsNotes<S>;
  /** Its role in the receptive-field chain. */
  readonly receptive: ReceptiveRole<S>;
  /**
   * How it treats a channels-first tensor an import holds channels-last:
   * `follows` (element-wise, the layout passes through), `axis` (normalises
   * over its `axis` parameter, which moves from 1 to -1), `reorders` (the same
   * values in another order), `{ sets }` (its parameter `sets` is the shape it
   * makes, which an import turns around). Absent: it needs channels-last input.
   */
  readonly layout?: 'follows' | 'axis' | 'reorders' | { readonly sets: string };
  /** Cross-field checks that need no input shape. Return messages naming the fix. */
  readonly check?: (p: ParamsOf<S>) => { field: string; message: string }[];
  /** Pure shape inference; batch dimension stays `null`. Throws `LayerError`. */
  readonly inferShape: (inputs: Shape[], p: ParamsOf<S>) => Shape;
  readonly weights?: (inputs: Shape[], p: ParamsOf<S>) => WeightSpec[];
  /** A factored arithmetic expression equal to the weight total, when clearer than the default. */
  readonly formula?: (inputs: Shape[], p: ParamsOf<S>) => string | null;
  /**
   * What the equivalent PyTorch module reports as its parameters, only where
   * that differs from Keras's count (README: "Counting conventions"), with the
   * arithmetic and the reason.
   */
  readonly pytorch?: (inputs: Shape[], p: ParamsOf<S>) => PytorchCount | null;
  /** Multiply-accumulates per sample (see README: "Cost rules"). */
  readonly macs?: (inputs: Shape[], output: Shape, p: ParamsOf<S>) => number;
  /** Short text of the key parameters, e.g. `64 · 3×3 · same`. */
  readonly describe?: (p: ParamsOf<S>) => string;
}

/** A parameter count under PyTorch's conventions. */
export interface PytorchCount {
  count: number;
  /** The arithmetic, e.g. `4·(128·(64+128) + 2·128) = 99,328`. */
  formula: string;
  /** Why it differs, in one clause. */
  why: string;
}

/** A kind's input ports: how many, their names, and the input ranks it accepts. */
export interface InputPorts {
  readonly min: number;
  readonly max: number;
  /**
   * Takes any number of inputs from `min` to `max` (the merges): the editor
   * always offers one more free port, and one message covers them all.
   */
  readonly variadic?: boolean;
  /** Port names shown on the node, in port order (default `in0`, `in1`, …). */
  readonly names?: readonly string[];
  /** Accepted input ranks (dimensions after the batch); absent: any. */
  readonly ranks?: readonly number[];
}

export function defineLayer<S extends ParamSchemaMap>(spec: LayerSpec<S>): LayerSpec<S> {
  return spec;
}

/**
 * Why TF.js cannot build a kind with these parameters, naming the field and
 * the fix, or null: the kind's own `tfjs.cannot`, then any activation
 * parameter TF.js has no activation for (every kind with one, alike).
 */
export function tfjsCannot(spec: LayerSpec, p: Record<string, unknown>): { field: string; message: string } | null {
  const own = spec.tfjs?.cannot?.(p as never);
  if (own) return own;
  for (const [field, s] of Object.entries(spec.params) as [string, ParamSchema][]) {
    const a = p[field];
    if (isActivation(s) && typeof a === 'string' && !TFJS_ACTIVATIONS.includes(a)) {
      return {
        field,
        message: `TF.js has no '${a}' activation (Keras '${kerasActivation(a)}'); set ${field} to one it has (${TFJS_ACTIVATIONS.join(', ')}) to compile it, or export the Keras Python script to train this network`,
      };
    }
  }
  return null;
}

/** A user-facing problem with a layer; the message names the fix. */
export class LayerError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'LayerError';
  }
}

// ---------- shape helpers shared by kinds ----------

/** The dims after the batch dimension, formatted like `28×28×1`; an open length is `None`, as Keras writes it. */
export function dimsText(shape: Shape): string {
  return shape.slice(1).map((d) => (d === null ? 'None' : String(d))).join('×');
}

/** Throws unless `x` has `rank` dims after the batch; `fix` may be a function so the text is built only on failure. */
export function requireRank(kind: string, x: Shape, rank: number, what: string, fix: string | (() => string)): void {
  if (x.length !== rank + 1) {
    throw new LayerError(
      `${kind} needs a ${rank}-D input (${what}) but got ${x.length - 1}-D (${dimsText(x) || 'scalar'}); ${typeof fix === 'function' ? fix() : fix}`,
    );
  }
}

/** Last dimension, which must be known; `who` (a kind, or a kind's port) names what needs it in the message. */
export function channels(x: Shape, who?: string): number {
  const c = x[x.length - 1];
  if (c === null || c === undefined) {
    throw new LayerError(who
      ? `${who} needs a known last (feature) dimension, got ${dimsText(x)}; give the input a fixed last dimension`
      : 'the last (channel/feature) dimension must be known');
  }
  return c;
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 1; i < shape.length; i++) n *= shape[i] ?? 0;
  return n;
}

export const shapeEq = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Keras `conv_utils.conv_output_length`. */
export function convOutLength(
  input: number, kernel: number, stride: number, padding: string, dilation = 1,
): number {
  const dk = kernel + (kernel - 1) * (dilation - 1);
  const len = padding === 'valid' ? input - dk + 1 : input;
  return Math.floor((len + stride - 1) / stride);
}

/** Keras `conv_utils.deconv_output_length`; with `outputPadding` the length is exact rather than the smallest that fits. */
export function deconvOutLength(input: number, kernel: number, stride: number, padding: string, outputPadding: number | null = null): number {
  if (outputPadding === null) return padding === 'valid' ? input * stride + Math.max(kernel - stride, 0) : input * stride;
  const pad = padding === 'valid' ? 0 : Math.floor(kernel / 2);
  return (input - 1) * stride + kernel - 2 * pad + outputPadding;
}

export const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
export const pairText = (xs: readonly number[]): string => xs.join('×');
