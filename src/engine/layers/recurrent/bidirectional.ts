import { defineLayer } from '../../layer.ts';
import { bool, oneOf } from '../../params.ts';
import {
  CELL_KINDS, cellFormula, cellMacs, cellOutput, cellWeights, checkResetAfter, gatedParams, type CellKind,
} from './rnn-utils.ts';

export default defineLayer({
  kind: 'Bidirectional',
  category: 'Recurrent',
  doc: 'Runs one recurrent layer forwards and a copy backwards over the sequence and merges both (2 × the weights).',
  params: {
    layer: oneOf(CELL_KINDS, { default: 'LSTM', doc: 'the wrapped recurrent kind' }),
    ...gatedParams,
    resetAfter: bool({ default: false, doc: 'GRU only' }),
    mergeMode: oneOf(['concat', 'sum', 'mul', 'ave'], { default: 'concat' }),
  },
  inputs: { min: 1, max: 1 },
  check: (p) => {
    try {
      checkResetAfter(p.layer, p.resetAfter);
      return [];
    } catch (e) {
      return [{ field: 'resetAfter', message: (e as Error).message }];
    }
  },
  inferShape: ([x], p) => {
    const out = cellOutput('Bidirectional', x, p.units, p.returnSequences);
    if (p.mergeMode === 'concat') out[out.length - 1] = 2 * p.units;
    return out;
  },
  weights: ([x], p) => [
    ...cellWeights(p.layer as CellKind, x, p, 'forward_'),
    ...cellWeights(p.layer as CellKind, x, p, 'backward_'),
  ],
  formula: ([x], p) => `2 × (${cellFormula(p.layer as CellKind, x, p)})`,
  macs: ([x], _o, p) => 2 * cellMacs(p.layer as CellKind, x, p.units),
  describe: (p) => `${p.layer} ${p.units} · ${p.mergeMode}${p.returnSequences ? ' · seq' : ''}`,
});
