import { channels, defineLayer, pairText } from '../../layer.ts';
import { CHANNELS_LAST, conv2dParams, deconvShape, outputPaddingParam, spatialPositions } from './conv-utils.ts';

const { filters, kernelSize, strides, padding, activation, useBias } = conv2dParams();

export default defineLayer({
  kind: 'Conv2DTranspose',
  category: 'Convolution',
  doc: 'Transposed ("de-") convolution: upsamples an image by its strides, as in FCN and DCGAN decoders.',
  params: { filters, kernelSize, strides, padding, outputPadding: outputPaddingParam(2), activation, useBias },
  inputs: { min: 1, max: 1, ranks: [3] },
  keras: { className: 'Conv2DTranspose', aliases: ['Deconvolution2D', 'Deconv2D'], fixed: CHANNELS_LAST },
  tfjs: {
    cannot: (p) => (p.outputPadding ? { field: 'outputPadding', message: 'TF.js 4.22 conv2dTranspose has no outputPadding argument; set outputPadding to null (the derived size), or export the Keras Python script to train it' } : null),
    drop: ['output_padding'],
  },
  // Each output sees ceil(k / s) neighbouring inputs; outputs are s times closer together.
  receptive: (p) => ({ kernel: p.kernelSize, stride: p.strides, transposed: true }),
  inferShape: ([x], p) => [
    ...deconvShape('Conv2DTranspose', x, { kernel: p.kernelSize, strides: p.strides, padding: p.padding, outputPadding: p.outputPadding }),
    p.filters,
  ],
  weights: ([x], p) => [
    { name: 'kernel', shape: [...p.kernelSize, p.filters, channels(x)], trainable: true },
    ...(p.useBias ? [{ name: 'bias', shape: [p.filters], trainable: true }] : []),
  ],
  // Each input position scatters a kernelSize×filters patch per input channel.
  macs: ([x], _out, p) => spatialPositions(x, 2) * p.kernelSize[0] * p.kernelSize[1] * channels(x) * p.filters,
  describe: (p) => `${p.filters} · ${pairText(p.kernelSize)} ×${p.strides[0]} · ${p.padding}`,
});
