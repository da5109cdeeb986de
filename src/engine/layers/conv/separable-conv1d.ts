import { channels, defineLayer } from '../../layer.ts';
import { int, oneOf } from '../../params.ts';
import { CHANNELS_LAST, conv1dParams, convWindow, slideShape } from './conv-utils.ts';

const { filters, kernelSize, strides, dilationRate, activation, useBias } = conv1dParams();

export default defineLayer({
  kind: 'SeparableConv1D',
  category: 'Convolution',
  doc: 'A depthwise 1-D convolution along a sequence followed by a pointwise (1-step) convolution mixing the channels.',
  params: {
    filters, kernelSize, strides,
    padding: oneOf(['valid', 'same'], { default: 'valid' }),
    dilationRate, depthMultiplier: int({ default: 1 }), activation, useBias,
  },
  inputs: { min: 1, max: 1, ranks: [2] },
  keras: { className: 'SeparableConv1D', aliases: ['SeparableConvolution1D'], lists: ['kernelSize', 'strides', 'dilationRate'], fixed: CHANNELS_LAST },
  receptive: convWindow,
  inferShape: ([x], p) => [
    ...slideShape(x, { kind: 'SeparableConv1D', what: 'kernel', kernel: [p.kernelSize], strides: [p.strides], padding: p.padding, dilation: [p.dilationRate] }),
    p.filters,
  ],
  weights: ([x], p) => [
    { name: 'depthwise_kernel', shape: [p.kernelSize, channels(x), p.depthMultiplier], trainable: true },
    { name: 'pointwise_kernel', shape: [1, channels(x) * p.depthMultiplier, p.filters], trainable: true },
    ...(p.useBias ? [{ name: 'bias', shape: [p.filters], trainable: true }] : []),
  ],
  macs: ([x], out, p) => {
    const steps = out[1] ?? 0;
    const c = channels(x) * p.depthMultiplier;
    return steps * p.kernelSize * c + steps * c * p.filters;
  },
  describe: (p) => `${p.filters} · sep k${p.kernelSize}${p.strides > 1 ? ` /${p.strides}` : ''} · ${p.padding}`,
});
