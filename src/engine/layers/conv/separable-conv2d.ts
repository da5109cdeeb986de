import { channels, defineLayer, pairText } from '../../layer.ts';
import { int } from '../../params.ts';
import { CHANNELS_LAST, conv2dParams, convWindow, slideShape, spatialPositions } from './conv-utils.ts';

export default defineLayer({
  kind: 'SeparableConv2D',
  category: 'Convolution',
  doc: 'A depthwise convolution followed by a 1×1 pointwise convolution (Xception).',
  params: { ...conv2dParams(), depthMultiplier: int({ default: 1 }) },
  inputs: { min: 1, max: 1, ranks: [3] },
  keras: { className: 'SeparableConv2D', aliases: ['SeparableConvolution2D'], fixed: CHANNELS_LAST },
  receptive: convWindow,
  inferShape: ([x], p) => [
    ...slideShape(x, { kind: 'SeparableConv2D', what: 'kernel', kernel: p.kernelSize, strides: p.strides, padding: p.padding, dilation: p.dilationRate }),
    p.filters,
  ],
  weights: ([x], p) => [
    { name: 'depthwise_kernel', shape: [...p.kernelSize, channels(x), p.depthMultiplier], trainable: true },
    { name: 'pointwise_kernel', shape: [1, 1, channels(x) * p.depthMultiplier, p.filters], trainable: true },
    ...(p.useBias ? [{ name: 'bias', shape: [p.filters], trainable: true }] : []),
  ],
  macs: ([x], out, p) => {
    const pos = spatialPositions(out, 2);
    const c = channels(x) * p.depthMultiplier;
    return pos * p.kernelSize[0] * p.kernelSize[1] * c + pos * c * p.filters;
  },
  describe: (p) => `${p.filters} · sep ${pairText(p.kernelSize)}${p.strides.some((s) => s > 1) ? ` /${p.strides[0]}` : ''} · ${p.padding}`,
});
