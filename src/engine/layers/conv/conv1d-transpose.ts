import { channels, defineLayer } from '../../layer.ts';
import { oneOf, optInt } from '../../params.ts';
import { CHANNELS_LAST, conv1dParams, deconvShape } from './conv-utils.ts';

const { filters, kernelSize, strides, activation, useBias } = conv1dParams();

export default defineLayer({
  kind: 'Conv1DTranspose',
  category: 'Convolution',
  doc: 'Transposed 1-D convolution: upsamples a sequence (steps, features) by its strides (audio and time-series decoders).',
  params: {
    filters, kernelSize, strides,
    padding: oneOf(['valid', 'same'], { default: 'valid' }),
    outputPadding: optInt({ min: 0, doc: 'extra output steps (below strides); null: derived' }),
    activation, useBias,
  },
  inputs: { min: 1, max: 1, ranks: [2] },
  keras: { className: 'Conv1DTranspose', aliases: ['Convolution1DTranspose', 'Deconvolution1D', 'Deconv1D'], lists: ['kernelSize', 'strides', 'outputPadding'], fixed: CHANNELS_LAST },
  receptive: (p) => ({ kernel: p.kernelSize, stride: p.strides, transposed: true }),
  inferShape: ([x], p) => [
    ...deconvShape('Conv1DTranspose', x, { kernel: [p.kernelSize], strides: [p.strides], padding: p.padding, outputPadding: p.outputPadding === null ? null : [p.outputPadding] }),
    p.filters,
  ],
  weights: ([x], p) => [
    { name: 'kernel', shape: [p.kernelSize, p.filters, channels(x)], trainable: true },
    ...(p.useBias ? [{ name: 'bias', shape: [p.filters], trainable: true }] : []),
  ],
  // Each input step scatters a kernelSize×filters patch per input channel.
  macs: ([x], _out, p) => (x[1] ?? 0) * p.kernelSize * channels(x) * p.filters,
  describe: (p) => `${p.filters} · k${p.kernelSize} ×${p.strides} · ${p.padding}`,
});
