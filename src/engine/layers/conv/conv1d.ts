import { channels, defineLayer } from '../../layer.ts';
import { CHANNELS_LAST, conv1dParams, convWindow, groupChannels, groupsParam, groupsRefusal, slideShape } from './conv-utils.ts';

const groupsTfjs = groupsRefusal('Conv1D');

export default defineLayer({
  kind: 'Conv1D',
  category: 'Convolution',
  doc: 'Slides `filters` kernels of `kernelSize` steps along a sequence (steps, features).',
  params: { ...conv1dParams(), groups: groupsParam() },
  inputs: { min: 1, max: 1, ranks: [2] },
  keras: { className: 'Conv1D', aliases: ['Convolution1D'], lists: ['kernelSize', 'strides', 'dilationRate'], fixed: CHANNELS_LAST },
  tfjs: {
    cannot: (p) => (p.padding === 'causal' ? { field: 'padding', message: "TF.js cannot run Conv1D with padding 'causal'; use 'valid' after a ZeroPadding or 'same'" } : groupsTfjs(p)),
    drop: ['groups'],
  },
  receptive: convWindow,
  inferShape: ([x], p) => {
    const out = [
      ...slideShape(x, { kind: 'Conv1D', what: 'kernel', kernel: [p.kernelSize], strides: [p.strides], padding: p.padding, dilation: [p.dilationRate] }),
      p.filters,
    ];
    groupChannels('Conv1D', channels(x), p.filters, p.groups);
    return out;
  },
  weights: ([x], p) => [
    { name: 'kernel', shape: [p.kernelSize, channels(x) / p.groups, p.filters], trainable: true },
    ...(p.useBias ? [{ name: 'bias', shape: [p.filters], trainable: true }] : []),
  ],
  macs: ([x], out, p) => (out[1] ?? 0) * p.kernelSize * (channels(x) / p.groups) * p.filters,
  describe: (p) => `${p.filters} · k${p.kernelSize}${p.strides > 1 ? ` /${p.strides}` : ''} · ${p.padding}${p.groups > 1 ? ` · g${p.groups}` : ''}`,
});
