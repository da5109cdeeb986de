import { defineLayer } from '../../layer.ts';
import { cellFormula, cellMacs, cellOutput, cellWeights, gatedParams } from './rnn-utils.ts';

export default defineLayer({
  kind: 'LSTM',
  category: 'Recurrent',
  doc: 'Long short-term memory: input, forget and output gates around a cell state (4 gate blocks).',
  params: gatedParams,
  inputs: { min: 1, max: 1 },
  inferShape: ([x], p) => cellOutput('LSTM', x, p.units, p.returnSequences),
  weights: ([x], p) => cellWeights('LSTM', x, p),
  formula: ([x], p) => cellFormula('LSTM', x, p),
  macs: ([x], _o, p) => cellMacs('LSTM', x, p.units),
  describe: (p) => `${p.units}${p.returnSequences ? ' · seq' : ''}`,
});
