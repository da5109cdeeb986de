/** The registry of layer kinds: one stable `kind` string per declarative spec. */
import type { LayerSpec } from '../layer.ts';
import type { ParamSchemaMap } from '../params.ts';
import input from './input/input.ts';
import window from './input/window.ts';
import conv1d from './conv/conv1d.ts';
import conv2d from './conv/conv2d.ts';
import conv2dTranspose from './conv/conv2d-transpose.ts';
import depthwiseConv2d from './conv/depthwise-conv2d.ts';
import separableConv2d from './conv/separable-conv2d.ts';
import conv1dTranspose from './conv/conv1d-transpose.ts';
import separableConv1d from './conv/separable-conv1d.ts';
import depthwiseConv1d from './conv/depthwise-conv1d.ts';
import conv3d from './conv/conv3d.ts';
import conv3dTranspose from './conv/conv3d-transpose.ts';
import maxPooling1d from './pooling/max-pooling1d.ts';
import maxPooling2d from './pooling/max-pooling2d.ts';
import averagePooling1d from './pooling/average-pooling1d.ts';
import averagePooling2d from './pooling/average-pooling2d.ts';
import globalMaxPooling1d from './pooling/global-max-pooling1d.ts';
import globalMaxPooling2d from './pooling/global-max-pooling2d.ts';
import globalAveragePooling1d from './pooling/global-average-pooling1d.ts';
import globalAveragePooling2d from './pooling/global-average-pooling2d.ts';
import zeroPadding2d from './pooling/zero-padding2d.ts';
import cropping2d from './pooling/cropping2d.ts';
import upSampling2d from './pooling/up-sampling2d.ts';
import maxPooling3d from './pooling/max-pooling3d.ts';
import averagePooling3d from './pooling/average-pooling3d.ts';
import globalMaxPooling3d from './pooling/global-max-pooling3d.ts';
import globalAveragePooling3d from './pooling/global-average-pooling3d.ts';
import zeroPadding1d from './pooling/zero-padding1d.ts';
import zeroPadding3d from './pooling/zero-padding3d.ts';
import cropping1d from './pooling/cropping1d.ts';
import cropping3d from './pooling/cropping3d.ts';
import upSampling1d from './pooling/up-sampling1d.ts';
import upSampling3d from './pooling/up-sampling3d.ts';
import simpleRnn from './recurrent/simple-rnn.ts';
import lstm from './recurrent/lstm.ts';
import gru from './recurrent/gru.ts';
import bidirectional from './recurrent/bidirectional.ts';
import convLstm1d from './recurrent/conv-lstm1d.ts';
import convLstm2d from './recurrent/conv-lstm2d.ts';
import convLstm3d from './recurrent/conv-lstm3d.ts';
import add from './merge/add.ts';
import multiply from './merge/multiply.ts';
import subtract from './merge/subtract.ts';
import average from './merge/average.ts';
import maximum from './merge/maximum.ts';
import minimum from './merge/minimum.ts';
import concatenate from './merge/concatenate.ts';
import dense from './core/dense.ts';
import flatten from './core/flatten.ts';
import reshape from './core/reshape.ts';
import dropout from './core/dropout.ts';
import activation from './core/activation.ts';
import leakyRelu from './core/leaky-relu.ts';
import relu from './core/relu.ts';
import prelu from './core/prelu.ts';
import embedding from './core/embedding.ts';
import rescaling from './core/rescaling.ts';
import normalization from './core/normalization.ts';
import identity from './core/identity.ts';
import repeatVector from './core/repeat-vector.ts';
import permute from './core/permute.ts';
import spatialDropout1d from './core/spatial-dropout1d.ts';
import spatialDropout2d from './core/spatial-dropout2d.ts';
import timeDistributed from './core/time-distributed.ts';
import batchNormalization from './normalization/batch-normalization.ts';
import layerNormalization from './normalization/layer-normalization.ts';

/** Every kind, in palette order. */
export const LAYERS = [
  input, window,
  conv1d, conv2d, conv2dTranspose, depthwiseConv2d, separableConv2d,
  conv1dTranspose, separableConv1d, depthwiseConv1d, conv3d, conv3dTranspose,
  maxPooling1d, maxPooling2d, averagePooling1d, averagePooling2d,
  globalMaxPooling1d, globalMaxPooling2d, globalAveragePooling1d, globalAveragePooling2d,
  zeroPadding2d, cropping2d, upSampling2d,
  maxPooling3d, averagePooling3d, globalMaxPooling3d, globalAveragePooling3d,
  zeroPadding1d, zeroPadding3d, cropping1d, cropping3d, upSampling1d, upSampling3d,
  simpleRnn, lstm, gru, bidirectional,
  convLstm1d, convLstm2d, convLstm3d,
  add, multiply, concatenate,
  subtract, average, maximum, minimum,
  dense, flatten, reshape, dropout, activation, relu, leakyRelu, prelu, embedding,
  rescaling, identity, repeatVector, permute, spatialDropout1d, spatialDropout2d,
  timeDistributed,
  batchNormalization, layerNormalization,
  normalization,
] as const;

export type LayerKind = (typeof LAYERS)[number]['kind'];

// Specs are stored type-erased: params are validated against the schema before a spec sees them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLayerSpec = LayerSpec<any>;

const REGISTRY: ReadonlyMap<string, AnyLayerSpec> = new Map(LAYERS.map((l) => [l.kind, l as AnyLayerSpec]));

export const KINDS: readonly string[] = LAYERS.map((l) => l.kind);

/**
 * Each kind by name, for the few places that need one kind itself (training
 * takes the Window's windows): `KIND.Window` is checked by the compiler, a
 * string is not.
 */
export const KIND = Object.freeze(Object.fromEntries(KINDS.map((k) => [k, k]))) as { readonly [K in LayerKind]: K };

export function getLayer(kind: string): AnyLayerSpec | undefined {
  return REGISTRY.get(kind);
}

export function paramSchemaOf(kind: string): ParamSchemaMap | undefined {
  return REGISTRY.get(kind)?.params;
}
