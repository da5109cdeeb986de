import { defineLayer } from '../../layer.ts';
import { bool } from '../../params.ts';
import { cellFormula, cellMacs, cellOutput, cellWeights, gatedParams } from './rnn-utils.ts';

export default defineLayer({
  kind: 'GRU',
  category: 'Recurrent',
  doc: 'Gated recurrent unit: update and reset gates (3 gate blocks). resetAfter: TF.js and Keras 2 use false, TF2 Keras true (one more bias row).',
  params: {
    ...gatedParams,
    resetAfter: bool({ default: false, doc: 'TF.js and Keras 2: false; TF2 Keras: true (bias becomes 2×3·units)' }),
  },
  inputs: { min: 1, max: 1 },
  inferShape: ([x], p) => cellOutput('GRU', x, p.units, p.returnSequences),
  weights: ([x], p) => cellWeights('GRU', x, p),
  formula: ([x], p) => cellFormula('GRU', x, p),
  macs: ([x], _o, p) => cellMacs('GRU', x, p.units),
  describe: (p) => `${p.units}${p.returnSequences ? ' · seq' : ''}${p.resetAfter ? ' · resetAfter' : ''}`,
});
