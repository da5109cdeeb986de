/**
 * Table-driven layer cases (Keras's run_layer_test style). Expected numbers
 * are published figures: Keras summaries quoted in shared/reference/README.md
 * and hand-derived Keras shape rules; none is read back from the engine.
 */
import { describe, expect, it } from 'vitest';
import { analyze, GraphBuilder, LAYERS, type Shape } from '../../src/engine/index.ts';

interface Case {
  kind: string;
  params?: Record<string, unknown>;
  input: number[];
  shape: Shape;
  count: number;
  trainable?: number;
  formula?: string;
  macs?: number;
  /** Inputs of the same shape the kind takes (merges); default 1. */
  inputs?: number;
}

const CASES: Case[] = [
  // The product card's example: 5×5 kernels over 3 channels, 4 filters.
  { kind: 'Conv2D', params: { filters: 4, kernelSize: [5, 5] }, input: [32, 32, 3], shape: [null, 28, 28, 4], count: 304, formula: '5·5·3·4 + 4 = 304', macs: 28 * 28 * 5 * 5 * 3 * 4 },
  { kind: 'Conv2D', params: { filters: 32, kernelSize: [3, 3] }, input: [28, 28, 1], shape: [null, 26, 26, 32], count: 320 },
  { kind: 'Conv2D', params: { filters: 8, kernelSize: [3, 3], strides: [2, 2], padding: 'same', useBias: false }, input: [7, 7, 2], shape: [null, 4, 4, 8], count: 144 },
  { kind: 'Conv2D', params: { filters: 2, kernelSize: [3, 3], dilationRate: [2, 2] }, input: [9, 9, 1], shape: [null, 5, 5, 2], count: 20 },
  // Deep Learning with Python: Conv1D(32, 7) over 128-d embeddings of 500 tokens.
  { kind: 'Conv1D', params: { filters: 32, kernelSize: 7 }, input: [500, 128], shape: [null, 494, 32], count: 28704 },
  { kind: 'Conv1D', params: { filters: 32, kernelSize: 7 }, input: [98, 32], shape: [null, 92, 32], count: 7200 },
  { kind: 'Conv1D', params: { filters: 32, kernelSize: 5 }, input: [240, 14], shape: [null, 236, 32], count: 2272 },
  { kind: 'Conv2DTranspose', params: { filters: 10, kernelSize: [4, 4], strides: [4, 4] }, input: [4, 4, 16], shape: [null, 16, 16, 10], count: 4 * 4 * 16 * 10 + 10 },
  { kind: 'Conv2DTranspose', params: { filters: 3, kernelSize: [5, 5], strides: [2, 2], padding: 'same' }, input: [8, 8, 4], shape: [null, 16, 16, 3], count: 303 },
  { kind: 'DepthwiseConv2D', params: { kernelSize: [3, 3], padding: 'same', depthMultiplier: 2 }, input: [10, 10, 8], shape: [null, 10, 10, 16], count: 3 * 3 * 8 * 2 + 16 },
  { kind: 'SeparableConv2D', params: { filters: 16, kernelSize: [3, 3] }, input: [10, 10, 8], shape: [null, 8, 8, 16], count: 72 + 128 + 16 },
  // Keras 3.15 (model.output_shape, count_params()): grouped kernels see channels/groups inputs.
  { kind: 'Conv2D', params: { filters: 6, kernelSize: [3, 3], groups: 3 }, input: [9, 8, 3], shape: [null, 7, 6, 6], count: 60, formula: '3·3·1·6 + 6 = 60', macs: 7 * 6 * 3 * 3 * 1 * 6 },
  { kind: 'Conv1D', params: { filters: 6, kernelSize: 3, groups: 3 }, input: [7, 3], shape: [null, 5, 6], count: 24, macs: 5 * 3 * 1 * 6 },
  // Keras deconv_output_length with output_padding: (in − 1)·stride + kernel − 2·pad + outputPadding.
  { kind: 'Conv2DTranspose', params: { filters: 4, kernelSize: [3, 3], strides: [2, 2], outputPadding: [1, 1] }, input: [5, 6, 2], shape: [null, 12, 14, 4], count: 76 },
  { kind: 'Conv2DTranspose', params: { filters: 4, kernelSize: [3, 3], strides: [2, 2], padding: 'same', outputPadding: [1, 1] }, input: [5, 6, 2], shape: [null, 10, 12, 4], count: 76 },
  { kind: 'Conv2DTranspose', params: { filters: 4, kernelSize: [3, 3], strides: [2, 2], outputPadding: [1, 0] }, input: [5, 6, 2], shape: [null, 12, 13, 4], count: 76 },
  { kind: 'Conv1DTranspose', params: { filters: 4, kernelSize: 3, strides: 2 }, input: [7, 3], shape: [null, 15, 4], count: 40, formula: '3·4·3 + 4 = 40', macs: 7 * 3 * 3 * 4 },
  { kind: 'Conv1DTranspose', params: { filters: 4, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1 }, input: [7, 3], shape: [null, 14, 4], count: 40 },
  { kind: 'SeparableConv1D', params: { filters: 4, kernelSize: 3, depthMultiplier: 2 }, input: [7, 3], shape: [null, 5, 4], count: 46, macs: 5 * 3 * 6 + 5 * 6 * 4 },
  { kind: 'DepthwiseConv1D', params: { kernelSize: 3, depthMultiplier: 2 }, input: [7, 3], shape: [null, 5, 6], count: 24, macs: 5 * 3 * 3 * 2 },
  { kind: 'Conv3D', params: { filters: 4, kernelSize: [3, 3, 3] }, input: [5, 6, 7, 2], shape: [null, 3, 4, 5, 4], count: 220, formula: '3·3·3·2·4 + 4 = 220', macs: 3 * 4 * 5 * 27 * 2 * 4 },
  { kind: 'Conv3D', params: { filters: 4, kernelSize: [1, 1, 1], groups: 2 }, input: [5, 6, 7, 2], shape: [null, 5, 6, 7, 4], count: 1 * 1 * 1 * 1 * 4 + 4 },
  { kind: 'Conv3DTranspose', params: { filters: 4, kernelSize: [3, 3, 3], strides: [2, 2, 2] }, input: [5, 6, 7, 2], shape: [null, 11, 13, 15, 4], count: 220, macs: 5 * 6 * 7 * 27 * 2 * 4 },
  { kind: 'Conv3DTranspose', params: { filters: 4, kernelSize: [3, 3, 3], strides: [2, 2, 2], padding: 'same', outputPadding: [1, 0, 1] }, input: [5, 6, 7, 2], shape: [null, 10, 11, 14, 4], count: 220 },
  // ConvLSTM: 4 gate blocks of an input and a state convolution, 4·(kernel volume·(channels + filters)·filters + filters).
  { kind: 'ConvLSTM1D', params: { filters: 4, kernelSize: 3 }, input: [5, 7, 3], shape: [null, 5, 4], count: 352, formula: '4·(3·(3+4)·4 + 4) = 352' },
  { kind: 'ConvLSTM2D', params: { filters: 4, kernelSize: [3, 3], returnSequences: true }, input: [5, 7, 8, 3], shape: [null, 5, 5, 6, 4], count: 1024, formula: '4·(3·3·(3+4)·4 + 4) = 1,024', macs: 5 * 5 * 6 * 9 * (3 + 4) * 16 },
  { kind: 'ConvLSTM2D', params: { filters: 4, kernelSize: [3, 3], strides: [2, 2], padding: 'same' }, input: [5, 9, 9, 3], shape: [null, 5, 5, 4], count: 1024, macs: 5 * 5 * 5 * 9 * (3 + 4) * 16 },
  { kind: 'ConvLSTM3D', params: { filters: 4, kernelSize: [3, 3, 3] }, input: [2, 5, 6, 7, 2], shape: [null, 3, 4, 5, 4], count: 2608, formula: '4·(3·3·3·(2+4)·4 + 4) = 2,608' },
  { kind: 'MaxPooling2D', params: { poolSize: [3, 3], strides: [2, 2] }, input: [55, 55, 96], shape: [null, 27, 27, 96], count: 0 },
  { kind: 'MaxPooling2D', params: { poolSize: [2, 2], padding: 'same' }, input: [7, 7, 1], shape: [null, 4, 4, 1], count: 0 },
  { kind: 'MaxPooling1D', params: { poolSize: 5 }, input: [494, 32], shape: [null, 98, 32], count: 0 },
  { kind: 'AveragePooling1D', params: { poolSize: 3, strides: 2 }, input: [10, 3], shape: [null, 4, 3], count: 0 },
  { kind: 'AveragePooling2D', params: { poolSize: [7, 7] }, input: [7, 7, 2048], shape: [null, 1, 1, 2048], count: 0 },
  { kind: 'GlobalAveragePooling2D', input: [7, 7, 2048], shape: [null, 2048], count: 0 },
  { kind: 'GlobalMaxPooling1D', input: [92, 32], shape: [null, 32], count: 0 },
  { kind: 'ZeroPadding2D', params: { padding: [[3, 3], [3, 3]] }, input: [224, 224, 3], shape: [null, 230, 230, 3], count: 0 },
  { kind: 'Cropping2D', params: { cropping: [[1, 2], [0, 3]] }, input: [10, 10, 1], shape: [null, 7, 7, 1], count: 0 },
  { kind: 'UpSampling2D', params: { size: [2, 3] }, input: [4, 4, 2], shape: [null, 8, 12, 2], count: 0 },
  // Keras 3: keepdims keeps the pooled axes as 1s; GlobalAveragePooling2D(keepdims=True) of (9, 8, 3) is (None, 1, 1, 3).
  { kind: 'GlobalAveragePooling2D', params: { keepdims: true }, input: [9, 8, 3], shape: [null, 1, 1, 3], count: 0 },
  { kind: 'GlobalMaxPooling2D', params: { keepdims: true }, input: [7, 7, 64], shape: [null, 1, 1, 64], count: 0 },
  { kind: 'GlobalAveragePooling1D', params: { keepdims: true }, input: [20, 16], shape: [null, 1, 16], count: 0 },
  { kind: 'GlobalMaxPooling1D', params: { keepdims: true }, input: [20, 16], shape: [null, 1, 16], count: 0 },
  // Volumes (depth, height, width, channels), each figure from Keras 3 on keras.Input((5, 6, 7, 2)).
  { kind: 'GlobalMaxPooling3D', params: { keepdims: true }, input: [5, 6, 7, 2], shape: [null, 1, 1, 1, 2], count: 0 },
  { kind: 'GlobalAveragePooling3D', input: [5, 6, 7, 2], shape: [null, 2], count: 0 },
  { kind: 'MaxPooling3D', input: [5, 6, 7, 2], shape: [null, 2, 3, 3, 2], count: 0 },
  { kind: 'AveragePooling3D', params: { poolSize: [2, 2, 2], strides: [1, 1, 1], padding: 'same' }, input: [5, 6, 7, 2], shape: [null, 5, 6, 7, 2], count: 0 },
  { kind: 'ZeroPadding3D', params: { padding: [[1, 2], [0, 1], [3, 0]] }, input: [5, 6, 7, 2], shape: [null, 8, 7, 10, 2], count: 0 },
  { kind: 'Cropping3D', params: { cropping: [[1, 0], [2, 1], [0, 3]] }, input: [5, 6, 7, 2], shape: [null, 4, 3, 4, 2], count: 0 },
  { kind: 'UpSampling3D', params: { size: [1, 2, 3] }, input: [5, 6, 7, 2], shape: [null, 5, 12, 21, 2], count: 0 },
  // Sequences (steps, channels), from Keras 3 on keras.Input((7, 3)).
  { kind: 'ZeroPadding1D', params: { padding: [1, 2] }, input: [7, 3], shape: [null, 10, 3], count: 0 },
  { kind: 'Cropping1D', params: { cropping: [1, 2] }, input: [7, 3], shape: [null, 4, 3], count: 0 },
  { kind: 'UpSampling1D', params: { size: 3 }, input: [7, 3], shape: [null, 21, 3], count: 0 },
  // Keras summaries (shared/reference/README.md).
  { kind: 'LSTM', params: { units: 128 }, input: [20, 64], shape: [null, 128], count: 98816, formula: '4·(128·(64+128) + 128) = 98,816' },
  { kind: 'GRU', params: { units: 256, returnSequences: true, resetAfter: true }, input: [20, 64], shape: [null, 20, 256], count: 247296 },
  { kind: 'SimpleRNN', params: { units: 128 }, input: [20, 256], shape: [null, 128], count: 49280 },
  { kind: 'SimpleRNN', params: { units: 32 }, input: [20, 32], shape: [null, 32], count: 2080 },
  { kind: 'GRU', params: { units: 32 }, input: [240, 14], shape: [null, 32], count: 4512, formula: '3·(32·(14+32) + 32) = 4,512' },
  { kind: 'GRU', params: { units: 32 }, input: [76, 32], shape: [null, 32], count: 6240 },
  { kind: 'Bidirectional', params: { layer: 'LSTM', units: 64, returnSequences: true }, input: [5, 10], shape: [null, 5, 128], count: 38400, formula: '2 × (4·(64·(10+64) + 64)) = 38,400' },
  { kind: 'Bidirectional', params: { layer: 'LSTM', units: 32 }, input: [5, 128], shape: [null, 64], count: 41216 },
  { kind: 'Bidirectional', params: { layer: 'GRU', units: 8, mergeMode: 'sum' }, input: [5, 3], shape: [null, 8], count: 2 * 3 * (8 * (3 + 8) + 8) },
  { kind: 'Dense', params: { units: 10 }, input: [128], shape: [null, 10], count: 1290 },
  { kind: 'Dense', params: { units: 4096 }, input: [9216], shape: [null, 4096], count: 37752832 },
  { kind: 'Dense', params: { units: 7 }, input: [5, 3], shape: [null, 5, 7], count: 28, macs: 5 * 3 * 7 },
  { kind: 'Embedding', params: { inputDim: 10000, outputDim: 32 }, input: [500], shape: [null, 500, 32], count: 320000 },
  // Keras 3: Embedding(50, 8) of keras.Input((4, 6)) is (None, 4, 6, 8), 50·8 = 400 weights.
  { kind: 'Embedding', params: { inputDim: 50, outputDim: 8 }, input: [4, 6], shape: [null, 4, 6, 8], count: 400 },
  { kind: 'BatchNormalization', input: [56, 56, 64], shape: [null, 56, 56, 64], count: 256, trainable: 128 },
  { kind: 'BatchNormalization', params: { scale: false }, input: [10, 6], shape: [null, 10, 6], count: 18, trainable: 6 },
  { kind: 'LayerNormalization', input: [10, 6], shape: [null, 10, 6], count: 12 },
  // Keras 3 on keras.Input((9, 8, 3)): gamma and beta have the normalised dims' shape.
  { kind: 'LayerNormalization', params: { axis: [1, 2] }, input: [9, 8, 3], shape: [null, 9, 8, 3], count: 2 * 9 * 8, formula: '2·9·8 = 144' },
  { kind: 'LayerNormalization', params: { axis: [1, 2, 3] }, input: [9, 8, 3], shape: [null, 9, 8, 3], count: 432 },
  { kind: 'LayerNormalization', params: { axis: [-2, -1], center: false }, input: [9, 8, 3], shape: [null, 9, 8, 3], count: 24 },
  { kind: 'LayerNormalization', params: { axis: 2 }, input: [9, 8, 3], shape: [null, 9, 8, 3], count: 16 },
  { kind: 'Flatten', input: [6, 6, 256], shape: [null, 9216], count: 0 },
  { kind: 'Reshape', params: { targetShape: [28, -1] }, input: [784], shape: [null, 28, 28], count: 0 },
  { kind: 'Dropout', params: { rate: 0.2 }, input: [4, 4], shape: [null, 4, 4], count: 0 },
  { kind: 'Activation', params: { activation: 'softmax' }, input: [10], shape: [null, 10], count: 0 },
  // Keras ReLU(max_value=6) is MobileNet's ReLU6; LeakyReLU(0.1) is Darknet's.
  { kind: 'ReLU', params: { maxValue: 6 }, input: [7, 7, 32], shape: [null, 7, 7, 32], count: 0 },
  { kind: 'ReLU', params: { negativeSlope: 0.1, threshold: 0.5 }, input: [10], shape: [null, 10], count: 0 },
  { kind: 'LeakyReLU', params: { alpha: 0.1 }, input: [13, 13, 16], shape: [null, 13, 13, 16], count: 0 },
  // Keras PReLU: one learned slope per input value, or per channel with shared_axes=[1, 2] (He et al. 2015).
  { kind: 'PReLU', input: [28, 28, 32], shape: [null, 28, 28, 32], count: 28 * 28 * 32 },
  { kind: 'PReLU', params: { sharedAxes: [1, 2] }, input: [28, 28, 32], shape: [null, 28, 28, 32], count: 32 },
  { kind: 'PReLU', params: { sharedAxes: [1] }, input: [20, 8], shape: [null, 20, 8], count: 8 },
  { kind: 'GlobalMaxPooling2D', input: [13, 13, 1024], shape: [null, 1024], count: 0 },
  { kind: 'GlobalAveragePooling1D', input: [92, 32], shape: [null, 32], count: 0 },
  { kind: 'Add', input: [56, 56, 256], shape: [null, 56, 56, 256], count: 0, inputs: 2 },
  { kind: 'Multiply', input: [1, 1, 64], shape: [null, 1, 1, 64], count: 0, inputs: 2 },
  { kind: 'Subtract', input: [16, 8], shape: [null, 16, 8], count: 0, inputs: 2 },
  { kind: 'Average', input: [4, 4, 3], shape: [null, 4, 4, 3], count: 0, inputs: 3 },
  { kind: 'Maximum', input: [10], shape: [null, 10], count: 0, inputs: 2 },
  { kind: 'Minimum', input: [6, 2], shape: [null, 6, 2], count: 0, inputs: 4 },
  { kind: 'Concatenate', input: [28, 28, 64], shape: [null, 28, 28, 192], count: 0, inputs: 3 },
  // Keras 3: Rescaling(1/255), Identity, RepeatVector(3), Permute((2, 1)) and the spatial dropouts have no weights.
  { kind: 'Rescaling', params: { scale: 1 / 255 }, input: [224, 224, 3], shape: [null, 224, 224, 3], count: 0 },
  { kind: 'Rescaling', params: { scale: 1 / 127.5, offset: -1 }, input: [32, 32, 3], shape: [null, 32, 32, 3], count: 0 },
  { kind: 'Identity', input: [5, 3], shape: [null, 5, 3], count: 0 },
  { kind: 'RepeatVector', params: { n: 3 }, input: [32], shape: [null, 3, 32], count: 0 },
  { kind: 'Permute', params: { dims: [2, 1] }, input: [10, 64], shape: [null, 64, 10], count: 0 },
  { kind: 'Permute', params: { dims: [3, 1, 2] }, input: [4, 5, 6], shape: [null, 6, 4, 5], count: 0 },
  { kind: 'SpatialDropout1D', params: { rate: 0.2 }, input: [100, 64], shape: [null, 100, 64], count: 0 },
  { kind: 'SpatialDropout2D', params: { rate: 0.2 }, input: [28, 28, 32], shape: [null, 28, 28, 32], count: 0 },
  // EfficientNet's stochastic depth: Dropout(0.2, noise_shape=(None, 1, 1, 1)).
  { kind: 'Dropout', params: { rate: 0.2, noiseShape: [null, 1, 1, 1] }, input: [7, 7, 320], shape: [null, 7, 7, 320], count: 0 },
  // Keras 3 Normalization, built without a mean and variance: mean 3 + variance 3 + count 1 = 7, none trainable.
  { kind: 'Normalization', input: [224, 224, 3], shape: [null, 224, 224, 3], count: 7, trainable: 0, formula: '3 + 3 + 1 = 7' },
  // axis=1 of (5, 4, 3): mean 5 + variance 5 + count 1 = 11 (Keras 3).
  { kind: 'Normalization', params: { axis: 1 }, input: [5, 4, 3], shape: [null, 5, 4, 3], count: 11, trainable: 0 },
  { kind: 'Activation', params: { activation: 'hardSilu' }, input: [10], shape: [null, 10], count: 0 },
  { kind: 'Dense', params: { units: 4, activation: 'leakyRelu' }, input: [6], shape: [null, 4], count: 6 * 4 + 4 },
  // Keras 3 TimeDistributed: the wrapped layer's weights on one step, shared by every step.
  { kind: 'TimeDistributed', params: { layer: 'Dense', units: 4 }, input: [5, 3], shape: [null, 5, 4], count: 16, formula: '3·4 + 4 = 16', macs: 5 * 3 * 4 },
  { kind: 'TimeDistributed', params: { layer: 'Conv2D', filters: 8, kernelSize: [3, 3] }, input: [10, 32, 32, 3], shape: [null, 10, 30, 30, 8], count: 224, formula: '3·3·3·8 + 8 = 224' },
  { kind: 'TimeDistributed', params: { layer: 'GlobalAveragePooling2D' }, input: [10, 8, 8, 3], shape: [null, 10, 3], count: 0 },
  { kind: 'TimeDistributed', params: { layer: 'BatchNormalization' }, input: [10, 8, 8, 3], shape: [null, 10, 8, 8, 3], count: 12, trainable: 6 },
  { kind: 'TimeDistributed', params: { layer: 'Flatten' }, input: [10, 4, 4, 2], shape: [null, 10, 32], count: 0 },
  // keras.io "Text classification with Transformer": MultiHeadAttention(num_heads=2, key_dim=32) on 200 tokens × 32;
  // Keras 3 count_params() 8,416. Multiply-adds: four projections 4·200·32·2·32, then Q·Kᵀ and the weighted
  // sum of the values, 2·200·200·32 each.
  { kind: 'MultiHeadAttention', params: { numHeads: 2, keyDim: 32 }, input: [200, 32], shape: [null, 200, 32], count: 8416, formula: '3·(32·2·32 + 2·32) + 2·32·32 + 32 = 8,416', macs: 4 * 200 * 32 * 2 * 32 + 2 * (2 * 200 * 200 * 32), inputs: 2 },
  // Keras 3: MultiHeadAttention(2, 8, value_dim=4, output_shape=16) on (10, 32) counts 1,464.
  { kind: 'MultiHeadAttention', params: { numHeads: 2, keyDim: 8, valueDim: 4, outputShape: 16 }, input: [10, 32], shape: [null, 10, 16], count: 1464, formula: '(32·2·8 + 2·8) + (32·2·8 + 2·8) + (32·2·4 + 2·4) + 2·4·16 + 16 = 1,464', macs: 10 * (32 * 2 * 8 * 2 + 32 * 2 * 4 + 2 * 4 * 16) + 2 * 10 * 10 * (8 + 4), inputs: 2 },
  // Keras 3: use_bias=False on (5, 8), heads 2, key_dim 4: 256.
  { kind: 'MultiHeadAttention', params: { numHeads: 2, keyDim: 4, useBias: false }, input: [5, 8], shape: [null, 5, 8], count: 256, formula: '3·8·2·4 + 2·4·8 = 256', inputs: 2 },
  // Keras 3: attention over both axes of a 4×6 grid of 8 features, heads 2, key_dim 4: 288 (24 positions attend to 24).
  { kind: 'MultiHeadAttention', params: { numHeads: 2, keyDim: 4 }, input: [4, 6, 8], shape: [null, 4, 6, 8], count: 288, macs: 4 * 24 * 8 * 2 * 4 + 2 * 24 * 24 * (4 + 4), inputs: 2 },
  // keras_hub PositionEmbedding(sequence_length=16) over 32 features: a 16×32 table.
  { kind: 'PositionEmbedding', params: { sequenceLength: 16 }, input: [16, 32], shape: [null, 16, 32], count: 512 },
  { kind: 'PositionEmbedding', params: { sequenceLength: 512 }, input: [200, 32], shape: [null, 200, 32], count: 512 * 32 },
  // ViT-B/16: 196 patches of 768 → 197 positions; torchvision's class_token holds 768 parameters.
  { kind: 'ClassToken', input: [196, 768], shape: [null, 197, 768], count: 768 },
];

function single(c: Case) {
  const b = new GraphBuilder('case');
  const xs = Array.from({ length: c.inputs ?? 1 }, (_, i) => b.add('Input', { shape: c.input }, [], `x${i}`));
  const id = b.add(c.kind, c.params ?? {}, xs, 'layer');
  return analyze(b.build()).byId.get(id)!;
}

describe('layer kinds: shapes, counts and arithmetic', () => {
  for (const c of CASES) {
    it(`${c.kind} ${JSON.stringify(c.params ?? {})} on ${c.input.join('×')}`, () => {
      const r = single(c);
      expect(r.errors).toEqual([]);
      expect(r.outputShape).toEqual(c.shape);
      expect(r.paramCount).toBe(c.count);
      expect(r.trainable).toBe(c.trainable ?? c.count);
      if (c.formula) expect(r.formula).toBe(c.formula);
      if (c.macs !== undefined) expect(r.macs).toBe(c.macs);
    });
  }
});

describe('the table', () => {
  it('has a case for every kind that takes inputs (a new kind needs its rows here)', () => {
    const covered = new Set(CASES.map((c) => c.kind));
    expect(LAYERS.filter((l) => !l.isModelInput && !covered.has(l.kind)).map((l) => l.kind)).toEqual([]);
  });
});

describe('Window', () => {
  it('is a model input of (nSteps, features)', () => {
    const b = new GraphBuilder('w');
    const w = b.add('Window', { nSteps: 3, features: 1 }, [], 'window');
    b.add('LSTM', { units: 50, activation: 'relu' }, [w], 'lstm');
    const a = analyze(b.build());
    expect(a.inputs).toEqual(['window']);
    expect(a.byId.get('window')!.outputShape).toEqual([null, 3, 1]);
    expect(a.byId.get('lstm')!.paramCount).toBe(4 * (50 * (1 + 50) + 50));
  });
});

describe('merges', () => {
  it('Add and Concatenate follow Keras', () => {
    const b = new GraphBuilder('m');
    const x = b.add('Input', { shape: [8, 8, 4] }, [], 'x');
    const c1 = b.add('Conv2D', { filters: 4, kernelSize: [3, 3], padding: 'same' }, [x], 'c1');
    const add = b.add('Add', {}, [x, c1], 'add');
    const cat = b.add('Concatenate', {}, [x, c1, add], 'cat');
    const a = analyze(b.build());
    expect(a.byId.get(add)!.outputShape).toEqual([null, 8, 8, 4]);
    expect(a.byId.get(cat)!.outputShape).toEqual([null, 8, 8, 12]);
  });
});

describe('element-wise merges broadcast as Keras 3 does (base_merge.py _compute_elemwise_op_output_shape)', () => {
  /** Inputs of the given shapes into one merge; its output shape, or its error. */
  function merge(kind: string, ...shapes: (number | null)[][]) {
    const b = new GraphBuilder('bc');
    const ins = shapes.map((s, i) => b.add('Input', { shape: s }, [], `x${i}`));
    const m = b.add(kind, {}, ins, 'm');
    const r = analyze(b.build()).byId.get(m)!;
    return { shape: r.outputShape, error: r.errors.map((e) => e.message).join('; ') };
  }
  // Each figure is what Keras 3 gives for keras.layers.<Kind>()([keras.Input(a), keras.Input(b)]).shape.
  it('squeeze-and-excite: (7, 7, 64) ⊙ (1, 1, 64) is (None, 7, 7, 64)', () => {
    expect(merge('Multiply', [7, 7, 64], [1, 1, 64]).shape).toEqual([null, 7, 7, 64]);
  });
  it('lines a shorter shape up with the last axes: (5, 3) + (3,) and (8, 8, 3) + (3,)', () => {
    expect(merge('Add', [5, 3], [3]).shape).toEqual([null, 5, 3]);
    expect(merge('Add', [8, 8, 3], [3]).shape).toEqual([null, 8, 8, 3]);
  });
  it('stretches 1s on both sides: (4, 1) − (1, 6) is (None, 4, 6)', () => {
    expect(merge('Subtract', [4, 1], [1, 6]).shape).toEqual([null, 4, 6]);
  });
  it('over several inputs: min of (7, 5), (1,), (7, 1) is (None, 7, 5)', () => {
    expect(merge('Minimum', [7, 5], [1], [7, 1]).shape).toEqual([null, 7, 5]);
  });
  it('an unknown length on either side stays unknown: max of (None, 5), (7, 5) is (None, None, 5)', () => {
    expect(merge('Maximum', [null, 5], [7, 5]).shape).toEqual([null, null, 5]);
  });
  it('refuses two lengths other than 1, naming the ports, both shapes and the fix', () => {
    const r = merge('Average', [4, 5], [3, 5]);
    expect(r.shape).toBeNull();
    expect(r.error).toMatch(/in0 is 4×5 and in1 is 3×5/);
    expect(r.error).toMatch(/axis 1 is 4 against 3/);
    expect(r.error).toMatch(/or 1 so that it broadcasts/);
    expect(merge('Add', [8, 8, 16], [8, 8, 32]).error).toMatch(/1×1 Conv2D/);
  });
  it('Subtract takes exactly two inputs', () => {
    expect(merge('Subtract', [3], [3], [3]).error).not.toBe('');
  });
});

describe('attention', () => {
  it('self-attention: one source feeds query and value (Keras mha(x, x))', () => {
    const b = new GraphBuilder('self');
    const x = b.add('Input', { shape: [200, 32] }, [], 'x');
    const m = b.add('MultiHeadAttention', { numHeads: 2, keyDim: 32 }, [x, x], 'mha');
    const a = analyze(b.build());
    expect(a.problems).toEqual([]);
    expect(a.byId.get(m)!.inputIds).toEqual([x, x]);
    expect(a.byId.get(m)!.paramCount).toBe(8416);
  });

  it('cross-attention with its own key: each projection from its own input (Keras 3: 850)', () => {
    const b = new GraphBuilder('cross');
    const q = b.add('Input', { shape: [5, 16] }, [], 'q');
    const v = b.add('Input', { shape: [7, 12] }, [], 'v');
    const k = b.add('Input', { shape: [7, 8] }, [], 'k');
    const m = b.add('MultiHeadAttention', { numHeads: 3, keyDim: 4, valueDim: 6 }, [q, v, k], 'mha');
    const r = analyze(b.build()).byId.get(m)!;
    expect(r.errors).toEqual([]);
    expect(r.outputShape).toEqual([null, 5, 16]);
    expect(r.paramCount).toBe(850);
    expect(r.formula).toBe('(16·3·4 + 3·4) + (8·3·4 + 3·4) + (12·3·6 + 3·6) + 3·6·16 + 16 = 850');
    // Projections 5·16·3·4 + 7·8·3·4 + 7·12·3·6 + 5·3·6·16; Q·Kᵀ 3·5·7·4; values 3·5·7·6.
    expect(r.macs).toBe(5 * 16 * 3 * 4 + 7 * 8 * 3 * 4 + 7 * 12 * 3 * 6 + 5 * 3 * 6 * 16 + 3 * 5 * 7 * 4 + 3 * 5 * 7 * 6);
  });

  it('a query longer than PositionEmbedding\'s table names the fix', () => {
    const b = new GraphBuilder('pe');
    const x = b.add('Input', { shape: [20, 8] }, [], 'x');
    const p = b.add('PositionEmbedding', { sequenceLength: 16 }, [x], 'pos');
    const r = analyze(b.build()).byId.get(p)!;
    expect(r.errors.map((e) => e.message).join()).toMatch(/set sequenceLength to at least 20/);
  });

  it('key and value of different lengths are refused with the fix', () => {
    const b = new GraphBuilder('kv');
    const q = b.add('Input', { shape: [5, 8] }, [], 'q');
    const v = b.add('Input', { shape: [7, 8] }, [], 'v');
    const k = b.add('Input', { shape: [6, 8] }, [], 'k');
    const m = b.add('MultiHeadAttention', {}, [q, v, k], 'mha');
    expect(analyze(b.build()).byId.get(m)!.errors.map((e) => e.message).join()).toMatch(/feed key and value from one sequence/);
  });
});

describe('attention layers need a known feature size', () => {
  it.each([
    ['ClassToken', {}, 'ClassToken'],
    ['PositionEmbedding', { sequenceLength: 16 }, 'PositionEmbedding'],
    ['MultiHeadAttention', { numHeads: 2, keyDim: 4 }, "MultiHeadAttention's query"],
  ])('%s on 16×None names itself and the fix', (kind, params, who) => {
    const b = new GraphBuilder('open');
    const x = b.add('Input', { shape: [16, null] }, [], 'x');
    const id = b.add(kind, params, kind === 'MultiHeadAttention' ? [x, x] : [x], 'layer');
    const r = analyze(b.build()).byId.get(id)!;
    expect(r.status).toBe('error');
    expect(r.errors.map((e) => e.message).join('; ')).toContain(`${who} needs a known last (feature) dimension, got 16×None; give the input a fixed last dimension`);
  });
});
