/**
 * Compare mode: the edited network (B) against a reference (A: a file, an
 * example, or the last saved version). The engine's diff compares flat layers
 * (block uses expanded); this maps its results back to what the canvas draws,
 * so a layer inside a block use marks the use node, and keeps the view in a
 * store that recomputes only when the document's analysis changes (never per
 * render, never per drag frame: a drag leaves the analysis as it is).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { analyze, diffGraphs, fmt, shapeText, type Analysis, type DiffChange, type Graph, type GraphDiff } from '../engine/index.ts';
import type { EditorStore } from './editor.ts';

export type CompareStatus = 'added' | 'changed' | 'removed';

/** Multiply-adds or FLOPs (2 × MACs): the cost convention the views show. */
export type CostUnit = 'macs' | 'flops';

/** What a canvas node shows in compare mode. */
export interface NodeMark {
  /** `added` only when every layer it stands for is new. */
  status: 'added' | 'changed';
  deltaParams: number;
  deltaMacs: number;
  /** What changed, e.g. `filters 32 → 64`; for a block use, how many of its layers did. */
  detail: string;
  /** Nothing in it was edited: only its shape or counts moved, because of a layer above. */
  upstream: boolean;
}

/** One line of the changes panel. */
export interface ChangeRow {
  status: CompareStatus;
  /** The flat layer id: B's for added and changed layers, A's for removed ones. */
  id: string;
  name: string;
  kind: string;
  /** The canvas node a click selects (a block use for a layer inside one); null when nothing on the canvas stands for it. */
  canvasId: string | null;
  /** Set when the layer is inside a block use: that use's name. */
  within?: string;
  deltaParams: number;
  deltaMacs: number;
  detail: string;
  /**
   * For changed layers: `edit` when the layer itself differs (a setting, its
   * kind, name or inputs), `upstream` when only its shape or counts moved
   * because a layer above it changed.
   */
  cause?: 'edit' | 'upstream';
}

export interface CompareView {
  marks: ReadonlyMap<string, NodeMark>;
  rows: ChangeRow[];
  counts: Record<CompareStatus, number>;
  totals: GraphDiff['totals'];
  equivalent: boolean;
}

export interface CompareReference {
  graph: Graph;
  /** What the panel calls it: `alexnet.json (example)`, `resnet.json as opened at 14:02`. */
  label: string;
  from: 'file' | 'example' | 'saved';
}

/** `+1,792`, `−1,792` (a real minus sign), `±0`. */
export function signed(n: number): string {
  if (n === 0) return '±0';
  return `${n > 0 ? '+' : '−'}${fmt(Math.abs(n))}`;
}

/** `+1,792 params`. */
export const paramsDelta = (n: number): string => `${signed(n)} params`;

/** A cost delta in the chosen convention: `+4,608 MACs` or `+9,216 FLOPs`. */
export const costDelta = (macs: number, unit: CostUnit): string =>
  unit === 'flops' ? `${signed(2 * macs)} FLOPs` : `${signed(macs)} MACs`;

/** The text badge that says the status without colour. */
export const BADGE: Record<CompareStatus, string> = { added: '+', changed: '~', removed: '−' };

/** A parameter value as the panel writes it: `64`, `3×3`, `relu`, `—` where the kind has no such parameter. */
export function valueText(v: unknown): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? fmt(v) : String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'number' || x === null)) return v.map((x) => (x === null ? 'None' : String(x))).join('×');
  if (typeof v === 'string') return v;
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

/** `filters 32 → 64, kernelSize 3×3 → 5×5`: a changed layer's differences, most telling first. */
export function changeText(c: DiffChange, max = 3): string {
  const parts: string[] = [];
  if (c.kind) parts.push(`${c.kind.a} → ${c.kind.b}`);
  const params = Object.entries(c.params);
  for (const [k, v] of params.slice(0, max)) parts.push(`${k} ${valueText(v.a)} → ${valueText(v.b)}`);
  if (params.length > max) parts.push(`${params.length - max} more settings`);
  if (c.name) parts.push(`renamed ${c.name.a} → ${c.name.b}`);
  if (c.inputs) parts.push(`inputs ${c.inputs.a.join(', ') || 'none'} → ${c.inputs.b.join(', ') || 'none'}`);
  if (c.shares) parts.push(`shares ${c.shares.a ?? 'none'} → ${c.shares.b ?? 'none'}`);
  if (c.shape && !params.length && !c.kind) parts.push(`output ${shapeText(c.shape.a)} → ${shapeText(c.shape.b)}`);
  if (!parts.length && c.shape) parts.push(`output ${shapeText(c.shape.a)} → ${shapeText(c.shape.b)}`);
  return parts.join(', ') || 'counts changed upstream';
}

/** The layer itself differs, not only what flows into it. */
export const isEdit = (c: DiffChange): boolean => !!(c.kind || c.name || c.inputs || c.shares || Object.keys(c.params).length);

/**
 * The diff as the canvas and the panel show it. `b` is the editor's analysis
 * of the edited graph (its `origin` maps flat ids to block uses), `a` the
 * reference's, `graph` the edited document (the nodes the canvas draws).
 */
export function compareView(diff: GraphDiff, b: Analysis, a: Analysis, graph: Graph = b.graph): CompareView {
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  const canvasOf = (id: string): string | null => {
    const use = b.origin.get(id)?.use ?? id;
    return names.has(use) ? use : null;
  };
  const rows: ChangeRow[] = [];
  const row = (status: CompareStatus, id: string, name: string, kind: string, canvasId: string | null, deltaParams: number, deltaMacs: number, detail: string) => {
    const inside = canvasId !== null && canvasId !== id;
    rows.push({ status, id, name, kind, canvasId, ...(inside ? { within: names.get(canvasId) ?? canvasId } : {}), deltaParams, deltaMacs, detail });
  };
  for (const c of diff.changed) {
    row('changed', c.b.id, c.b.name, c.b.kind, canvasOf(c.b.id), c.deltaParams, c.deltaMacs, changeText(c));
    rows[rows.length - 1].cause = isEdit(c) ? 'edit' : 'upstream';
  }
  for (const l of diff.added) row('added', l.id, l.name, l.kind, canvasOf(l.id), l.params, l.macs ?? 0, `new, ${shapeText(l.outputShape)}`);
  // In B's order, so the panel reads top to bottom like the network.
  const order = new Map(b.nodes.map((r, i) => [r.id, i]));
  rows.sort((x, y) => (order.get(x.id) ?? 0) - (order.get(y.id) ?? 0));
  for (const l of diff.removed) {
    // A removed layer from inside a block use marks that use when B still has it.
    const use = a.origin.get(l.id)?.use;
    const canvasId = use !== undefined && names.has(use) ? use : null;
    row('removed', l.id, l.name, l.kind, canvasId, -l.params, -(l.macs ?? 0), `was ${shapeText(l.outputShape)}`);
  }

  const marks = new Map<string, NodeMark>();
  const parts = new Map<string, ChangeRow[]>();
  for (const r of rows) {
    if (r.canvasId === null) continue;
    const list = parts.get(r.canvasId);
    if (list) list.push(r);
    else parts.set(r.canvasId, [r]);
  }
  // How many flat layers each block use stands for: a use is added only when all of them are.
  let size: Map<string, number> | null = null;
  const layersIn = (id: string) => {
    if (!size) {
      size = new Map();
      for (const o of b.origin.values()) size.set(o.use, (size.get(o.use) ?? 0) + 1);
    }
    return size.get(id) ?? 1;
  };
  for (const [id, list] of parts) {
    const added = list.filter((r) => r.status === 'added').length;
    const allAdded = added === list.length && added >= layersIn(id);
    const status = allAdded ? 'added' : 'changed';
    const deltaParams = list.reduce((n, r) => n + r.deltaParams, 0);
    const deltaMacs = list.reduce((n, r) => n + r.deltaMacs, 0);
    let detail: string;
    if (list.length === 1 && list[0].id === id) detail = list[0].detail;
    else if (allAdded) detail = `${list.length} new layer${list.length === 1 ? '' : 's'}`;
    else {
      const n = (s: CompareStatus) => list.filter((r) => r.status === s).length;
      detail = (['changed', 'added', 'removed'] as const).filter((s) => n(s)).map((s) => `${n(s)} layer${n(s) === 1 ? '' : 's'} ${s}`).join(', ');
    }
    const upstream = list.every((r) => r.cause === 'upstream');
    marks.set(id, { status, deltaParams, deltaMacs, detail, upstream });
  }
  return {
    marks,
    rows,
    counts: { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length },
    totals: diff.totals,
    equivalent: diff.equivalent,
  };
}

/** Keeps the previous mark object where nothing changed, so only the nodes whose mark did re-render. */
function stabilize(prev: CompareView | null, next: CompareView): CompareView {
  if (!prev) return next;
  const marks = new Map<string, NodeMark>();
  for (const [id, m] of next.marks) {
    const p = prev.marks.get(id);
    const same = p && p.status === m.status && p.deltaParams === m.deltaParams && p.deltaMacs === m.deltaMacs && p.detail === m.detail && p.upstream === m.upstream;
    marks.set(id, same ? p : m);
  }
  return { ...next, marks };
}

export interface CompareState {
  reference: CompareReference | null;
  /** The reference's analysis, kept while comparing (its block origins name removed layers' uses). */
  referenceAnalysis: Analysis | null;
  view: CompareView | null;
  /** Why the comparison could not be made, or null. */
  problem: string | null;
  start(reference: CompareReference): void;
  /** Leaves compare mode: the canvas draws as usual again. */
  stop(): void;
}

/**
 * Compare mode over an editor store: the view follows the editor's analysis
 * (a new analysis is a committed edit, undo or load), not its renders.
 */
export function createCompareStore(editor: EditorStore): StoreApi<CompareState> {
  const store = createStore<CompareState>()((set, get) => ({
    reference: null,
    referenceAnalysis: null,
    view: null,
    problem: null,
    start(reference) {
      set({ reference, referenceAnalysis: analyze(reference.graph), view: null, problem: null });
      recompute();
    },
    stop() {
      set({ reference: null, referenceAnalysis: null, view: null, problem: null });
    },
  }));
  const recompute = () => {
    const { reference, referenceAnalysis, view } = store.getState();
    if (!reference || !referenceAnalysis) return;
    const b = editor.getState().analysis;
    try {
      const next = compareView(diffGraphs(reference.graph, b.graph), b, referenceAnalysis, editor.getState().graph);
      store.setState({ view: stabilize(view, next), problem: null });
    } catch (e) {
      store.setState({ view: null, problem: `Could not compare: ${(e as Error).message}` });
    }
  };
  editor.subscribe((s, prev) => {
    if (s.analysis !== prev.analysis && store.getState().reference) recompute();
  });
  return store;
}
