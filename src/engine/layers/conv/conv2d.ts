import { channels, defineLayer, pairText } from '../../layer.ts';
import { CHANNELS_LAST, conv2dParams, convWindow, groupChannels, groupsParam, groupsRefusal, slideShape, spatialPositions } from './conv-utils.ts';

export default defineLayer({
  kind: 'Conv2D',
  category: 'Convolution',
  doc: 'Slides `filters` kernels of kernelSize×channels over an image (height, width, channels); groups > 1 splits the channels (ResNeXt).',
  params: { ...conv2dParams(), groups: groupsParam() },
  inputs: { min: 1, max: 1, ranks: [3] },
  keras: { className: 'Conv2D', aliases: ['Convolution2D'], fixed: CHANNELS_LAST },
  tfjs: { cannot: groupsRefusal('Conv2D'), drop: ['groups'] },
  receptive: convWindow,
  inferShape: ([x], p) => {
    const out = [
      ...slideShape(x, { kind: 'Conv2D', what: 'kernel', kernel: p.kernelSize, strides: p.strides, padding: p.padding, dilation: p.dilationRate }),
      p.filters,
    ];
    groupChannels('Conv2D', channels(x), p.filters, p.groups);
    return out;
  },
  weights: ([x], p) => [
    { name: 'kernel', shape: [...p.kernelSize, channels(x) / p.groups, p.filters], trainable: true },
    ...(p.useBias ? [{ name: 'bias', shape: [p.filters], trainable: true }] : []),
  ],
  macs: ([x], out, p) => spatialPositions(out, 2) * p.kernelSize[0] * p.kernelSize[1] * (channels(x) / p.groups) * p.filters,
  describe: (p) => `${p.filters} · ${pairText(p.kernelSize)}${p.strides.some((s) => s > 1) ? ` /${p.strides[0]}` : ''} · ${p.padding}${p.groups > 1 ? ` · g${p.groups}` : ''}`,
});
