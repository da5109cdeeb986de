import { channels, defineLayer, pairText } from '../../layer.ts';
import { CHANNELS_LAST, conv3dParams, deconvShape, outputPaddingParam, spatialPositions } from './conv-utils.ts';

const { filters, kernelSize, strides, padding, activation, useBias } = conv3dParams();

export default defineLayer({
  kind: 'Conv3DTranspose',
  category: 'Convolution',
  doc: 'Transposed 3-D convolution: upsamples a volume (depth, height, width, channels) by its strides (3-D U-Net decoders).',
  params: { filters, kernelSize, strides, padding, outputPadding: outputPaddingParam(3), activation, useBias },
  inputs: { min: 1, max: 1, ranks: [4] },
  keras: { className: 'Conv3DTranspose', aliases: ['Deconvolution3D', 'Deconv3D'], fixed: CHANNELS_LAST },
  tfjs: {
    cannot: (p) => (p.outputPadding ? { field: 'outputPadding', message: 'TF.js 4.22 conv3dTranspose has no outputPadding argument; set outputPadding to null (the derived size), or export the Keras Python script to train it' } : null),
    drop: ['output_padding'],
  },
  // Each output sees ceil(k / s) neighbouring inputs; outputs are s times closer together.
  receptive: (p) => ({ kernel: p.kernelSize, stride: p.strides, transposed: true }),
  inferShape: ([x], p) => [
    ...deconvShape('Conv3DTranspose', x, { kernel: p.kernelSize, strides: p.strides, padding: p.padding, outputPadding: p.outputPadding }),
    p.filters,
  ],
  weights: ([x], p) => [
    { name: 'kernel', shape: [...p.kernelSize, p.filters, channels(x)], trainable: true },
    ...(p.useBias ? [{ name: 'bias', shape: [p.filters], trainable: true }] : []),
  ],
  // Each input position scatters a kernelSize×filters patch per input channel.
  macs: ([x], _out, p) => spatialPositions(x, 3) * p.kernelSize[0] * p.kernelSize[1] * p.kernelSize[2] * channels(x) * p.filters,
  describe: (p) => `${p.filters} · ${pairText(p.kernelSize)} ×${p.strides[0]} · ${p.padding}`,
});
