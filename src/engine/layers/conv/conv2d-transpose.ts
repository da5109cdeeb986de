import { channels, deconvOutLength, defineLayer, pairText, requireRank } from '../../layer.ts';
import { CHANNELS_LAST, conv2dParams, spatialPositions } from './conv-utils.ts';

const { dilationRate: _d, ...params } = conv2dParams();

export default defineLayer({
  kind: 'Conv2DTranspose',
  category: 'Convolution',
  doc: 'Transposed ("de-") convolution: upsamples an image by its strides, as in FCN and DCGAN decoders.',
  params,
  inputs: { min: 1, max: 1, ranks: [3] },
  keras: {
    className: 'Conv2DTranspose', aliases: ['Deconvolution2D', 'Deconv2D'], fixed: CHANNELS_LAST,
    notes: (c) => (Array.isArray(c.output_padding) ? ['output_padding is not modelled; check the output size'] : []),
  },
  // Each output sees ceil(k / s) neighbouring inputs; outputs are s times closer together.
  receptive: (p) => ({ kernel: p.kernelSize, stride: p.strides, transposed: true }),
  inferShape: ([x], p) => {
    requireRank('Conv2DTranspose', x, 3, '(height, width, channels)', 'add a Reshape to an image shape before it');
    const dims = [0, 1].map((i) => {
      const d = x[i + 1];
      return d === null ? null : deconvOutLength(d, p.kernelSize[i], p.strides[i], p.padding);
    });
    return [null, ...dims, p.filters];
  },
  weights: ([x], p) => [
    { name: 'kernel', shape: [...p.kernelSize, p.filters, channels(x)], trainable: true },
    ...(p.useBias ? [{ name: 'bias', shape: [p.filters], trainable: true }] : []),
  ],
  // Each input position scatters a kernelSize×filters patch per input channel.
  macs: ([x], _out, p) => spatialPositions(x, 2) * p.kernelSize[0] * p.kernelSize[1] * channels(x) * p.filters,
  describe: (p) => `${p.filters} · ${pairText(p.kernelSize)} ×${p.strides[0]} · ${p.padding}`,
});
