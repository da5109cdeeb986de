import { defineLayer } from '../../layer.ts';
import { int, oneOf, type ParamsOf } from '../../params.ts';
import { type ConvLstmParams, convLstmFormula, convLstmGates, convLstmMacs, convLstmShape, convLstmWeights } from './conv-lstm-utils.ts';
import { cellNotes } from './rnn-utils.ts';
import { CHANNELS_LAST } from '../conv/conv-utils.ts';

const params = {
  filters: int({ default: 32, doc: 'number of output channels (feature maps of the state)' }),
  kernelSize: int({ default: 3 }),
  strides: int({ default: 1 }),
  padding: oneOf(['valid', 'same'], { default: 'valid' }),
  dilationRate: int({ default: 1 }),
  ...convLstmGates(),
};

const cell = (p: ParamsOf<typeof params>): ConvLstmParams => ({
  filters: p.filters, kernel: [p.kernelSize], strides: [p.strides], padding: p.padding, dilation: [p.dilationRate], returnSequences: p.returnSequences, useBias: p.useBias,
});

export default defineLayer({
  kind: 'ConvLSTM1D',
  category: 'Recurrent',
  doc: 'A convolutional LSTM over a sequence of 1-D signals (time, steps, channels): an LSTM whose gates are Conv1Ds.',
  params,
  inputs: { min: 1, max: 1, ranks: [3] },
  keras: { className: 'ConvLSTM1D', lists: ['kernelSize', 'strides', 'dilationRate'], fixed: CHANNELS_LAST, notes: cellNotes },
  // It mixes every time step: the field is the whole clip.
  receptive: 'end',
  inferShape: ([x], p) => convLstmShape('ConvLSTM1D', x, cell(p)),
  weights: ([x], p) => convLstmWeights(x, cell(p)),
  formula: ([x], p) => convLstmFormula(x, cell(p)),
  macs: ([x], out, p) => convLstmMacs(x, out, cell(p)),
  describe: (p) => `${p.filters} · k${p.kernelSize} · ${p.padding}${p.returnSequences ? ' · seq' : ''}`,
});
