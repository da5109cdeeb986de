import { channels, defineLayer } from '../../layer.ts';
import { int, oneOf } from '../../params.ts';
import { CHANNELS_LAST, conv1dParams, convWindow, slideShape } from './conv-utils.ts';

const { kernelSize, strides, dilationRate, activation, useBias } = conv1dParams();

export default defineLayer({
  kind: 'DepthwiseConv1D',
  category: 'Convolution',
  doc: 'One kernel per input channel (times depthMultiplier) along a sequence: filtering in time without mixing channels.',
  params: {
    kernelSize, strides,
    padding: oneOf(['valid', 'same'], { default: 'valid' }),
    depthMultiplier: int({ default: 1 }), dilationRate, activation, useBias,
  },
  inputs: { min: 1, max: 1, ranks: [2] },
  keras: { className: 'DepthwiseConv1D', lists: ['kernelSize', 'strides', 'dilationRate'], fixed: CHANNELS_LAST },
  receptive: convWindow,
  inferShape: ([x], p) => [
    ...slideShape(x, { kind: 'DepthwiseConv1D', what: 'kernel', kernel: [p.kernelSize], strides: [p.strides], padding: p.padding, dilation: [p.dilationRate] }),
    channels(x) * p.depthMultiplier,
  ],
  weights: ([x], p) => [
    { name: 'depthwise_kernel', shape: [p.kernelSize, channels(x), p.depthMultiplier], trainable: true },
    ...(p.useBias ? [{ name: 'bias', shape: [channels(x) * p.depthMultiplier], trainable: true }] : []),
  ],
  macs: ([x], out, p) => (out[1] ?? 0) * p.kernelSize * channels(x) * p.depthMultiplier,
  describe: (p) => `dw k${p.kernelSize}${p.strides > 1 ? ` /${p.strides}` : ''} · ${p.padding}`,
});
