import { channels, defineLayer, pairText } from '../../layer.ts';
import { CHANNELS_LAST, conv2dParams, convWindow, grouped, slideShape, spatialPositions } from './conv-utils.ts';

export default defineLayer({
  kind: 'Conv2D',
  category: 'Convolution',
  doc: 'Slides `filters` kernels of kernelSize×channels over an image (height, width, channels).',
  params: conv2dParams(),
  inputs: { min: 1, max: 1, ranks: [3] },
  keras: { className: 'Conv2D', aliases: ['Convolution2D'], fixed: CHANNELS_LAST, unmodelled: grouped('Conv2D') },
  receptive: convWindow,
  inferShape: ([x], p) => [
    ...slideShape(x, { kind: 'Conv2D', what: 'kernel', kernel: p.kernelSize, strides: p.strides, padding: p.padding, dilation: p.dilationRate }),
    p.filters,
  ],
  weights: ([x], p) => [
    { name: 'kernel', shape: [...p.kernelSize, channels(x), p.filters], trainable: true },
    ...(p.useBias ? [{ name: 'bias', shape: [p.filters], trainable: true }] : []),
  ],
  macs: ([x], out, p) => spatialPositions(out, 2) * p.kernelSize[0] * p.kernelSize[1] * channels(x) * p.filters,
  describe: (p) => `${p.filters} · ${pairText(p.kernelSize)}${p.strides.some((s) => s > 1) ? ` /${p.strides[0]}` : ''} · ${p.padding}`,
});
