import { defineLayer } from '../../layer.ts';
import { cellFormula, cellMacs, cellOutput, cellWeights, rnnParams } from './rnn-utils.ts';

export default defineLayer({
  kind: 'SimpleRNN',
  category: 'Recurrent',
  doc: 'h_t = activation(W·x_t + U·h_{t-1} + b): the plain recurrent cell.',
  params: rnnParams,
  inputs: { min: 1, max: 1 },
  inferShape: ([x], p) => cellOutput('SimpleRNN', x, p.units, p.returnSequences),
  weights: ([x], p) => cellWeights('SimpleRNN', x, p),
  formula: ([x], p) => cellFormula('SimpleRNN', x, p),
  macs: ([x], _o, p) => cellMacs('SimpleRNN', x, p.units),
  describe: (p) => `${p.units}${p.returnSequences ? ' · seq' : ''}`,
});
