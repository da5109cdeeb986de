/**
 * Keras 3 `MultiHeadAttention`: query, key and value projected per head by
 * EinsumDense layers, softmax(Q·Kᵀ/√keyDim) over the key positions, the
 * weighted sum of the values, and an output projection back to the query's
 * feature size (or `outputShape`).
 */
import { channels, LayerError, defineLayer, dimsText } from '../../layer.ts';
import { encodeKeras, type KerasCodec, type Obj } from '../../passport.ts';
import { bool, float, int, optInt, optIntList, type ParamsOf } from '../../params.ts';
import type { Shape, WeightSpec } from '../../types.ts';

const params = {
  numHeads: int({ default: 2, max: 4096, doc: 'attention heads' }),
  keyDim: int({ default: 64, doc: 'size of each head for query and key' }),
  valueDim: optInt({ doc: 'size of each head for value; empty: keyDim' }),
  dropout: float({ default: 0, max: 1, maxExclusive: true, doc: 'dropout on the attention weights, in training only' }),
  useBias: bool({ default: true }),
  outputShape: optInt({ doc: 'output features; empty: the query\'s last dimension' }),
  attentionAxes: optIntList({ minLength: 1, maxLength: 6, max: 7, doc: 'axes attention runs over; empty: every axis but the batch and the features' }),
  useCausalMask: bool({ default: false, doc: 'each query position sees only itself and earlier key positions (a decoder); a call argument in Keras 3' }),
};

type P = ParamsOf<typeof params>;

/** The MultiHeadAttention ports, in Keras's call order: `mha(query, value, key)`. */
export const MHA_PORTS = ['query', 'value', 'key'] as const;

const feat = (x: Shape, port: string): number => channels(x, `MultiHeadAttention's ${port}`);

/** The attention axes (1-based, after the batch) for inputs of `rank` dims after the batch. */
export function attentionAxesOf(rank: number, p: Pick<P, 'attentionAxes'>): number[] {
  return p.attentionAxes ?? Array.from({ length: rank - 1 }, (_, i) => i + 1);
}

/** The sizes of everything one attention layer computes. */
export interface AttentionDims {
  dq: number; dk: number; dv: number; heads: number; keyDim: number; valueDim: number; dOut: number;
  /** Query positions (product over the attention axes) and key positions; null where a length is unknown. */
  lq: number | null; lk: number | null;
  /** Product of the non-attention axes (they act as more batch). */
  groups: number | null;
}

const prod = (xs: (number | null | undefined)[]): number | null => xs.reduce<number | null>((a, b) => (a === null || b === null || b === undefined ? null : a * b), 1);

export function attentionDims(inputs: Shape[], p: P): AttentionDims {
  const [q, v, k = v] = inputs;
  const rank = q.length - 1;
  const axes = attentionAxesOf(rank, p);
  const other = Array.from({ length: rank - 1 }, (_, i) => i + 1).filter((a) => !axes.includes(a));
  return {
    dq: feat(q, 'query'), dk: feat(k, 'key'), dv: feat(v, 'value'),
    heads: p.numHeads, keyDim: p.keyDim, valueDim: p.valueDim ?? p.keyDim,
    dOut: p.outputShape ?? feat(q, 'query'),
    lq: prod(axes.map((a) => q[a])), lk: prod(axes.map((a) => k[a])), groups: prod(other.map((a) => q[a])),
  };
}

/** Multiply-adds of the four projections, per query and key position. */
export function projectionMacs(d: AttentionDims, lq: number, lk: number): number {
  return lq * d.dq * d.heads * d.keyDim + lk * d.dk * d.heads * d.keyDim + lk * d.dv * d.heads * d.valueDim + lq * d.heads * d.valueDim * d.dOut;
}

/** Multiply-adds of Q·Kᵀ and of the weighted sum of the values. */
export const attendMacs = (d: AttentionDims, lq: number, lk: number): number => d.heads * lq * lk * (d.keyDim + d.valueDim);

/** All multiply-adds for sequence lengths `lq` and `lk` (the inspector's table reads this). */
export const attentionMacs = (d: AttentionDims, lq: number, lk: number): number => (d.groups ?? NaN) * (projectionMacs(d, lq, lk) + attendMacs(d, lq, lk));

function check(inputs: Shape[], p: P): void {
  const [q, v, k = v] = inputs;
  const rank = q.length - 1;
  for (const [port, x] of [['value', v], ['key', k]] as const) {
    if (x.length !== q.length) {
      throw new LayerError(`MultiHeadAttention needs query, value and key of one rank, but query is ${dimsText(q)} and ${port} is ${dimsText(x)}; reshape ${port} to ${rank} dims`);
    }
  }
  for (const a of p.attentionAxes ?? []) {
    if (a < 1 || a > rank - 1) {
      throw new LayerError(`attentionAxes ${JSON.stringify(p.attentionAxes)} names axis ${a}, but the inputs (${dimsText(q)}) have attention axes 1–${rank - 1} (the last is the features); pick axes from 1 to ${rank - 1} or leave it empty`, 'attentionAxes');
    }
  }
  if (p.attentionAxes && new Set(p.attentionAxes).size !== p.attentionAxes.length) {
    throw new LayerError(`attentionAxes ${JSON.stringify(p.attentionAxes)} repeats an axis; name each axis once`, 'attentionAxes');
  }
  const axes = attentionAxesOf(rank, p);
  for (let a = 1; a < rank; a++) {
    if (k[a] !== v[a]) throw new LayerError(`MultiHeadAttention's key (${dimsText(k)}) and value (${dimsText(v)}) need the same positions; axis ${a} is ${k[a]} vs ${v[a]}; feed key and value from one sequence`);
    if (!axes.includes(a) && q[a] !== v[a]) {
      throw new LayerError(`axis ${a} is not an attention axis, so query (${dimsText(q)}) and value (${dimsText(v)}) must agree there (${q[a]} vs ${v[a]}); add ${a} to attentionAxes or match the shapes`, 'attentionAxes');
    }
  }
}

function projectionWeights(name: string, dIn: number, heads: number, size: number, useBias: boolean): WeightSpec[] {
  return [
    { name: `${name}/kernel`, shape: [dIn, heads, size], trainable: true },
    ...(useBias ? [{ name: `${name}/bias`, shape: [heads, size], trainable: true }] : []),
  ];
}

/** The config keys derived from the parameters, before the resolved axes are written. */
const DERIVED: KerasCodec<typeof params> = { className: 'MultiHeadAttention' };

const keras: KerasCodec<typeof params> = {
  className: 'MultiHeadAttention',
  callArgs: ['useCausalMask'],
  // Keras 3 writes what it resolved (value_dim = key_dim, the attention axes at build time: [1] for a sequence): so does netloom.
  encode: (p, ctx) => {
    const c: Obj = encodeKeras(DERIVED, params, p, ctx);
    if (p.attentionAxes === null && ctx.outputShape) c.attention_axes = attentionAxesOf(ctx.outputShape.length - 1, p);
    if (p.valueDim === null) c.value_dim = p.keyDim;
    return c;
  },
  notes: (c) => (c.sliding_window !== null && c.sliding_window !== undefined ? [`sliding_window ${JSON.stringify(c.sliding_window)} is not modelled (counts are unaffected)`] : []),
  unmodelled: (c) => (c.use_gate === true ? { kind: 'MultiHeadAttention(use_gate)', note: 'use_gate=True adds a gating projection netloom does not model; the layer is imported as an unknown kind' } : null),
};

export default defineLayer({
  kind: 'MultiHeadAttention',
  category: 'Attention',
  doc: 'Multi-head attention (Transformer): each query position takes a softmax-weighted mix of the values; feed one tensor into query and value for self-attention.',
  params,
  inputs: { min: 2, max: 3, names: MHA_PORTS, ranks: [2, 3] },
  keras,
  receptive: 'end',
  inferShape: (inputs, p) => {
    check(inputs, p);
    const [q] = inputs;
    const d = attentionDims(inputs, p);
    return [...q.slice(0, -1), d.dOut];
  },
  weights: (inputs, p) => {
    const d = attentionDims(inputs, p);
    return [
      ...projectionWeights('query', d.dq, d.heads, d.keyDim, p.useBias),
      ...projectionWeights('key', d.dk, d.heads, d.keyDim, p.useBias),
      ...projectionWeights('value', d.dv, d.heads, d.valueDim, p.useBias),
      { name: 'attention_output/kernel', shape: [d.heads, d.valueDim, d.dOut], trainable: true },
      ...(p.useBias ? [{ name: 'attention_output/bias', shape: [d.dOut], trainable: true }] : []),
    ];
  },
  formula: (inputs, p) => {
    const d = attentionDims(inputs, p);
    const h = d.heads;
    const proj = (dIn: number, size: number) => (p.useBias ? `${dIn}·${h}·${size} + ${h}·${size}` : `${dIn}·${h}·${size}`);
    const out = `${h}·${d.valueDim}·${d.dOut}${p.useBias ? ` + ${d.dOut}` : ''}`;
    const same = d.dq === d.dk && d.dk === d.dv && d.keyDim === d.valueDim;
    const wrap = (t: string) => (p.useBias ? `(${t})` : t);
    const projText = same
      ? `3·${wrap(proj(d.dq, d.keyDim))}`
      : [proj(d.dq, d.keyDim), proj(d.dk, d.keyDim), proj(d.dv, d.valueDim)].map(wrap).join(' + ');
    return `${projText} + ${out}`;
  },
  macs: (inputs, _o, p) => {
    const d = attentionDims(inputs, p);
    if (d.lq === null || d.lk === null || d.groups === null) return NaN; // an open length: no number is right
    return attentionMacs(d, d.lq, d.lk);
  },
  describe: (p) => `${p.numHeads} heads · key ${p.keyDim}${p.valueDim !== null && p.valueDim !== p.keyDim ? ` · value ${p.valueDim}` : ''}${p.useCausalMask ? ' · causal' : ''}`,
});
