import { defineLayer } from '../../layer.ts';
import { convLstmCell, convLstmFormula, convLstmMacs, convLstmSchema, convLstmShape, convLstmWeights } from './conv-lstm-utils.ts';
import { cellNotes } from './rnn-utils.ts';
import { CHANNELS_LAST } from '../conv/conv-utils.ts';

const params = convLstmSchema(3);

export default defineLayer({
  kind: 'ConvLSTM3D',
  category: 'Recurrent',
  doc: 'A convolutional LSTM over a sequence of volumes (time, depth, height, width, channels): an LSTM whose gates are Conv3Ds.',
  params,
  inputs: { min: 1, max: 1, ranks: [5] },
  keras: { className: 'ConvLSTM3D', fixed: CHANNELS_LAST, notes: cellNotes },
  // It mixes every time step: the field is the whole clip.
  receptive: 'end',
  inferShape: ([x], p) => convLstmShape('ConvLSTM3D', x, convLstmCell(p)),
  weights: ([x], p) => convLstmWeights(x, convLstmCell(p)),
  formula: ([x], p) => convLstmFormula(x, convLstmCell(p)),
  macs: ([x], out, p) => convLstmMacs(x, out, convLstmCell(p)),
  describe: (p) => `${p.filters} · ${p.kernelSize.join('×')} · ${p.padding}${p.returnSequences ? ' · seq' : ''}`,
});
