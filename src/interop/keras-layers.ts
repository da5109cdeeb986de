/**
 * Keras layer classes → netloom kinds, with their options renamed from Keras
 * config names (snake_case) to `tf.layers` names (camelCase). One row per
 * class, so a new kind is one new row. A class without a row is imported as
 * a node of kind = the Keras class name, which the analysis reports as an
 * unknown kind while the rest of the graph still loads.
 */
import { ACTIVATIONS } from '../engine/params.ts';
import { ints, isObj, pairs2d, type Json, type Obj } from './keras-config.ts';

export interface Mapped {
  kind: string;
  params: Record<string, unknown>;
}

/** Adds a note about this layer (lost detail, conversions); never an error. */
export type Note = (message: string) => void;

const KERAS_ACTIVATIONS: Record<string, string> = {
  hard_sigmoid: 'hardSigmoid', silu: 'swish', hard_silu: 'swish', hard_swish: 'swish',
};

/** A Keras activation name as a netloom one; what netloom lacks becomes the nearest one, with a note. */
export function activationOf(v: Json | undefined, note: Note, fallback = 'linear'): string {
  let name: string | null = null;
  if (typeof v === 'string') name = v;
  else if (isObj(v)) name = typeof v.class_name === 'string' ? v.class_name : null;
  if (name === null) return fallback;
  const mapped = Object.hasOwn(KERAS_ACTIVATIONS, name) ? KERAS_ACTIVATIONS[name] : name;
  if ((ACTIVATIONS as readonly string[]).includes(mapped)) return mapped;
  if (name === 'leaky_relu' || name === 'relu6') {
    const to = name === 'relu6' ? 'relu6' : 'relu';
    if (to !== name) note(`activation '${name}' has no netloom equivalent; imported as '${to}' (parameters are unaffected)`);
    return to;
  }
  note(`activation '${name}' has no netloom equivalent; imported as 'linear' (parameters are unaffected)`);
  return 'linear';
}

const num = (v: Json | undefined, d: number): number => (typeof v === 'number' ? v : d);
const flag = (v: Json | undefined, d: boolean): boolean => (typeof v === 'boolean' ? v : d);
const axisOf = (v: Json | undefined, d: number): number => (Array.isArray(v) && typeof v[0] === 'number' ? v[0] : num(v, d));

function conv(c: Obj, n: number, note: Note): Record<string, unknown> {
  const kernel = ints(c.kernel_size, n, new Array(n).fill(3));
  const strides = ints(c.strides, n, new Array(n).fill(1));
  const dil = ints(c.dilation_rate, n, new Array(n).fill(1));
  return {
    kernelSize: n === 1 ? kernel[0] : kernel,
    strides: n === 1 ? strides[0] : strides,
    padding: typeof c.padding === 'string' ? c.padding : 'valid',
    dilationRate: n === 1 ? dil[0] : dil,
    activation: activationOf(c.activation, note),
    useBias: flag(c.use_bias, true),
  };
}

function pool(c: Obj, n: number): Record<string, unknown> {
  const size = ints(c.pool_size, n, new Array(n).fill(2));
  const strides = c.strides === null || c.strides === undefined ? null : ints(c.strides, n, size);
  return {
    poolSize: n === 1 ? size[0] : size,
    strides: strides === null ? null : n === 1 ? strides[0] : strides,
    padding: typeof c.padding === 'string' ? c.padding : 'valid',
  };
}

/** The options every recurrent kind shares. */
function cell(c: Obj, note: Note, gated: boolean): Record<string, unknown> {
  if (c.return_state === true) note('return_state is not modelled; only the sequence output is kept');
  if (c.go_backwards === true) note('go_backwards is not modelled (counts are unaffected)');
  return {
    units: num(c.units, 32),
    returnSequences: flag(c.return_sequences, false),
    activation: activationOf(c.activation, note, 'tanh'),
    ...(gated ? { recurrentActivation: activationOf(c.recurrent_activation, note, 'sigmoid') } : {}),
    useBias: flag(c.use_bias, true),
    dropout: num(c.dropout, 0),
    recurrentDropout: num(c.recurrent_dropout, 0),
  };
}

/**
 * `reset_after` absent means Keras before 2.3 or tfjs-layers, whose GRUs
 * have one bias row: false.
 */
const resetAfterOf = (c: Obj): boolean => flag(c.reset_after, false);

function activationLayer(activation: string): Mapped {
  return { kind: 'Activation', params: { activation } };
}

type Row = (c: Obj, note: Note) => Mapped | null;

/**
 * Grouped convolutions (`groups` > 1, ResNeXt) hold 1/groups of the kernel
 * weights; netloom has no such option, so the layer stays visible as an
 * unknown kind instead of being counted wrongly.
 */
function grouped(cls: string, c: Obj, note: Note): Mapped | null {
  const g = num(c.groups, 1);
  if (g === 1) return null;
  note(`${cls} with groups ${g} (a grouped convolution) is not modelled by netloom, whose convolutions see every input channel; counting it as a plain ${cls} would overcount its kernel ${g}×`);
  return { kind: `${cls}[groups=${g}]`, params: structuredClone(c) as Record<string, unknown> };
}

/** A layer that leaves values and shapes alone at inference and has no weights: a linear Activation, with a note. */
const passThrough = (cls: string, why: string): Row => (_c, note) => {
  note(`${cls} imported as a linear Activation (${why}; no parameters)`);
  return activationLayer('linear');
};

const globalPool = (kind: string): Row => (c, note) => {
  if (c.keepdims === true) note('keepdims true is not modelled: netloom drops the pooled axes');
  return { kind, params: {} };
};

const ROWS: Record<string, Row> = {
  Dense: (c, note) => ({ kind: 'Dense', params: { units: num(c.units, 32), activation: activationOf(c.activation, note), useBias: flag(c.use_bias, true) } }),
  Conv1D: (c, note) => grouped('Conv1D', c, note) ?? { kind: 'Conv1D', params: { filters: num(c.filters, 32), ...conv(c, 1, note) } },
  Conv2D: (c, note) => grouped('Conv2D', c, note) ?? { kind: 'Conv2D', params: { filters: num(c.filters, 32), ...conv(c, 2, note) } },
  Conv2DTranspose: (c, note) => {
    const { dilationRate: _d, ...p } = conv(c, 2, note);
    if (Array.isArray(c.output_padding)) note('output_padding is not modelled; check the output size');
    return { kind: 'Conv2DTranspose', params: { filters: num(c.filters, 32), ...p } };
  },
  DepthwiseConv2D: (c, note) => ({ kind: 'DepthwiseConv2D', params: { ...conv(c, 2, note), depthMultiplier: num(c.depth_multiplier, 1) } }),
  SeparableConv2D: (c, note) => ({ kind: 'SeparableConv2D', params: { filters: num(c.filters, 32), ...conv(c, 2, note), depthMultiplier: num(c.depth_multiplier, 1) } }),
  MaxPooling1D: (c) => ({ kind: 'MaxPooling1D', params: pool(c, 1) }),
  AveragePooling1D: (c) => ({ kind: 'AveragePooling1D', params: pool(c, 1) }),
  MaxPooling2D: (c) => ({ kind: 'MaxPooling2D', params: pool(c, 2) }),
  AveragePooling2D: (c) => ({ kind: 'AveragePooling2D', params: pool(c, 2) }),
  GlobalMaxPooling1D: globalPool('GlobalMaxPooling1D'),
  GlobalAveragePooling1D: globalPool('GlobalAveragePooling1D'),
  GlobalMaxPooling2D: globalPool('GlobalMaxPooling2D'),
  GlobalAveragePooling2D: globalPool('GlobalAveragePooling2D'),
  ZeroPadding2D: (c) => ({ kind: 'ZeroPadding2D', params: { padding: pairs2d(c.padding, [[1, 1], [1, 1]]) } }),
  Cropping2D: (c) => ({ kind: 'Cropping2D', params: { cropping: pairs2d(c.cropping, [[0, 0], [0, 0]]) } }),
  UpSampling2D: (c) => ({ kind: 'UpSampling2D', params: { size: ints(c.size, 2, [2, 2]), interpolation: c.interpolation === 'bilinear' ? 'bilinear' : 'nearest' } }),
  SimpleRNN: (c, note) => ({ kind: 'SimpleRNN', params: cell(c, note, false) }),
  LSTM: (c, note) => ({ kind: 'LSTM', params: cell(c, note, true) }),
  GRU: (c, note) => ({ kind: 'GRU', params: { ...cell(c, note, true), resetAfter: resetAfterOf(c) } }),
  Bidirectional: (c, note) => {
    const inner = isObj(c.layer) ? c.layer : null;
    const cls = inner && typeof inner.class_name === 'string' ? inner.class_name : '';
    if (!inner || !isObj(inner.config) || !['LSTM', 'GRU', 'SimpleRNN'].includes(cls)) return null;
    if (c.merge_mode === null) return null;
    const p = cell(inner.config, note, true);
    return {
      kind: 'Bidirectional',
      params: { layer: cls, ...p, resetAfter: cls === 'GRU' ? resetAfterOf(inner.config) : false, mergeMode: typeof c.merge_mode === 'string' ? c.merge_mode : 'concat' },
    };
  },
  Add: () => ({ kind: 'Add', params: {} }),
  Multiply: () => ({ kind: 'Multiply', params: {} }),
  Concatenate: (c) => ({ kind: 'Concatenate', params: { axis: num(c.axis, -1) } }),
  Flatten: () => ({ kind: 'Flatten', params: {} }),
  Reshape: (c) => ({ kind: 'Reshape', params: { targetShape: Array.isArray(c.target_shape) ? c.target_shape.slice() : [-1] } }),
  Dropout: (c) => ({ kind: 'Dropout', params: { rate: num(c.rate, 0.5) } }),
  SpatialDropout1D: (c, note) => (note('SpatialDropout1D imported as Dropout (same shapes, no parameters)'), { kind: 'Dropout', params: { rate: num(c.rate, 0.5) } }),
  SpatialDropout2D: (c, note) => (note('SpatialDropout2D imported as Dropout (same shapes, no parameters)'), { kind: 'Dropout', params: { rate: num(c.rate, 0.5) } }),
  GaussianDropout: (c, note) => (note('GaussianDropout imported as Dropout: both are no-ops at inference, with no parameters'), { kind: 'Dropout', params: { rate: num(c.rate, 0.5) } }),
  AlphaDropout: (c, note) => (note('AlphaDropout imported as Dropout: both are no-ops at inference, with no parameters'), { kind: 'Dropout', params: { rate: num(c.rate, 0.5) } }),
  GaussianNoise: passThrough('GaussianNoise', 'it adds noise only while training'),
  ActivityRegularization: passThrough('ActivityRegularization', 'it only adds a training loss'),
  Masking: passThrough('Masking', 'netloom does not model masks'),
  Activation: (c, note) => activationLayer(activationOf(c.activation, note)),
  ReLU: (c, note) => {
    const max = c.max_value;
    if (num(c.negative_slope, 0) !== 0 || num(c.threshold, 0) !== 0) note('ReLU negative_slope/threshold are not modelled; imported as Activation (parameters are unaffected)');
    if (typeof max === 'number' && max !== 6) note(`ReLU max_value ${max} is not modelled; imported as 'relu' (parameters are unaffected)`);
    return activationLayer(max === 6 ? 'relu6' : 'relu');
  },
  LeakyReLU: (c) => ({ kind: 'LeakyReLU', params: { alpha: num(c.alpha ?? c.negative_slope, 0.3) } }),
  ELU: (c, note) => {
    if (num(c.alpha, 1) !== 1) note(`ELU alpha ${num(c.alpha, 1)} is not modelled; imported as Activation 'elu' (parameters are unaffected)`);
    return activationLayer('elu');
  },
  Softmax: (c, note) => {
    if (axisOf(c.axis, -1) !== -1) note(`Softmax over axis ${axisOf(c.axis, -1)} imported as Activation 'softmax' over the last axis`);
    return activationLayer('softmax');
  },
  Embedding: (c) => ({ kind: 'Embedding', params: { inputDim: num(c.input_dim, 1000), outputDim: num(c.output_dim, 64) } }),
  BatchNormalization: (c) => ({
    kind: 'BatchNormalization',
    params: { axis: axisOf(c.axis, -1), momentum: num(c.momentum, 0.99), epsilon: num(c.epsilon, 0.001), center: flag(c.center, true), scale: flag(c.scale, true) },
  }),
  LayerNormalization: (c) => ({
    kind: 'LayerNormalization',
    params: { axis: axisOf(c.axis, -1), epsilon: num(c.epsilon, 0.001), center: flag(c.center, true), scale: flag(c.scale, true) },
  }),
};

/** Keras aliases (`MaxPool2D`, `Convolution2D`, …) and the names tfjs-layers uses. */
const ALIASES: Record<string, string> = {
  MaxPool1D: 'MaxPooling1D', MaxPool2D: 'MaxPooling2D', AvgPool1D: 'AveragePooling1D', AvgPool2D: 'AveragePooling2D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D', GlobalMaxPool2D: 'GlobalMaxPooling2D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D', GlobalAvgPool2D: 'GlobalAveragePooling2D',
  Convolution1D: 'Conv1D', Convolution2D: 'Conv2D', Conv2DTranspose: 'Conv2DTranspose', Deconvolution2D: 'Conv2DTranspose',
  Deconv2D: 'Conv2DTranspose', SeparableConvolution2D: 'SeparableConv2D', DepthwiseConvolution2D: 'DepthwiseConv2D',
};

/** Keras classes netloom knows by a row (for messages and docs). */
export const SUPPORTED_CLASSES: readonly string[] = Object.keys(ROWS);

/**
 * The netloom node for one Keras layer, or null when netloom has no kind for
 * it. Own rows only: a class named `constructor` or `toString` is unknown,
 * never one of Object's members.
 */
export function mapLayer(className: string, config: Obj, note: Note): Mapped | null {
  const cls = Object.hasOwn(ALIASES, className) ? ALIASES[className] : className;
  return Object.hasOwn(ROWS, cls) ? ROWS[cls](config, note) : null;
}

/** True when the layer's config says channels come first (Keras `data_format`). */
export const channelsFirst = (config: Obj): boolean => config.data_format === 'channels_first';
