import { CHANNELS_LAST } from '../conv/conv-utils.ts';
import { defineLayer, requireRank } from '../../layer.ts';
import { tuple } from '../../params.ts';

export default defineLayer({
  kind: 'ZeroPadding1D',
  category: 'Pooling',
  doc: 'Adds zero steps at the start and end of a sequence: (before, after).',
  params: { padding: tuple({ default: [1, 1], min: 0, doc: '(before, after)' }) },
  inputs: { min: 1, max: 1, ranks: [2] },
  keras: { className: 'ZeroPadding1D', fixed: CHANNELS_LAST },
  // tf.layers (4.22) has no zeroPadding1d.
  receptive: 'pass',
  inferShape: ([x], p) => {
    requireRank('ZeroPadding1D', x, 2, '(steps, channels)', 'use ZeroPadding2D for images');
    const [n, c] = x.slice(1);
    return [null, n === null ? null : n + p.padding[0] + p.padding[1], c];
  },
  describe: (p) => p.padding.join('/'),
});
