import { defineLayer } from '../../layer.ts';
import { activation, bool, float, int, oneOf, tuple, type ParamsOf } from '../../params.ts';
import { type ConvLstmParams, convLstmFormula, convLstmMacs, convLstmShape, convLstmWeights } from './conv-lstm-utils.ts';
import { cellNotes } from './rnn-utils.ts';
import { CHANNELS_LAST } from '../conv/conv-utils.ts';

const rate = () => float({ default: 0, min: 0, max: 1, maxExclusive: true });

const params = {
  filters: int({ default: 32, doc: 'number of output channels (feature maps of the state)' }),
  kernelSize: tuple({ default: [3, 3, 3] }),
  strides: tuple({ default: [1, 1, 1] }),
  padding: oneOf(['valid', 'same'], { default: 'valid' }),
  dilationRate: tuple({ default: [1, 1, 1] }),
  activation: activation('tanh'),
  recurrentActivation: activation('sigmoid'),
  useBias: bool({ default: true }),
  dropout: rate(),
  recurrentDropout: rate(),
  returnSequences: bool({ default: false }),
};

const cell = (p: ParamsOf<typeof params>): ConvLstmParams => ({
  filters: p.filters, kernel: p.kernelSize, strides: p.strides, padding: p.padding, dilation: p.dilationRate, returnSequences: p.returnSequences, useBias: p.useBias,
});

export default defineLayer({
  kind: 'ConvLSTM3D',
  category: 'Recurrent',
  doc: 'A convolutional LSTM over a sequence of volumes (time, depth, height, width, channels): an LSTM whose gates are Conv3Ds.',
  params,
  inputs: { min: 1, max: 1, ranks: [5] },
  keras: { className: 'ConvLSTM3D', fixed: CHANNELS_LAST, notes: cellNotes },
  // It mixes every time step: the field is the whole clip.
  receptive: 'end',
  inferShape: ([x], p) => convLstmShape('ConvLSTM3D', x, cell(p)),
  weights: ([x], p) => convLstmWeights(x, cell(p)),
  formula: ([x], p) => convLstmFormula(x, cell(p)),
  macs: ([x], out, p) => convLstmMacs(x, out, cell(p)),
  describe: (p) => `${p.filters} · ${p.kernelSize.join('×')} · ${p.padding}${p.returnSequences ? ' · seq' : ''}`,
});
