/**
 * Comparing two networks layer by layer. Both are compared as flat layers
 * (block uses expanded, so a use and its expansion are equivalent), and
 * layers are matched by name, then by id, then by structure (the same kind
 * fed by layers already matched to each other, in topological order). A
 * matched pair is changed when its kind, a resolved parameter, its output
 * shape, its inputs or the layer whose weights it shares differ; what is left over was added or removed.
 */
import { analyze, type Analysis, type NodeResult } from './analyze.ts';
import { expandBlocks, hasBlocks } from './blocks.ts';
import { getLayer } from './layers/index.ts';
import type { Graph, Shape } from './types.ts';

export interface DiffLayer {
  id: string;
  name: string;
  kind: string;
  outputShape: Shape | null;
  params: number;
  macs: number | null;
}

export interface DiffChange {
  a: DiffLayer;
  b: DiffLayer;
  /** Parameters whose resolved values differ: `{ filters: { a: 64, b: 128 } }`. */
  params: Record<string, { a: unknown; b: unknown }>;
  /** Set when the kind differs. */
  kind?: { a: string; b: string };
  /** Set when the output shape differs. */
  shape?: { a: Shape | null; b: Shape | null };
  /** Set when the layer is fed by other layers (names in B's terms where matched). */
  inputs?: { a: string[]; b: string[] };
  /** Set when the layer whose weights it uses (`shares`) differs; names in B's terms where matched, null for none. */
  shares?: { a: string | null; b: string | null };
  /** Set when only the name differs (matched by id or structure). */
  name?: { a: string; b: string };
  deltaParams: number;
  deltaMacs: number;
}

export interface DiffTotals {
  params: number;
  trainable: number;
  nonTrainable: number;
  macs: number | null;
  layers: number;
}

export interface GraphDiff {
  added: DiffLayer[];
  removed: DiffLayer[];
  changed: DiffChange[];
  totals: { a: DiffTotals; b: DiffTotals };
  /** No layer added, removed or changed. */
  equivalent: boolean;
  /** How each pair was matched, for the record: counts of `name`, `id`, `structure`. */
  matched: { name: number; id: number; structure: number };
}

const flat = (g: Graph): Graph => (hasBlocks(g) ? expandBlocks(g).graph : g);

const layerOf = (r: NodeResult): DiffLayer => ({ id: r.id, name: r.name, kind: r.kind, outputShape: r.outputShape, params: r.paramCount, macs: r.macs });

const totalsOf = (a: Analysis): DiffTotals => ({
  params: a.totals.params, trainable: a.totals.trainable, nonTrainable: a.totals.nonTrainable, macs: a.totals.macs, layers: a.nodes.length,
});

const canonical = (r: NodeResult): Record<string, unknown> => getLayer(r.kind)?.keras.normalize?.(r.params as never) ?? r.params;

const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);

/** Pairs of A's and B's layers: by name, by id, then by structure. */
function match(a: Analysis, b: Analysis): { pairs: Map<string, string>; how: GraphDiff['matched'] } {
  const pairs = new Map<string, string>(); // A id → B id
  const taken = new Set<string>();
  const how = { name: 0, id: 0, structure: 0 };
  const pair = (x: string, y: string, by: keyof typeof how) => {
    pairs.set(x, y);
    taken.add(y);
    how[by]++;
  };
  const bByName = new Map<string, string>();
  for (const r of b.nodes) if (!bByName.has(r.name)) bByName.set(r.name, r.id);
  for (const r of a.nodes) {
    const y = bByName.get(r.name);
    if (y !== undefined && !taken.has(y)) pair(r.id, y, 'name');
  }
  for (const r of a.nodes) {
    if (pairs.has(r.id)) continue;
    const y = b.byId.get(r.id);
    if (y && !taken.has(y.id) && y.kind === r.kind) pair(r.id, y.id, 'id');
  }
  // Structure: walk A in topological order; a layer pairs with the first free B layer of its kind whose inputs are its inputs' partners.
  for (const r of a.nodes) {
    if (pairs.has(r.id)) continue;
    const want = r.inputIds.map((i) => pairs.get(i));
    if (want.some((w) => w === undefined)) continue;
    const y = b.nodes.find((c) => !taken.has(c.id) && c.kind === r.kind && same(c.inputIds, want));
    if (y) pair(r.id, y.id, 'structure');
  }
  return { pairs, how };
}

/** The differences from graph A to graph B. */
export function diffGraphs(ga: Graph, gb: Graph): GraphDiff {
  const a = analyze(flat(ga));
  const b = analyze(flat(gb));
  const { pairs, how } = match(a, b);
  const partner = new Set(pairs.values());
  const changed: DiffChange[] = [];
  for (const ra of a.nodes) {
    const id = pairs.get(ra.id);
    if (id === undefined) continue;
    const rb = b.byId.get(id)!;
    const params: DiffChange['params'] = {};
    // Each side in its kind's canonical form: a pool's strides written out equal to its size are its derived strides.
    const pa = canonical(ra);
    const pb = canonical(rb);
    for (const k of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
      if (!same(pa[k], pb[k])) params[k] = { a: ra.params[k], b: rb.params[k] };
    }
    const inA = ra.inputIds.map((i) => b.byId.get(pairs.get(i) ?? '')?.name ?? a.byId.get(i)?.name ?? i);
    const inB = rb.inputIds.map((i) => b.byId.get(i)?.name ?? i);
    const shA = ra.shares === undefined ? null : b.byId.get(pairs.get(ra.shares) ?? '')?.name ?? a.byId.get(ra.shares)?.name ?? ra.shares;
    const shB = rb.shares === undefined ? null : b.byId.get(rb.shares)?.name ?? rb.shares;
    const c: DiffChange = {
      a: layerOf(ra), b: layerOf(rb), params,
      ...(ra.kind !== rb.kind ? { kind: { a: ra.kind, b: rb.kind } } : {}),
      ...(!same(ra.outputShape, rb.outputShape) ? { shape: { a: ra.outputShape, b: rb.outputShape } } : {}),
      ...(!same(inA, inB) ? { inputs: { a: inA, b: inB } } : {}),
      ...(shA !== shB ? { shares: { a: shA, b: shB } } : {}),
      ...(ra.name !== rb.name ? { name: { a: ra.name, b: rb.name } } : {}),
      deltaParams: rb.paramCount - ra.paramCount,
      deltaMacs: rb.macs === null || ra.macs === null ? 0 : rb.macs - ra.macs,
    };
    if (Object.keys(params).length || c.kind || c.shape || c.inputs || c.shares || c.name || c.deltaParams || c.deltaMacs) changed.push(c);
  }
  const added = b.nodes.filter((r) => !partner.has(r.id)).map(layerOf);
  const removed = a.nodes.filter((r) => !pairs.has(r.id)).map(layerOf);
  return {
    added, removed, changed,
    totals: { a: totalsOf(a), b: totalsOf(b) },
    equivalent: !added.length && !removed.length && !changed.length,
    matched: how,
  };
}
