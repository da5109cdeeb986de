/** Keras-style summaries of an analysis: a text table and a JSON document. */
import type { Analysis, NodeResult } from './analyze.ts';
import { blockUseResult } from './blocks.ts';
import { bytesText, countText, fmt, OPEN_TEXT, receptiveFieldText, shapeText, shareText } from './format.ts';
import { flopsOf, pytorchCounts, pytorchTotal } from './conventions.ts';
import { receptiveFields } from './receptive.ts';
import type { Shape } from './types.ts';

// The table's texts come from format.ts; these stay importable from here for existing callers.
export { bytesText, shapeText, shareText };

export interface SummaryOptions {
  /** One row per expanded layer instead of one row per block use. */
  expand?: boolean;
}

export interface SummaryLayer {
  id: string;
  name: string;
  kind: string;
  outputShape: Shape | null;
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** Fraction of the model's parameters in this row. */
  share: number;
  /** Null where they depend on an open length (an Input's None). */
  macs: number | null;
  formula: string;
  weights: { name: string; shape: number[]; count: number; trainable: boolean }[];
  inputs: string[];
  status: string;
  errors: string[];
  /** Receptive field and effective stride, for layers in a spatial chain. */
  receptiveField?: number[];
  effectiveStride?: number[];
  group?: string;
  /** Id of the layer whose weights this one uses (counted there; this row counts 0). */
  shares?: string;
  /** Block use rows: the block, its copies and how many layers it expands to. */
  block?: string;
  repeat?: number;
  layers?: number;
  /** Expanded rows of layers inside blocks: the top-level use and the copy. */
  origin?: { use: string; block: string; copy: number };
  /** 2 × macs. */
  flops: number | null;
  /** Only where PyTorch's equivalent module counts otherwise, with its arithmetic and why. */
  pytorchParams?: number;
  pytorchFormula?: string;
  pytorchWhy?: string;
}

export interface SummaryJson {
  name: string;
  /** Rows: block uses collapsed (default) or every layer (`expand`). */
  view: 'collapsed' | 'expanded';
  layers: SummaryLayer[];
  groups: { name: string; members: string[]; kind: string; params: number; formula: string }[];
  /** Every block use with its subtotal (nested uses name their parent). */
  blocks: { id: string; name: string; block: string; repeat: number; parent?: string; params: number; trainable: number; nonTrainable: number; formula: string; layers: number }[];
  /** `flops` = 2 × `macs`; `pytorchParams`: the parameters PyTorch would count (BatchNorm statistics are buffers there, cells have two biases). */
  totals: { params: number; trainable: number; nonTrainable: number; macs: number | null; flops: number | null; pytorchParams: number; paramBytes: number; activationBytes: number | null };
  problems: { nodeId?: string; path?: string; message: string }[];
}

/** The rows of a summary: results in order, block uses folded into one row each unless expanded. */
export function summaryRows(a: Analysis, o: SummaryOptions = {}): NodeResult[] {
  if (o.expand || !a.blocks.length) return a.nodes;
  const uses = new Map(a.blocks.filter((b) => !b.parent).map((b) => [b.id, b]));
  const rows: NodeResult[] = [];
  const seen = new Set<string>();
  for (const r of a.nodes) {
    const use = a.origin.get(r.id)?.use ?? (uses.has(r.id) ? r.id : undefined);
    if (use === undefined) {
      rows.push(r);
    } else if (!seen.has(use)) {
      seen.add(use);
      rows.push(uses.get(use) ?? r);
    }
  }
  return rows;
}

/** A layer's name as a row refers to it: inside a collapsed block use, the use's name. */
function namer(a: Analysis, o: SummaryOptions): (id: string) => string {
  return (id: string) => {
    const use = o.expand ? undefined : a.origin.get(id)?.use;
    return a.byId.get(use ?? id)?.name ?? id;
  };
}

export function summaryJson(a: Analysis, o: SummaryOptions = {}): SummaryJson {
  const nameOf = namer(a, o);
  const fields = receptiveFields(a);
  const torch = pytorchCounts(a);
  const total = a.totals.params;
  const layer = (r: NodeResult): SummaryLayer => {
    const use = blockUseResult(r);
    const origin = a.origin.get(r.id);
    const rf = fields.get(use ? use.members[use.members.length - 1] ?? '' : r.id);
    // A block use differs where any of its layers does: its members' counts under PyTorch's convention.
    const pt = use
      ? (use.members.some((m) => torch.has(m)) ? { count: use.members.reduce((n, m) => n + (torch.get(m)?.count ?? a.byId.get(m)!.paramCount), 0) } : undefined)
      : torch.get(r.id);
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      outputShape: r.outputShape,
      params: r.paramCount,
      trainableParams: r.trainable,
      nonTrainableParams: r.nonTrainable,
      share: total ? r.paramCount / total : 0,
      macs: r.macs,
      flops: flopsOf(r.macs),
      formula: r.formula,
      ...(pt ? { pytorchParams: pt.count, ...('formula' in pt ? { pytorchFormula: pt.formula, pytorchWhy: pt.why } : {}) } : {}),
      weights: r.weights.map((w) => ({ name: w.name, shape: w.shape, count: w.count, trainable: w.trainable })),
      inputs: r.inputIds.filter(Boolean).map(nameOf),
      status: r.status,
      errors: r.errors.map((e) => e.message),
      ...(rf ? { receptiveField: rf.size, effectiveStride: rf.stride } : {}),
      ...(r.group ? { group: r.group } : {}),
      ...(r.shares !== undefined ? { shares: r.shares } : {}),
      ...(use ? { block: use.block, repeat: use.repeat, layers: use.members.length } : {}),
      ...(origin ? { origin: { use: origin.use, block: origin.block, copy: origin.copy } } : {}),
    };
  };
  return {
    name: a.graph.name,
    view: o.expand || !a.blocks.length ? 'expanded' : 'collapsed',
    layers: summaryRows(a, o).map(layer),
    groups: a.groups,
    blocks: a.blocks.map((b) => ({
      id: b.id, name: b.name, block: b.block, repeat: b.repeat, ...(b.parent ? { parent: b.parent } : {}),
      params: b.paramCount, trainable: b.trainable, nonTrainable: b.nonTrainable, formula: b.formula, layers: b.members.length,
    })),
    totals: {
      params: a.totals.params,
      trainable: a.totals.trainable,
      nonTrainable: a.totals.nonTrainable,
      macs: a.totals.macs,
      flops: flopsOf(a.totals.macs),
      pytorchParams: pytorchTotal(a, torch),
      paramBytes: a.totals.paramBytes,
      activationBytes: a.totals.activationBytes,
    },
    problems: a.problems.map((p) => ({ ...(p.nodeId ? { nodeId: p.nodeId } : {}), ...(p.path ? { path: p.path } : {}), message: p.message })),
  };
}

/** Widest a summary column gets; longer cells wrap. */
export const COLUMN_MAX = 60;

/**
 * A cell cut into lines of at most `width` characters, breaking after spaces
 * (`4,160 + 256 + … +` then `16,640 = 76,928`); a word longer than the column
 * is cut where it must be.
 */
export function wrapCell(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const out: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    const next = cur ? `${cur} ${word}` : word;
    if (next.length <= width) {
      cur = next;
      continue;
    }
    if (cur) out.push(cur);
    cur = word;
    while (cur.length > width) {
      out.push(cur.slice(0, width));
      cur = cur.slice(width);
    }
  }
  if (cur) out.push(cur);
  return out;
}

function row(r: NodeResult, nameOf: (id: string) => string, total: number, rf: string): string[] {
  const status = r.status === 'ok' ? '' : r.status === 'error' ? ' ✗' : ' ⊘';
  const use = blockUseResult(r);
  const kind = use ? (use.repeat > 1 ? `${use.block} ×${use.repeat}` : use.block) : r.kind;
  return [
    `${r.name} (${kind})${status}`,
    r.status === 'ok' ? shapeText(r.outputShape) : r.status === 'error' ? 'error' : 'blocked',
    fmt(r.paramCount),
    shareText(total ? r.paramCount / total : 0),
    r.formula,
    rf,
    r.inputIds.filter(Boolean).map(nameOf).join(', '),
  ];
}

/**
 * A fixed-width table like Keras's `model.summary()`, with the share of the
 * total, the arithmetic and the receptive field; block uses are one row each
 * (with their subtotal) unless `expand` is set.
 */
export function summaryText(a: Analysis, o: SummaryOptions = {}): string {
  const nameOf = namer(a, o);
  const fields = receptiveFields(a);
  const header = ['Layer (type)', 'Output Shape', 'Param #', 'Share', 'Arithmetic', 'RF /stride', 'Connected to'];
  const rfOf = (r: NodeResult) => receptiveFieldText(fields.get(blockUseResult(r)?.members.at(-1) ?? r.id));
  const rows = summaryRows(a, o).map((r) => row(r, nameOf, a.totals.params, rfOf(r)));
  // Loops, not Math.max(...): a spread of 200,000 rows overflows the stack.
  const widths = header.map((h, i) => {
    let w = h.length;
    for (const r of rows) if (r[i].length > w) w = r[i].length;
    return Math.min(COLUMN_MAX, w);
  });
  const total = widths.reduce((x, y) => x + y, 0) + 2 * (widths.length - 1);
  /** One row, on as many lines as its longest cell needs: a long cell wraps inside its column. */
  const line = (cells: string[]) => {
    const parts = cells.map((c, i) => wrapCell(c, widths[i]));
    let height = 1;
    for (const p of parts) if (p.length > height) height = p.length;
    const lines: string[] = [];
    for (let k = 0; k < height; k++) lines.push(parts.map((p, i) => (p[k] ?? '').padEnd(widths[i])).join('  ').trimEnd());
    return lines.join('\n');
  };
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
  out.push(`Multiply-adds per sample: ${countText(t.macs)}`);
  out.push(t.activations === null || t.activationBytes === null
    ? `Activations per sample: ${OPEN_TEXT}`
    : `Activations per sample: ${fmt(t.activations)} values (${bytesText(t.activationBytes)} fp32)`);
  if (a.blocks.length) {
    out.push('');
    out.push(`Blocks (${o.expand ? 'expanded above' : 'one row each above; --expand lists their layers'}):`);
    const nw = a.blocks.reduce((w, b) => Math.max(w, b.name.length), 0);
    for (const b of a.blocks) {
      out.push(`  ${b.name.padEnd(nw)}  ${`${b.block} ×${b.repeat}`.padEnd(28)}  ${String(b.members.length).padStart(4)} layers  ${fmt(b.paramCount).padStart(12)}  ${b.formula}`.trimEnd());
    }
  }
  if (a.groups.length) {
    out.push('');
    out.push('Groups (layers drawn as parallel copies, e.g. two towers):');
    const gw = a.groups.reduce((w, g) => Math.max(w, g.name.length), 0);
    const kw = a.groups.reduce((w, g) => Math.max(w, g.kind.length), 0);
    for (const g of a.groups) {
      out.push(`  ${g.name.padEnd(gw)}  ${String(g.members.length)}× ${g.kind.padEnd(kw)}  ${fmt(g.params).padStart(12)}  ${g.formula}`.trimEnd());
    }
  }
  const sharing = a.nodes.filter((r) => r.shares !== undefined && r.status === 'ok');
  if (sharing.length) {
    out.push('');
    out.push('Shared weights (counted once, at the layer that owns them):');
    for (const r of sharing) out.push(`  ${nameOf(r.id)} uses ${nameOf(r.shares!)}'s weights`);
  }
  if (a.problems.length) {
    out.push('');
    out.push(`Problems (${a.problems.length}):`);
    for (const p of a.problems) out.push(`  ${p.nodeId ?? p.path ?? ''}: ${p.message}`);
  }
  return out.join('\n');
}
