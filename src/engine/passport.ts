/**
 * The parts of a layer kind's passport that are not shapes or weights: how it
 * is written as a Keras layer (and read back), what TF.js cannot build, and
 * its role in the receptive-field chain. Each kind declares these in its own
 * file (`defineLayer`); this module holds the derived codec every exporter,
 * importer and the compiler share, so a Keras config is made in one place.
 *
 * The derived codec: a netloom parameter `kernelSize` is the Keras config key
 * `kernel_size`, its value written as the schema says (tuples as lists,
 * activations by their Keras names). Reading a config takes every key the
 * schema knows, in the forms Keras writes (`3` or `[3, 3]`, `[1]` for a
 * scalar), and falls back to the schema's default (or Keras's, where the kind
 * declares it differs) when the key is absent or unreadable, with a note.
 */
import { ACTIVATIONS, describe, type ParamSchema, type ParamSchemaMap, type ParamsOf } from './params.ts';
import type { Shape } from './types.ts';

export type Obj = Record<string, unknown>;
/** Adds a note about one imported layer (lost detail, a conversion); never an error. */
export type Note = (message: string) => void;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `kernel_size` → `kernelSize`. */
export const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** `kernelSize` → `kernel_size`. */
export const snake = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

type Keys<S> = readonly (keyof S & string)[];
type PerParam<S, T> = { readonly [K in keyof S]?: T };

/** What an encoder sees of a node besides its parameters. */
export interface EncodeContext {
  name: string;
  outputShape: Shape | null;
}

/** How a kind is written as a Keras layer and read back. Everything left out is derived from `params`. */
export interface KerasCodec<S extends ParamSchemaMap = ParamSchemaMap> {
  /** The Keras class (most often the kind's own name; model inputs are `InputLayer`). */
  readonly className: string;
  /** Keras 3's class takes no `trainable` keyword (its SpatialDropout1D and SpatialDropout2D), so a model.json leaves it out. */
  readonly noTrainable?: boolean;
  /** Written as `className` but never read as it (a Window is an InputLayer to Keras). */
  readonly writeOnly?: boolean;
  /** Other class names Keras or TF.js use for it (`MaxPool2D`, `Convolution2D`). */
  readonly aliases?: readonly string[];
  /** Config keys that are not the snake_case of the parameter. */
  readonly rename?: PerParam<S, string>;
  /** Keys older Keras or TF.js wrote for a parameter: read on import, never written. */
  readonly readAlso?: PerParam<S, readonly string[]>;
  /** Keras 3's keyword where it renamed a config key (the old one is deprecated there). */
  readonly keras3?: Readonly<Record<string, string>>;
  /** Int parameters Keras writes as one-element lists (`kernel_size: [3]` of a Conv1D). */
  readonly lists?: Keys<S>;
  /**
   * Parameters Keras 3 takes as call arguments, not config keys
   * (MultiHeadAttention's `use_causal_mask`): they stay in the encoded config,
   * where netloom's TF.js layer reads them; the Keras exports move them to
   * the call (`layer(q, v, use_causal_mask=True)`, inbound `kwargs`) and the
   * importer reads them back from a call's `kwargs`.
   */
  readonly callArgs?: Keys<S>;
  /**
   * A layer Keras itself lacks (keras_hub's, or netloom's own): the name it is
   * registered under (`package>Class`, as `register_keras_serializable` makes
   * it) and the Keras 3 class, which the Python export defines inline so the
   * script runs under plain Keras 3.
   */
  readonly custom?: { readonly registeredName: string; readonly python: string };
  /** Parameters Keras has no key for. */
  readonly omit?: Keys<S>;
  /** Keys Keras expects that netloom fixes, written after the parameters (`data_format`). */
  readonly fixed?: Readonly<Obj>;
  /** Keras's default where it differs from netloom's: used when a file leaves the key out. */
  readonly defaults?: PerParam<S, unknown>;
  /** Replaces the derived encoder (a model input, a Reshape's inferred target, a wrapper). */
  readonly encode?: (p: ParamsOf<S>, ctx: EncodeContext) => Obj;
  /** Replaces the derived decoder; null when netloom cannot model this config. */
  readonly decode?: (c: Obj, note: Note) => ParamsOf<S> | null;
  /** Puts decoded parameters in netloom's canonical form (a pool's strides equal to its size are derived: null). */
  readonly normalize?: (p: ParamsOf<S>) => ParamsOf<S>;
  /** Options netloom does not model but that leave the counts alone: one note each. */
  readonly notes?: (c: Obj) => string[];
  /**
   * Options that change the counts and that netloom does not model: the
   * layer is imported under `kind` (unknown, so it is reported) with the note.
   */
  readonly unmodelled?: (c: Obj) => { kind: string; note: string } | null;
  /** Other Keras classes imported as this kind (SpatialDropout2D → Dropout): their parameters, and a note. */
  readonly imports?: Readonly<Record<string, (c: Obj, note: Note) => Partial<ParamsOf<S>> | null>>;
}

/** What TF.js (tfjs-layers 4.22) cannot build of a kind, and how its arguments differ from Keras's. */
export interface TfjsNotes<S extends ParamSchemaMap = ParamSchemaMap> {
  /** Why TF.js cannot build this configuration, naming the field and the fix; null when it can. */
  readonly cannot?: (p: ParamsOf<S>) => { field: string; message: string } | null;
  /** Keras config keys `tf.layers` has no argument for. */
  readonly drop?: readonly string[];
}

/** One sliding window of a convolution or pool, per spatial axis (a number applies to every axis). */
export interface Window {
  kernel: number | readonly number[];
  stride: number | readonly number[];
  dilation?: number | readonly number[];
  /** A transposed convolution or an up-sampling: outputs are `stride` times closer together. */
  transposed?: boolean;
}

/**
 * A kind's place in the receptive-field chain: it starts one (`input`),
 * slides a window over it, keeps it (`pass`: element-wise and per-position
 * layers), takes the largest of its inputs (`merge`), or ends it (`end`:
 * layers that mix every position).
 */
export type ReceptiveRole<S extends ParamSchemaMap = ParamSchemaMap> =
  | 'input' | 'pass' | 'merge' | 'end'
  | ((p: ParamsOf<S>) => Window);

/** A wrapped layer in a Keras config (a Bidirectional's `layer`): `{class_name, config}`. */
export const isWrappedLayer = (v: unknown): v is { class_name: string; config: Obj } =>
  isObj(v) && typeof v.class_name === 'string' && isObj(v.config);

// ---------- the derived codec ----------

/** netloom activation id → Keras name: the snake_case of the id (`hardSigmoid` → `hard_sigmoid`, `logSoftmax` → `log_softmax`). */
export const kerasActivation = (a: unknown): string => snake(String(a));

/** Keras names that are not the snake_case of a netloom id: Keras 3's own aliases. */
const KERAS_ACTIVATIONS: Record<string, string> = {
  silu: 'swish', hard_silu: 'hardSilu', hard_swish: 'hardSilu',
};

/** Why a Keras activation is not one netloom models, where there is more to say than its name. */
const UNMODELLED_ACTIVATIONS: Record<string, string> = {
  glu: 'it halves the last axis, which Keras\'s layers do not report in their output shapes',
  threshold: 'it needs a threshold and a default value that a Keras config cannot hold as a name',
};

/** A Keras activation as a netloom one; what netloom lacks becomes linear, with a note. */
export function activationOf(v: unknown, note: Note, fallback = 'linear'): string {
  let name: string | null = null;
  if (typeof v === 'string') name = v;
  else if (isObj(v)) name = typeof v.class_name === 'string' ? v.class_name : null;
  if (name === null) return fallback;
  const mapped = Object.hasOwn(KERAS_ACTIVATIONS, name) ? KERAS_ACTIVATIONS[name] : camel(name);
  if ((ACTIVATIONS as readonly string[]).includes(mapped)) return mapped;
  const why = Object.hasOwn(UNMODELLED_ACTIVATIONS, name) ? ` (${UNMODELLED_ACTIVATIONS[name]})` : '';
  note(`activation '${name}' has no netloom equivalent${why}; imported as 'linear' (parameters are unaffected)`);
  return 'linear';
}

export const isActivation = (s: ParamSchema): boolean => s.type === 'enum' && s.values === ACTIVATIONS;

function encodeValue(s: ParamSchema, v: unknown, asList: boolean): unknown {
  if (v === null || v === undefined) return null;
  if (isActivation(s)) return kerasActivation(v);
  if (Array.isArray(v)) return v.map((x) => (Array.isArray(x) ? [...x] : x));
  return asList && typeof v === 'number' ? [v] : v;
}

/** Codecs are read type-erased: parameters were validated against the schema before. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCodec = KerasCodec<any>;

/** The config key of a parameter. */
const keyOf = (codec: AnyCodec, k: string): string => (codec.rename && Object.hasOwn(codec.rename, k) ? codec.rename[k]! : snake(k));

/** Keras config of a node (without `name`). */
export function encodeKeras(codec: AnyCodec, schema: ParamSchemaMap, p: Obj, ctx: EncodeContext): Obj {
  if (codec.encode) return codec.encode(p as never, ctx);
  const out: Obj = {};
  for (const [k, s] of Object.entries(schema)) {
    if (codec.omit?.includes(k)) continue;
    out[keyOf(codec, k)] = encodeValue(s, p[k], !!codec.lists?.includes(k));
  }
  return { ...out, ...codec.fixed };
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : Array.isArray(v) && v.length === 1 && typeof v[0] === 'number' ? v[0] : undefined);

function ints(v: unknown, n: number): number[] | undefined {
  if (typeof v === 'number') return new Array(n).fill(v);
  if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'number')) {
    return v.length === n ? (v as number[]).slice() : v.length === 1 ? new Array(n).fill(v[0]) : undefined;
  }
  return undefined;
}

/** Keras padding/cropping `1`, `[1, 2]` or `[[1, 1], [2, 2]]` as per-axis (before, after). */
function pairs(v: unknown, axes: number): number[][] | undefined {
  if (typeof v === 'number') return Array.from({ length: axes }, () => [v, v]);
  if (!Array.isArray(v) || v.length !== axes) return undefined;
  if (v.every((x) => typeof x === 'number')) return (v as number[]).map((x) => [x, x]);
  if (v.every((x) => Array.isArray(x) && x.length === 2 && x.every((y) => typeof y === 'number'))) return (v as number[][]).map((x) => x.slice());
  return undefined;
}

/** One config value in netloom's form, or undefined when it is not in a form Keras writes. */
function decodeValue(s: ParamSchema, v: unknown, note: Note): unknown {
  switch (s.type) {
    case 'int': case 'float': return num(v);
    // Keras 3 writes one axis as `[-1]`: read back as the int.
    case 'axes': return num(v) ?? (Array.isArray(v) && v.length && v.every((x) => typeof x === 'number') ? v.slice() : undefined);
    case 'bool': return typeof v === 'boolean' ? v : undefined;
    case 'enum': {
      if (isActivation(s)) return activationOf(v, note, s.default);
      if (typeof v !== 'string') return undefined;
      const c = camel(v);
      return s.values.includes(v) ? v : s.values.includes(c) ? c : undefined;
    }
    case 'tuple': return ints(v, s.length);
    case 'list':
      if (v === null && s.optional) return null;
      return Array.isArray(v) && v.every((x) => typeof x === 'number' || (s.allowNull && x === null)) ? v.slice() : undefined;
    case 'pads': return pairs(v, s.axes);
    case 'optInt': case 'optFloat': return v === null ? null : num(v);
    case 'optTuple': return v === null ? null : ints(v, s.length);
  }
}

const copy = (v: unknown): unknown => (Array.isArray(v) ? v.map((x) => (Array.isArray(x) ? [...x] : x)) : v);

/** netloom parameters of a Keras config; unreadable values fall back to the default, with a note. */
export function decodeKeras(codec: AnyCodec, schema: ParamSchemaMap, c: Obj, note: Note): Obj | null {
  if (codec.decode) return codec.decode(c, note) as Obj | null;
  for (const m of codec.notes?.(c) ?? []) note(m);
  const out: Obj = {};
  for (const [k, s] of Object.entries(schema)) {
    const fallback = codec.defaults && Object.hasOwn(codec.defaults, k) ? codec.defaults[k] : s.default;
    if (codec.omit?.includes(k)) {
      out[k] = copy(fallback);
      continue;
    }
    const key = [keyOf(codec, k), ...((codec.readAlso?.[k] as readonly string[] | undefined) ?? [])].find((x) => Object.hasOwn(c, x) && c[x] !== undefined);
    if (key === undefined) {
      out[k] = copy(fallback);
      continue;
    }
    const v = decodeValue(s, c[key], note);
    if (v === undefined) {
      note(`${key} ${describe(c[key])} is not a value netloom reads; used ${describe(fallback)}`);
      out[k] = copy(fallback);
    } else out[k] = v;
  }
  return codec.normalize ? codec.normalize(out as never) : out;
}
