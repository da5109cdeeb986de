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

type Tf = typeof tfType;
export type TfFactory = {
  [K in keyof Tf['layers']]: Tf['layers'][K] extends (args: never) => tfType.layers.Layer ? K : never;
}[keyof Tf['layers']];

/**
 * The `tf.layers` factory of every kind; null for model inputs, which become
 * `tf.input`. Typed by `LayerKind`: a kind missing here does not compile.
 */
export const TF_FACTORY: { readonly [K in LayerKind]: TfFactory | null } = {
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
  Cropping1D: null,
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
};

const factoryOf = (kind: string): TfFactory | null =>
  Object.hasOwn(TF_FACTORY, kind) ? TF_FACTORY[kind as LayerKind] : null;

/** Every configuration TF.js cannot build, per node, each naming the field and the fix. */
export function tfRefusals(a: Analysis): Problem[] {
  const out: Problem[] = [];
  for (const r of a.nodes) {
    const spec = getLayer(r.kind);
    if (!spec) continue; // the analysis reports unknown kinds
    const no = tfjsCannot(spec, r.params as Record<string, unknown>);
    if (no) out.push({ nodeId: r.id, field: no.field, message: no.message });
    else if (!spec.isModelInput && factoryOf(r.kind) === null) {
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
  const make = tf.layers[tfFactoryOf(kind)] as (a: unknown) => tfType.layers.Layer;
  return make(built);
}
