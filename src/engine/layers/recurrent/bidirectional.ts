import { defineLayer } from '../../layer.ts';
import { bool, defaultsOf, oneOf } from '../../params.ts';
import type { Obj } from '../../passport.ts';
import { decodeKeras, encodeKeras } from '../../passport.ts';
import gru from './gru.ts';
import lstm from './lstm.ts';
import simpleRnn from './simple-rnn.ts';
import {
  CELL_KINDS, cellPytorch, PYTORCH_BIASES, RESET_AFTER_REFUSAL, cellFormula, cellMacs, cellOutput, cellWeights, checkResetAfter, gatedParams, type CellKind,
} from './rnn-utils.ts';

const CELLS = { LSTM: lstm, GRU: gru, SimpleRNN: simpleRnn } as const;

const bidirectionalParams = {
  layer: oneOf(CELL_KINDS, { default: 'LSTM', doc: 'the wrapped recurrent kind' }),
  ...gatedParams,
  resetAfter: bool({ default: false, doc: 'GRU only' }),
  mergeMode: oneOf(['concat', 'sum', 'mul', 'ave'], { default: 'concat' }),
};

export default defineLayer({
  kind: 'Bidirectional',
  category: 'Recurrent',
  doc: 'Runs one recurrent layer forwards and a copy backwards over the sequence and merges both (2 × the weights).',
  params: bidirectionalParams,
  inputs: { min: 1, max: 1, ranks: [2] },
  // The wrapped layer is written and read by its own kind's codec.
  keras: {
    className: 'Bidirectional',
    encode: (p, ctx) => {
      const cell = CELLS[p.layer as CellKind];
      return {
        layer: { class_name: cell.keras.className, config: { name: `${ctx.name}_${cell.kind.toLowerCase()}`, trainable: true, ...encodeKeras(cell.keras, cell.params, p, ctx) } },
        merge_mode: p.mergeMode,
      };
    },
    decode: (c, note) => {
      const inner = c.layer as Obj | undefined;
      const cls = inner && typeof inner.class_name === 'string' ? inner.class_name : '';
      const cell = Object.values(CELLS).find((k) => k.keras.className === cls);
      if (!cell || typeof inner?.config !== 'object' || inner.config === null || c.merge_mode === null) return null;
      // The defaults fill what the wrapped cell does not say (a SimpleRNN has no recurrentActivation).
      const p = { ...defaultsOf(bidirectionalParams), ...decodeKeras(cell.keras, cell.params, inner.config as Obj, note) };
      return { ...p, layer: cell.kind, mergeMode: typeof c.merge_mode === 'string' ? c.merge_mode : 'concat' } as never;
    },
  },
  tfjs: { cannot: (p) => (p.layer === 'GRU' && p.resetAfter ? RESET_AFTER_REFUSAL : null) },
  receptive: 'end',
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
  pytorch: ([x], p) => {
    const t = cellPytorch(p.layer as CellKind, x, p);
    return t && { count: 2 * t.count, formula: `2 × (${t.core}) = ${(2 * t.count).toLocaleString('en-US')}`, why: PYTORCH_BIASES };
  },
  macs: ([x], _o, p) => 2 * cellMacs(p.layer as CellKind, x, p.units),
  describe: (p) => `${p.layer} ${p.units} · ${p.mergeMode}${p.returnSequences ? ' · seq' : ''}`,
});
