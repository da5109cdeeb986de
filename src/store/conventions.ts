/**
 * Counting conventions as the panels show them: multiply-adds or FLOPs
 * (2 × MACs), and the PyTorch view of a layer's parameters where it differs
 * from Keras's. The engine computes both (conventions.ts); this keeps one
 * result per analysis, so the summary's rows and the inspector read the same
 * map instead of walking the graph on every render.
 */
import { OPEN_TEXT } from '../engine/format.ts';
import { blockUseResult, flopsOf, fmt, pytorchCounts, pytorchTotal, type Analysis, type BlockUseResult, type PytorchCount } from '../engine/index.ts';
import type { CostUnit } from './compare.ts';

export type { CostUnit };

/** Column header, totals label and inspector label of each convention. */
export const COST_LABEL: Record<CostUnit, { column: string; total: string; inspector: string; short: string }> = {
  macs: { column: 'Mult-adds', total: 'Multiply-adds', inspector: 'Multiply-adds', short: 'MACs' },
  flops: { column: 'FLOPs', total: 'FLOPs (2 × MACs)', inspector: 'FLOPs', short: 'FLOPs' },
};

/** A cost in the chosen convention. */
export function costOf(macs: number, unit: CostUnit): number;
export function costOf(macs: number | null, unit: CostUnit): number | null;
export function costOf(macs: number | null, unit: CostUnit): number | null {
  return unit === 'flops' ? flopsOf(macs) : macs;
}

/** The inspector's cost line: `1,234` as multiply-adds, `2 × 1,234 = 2,468` as FLOPs. */
export const costText = (macs: number | null, unit: CostUnit): string =>
  macs === null ? OPEN_TEXT : unit === 'flops' && macs ? `2 × ${fmt(macs)} = ${fmt(flopsOf(macs))}` : fmt(costOf(macs, unit));

export interface TorchView {
  counts: ReadonlyMap<string, PytorchCount>;
  total: number;
  /** Block uses' sums, written on first read (the same object each time, so a view's selector is stable). */
  uses: Map<string, PytorchCount | null>;
}

const cache = new WeakMap<Analysis, TorchView>();

/** Per layer id the PyTorch count where it differs, and PyTorch's total; computed once per analysis. */
export function torchView(a: Analysis): TorchView {
  let v = cache.get(a);
  if (!v) {
    const counts = pytorchCounts(a);
    v = { counts, total: pytorchTotal(a, counts), uses: new Map() };
    cache.set(a, v);
  }
  return v;
}

/**
 * The PyTorch count of one canvas node where it differs from Keras's, with
 * its arithmetic and why: a layer's own, or for a block use the sum over its
 * layers (`1,792 − 512 = 1,280`, the statistics PyTorch keeps as buffers).
 */
export function torchOf(a: Analysis, id: string): PytorchCount | null {
  const v = torchView(a);
  const r = a.byId.get(id);
  if (!r) return null;
  const use = blockUseResult(r);
  if (!use) return v.counts.get(id) ?? null;
  if (!v.uses.has(id)) v.uses.set(id, blockCount(v.counts, a, use));
  return v.uses.get(id) ?? null;
}

function blockCount(counts: ReadonlyMap<string, PytorchCount>, a: Analysis, use: BlockUseResult): PytorchCount | null {
  const differing = use.members.filter((m) => counts.has(m));
  if (!differing.length) return null;
  const count = use.members.reduce((n, m) => n + (counts.get(m)?.count ?? a.byId.get(m)?.paramCount ?? 0), 0);
  const why = [...new Set(differing.map((m) => counts.get(m)!.why))].join('; ');
  const diff = use.paramCount - count;
  const formula = `${fmt(use.paramCount)} ${diff >= 0 ? '−' : '+'} ${fmt(Math.abs(diff))} = ${fmt(count)}`;
  return { count, formula, why: `${differing.length} of its ${use.members.length} layers differ: ${why}` };
}
