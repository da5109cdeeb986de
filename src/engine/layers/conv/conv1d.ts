import { channels, defineLayer } from '../../layer.ts';
import { CHANNELS_LAST, conv1dParams, convWindow, grouped, slideShape } from './conv-utils.ts';

export default defineLayer({
  kind: 'Conv1D',
  category: 'Convolution',
  doc: 'Slides `filters` kernels of `kernelSize` steps along a sequence (steps, features).',
  params: conv1dParams(),
  inputs: { min: 1, max: 1, ranks: [2] },
  keras: { className: 'Conv1D', aliases: ['Convolution1D'], lists: ['kernelSize', 'strides', 'dilationRate'], fixed: CHANNELS_LAST, unmodelled: grouped('Conv1D') },
  tfjs: { cannot: (p) => (p.padding === 'causal' ? { field: 'padding', message: "TF.js cannot run Conv1D with padding 'causal'; use 'valid' after a ZeroPadding or 'same'" } : null) },
  receptive: convWindow,
  inferShape: ([x], p) => [
    ...slideShape(x, { kind: 'Conv1D', what: 'kernel', kernel: [p.kernelSize], strides: [p.strides], padding: p.padding, dilation: [p.dilationRate] }),
    p.filters,
  ],
  weights: ([x], p) => [
    { name: 'kernel', shape: [p.kernelSize, channels(x), p.filters], trainable: true },
    ...(p.useBias ? [{ name: 'bias', shape: [p.filters], trainable: true }] : []),
  ],
  macs: ([x], out, p) => (out[1] ?? 0) * p.kernelSize * channels(x) * p.filters,
  describe: (p) => `${p.filters} · k${p.kernelSize}${p.strides > 1 ? ` /${p.strides}` : ''} · ${p.padding}`,
});
