import { defineLayer, requireRank } from '../../layer.ts';
import { int } from '../../params.ts';

export default defineLayer({
  kind: 'UpSampling1D',
  category: 'Pooling',
  doc: 'Repeats each step `size` times to lengthen a sequence.',
  params: { size: int({ default: 2 }) },
  inputs: { min: 1, max: 1, ranks: [2] },
  // Keras's UpSampling1D has no data_format; tf.layers (4.22) has no upSampling1d.
  keras: { className: 'UpSampling1D' },
  receptive: (p) => ({ kernel: p.size, stride: p.size, transposed: true }),
  inferShape: ([x], p) => {
    requireRank('UpSampling1D', x, 2, '(steps, channels)', 'use UpSampling2D for images');
    const [n, c] = x.slice(1);
    return [null, n === null ? null : n * p.size, c];
  },
  describe: (p) => `×${p.size}`,
});
