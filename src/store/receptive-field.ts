/**
 * Receptive field: how many input pixels (or time steps) one output value of
 * a layer sees, along each spatial axis, with the jump (effective stride)
 * between neighbouring outputs. Standard recurrence: r' = r + (k_eff − 1)·j,
 * j' = j·s with k_eff = (k − 1)·d + 1. Merges take the widest input; global
 * pooling, Flatten and Dense see the whole input.
 */
import type { Analysis, NodeResult } from '../engine/index.ts';

export type Field = { size: number[]; jump: number[] } | 'whole' | null;

const asList = (v: unknown, n: number): number[] | null =>
  typeof v === 'number' ? Array(n).fill(v) : Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number') ? (v as number[]) : null;

const WHOLE_KINDS = new Set([
  'Flatten', 'Dense', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'GlobalAveragePooling1D', 'GlobalAveragePooling2D',
  'SimpleRNN', 'LSTM', 'GRU', 'Bidirectional',
]);

function step(r: NodeResult, input: Field): Field {
  if (input === null || input === 'whole') return input;
  const n = input.size.length;
  const p = r.params as Record<string, unknown>;
  const kernel = /Pooling/.test(r.kind) ? asList(p.poolSize, n) : asList(p.kernelSize, n);
  if (!kernel) {
    if (r.kind === 'UpSampling2D') {
      const s = asList(p.size, n) ?? Array(n).fill(1);
      return { size: input.size, jump: input.jump.map((j, i) => j / s[i]) };
    }
    return input; // shape-only layers (padding, cropping, activation, dropout, normalisation)
  }
  const strides = asList(p.strides, n) ?? kernel; // pooling: null strides = pool size
  const dil = asList(p.dilationRate, n) ?? Array(n).fill(1);
  const size = input.size.map((rv, i) => rv + ((kernel[i] - 1) * dil[i]) * input.jump[i]);
  const jump = r.kind === 'Conv2DTranspose' ? input.jump.map((j, i) => j / strides[i]) : input.jump.map((j, i) => j * strides[i]);
  return { size, jump };
}

const cache = new WeakMap<Analysis, Map<string, Field>>();

/** The receptive field of every layer (topological order makes one pass enough). */
function fields(a: Analysis): Map<string, Field> {
  const hit = cache.get(a);
  if (hit) return hit;
  const out = new Map<string, Field>();
  for (const r of a.nodes) {
    if (r.status !== 'ok' || !r.outputShape) {
      out.set(r.id, null);
      continue;
    }
    if (r.inputIds.length === 0) {
      const spatial = r.outputShape.length - 2; // batch and channels/features excluded
      out.set(r.id, spatial > 0 ? { size: Array(spatial).fill(1), jump: Array(spatial).fill(1) } : null);
      continue;
    }
    if (WHOLE_KINDS.has(r.kind)) {
      out.set(r.id, 'whole');
      continue;
    }
    const ins = r.inputIds.map((id) => out.get(id) ?? null);
    let widest: Field = ins[0] ?? null;
    for (const f of ins.slice(1)) {
      if (f === 'whole' || widest === 'whole') widest = 'whole';
      else if (f && widest && f.size.length === widest.size.length) {
        widest = { size: f.size.map((s, i) => Math.max(s, (widest as { size: number[] }).size[i])), jump: f.jump.map((j, i) => Math.max(j, (widest as { jump: number[] }).jump[i])) };
      }
    }
    out.set(r.id, step(r, widest));
  }
  cache.set(a, out);
  return out;
}

export function receptiveField(a: Analysis, id: string): Field {
  return fields(a).get(id) ?? null;
}

/** `11×11 px, jump 4×4`, `the whole input`, or '' when the layer has no spatial axes. */
export function fieldText(f: Field): string {
  if (f === null) return '';
  if (f === 'whole') return 'the whole input';
  const fmt = (xs: number[]) => xs.map((x) => (Number.isInteger(x) ? String(x) : x.toFixed(2))).join('×');
  return `${fmt(f.size)}, jump ${fmt(f.jump)}`;
}
