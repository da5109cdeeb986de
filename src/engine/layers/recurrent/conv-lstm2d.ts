import { defineLayer } from '../../layer.ts';
import { convLstmCell, convLstmFormula, convLstmMacs, convLstmSchema, convLstmShape, convLstmWeights } from './conv-lstm-utils.ts';
import { cellNotes } from './rnn-utils.ts';
import { CHANNELS_LAST } from '../conv/conv-utils.ts';

const params = convLstmSchema(2);

export default defineLayer({
  kind: 'ConvLSTM2D',
  category: 'Recurrent',
  doc: 'A convolutional LSTM over a sequence of images (time, height, width, channels), as in precipitation nowcasting (Shi et al. 2015).',
  params,
  inputs: { min: 1, max: 1, ranks: [4] },
  keras: { className: 'ConvLSTM2D', fixed: CHANNELS_LAST, notes: cellNotes },
  // It mixes every time step: the field is the whole clip.
  receptive: 'end',
  inferShape: ([x], p) => convLstmShape('ConvLSTM2D', x, convLstmCell(p)),
  weights: ([x], p) => convLstmWeights(x, convLstmCell(p)),
  formula: ([x], p) => convLstmFormula(x, convLstmCell(p)),
  macs: ([x], out, p) => convLstmMacs(x, out, convLstmCell(p)),
  describe: (p) => `${p.filters} · ${p.kernelSize.join('×')} · ${p.padding}${p.returnSequences ? ' · seq' : ''}`,
});
