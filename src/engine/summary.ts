/** Keras-style summaries of an analysis: a text table and a JSON document. */
import type { Analysis, NodeResult } from './analyze.ts';
import { fmt } from './formula.ts';
import type { Shape } from './types.ts';

/** `(None, 26, 26, 32)`, as Keras prints it. */
export function shapeText(s: Shape | null): string {
  if (!s) return '?';
  return `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
}

export function bytesText(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(2)} ${units[i]}`;
}

export interface SummaryJson {
  name: string;
  layers: {
    id: string;
    name: string;
    kind: string;
    outputShape: Shape | null;
    params: number;
    trainableParams: number;
    nonTrainableParams: number;
    macs: number;
    formula: string;
    weights: { name: string; shape: number[]; count: number; trainable: boolean }[];
    inputs: string[];
    status: string;
    errors: string[];
    group?: string;
  }[];
  groups: { name: string; members: string[]; kind: string; params: number; formula: string }[];
  totals: { params: number; trainable: number; nonTrainable: number; macs: number; paramBytes: number; activationBytes: number };
  problems: { nodeId?: string; path?: string; message: string }[];
}

export function summaryJson(a: Analysis): SummaryJson {
  const nameOf = (id: string) => a.byId.get(id)?.name ?? id;
  return {
    name: a.graph.name,
    layers: a.nodes.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      outputShape: r.outputShape,
      params: r.paramCount,
      trainableParams: r.trainable,
      nonTrainableParams: r.nonTrainable,
      macs: r.macs,
      formula: r.formula,
      weights: r.weights.map((w) => ({ name: w.name, shape: w.shape, count: w.count, trainable: w.trainable })),
      inputs: r.inputIds.filter(Boolean).map(nameOf),
      status: r.status,
      errors: r.errors.map((e) => e.message),
      ...(r.group ? { group: r.group } : {}),
    })),
    groups: a.groups,
    totals: {
      params: a.totals.params,
      trainable: a.totals.trainable,
      nonTrainable: a.totals.nonTrainable,
      macs: a.totals.macs,
      paramBytes: a.totals.paramBytes,
      activationBytes: a.totals.activationBytes,
    },
    problems: a.problems.map((p) => ({ ...(p.nodeId ? { nodeId: p.nodeId } : {}), ...(p.path ? { path: p.path } : {}), message: p.message })),
  };
}

function row(r: NodeResult, nameOf: (id: string) => string): string[] {
  const status = r.status === 'ok' ? '' : r.status === 'error' ? ' ✗' : ' ⊘';
  return [
    `${r.name} (${r.kind})${status}`,
    r.status === 'ok' ? shapeText(r.outputShape) : r.status === 'error' ? 'error' : 'blocked',
    fmt(r.paramCount),
    r.formula,
    r.inputIds.filter(Boolean).map(nameOf).join(', '),
  ];
}

/** A fixed-width table like Keras's `model.summary()`, with the arithmetic column. */
export function summaryText(a: Analysis): string {
  const nameOf = (id: string) => a.byId.get(id)?.name ?? id;
  const header = ['Layer (type)', 'Output Shape', 'Param #', 'Arithmetic', 'Connected to'];
  const rows = a.nodes.map((r) => row(r, nameOf));
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const total = widths.reduce((x, y) => x + y, 0) + 2 * (widths.length - 1);
  const out: string[] = [];
  const title = a.graph.title ? `${a.graph.title} (${a.graph.name})` : a.graph.name;
  out.push(`Model: "${title}"`);
  out.push('━'.repeat(total));
  out.push(line(header));
  out.push('━'.repeat(total));
  for (const r of rows) out.push(line(r));
  out.push('━'.repeat(total));
  const t = a.totals;
  out.push(`Total params: ${fmt(t.params)} (${bytesText(t.paramBytes)})`);
  out.push(`Trainable params: ${fmt(t.trainable)} (${bytesText(t.trainable * 4)})`);
  out.push(`Non-trainable params: ${fmt(t.nonTrainable)} (${bytesText(t.nonTrainable * 4)})`);
  out.push(`Multiply-adds per sample: ${fmt(t.macs)}`);
  out.push(`Activations per sample: ${fmt(t.activations)} values (${bytesText(t.activationBytes)} fp32)`);
  if (a.groups.length) {
    out.push('');
    out.push('Groups (layers drawn as parallel copies, e.g. two towers):');
    const gw = Math.max(...a.groups.map((g) => g.name.length));
    for (const g of a.groups) {
      out.push(`  ${g.name.padEnd(gw)}  ${String(g.members.length)}× ${g.kind.padEnd(8)}  ${fmt(g.params).padStart(12)}  ${g.formula}`.trimEnd());
    }
  }
  if (a.problems.length) {
    out.push('');
    out.push(`Problems (${a.problems.length}):`);
    for (const p of a.problems) out.push(`  ${p.nodeId ?? p.path ?? ''}: ${p.message}`);
  }
  return out.join('\n');
}
