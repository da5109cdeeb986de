/**
 * The one route from a netloom node to a `tf.layers` layer, shared by the
 * compiler (to-tf.ts) and the JavaScript export: the node's Keras config
 * (keras-export.ts, from its kind's passport) with camelCase keys and values,
 * as tfjs-layers' own model.json loader reads a config, handed to the kind's
 * factory below. The compiled model, the model.json and the JavaScript are
 * therefore the same layers, and one refusal policy (`tfRefusals`) guards all
 * three.
 */
import type * as tfType from '@tensorflow/tfjs';
import type { Analysis } from '../engine/analyze.ts';
import { tfjsCannot } from '../engine/layer.ts';
import { getLayer, type LayerKind } from '../engine/layers/index.ts';
import { camel, isWrappedLayer } from '../engine/passport.ts';
import { specOfClass } from '../interop/keras-layers.ts';
import type { Problem } from '../engine/types.ts';
import { buildCustomLayer } from './custom-layers.ts';

type Tf = typeof tfType;
export type TfFactory = {
  [K in keyof Tf['layers']]: Tf['layers'][K] extends (args: never) => tfType.layers.Layer ? K : never;
}[keyof Tf['layers']];

/**
 * A kind tfjs-layers lacks, built by netloom's own layer class of the kind's
 * Keras class name (custom-layers.ts), not by a `tf.layers` factory.
 */
export const OWN_CLASS = Object.freeze({ own: true } as const);
export type TfOwnClass = typeof OWN_CLASS;

/**
 * The `tf.layers` factory of every kind; null for model inputs, which become
 * `tf.input`; `OWN_CLASS` for netloom's own layers. Typed by `LayerKind`: a
 * kind missing here does not compile.
 */
export const TF_FACTORY: { readonly [K in LayerKind]: TfFactory | TfOwnClass | null } = {
  Input: null,
  Window: null,
  Conv1D: 'conv1d',
  Conv2D: 'conv2d',
  Conv2DTranspose: 'conv2dTranspose',
  DepthwiseConv2D: 'depthwiseConv2d',
  SeparableConv2D: 'separableConv2d',
  // tfjs-layers 4.22 has no Conv1DTranspose, SeparableConv1D or DepthwiseConv1D.
  Conv1DTranspose: null,
  SeparableConv1D: null,
  DepthwiseConv1D: null,
  Conv3D: 'conv3d',
  Conv3DTranspose: 'conv3dTranspose',
  MaxPooling1D: 'maxPooling1d',
  MaxPooling2D: 'maxPooling2d',
  AveragePooling1D: 'averagePooling1d',
  AveragePooling2D: 'averagePooling2d',
  GlobalMaxPooling1D: 'globalMaxPooling1d',
  GlobalMaxPooling2D: 'globalMaxPooling2d',
  GlobalAveragePooling1D: 'globalAveragePooling1d',
  GlobalAveragePooling2D: 'globalAveragePooling2d',
  ZeroPadding2D: 'zeroPadding2d',
  Cropping2D: 'cropping2D',
  UpSampling2D: 'upSampling2d',
  MaxPooling3D: 'maxPooling3d',
  AveragePooling3D: 'averagePooling3d',
  GlobalMaxPooling3D: null,
  GlobalAveragePooling3D: null,
  ZeroPadding1D: null,
  ZeroPadding3D: null,
  Cropping1D: OWN_CLASS,
  Cropping3D: null,
  UpSampling1D: null,
  UpSampling3D: null,
  SimpleRNN: 'simpleRNN',
  LSTM: 'lstm',
  GRU: 'gru',
  Bidirectional: 'bidirectional',
  // tfjs-layers 4.22 has ConvLSTM2D only.
  ConvLSTM1D: null,
  ConvLSTM2D: 'convLstm2d',
  ConvLSTM3D: null,
  Add: 'add',
  Multiply: 'multiply',
  Concatenate: 'concatenate',
  Subtract: null,
  Average: 'average',
  Maximum: 'maximum',
  Minimum: 'minimum',
  Dense: 'dense',
  Flatten: 'flatten',
  Reshape: 'reshape',
  Dropout: 'dropout',
  Activation: 'activation',
  ReLU: 'reLU',
  LeakyReLU: 'leakyReLU',
  PReLU: 'prelu',
  Embedding: 'embedding',
  BatchNormalization: 'batchNormalization',
  LayerNormalization: 'layerNormalization',
  Rescaling: 'rescaling',
  Normalization: null,
  Identity: null,
  RepeatVector: 'repeatVector',
  Permute: 'permute',
  SpatialDropout1D: 'spatialDropout1d',
  SpatialDropout2D: null,
  TimeDistributed: 'timeDistributed',
  MultiHeadAttention: OWN_CLASS,
  PositionEmbedding: OWN_CLASS,
  ClassToken: OWN_CLASS,
};

const entryOf = (kind: string): TfFactory | TfOwnClass | null =>
  Object.hasOwn(TF_FACTORY, kind) ? TF_FACTORY[kind as LayerKind] : null;

/** The message for a Dense head tied to an Embedding, which no TF.js layer (nor a plain Keras layer list) expresses. */
export const TIED_HEAD_TFJS = 'TF.js has no layer whose kernel is another layer\'s Embedding matrix transposed, so this tied head cannot be built here; export the Keras Python script (it writes the tie as a ReversibleEmbedding), or remove shares to give the head its own kernel';
/** Is the kind built by netloom's own TF.js layer class (custom-layers.ts)? */
export const isOwnClass = (kind: string): boolean => entryOf(kind) === OWN_CLASS;

/**
 * The inputs a node's TF.js layer is applied to. tfjs-layers' executor counts
 * a tensor's consumers once per layer but releases it once per input slot, so
 * a layer fed one tensor twice (self-attention, `mha(x, x)`) frees it in
 * `predict` while later layers still need it. netloom's own layers take their
 * later ports from the earlier ones when left out (MultiHeadAttention: value =
 * query, key = value), so trailing repeats are dropped for them.
 */
export function tfInputIds(kind: string, ids: readonly string[]): string[] {
  const out = [...ids];
  if (isOwnClass(kind)) while (out.length > 1 && out[out.length - 1] === out[out.length - 2]) out.pop();
  return out;
}

const factoryOf = (kind: string): TfFactory | null => {
  const e = entryOf(kind);
  return typeof e === 'string' ? e : null;
};

/** Every configuration TF.js cannot build, per node, each naming the field and the fix. */
export function tfRefusals(a: Analysis): Problem[] {
  const out: Problem[] = [];
  for (const r of a.nodes) {
    const spec = getLayer(r.kind);
    if (!spec) continue; // the analysis reports unknown kinds
    if (r.shares !== undefined && a.byId.get(r.shares)?.kind !== r.kind) {
      out.push({ nodeId: r.id, field: 'shares', message: TIED_HEAD_TFJS });
      continue;
    }
    const no = tfjsCannot(spec, r.params as Record<string, unknown>);
    if (no) out.push({ nodeId: r.id, field: no.field, message: no.message });
    else if (!spec.isModelInput && entryOf(r.kind) === null) {
      out.push({ nodeId: r.id, message: `TF.js has no ${r.kind} layer; export the Keras Python script to train this network, or replace the node` });
    }
  }
  return out;
}

/** A wrapped layer in a config: Keras's `{class_name, config}`. */
export interface Nested {
  kind: string;
  args: Record<string, unknown>;
}

/** A wrapped layer's arguments, as `tfArgs` makes them. */
export const isNested = (v: unknown): v is Nested => typeof v === 'object' && v !== null && 'kind' in v && 'args' in v;

/**
 * `tf.layers` arguments of a Keras config, as tfjs-layers' loader converts
 * one: keys and string values camelCased (`same`, `hard_sigmoid` →
 * `hardSigmoid`), names kept, the kind's `tfjs.drop` keys and the
 * channels-last default left out. A wrapped layer becomes `Nested`.
 */
export function tfArgs(kind: string, config: Record<string, unknown>): Record<string, unknown> {
  const drop = getLayer(kind)?.tfjs?.drop ?? [];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (drop.includes(k) || (k === 'data_format' && v === 'channels_last') || k === 'trainable') continue;
    if (isWrappedLayer(v)) {
      const inner = specOfClass(v.class_name)?.kind ?? v.class_name;
      out[camel(k)] = { kind: inner, args: tfArgs(inner, v.config) } satisfies Nested;
    } else out[camel(k)] = typeof v === 'string' && k !== 'name' ? camel(v) : v;
  }
  return out;
}

/** The factory name of a kind TF.js builds (after `tfRefusals` said it can). */
export function tfFactoryOf(kind: string): TfFactory {
  const f = factoryOf(kind);
  if (!f) throw new Error(`TF.js has no layer for kind '${kind}'`);
  return f;
}

/** The `tf.layers` layer for a kind and its arguments (from `tfArgs`). */
export function buildTfLayer(tf: Tf, kind: string, args: Record<string, unknown>): tfType.layers.Layer {
  const built: Record<string, unknown> = {};
  // tf.layers mutates some arguments (Reshape turns -1 into null in place): hand it copies.
  for (const [k, v] of Object.entries(structuredClone(args))) built[k] = isNested(v) ? buildTfLayer(tf, v.kind, v.args) : v;
  if (isOwnClass(kind)) return buildCustomLayer(tf, getLayer(kind)!.keras.className, built);
  const make = tf.layers[tfFactoryOf(kind)] as (a: unknown) => tfType.layers.Layer;
  return make(built);
}
