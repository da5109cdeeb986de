import { channels, defineLayer, pairText } from '../../layer.ts';
import { int } from '../../params.ts';
import { CHANNELS_LAST, conv2dParams, convWindow, slideShape, spatialPositions } from './conv-utils.ts';

const { filters: _f, ...base } = conv2dParams();

export default defineLayer({
  kind: 'DepthwiseConv2D',
  category: 'Convolution',
  doc: 'One kernel per input channel (times depthMultiplier): spatial filtering without mixing channels (MobileNet).',
  params: { ...base, depthMultiplier: int({ default: 1 }) },
  inputs: { min: 1, max: 1, ranks: [3] },
  keras: { className: 'DepthwiseConv2D', aliases: ['DepthwiseConvolution2D'], fixed: CHANNELS_LAST },
  tfjs: {
    cannot: (p) => (p.dilationRate.some((d) => d > 1)
      ? { field: 'dilationRate', message: 'TF.js infers the wrong output size for DepthwiseConv2D with dilationRate > 1 (it ignores the dilation); use dilationRate [1, 1] or a SeparableConv2D' }
      : null),
  },
  receptive: convWindow,
  inferShape: ([x], p) => [
    ...slideShape(x, { kind: 'DepthwiseConv2D', what: 'kernel', kernel: p.kernelSize, strides: p.strides, padding: p.padding, dilation: p.dilationRate }),
    channels(x) * p.depthMultiplier,
  ],
  weights: ([x], p) => [
    { name: 'depthwise_kernel', shape: [...p.kernelSize, channels(x), p.depthMultiplier], trainable: true },
    ...(p.useBias ? [{ name: 'bias', shape: [channels(x) * p.depthMultiplier], trainable: true }] : []),
  ],
  macs: ([x], out, p) => spatialPositions(out, 2) * p.kernelSize[0] * p.kernelSize[1] * channels(x) * p.depthMultiplier,
  describe: (p) => `dw ${pairText(p.kernelSize)}${p.strides.some((s) => s > 1) ? ` /${p.strides[0]}` : ''} · ${p.padding}`,
});
