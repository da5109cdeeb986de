/**
 * netloom node → Keras layer class and config (Keras snake_case names).
 * One mapping feeds every exporter: the TF.js `model.json` topology, the
 * Keras Python script (config keys are its keyword arguments) and the TF.js
 * JavaScript code (keys camelCased back).
 */
import type { NodeResult } from '../engine/analyze.ts';

export interface KerasLayer {
  className: string;
  /** Keras config without `name` (the node name is added by the caller). */
  config: Record<string, unknown>;
}

/** netloom activation id → Keras name (TF.js camelCases it back when loading). */
export function kerasActivation(a: unknown): string {
  return a === 'hardSigmoid' ? 'hard_sigmoid' : String(a);
}

type P = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const conv = (p: P, n: 1 | 2, dilation = true) => ({
  kernel_size: n === 1 ? [p.kernelSize] : [...p.kernelSize],
  strides: n === 1 ? [p.strides] : [...p.strides],
  padding: p.padding,
  data_format: 'channels_last',
  ...(dilation ? { dilation_rate: n === 1 ? [p.dilationRate] : [...p.dilationRate] } : {}),
  activation: kerasActivation(p.activation),
  use_bias: p.useBias,
});

/** Strides left to default stay `null` (Keras `None`, TF.js: the pool size), so a round trip keeps them derived. */
const pool = (p: P, n: 1 | 2) => {
  const size = n === 1 ? [p.poolSize] : [...p.poolSize];
  const strides = p.strides === null ? null : n === 1 ? [p.strides] : [...p.strides];
  return { pool_size: size, strides, padding: p.padding, data_format: 'channels_last' };
};

const cell = (p: P, gated: boolean) => ({
  units: p.units,
  activation: kerasActivation(p.activation),
  ...(gated ? { recurrent_activation: kerasActivation(p.recurrentActivation) } : {}),
  use_bias: p.useBias,
  dropout: p.dropout,
  recurrent_dropout: p.recurrentDropout,
  return_sequences: p.returnSequences,
});

/** The Keras layer for one analysed node; Input and Window become `InputLayer`. */
export function kerasLayerOf(r: NodeResult): KerasLayer {
  const p = r.params as P;
  switch (r.kind) {
    case 'Input':
      return { className: 'InputLayer', config: { batch_input_shape: [null, ...p.shape], dtype: 'float32', sparse: false } };
    case 'Window':
      return { className: 'InputLayer', config: { batch_input_shape: [null, p.nSteps, p.features], dtype: 'float32', sparse: false } };
    case 'Conv1D':
    case 'Conv2D':
      return { className: r.kind, config: { filters: p.filters, ...conv(p, r.kind === 'Conv1D' ? 1 : 2) } };
    case 'Conv2DTranspose':
      return { className: r.kind, config: { filters: p.filters, ...conv(p, 2, false) } };
    case 'DepthwiseConv2D':
      return { className: r.kind, config: { ...conv(p, 2), depth_multiplier: p.depthMultiplier } };
    case 'SeparableConv2D':
      return { className: r.kind, config: { filters: p.filters, ...conv(p, 2), depth_multiplier: p.depthMultiplier } };
    case 'MaxPooling1D':
    case 'AveragePooling1D':
      return { className: r.kind, config: pool(p, 1) };
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return { className: r.kind, config: pool(p, 2) };
    case 'GlobalMaxPooling1D':
    case 'GlobalAveragePooling1D':
      return { className: r.kind, config: {} };
    case 'GlobalMaxPooling2D':
    case 'GlobalAveragePooling2D':
      return { className: r.kind, config: { data_format: 'channels_last' } };
    case 'ZeroPadding2D':
      return { className: r.kind, config: { padding: p.padding.map((x: number[]) => [...x]), data_format: 'channels_last' } };
    case 'Cropping2D':
      return { className: r.kind, config: { cropping: p.cropping.map((x: number[]) => [...x]), data_format: 'channels_last' } };
    case 'UpSampling2D':
      return { className: r.kind, config: { size: [...p.size], interpolation: p.interpolation, data_format: 'channels_last' } };
    case 'SimpleRNN':
      return { className: r.kind, config: cell(p, false) };
    case 'LSTM':
      return { className: r.kind, config: cell(p, true) };
    case 'GRU':
      return { className: r.kind, config: { ...cell(p, true), reset_after: p.resetAfter } };
    case 'Bidirectional': {
      const inner = { ...cell(p, p.layer !== 'SimpleRNN'), ...(p.layer === 'GRU' ? { reset_after: p.resetAfter } : {}) };
      return {
        className: 'Bidirectional',
        config: { layer: { class_name: p.layer, config: { name: `${r.name}_${String(p.layer).toLowerCase()}`, trainable: true, ...inner } }, merge_mode: p.mergeMode },
      };
    }
    case 'Add':
    case 'Multiply':
    case 'Flatten':
      return { className: r.kind, config: {} };
    case 'Concatenate':
      return { className: r.kind, config: { axis: p.axis } };
    case 'Dense':
      return { className: r.kind, config: { units: p.units, activation: kerasActivation(p.activation), use_bias: p.useBias } };
    case 'Reshape':
      // TF.js cannot infer a -1 in a symbolic shape (Keras can): write the inferred target.
      return { className: r.kind, config: { target_shape: (r.outputShape ?? [null, ...p.targetShape]).slice(1) } };
    case 'Dropout':
      return { className: r.kind, config: { rate: p.rate } };
    case 'Activation':
      return { className: r.kind, config: { activation: kerasActivation(p.activation) } };
    case 'LeakyReLU':
      return { className: r.kind, config: { alpha: p.alpha } };
    case 'Embedding':
      return { className: r.kind, config: { input_dim: p.inputDim, output_dim: p.outputDim } };
    case 'BatchNormalization':
      return { className: r.kind, config: { axis: p.axis, momentum: p.momentum, epsilon: p.epsilon, center: p.center, scale: p.scale } };
    case 'LayerNormalization':
      return { className: r.kind, config: { axis: p.axis, epsilon: p.epsilon, center: p.center, scale: p.scale } };
    default:
      throw new Error(`${r.id}: kind '${r.kind}' has no Keras layer; replace the node with a supported kind before exporting`);
  }
}
