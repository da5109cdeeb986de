/**
 * Declarative parameter schemas for layer kinds.
 *
 * One schema drives defaults, validation of files and inspector input, the
 * generated JSON Schema and the inspector form. Names copy `tf.layers`.
 */

export type ParamValue = number | boolean | string | null | number[] | number[][] | (number | null)[];

interface ParamBase<T> {
  readonly default: T;
  readonly doc?: string;
}

export interface IntParam extends ParamBase<number> {
  readonly type: 'int';
  readonly min: number;
  readonly max: number;
}
export interface FloatParam extends ParamBase<number> {
  readonly type: 'float';
  readonly min: number;
  readonly max: number;
  /** Exclusive upper bound (e.g. dropout rate < 1). */
  readonly maxExclusive?: boolean;
}
export interface BoolParam extends ParamBase<boolean> {
  readonly type: 'bool';
}
export interface EnumParam extends ParamBase<string> {
  readonly type: 'enum';
  readonly values: readonly string[];
}
/** A fixed-length tuple of ints, e.g. a 2-D kernel size. */
export interface TupleParam extends ParamBase<number[]> {
  readonly type: 'tuple';
  readonly length: number;
  readonly min: number;
  readonly max: number;
}
interface ListBase {
  readonly type: 'list';
  readonly minLength: number;
  readonly maxLength: number;
  readonly min: number;
  readonly max: number;
  readonly allowInfer?: boolean;
  /** The whole list may be `null` (none), e.g. a Dropout's noiseShape. */
  readonly optional?: boolean;
  /** An entry may be `null` (Keras `None`): an open length of an Input's shape, or the input's size in a Dropout's noise shape. */
  readonly allowNull?: boolean;
}
/** A variable-length list of ints, e.g. an input shape. `-1` allowed where `allowInfer`. */
export interface ListParam extends ParamBase<number[]>, ListBase {}
/** A list that may be `null`, with entries that may be `null` (a Dropout's noiseShape `[null, 1, 1, null]`). */
export interface OptListParam extends ParamBase<(number | null)[] | null>, ListBase {}
/** A list of whole numbers that may be `null` as a whole: derive it (MultiHeadAttention's attentionAxes). */
export interface OptIntListParam extends ParamBase<number[] | null>, ListBase {}
/** Per-axis (before, after) amounts, e.g. ZeroPadding2D's ((top, bottom), (left, right)). */
export interface PadsParam extends ParamBase<number[][]> {
  readonly type: 'pads';
  readonly axes: number;
  readonly max: number;
}
/** An optional int: `null` means "derive it" (e.g. pooling strides default to the pool size). */
export interface OptIntParam extends ParamBase<number | null> {
  readonly type: 'optInt';
  readonly min: number;
  readonly max: number;
}
/** An optional number: `null` means "none" (e.g. ReLU's maxValue: no upper bound). */
export interface OptFloatParam extends ParamBase<number | null> {
  readonly type: 'optFloat';
  readonly min: number;
  readonly max: number;
}
/** An optional int tuple: `null` means "derive it". */
export interface OptTupleParam extends ParamBase<number[] | null> {
  readonly type: 'optTuple';
  readonly length: number;
  readonly min: number;
  readonly max: number;
}

/** One axis or several (Keras `axis=-1` or `axis=[1, 2]`): an int, or a list of distinct ints. */
export interface AxesParam extends ParamBase<number | number[]> {
  readonly type: 'axes';
  readonly min: number;
  readonly max: number;
}

export type ParamSchema =
  | AxesParam
  | IntParam
  | FloatParam
  | BoolParam
  | EnumParam
  | TupleParam
  | ListParam
  | OptListParam
  | PadsParam
  | OptIntParam
  | OptFloatParam
  | OptTupleParam
  | OptIntListParam;

export type ParamSchemaMap = Readonly<Record<string, ParamSchema>>;

/** Largest size accepted for any single dimension or count. */
export const MAX_DIM = 2 ** 31 - 1;

type Opt<T> = Partial<Omit<T, 'type'>>;

/**
 * Defaults are shared by every node that leaves a field out, so they are
 * frozen: resolved parameters are read-only views, never copies.
 */
function frozen<T extends number[] | number[][]>(v: T): T {
  for (const x of v) if (Array.isArray(x)) Object.freeze(x);
  return Object.freeze(v) as T;
}

export const int = (o: Opt<IntParam> & { default: number }): IntParam => ({
  type: 'int', min: 1, max: MAX_DIM, ...o,
});
export const float = (o: Opt<FloatParam> & { default: number }): FloatParam => ({
  type: 'float', min: 0, max: Number.MAX_VALUE, ...o,
});
export const bool = (o: { default: boolean; doc?: string }): BoolParam => ({ type: 'bool', ...o });
export const oneOf = (values: readonly string[], o: { default: string; doc?: string }): EnumParam => ({
  type: 'enum', values, ...o,
});
export const tuple = (o: Opt<TupleParam> & { default: number[] }): TupleParam => ({
  type: 'tuple', length: o.default.length, min: 1, max: MAX_DIM, ...o, default: frozen(o.default),
});
export const list = (o: Opt<ListParam> & { default: number[] }): ListParam => ({
  type: 'list', minLength: 1, maxLength: 8, min: 1, max: MAX_DIM, ...o, default: frozen(o.default),
});
export const optList = (o: Opt<OptListParam>): OptListParam => ({
  type: 'list', minLength: 1, maxLength: 8, min: 1, max: MAX_DIM, optional: true, allowNull: true, ...o,
  default: o.default ? (Object.freeze(o.default) as (number | null)[]) : null,
});
export const optIntList = (o: Opt<OptIntListParam>): OptIntListParam => ({
  type: 'list', minLength: 1, maxLength: 8, min: 1, max: MAX_DIM, optional: true, ...o, default: o.default ? frozen(o.default) : null,
});
export const pads = (o: Opt<PadsParam> & { default: number[][] }): PadsParam => ({
  type: 'pads', axes: o.default.length, max: MAX_DIM, ...o, default: frozen(o.default),
});
export const axes = (o: Opt<AxesParam> & { default: number }): AxesParam => ({
  type: 'axes', min: -8, max: 8, ...o,
});
export const optInt = (o: Opt<OptIntParam>): OptIntParam => ({
  type: 'optInt', default: null, min: 1, max: MAX_DIM, ...o,
});
export const optFloat = (o: Opt<OptFloatParam>): OptFloatParam => ({
  type: 'optFloat', default: null, min: 0, max: Number.MAX_VALUE, ...o,
});
export const optTuple = (o: Opt<OptTupleParam> & { length: number }): OptTupleParam => ({
  type: 'optTuple', min: 1, max: MAX_DIM, ...o, default: o.default ? frozen(o.default) : null,
});

/**
 * Every activation Keras 3 names in `keras.activations` that works as a
 * string (its `threshold` needs arguments; `glu` halves the last axis while
 * Keras's layers report the input's shape), as netloom ids: the camelCase of
 * the Keras name (`hardSigmoid` is `hard_sigmoid`, `leakyRelu` is
 * `leaky_relu`), except `swish`, which Keras 3 calls `silu`. Keras's other
 * aliases import as these (`hard_swish` → `hardSilu`).
 */
export const ACTIVATIONS = [
  'linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hardSigmoid', 'tanh',
  'softmax', 'softplus', 'softsign', 'swish', 'mish', 'gelu',
  'leakyRelu', 'celu', 'exponential', 'hardSilu', 'hardTanh', 'hardShrink', 'softShrink', 'tanhShrink',
  'logSigmoid', 'logSoftmax', 'sparsePlus', 'sparseSigmoid', 'sparsemax', 'squareplus',
] as const;
/** The activations `tf.layers` builds under the same name and meaning (its `ActivationIdentifier`; Keras 3's `hard_sigmoid` has slope 1/6, TF.js's 0.2, a difference the Python export notes). */
export const TFJS_ACTIVATIONS: readonly string[] = [
  'linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hardSigmoid', 'tanh',
  'softmax', 'softplus', 'softsign', 'swish', 'mish', 'gelu',
];
export const activation = (def = 'linear') => oneOf(ACTIVATIONS, { default: def });

/** Infers a TS type from a schema map. */
export type ParamsOf<S extends ParamSchemaMap> = {
  -readonly [K in keyof S]: S[K] extends ParamBase<infer T> ? T : never;
};

export function defaultsOf<S extends ParamSchemaMap>(schema: S): ParamsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(schema)) out[k] = clone(s.default);
  return out as ParamsOf<S>;
}

function clone<T>(v: T): T {
  return Array.isArray(v) ? (v.map((x) => (Array.isArray(x) ? [...x] : x)) as T) : v;
}

export interface ParamIssue {
  field: string;
  message: string;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** An array of `length` whole numbers in [min, max] (a plain loop: this runs for every tuple of every node). */
function intsIn(v: unknown, length: number, min: number, max: number): boolean {
  if (!Array.isArray(v) || v.length !== length) return false;
  for (let i = 0; i < length; i++) if (!intIn(v[i], min, max)) return false;
  return true;
}

/** A short, safe description of any JSON value (never recurses deeply). */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) {
    const flat = v.length <= 8 && v.every((x) => typeof x === 'number' || (Array.isArray(x) && x.length <= 4 && x.every((y) => typeof y === 'number')));
    return flat ? JSON.stringify(v) : `a list of ${v.length}`;
  }
  if (typeof v === 'string') return v.length > 40 ? `a ${v.length}-character string` : JSON.stringify(v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function intIn(v: unknown, min: number, max: number): boolean {
  return isInt(v) && v >= min && v <= max;
}

/** Checks one value against its schema; returns a message naming the fix, or null. */
export function checkParam(s: ParamSchema, v: unknown): string | null {
  switch (s.type) {
    case 'axes':
      return intIn(v, s.min, s.max) || (Array.isArray(v) && v.length >= 1 && v.length <= 8 && v.every((x) => intIn(x, s.min, s.max)) && new Set(v).size === v.length)
        ? null
        : `must be a whole number from ${s.min} to ${s.max}, or a list of distinct ones (several axes), got ${describe(v)}`;
    case 'int':
      return intIn(v, s.min, s.max) ? null : `must be a whole number from ${s.min} to ${s.max}, got ${describe(v)}`;
    case 'float':
      if (typeof v !== 'number' || !Number.isFinite(v) || v < s.min || v > s.max || (s.maxExclusive && v >= s.max)) {
        return `must be a number from ${s.min} ${s.maxExclusive ? 'up to (not including)' : 'to'} ${s.max}, got ${describe(v)}`;
      }
      return null;
    case 'bool':
      return typeof v === 'boolean' ? null : `must be true or false, got ${describe(v)}`;
    case 'enum':
      return typeof v === 'string' && s.values.includes(v) ? null : `must be one of ${s.values.map((x) => `'${x}'`).join(', ')}, got ${describe(v)}`;
    case 'tuple':
      return intsIn(v, s.length, s.min, s.max)
        ? null
        : `must be a list of ${s.length} whole numbers from ${s.min} to ${s.max}, got ${describe(v)}`;
    case 'list':
      return (s.optional && v === null) || (Array.isArray(v) && v.length >= s.minLength && v.length <= s.maxLength &&
        v.every((x) => intIn(x, s.min, s.max) || (s.allowInfer && x === -1) || (s.allowNull && x === null)) &&
        (!s.allowInfer || v.filter((x) => x === -1).length <= 1))
        ? null
        : `must be ${s.optional ? 'null (none) or ' : ''}a list of ${s.minLength}–${s.maxLength} whole numbers from ${s.min} to ${s.max}${s.allowInfer ? ' (one may be -1 to infer it)' : ''}${s.allowNull ? ' or null (None)' : ''}, got ${describe(v)}`;
    case 'pads':
      return Array.isArray(v) && v.length === s.axes &&
        v.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => intIn(x, 0, s.max)))
        ? null
        : `must be ${s.axes} pairs [before, after] of whole numbers ≥ 0, e.g. ${JSON.stringify(s.default)}`;
    case 'optInt':
      return v === null || intIn(v, s.min, s.max) ? null : `must be null (derived) or a whole number from ${s.min} to ${s.max}, got ${describe(v)}`;
    case 'optFloat':
      return v === null || (typeof v === 'number' && Number.isFinite(v) && v >= s.min && v <= s.max)
        ? null
        : `must be null (none) or a number from ${s.min} to ${s.max}, got ${describe(v)}`;
    case 'optTuple':
      return v === null || intsIn(v, s.length, s.min, s.max)
        ? null
        : `must be null (derived) or a list of ${s.length} whole numbers from ${s.min} to ${s.max}, got ${describe(v)}`;
  }
}

const NO_ISSUES: ParamIssue[] = Object.freeze([]) as unknown as ParamIssue[];

function isComplete(schema: ParamSchemaMap, src: Record<string, unknown>): boolean {
  const entries = entriesOf(schema);
  let n = 0;
  for (const k in src) {
    if (!Object.prototype.hasOwnProperty.call(src, k)) continue;
    if (!Object.prototype.hasOwnProperty.call(schema, k)) return false;
    n++;
  }
  if (n !== entries.length) return false;
  for (let i = 0; i < entries.length; i++) {
    const [k, s] = entries[i];
    if (checkParam(s, src[k]) !== null) return false;
  }
  return true;
}

const entryCache = new WeakMap<ParamSchemaMap, [string, ParamSchema][]>();
function entriesOf(schema: ParamSchemaMap): [string, ParamSchema][] {
  let e = entryCache.get(schema);
  if (!e) {
    e = Object.entries(schema);
    entryCache.set(schema, e);
  }
  return e;
}

/**
 * Resolves raw params against a schema: missing fields take defaults, unknown
 * fields and invalid values are reported. Invalid values fall back to the
 * default so that analysis of the rest of the graph can go on.
 */
export function resolveParams(
  schema: ParamSchemaMap,
  raw: unknown,
): { params: Record<string, ParamValue>; issues: ParamIssue[] } {
  const src: Record<string, unknown> =
    raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  // Common case (every file netloom writes): all fields present and valid, nothing extra.
  // The object is then its own resolution, shared read-only like the graph it came from.
  if (src === raw && isComplete(schema, src)) return { params: src as Record<string, ParamValue>, issues: NO_ISSUES };
  const issues: ParamIssue[] = [];
  const params: Record<string, ParamValue> = {};
  if (raw !== undefined && src !== raw) issues.push({ field: 'params', message: 'params must be an object of name: value' });
  for (const [k, s] of entriesOf(schema)) {
    const has = Object.prototype.hasOwnProperty.call(src, k);
    const v = has ? src[k] : s.default;
    const problem = has ? checkParam(s, v) : null;
    if (problem) {
      issues.push({ field: k, message: `${k} ${problem}` });
      params[k] = s.default;
    } else {
      params[k] = v as ParamValue;
    }
  }
  for (const k in src) {
    if (Object.prototype.hasOwnProperty.call(src, k) && !Object.prototype.hasOwnProperty.call(schema, k)) {
      const known = Object.keys(schema);
      issues.push({
        field: k,
        message: `unknown parameter '${k.slice(0, 60)}'; ${known.length ? `known: ${known.join(', ')}` : 'this kind takes no parameters'}`,
      });
    }
  }
  return { params, issues };
}
