import { channels, defineLayer, pairText } from '../../layer.ts';
import { CHANNELS_LAST, conv3dParams, convWindow, groupChannels, groupsParam, groupsRefusal, slideShape, spatialPositions } from './conv-utils.ts';

export default defineLayer({
  kind: 'Conv3D',
  category: 'Convolution',
  doc: 'Slides `filters` kernels of kernelSize×channels over a volume (depth, height, width, channels): video clips, scans (C3D).',
  params: { ...conv3dParams(), groups: groupsParam() },
  inputs: { min: 1, max: 1, ranks: [4] },
  keras: { className: 'Conv3D', aliases: ['Convolution3D'], fixed: CHANNELS_LAST },
  tfjs: { cannot: groupsRefusal('Conv3D'), drop: ['groups'] },
  receptive: convWindow,
  inferShape: ([x], p) => {
    const out = [
      ...slideShape(x, { kind: 'Conv3D', what: 'kernel', kernel: p.kernelSize, strides: p.strides, padding: p.padding, dilation: p.dilationRate }),
      p.filters,
    ];
    groupChannels('Conv3D', channels(x), p.filters, p.groups);
    return out;
  },
  weights: ([x], p) => [
    { name: 'kernel', shape: [...p.kernelSize, channels(x) / p.groups, p.filters], trainable: true },
    ...(p.useBias ? [{ name: 'bias', shape: [p.filters], trainable: true }] : []),
  ],
  macs: ([x], out, p) => spatialPositions(out, 3) * p.kernelSize[0] * p.kernelSize[1] * p.kernelSize[2] * (channels(x) / p.groups) * p.filters,
  describe: (p) => `${p.filters} · ${pairText(p.kernelSize)}${p.strides.some((s) => s > 1) ? ` /${p.strides[0]}` : ''} · ${p.padding}${p.groups > 1 ? ` · g${p.groups}` : ''}`,
});
