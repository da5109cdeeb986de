/** Shared rules of recurrent kinds: one cell's weights, arithmetic and cost. */
import { LayerError, channels, defineLayer, requireRank } from '../../layer.ts';
import { activation, bool, float, int, type BoolParam } from '../../params.ts';
import type { Shape, WeightSpec } from '../../types.ts';

export type CellKind = 'SimpleRNN' | 'LSTM' | 'GRU';
export const CELL_KINDS: readonly CellKind[] = ['LSTM', 'GRU', 'SimpleRNN'];

/** Gate count: how many (inputs + units) × units blocks one step multiplies. */
export const GATES: Record<CellKind, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };

const rate = () => float({ default: 0, min: 0, max: 1, maxExclusive: true });

export const rnnParams = {
  units: int({ default: 32 }),
  returnSequences: bool({ default: false }),
  activation: activation('tanh'),
  useBias: bool({ default: true }),
  dropout: rate(),
  recurrentDropout: rate(),
};
export const gatedParams = { ...rnnParams, recurrentActivation: activation('sigmoid') };

export interface CellParams {
  units: number;
  useBias: boolean;
  resetAfter?: boolean;
}

export function sequenceInput(kind: string, x: Shape): { steps: number | null; features: number } {
  requireRank(kind, x, 2, '(steps, features)',
    x.length === 4 ? 'flatten the image rows into steps with a Reshape, or use Conv2D' : 'feed it from a Window node, an Embedding, or add a Reshape to (steps, features)');
  return { steps: x[1], features: channels(x) };
}

export function cellOutput(kind: string, x: Shape, units: number, returnSequences: boolean): Shape {
  const { steps } = sequenceInput(kind, x);
  return returnSequences ? [null, steps, units] : [null, units];
}

export function cellWeights(cell: CellKind, x: Shape, p: CellParams, prefix = ''): WeightSpec[] {
  const g = GATES[cell] * p.units;
  const f = channels(x);
  const bias: number[] = cell === 'GRU' && p.resetAfter ? [2, g] : [g];
  return [
    { name: `${prefix}kernel`, shape: [f, g], trainable: true },
    { name: `${prefix}recurrent_kernel`, shape: [p.units, g], trainable: true },
    ...(p.useBias ? [{ name: `${prefix}bias`, shape: bias, trainable: true }] : []),
  ];
}

/** `4·(128·(64+128) + 128)`: gates × (units × (inputs + units) + bias). */
export function cellFormula(cell: CellKind, x: Shape, p: CellParams): string {
  const f = channels(x);
  const u = p.units;
  const core = `${u}·(${f}+${u})`;
  const bias = p.useBias ? (cell === 'GRU' && p.resetAfter ? ` + 2·${u}` : ` + ${u}`) : '';
  const g = GATES[cell];
  if (g === 1) return `${core}${bias}`;
  return bias ? `${g}·(${core}${bias})` : `${g}·${core}`;
}

/**
 * PyTorch's RNN, LSTM and GRU hold two bias vectors per gate block (bias_ih
 * and bias_hh): `g·(u·(f+u) + 2u)`. Keras has one (two for a GRU with
 * resetAfter true, which then matches PyTorch).
 */
export function cellPytorch(cell: CellKind, x: Shape, p: CellParams): { count: number; core: string } | null {
  if (!p.useBias || (cell === 'GRU' && p.resetAfter)) return null;
  const f = channels(x);
  const u = p.units;
  const g = GATES[cell];
  const inner = `${u}·(${f}+${u}) + 2·${u}`;
  return { count: g * (u * (f + u) + 2 * u), core: g === 1 ? inner : `${g}·(${inner})` };
}

export const PYTORCH_BIASES = 'PyTorch keeps two bias vectors per gate block (bias_ih and bias_hh), Keras one';

export function cellMacs(cell: CellKind, x: Shape, units: number): number {
  const { steps, features } = sequenceInput(cell, x);
  return (steps ?? 0) * GATES[cell] * (features + units) * units;
}

/** What a recurrent config can say that netloom does not model (counts are unaffected). */
export function cellNotes(c: Record<string, unknown>): string[] {
  return [
    ...(c.return_state === true ? ['return_state is not modelled; only the sequence output is kept'] : []),
    ...(c.go_backwards === true ? ['go_backwards is not modelled (counts are unaffected)'] : []),
  ];
}

/** TF.js has no GRU with two bias rows: the one refusal both GRU and a Bidirectional GRU give. */
export const RESET_AFTER_REFUSAL = {
  field: 'resetAfter',
  message: 'TF.js has no GRU with resetAfter true (the TF2 Keras default); set resetAfter to false to compile it (the bias then has 3·units instead of 2×3·units values)',
};

export function checkResetAfter(cell: string, resetAfter: boolean): void {
  if (resetAfter && cell !== 'GRU') throw new LayerError('resetAfter applies only to GRU; set it to false', 'resetAfter');
}

/** A plain recurrent layer kind (SimpleRNN, LSTM, GRU): shapes, weights, arithmetic and cost from its cell. */
export function recurrentLayer(cell: CellKind, doc: string, extra: { resetAfter?: BoolParam } = {}) {
  return defineLayer({
    kind: cell,
    category: 'Recurrent',
    doc,
    params: { ...(cell === 'SimpleRNN' ? rnnParams : gatedParams), ...extra },
    inputs: { min: 1, max: 1, ranks: [2] },
    keras: {
      className: cell, notes: cellNotes,
      // A config without reset_after is Keras before 2.3 or tfjs-layers, whose GRUs have one bias row.
      defaults: { resetAfter: false },
    },
    tfjs: { cannot: (p) => (p.resetAfter ? RESET_AFTER_REFUSAL : null), drop: ['reset_after'] },
    receptive: 'end',
    inferShape: ([x], p) => cellOutput(cell, x, p.units, p.returnSequences),
    weights: ([x], p) => cellWeights(cell, x, p),
    formula: ([x], p) => cellFormula(cell, x, p),
    pytorch: ([x], p) => {
      const t = cellPytorch(cell, x, p);
      return t && { count: t.count, formula: `${t.core} = ${t.count.toLocaleString('en-US')}`, why: PYTORCH_BIASES };
    },
    macs: ([x], _o, p) => cellMacs(cell, x, p.units),
    describe: (p) => `${p.units}${p.returnSequences ? ' · seq' : ''}${p.resetAfter ? ' · resetAfter' : ''}`,
  });
}
