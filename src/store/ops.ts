/**
 * Pure graph edits. Each returns a new Graph that shares every node, edge and
 * array it did not change, so incremental analysis reuses their results.
 * Refusals come back as `{ ok: false, reason }` with a reason naming the fix.
 */
import {
  BLOCK_KIND, blockDef, connectionProblem as ruleBroken, getLayer, isBlockUse, LIMITS, nodeInputs, portIndex, portName,
  type ParamSchemaMap, type Graph, type GraphEdge, type GraphNode, type Position,
} from '../engine/index.ts';

export type Edit = { ok: true; graph: Graph } | { ok: false; reason: string };

/** The base name Keras gives a layer of this kind (MaxPooling2D gives max_pooling2d). */
export function baseName(kind: string): string {
  return kind.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** `base` if free, else the first free `base_N`, as Keras names layers (`dense`, `dense_1`, …). */
export function freshName(graph: Graph, base: string, taken: Set<string> = usedNames(graph)): string {
  if (!taken.has(base)) return base;
  for (let i = 1; ; i++) {
    const name = `${base}_${i}`;
    if (!taken.has(name)) return name;
  }
}

function usedNames(graph: Graph): Set<string> {
  const s = new Set<string>();
  for (const n of graph.nodes) {
    s.add(n.id);
    s.add(n.name);
  }
  return s;
}

export function freshEdgeId(graph: Graph): string {
  const ids = new Set(graph.edges.map((e) => e.id));
  for (let i = graph.edges.length + 1; ; i++) if (!ids.has(`e${i}`)) return `e${i}`;
}

/** A node of `kind` with its default parameters, named and placed. */
export function newNode(graph: Graph, kind: string, position: Position): GraphNode | null {
  const spec = getLayer(kind);
  if (!spec) return null;
  const params: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(spec.params as ParamSchemaMap)) params[k] = structuredClone(s.default);
  const id = freshName(graph, baseName(kind));
  return { id, kind, name: id, params, position: { x: Math.round(position.x), y: Math.round(position.y) } };
}

/** A use of the graph's block `block` (one copy, default arguments), or null if no such block is defined. */
export function newBlockUse(graph: Graph, block: string, position: Position): GraphNode | null {
  if (!blockDef(graph.blocks, block)) return null;
  const id = freshName(graph, baseName(block.replace(/[^\w]+/g, '_')));
  return { id, kind: BLOCK_KIND, name: id, params: { block, repeat: 1, repeatStart: 1, args: {} }, position: { x: Math.round(position.x), y: Math.round(position.y) } };
}

/**
 * How many inputs a node takes: its kind's passport, or for a block use, its
 * block's declared inputs (a block the file defines: `toString` names none).
 */
export function arity(graph: Graph, node: GraphNode): { min: number; max: number } | null {
  const inputs = nodeInputs(graph, node);
  return inputs ? { min: inputs.min, max: inputs.max } : null;
}

export function addNode(graph: Graph, node: GraphNode): Graph {
  return { ...graph, nodes: [...graph.nodes, node] };
}

/** Ports of a node the user may connect into now: used ones plus, while allowed, one free. */
export function portsOf(graph: Graph, nodeId: string): string[] {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) return [portName(0)];
  let highest = -1;
  for (const e of graph.edges) if (e.target === nodeId) highest = Math.max(highest, portIndex(e.targetPort));
  return portsWith(graph, node, highest);
}

/** Highest connected input port per target node, in one pass over the edges (for views of every node at once). */
export function highestPorts(graph: Graph): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of graph.edges) out.set(e.target, Math.max(out.get(e.target) ?? -1, portIndex(e.targetPort)));
  return out;
}

/** `portsOf` for a node whose highest connected port index is known (-1 for none). */
export function portsWith(graph: Graph, node: GraphNode, highest: number): string[] {
  const inputs = nodeInputs(graph, node);
  if (!inputs) return [portName(0)];
  const n = inputs.variadic ? Math.max(inputs.min, highest + 2) : inputs.max;
  return Array.from({ length: Math.min(n, inputs.max) }, (_, i) => portName(i));
}

/**
 * Why `source → target:port` may not be added, or null when it may: the
 * engine's connection rules (the same words file validation uses). Checked
 * while the user drags, so it must be cheap and never throw.
 */
export function connectionProblem(graph: Graph, source: string, target: string, port: string): string | null {
  return ruleBroken(graph, source, target, port)?.message ?? null;
}

export function connect(graph: Graph, source: string, target: string, port: string): Edit {
  const reason = connectionProblem(graph, source, target, port);
  if (reason) return { ok: false, reason };
  const edge: GraphEdge = { id: freshEdgeId(graph), source, target, targetPort: port };
  return { ok: true, graph: { ...graph, edges: [...graph.edges, edge] } };
}

/** Removes edges; a merge node's remaining inputs close up (in0, in1, … stay contiguous). */
export function removeEdges(graph: Graph, edgeIds: ReadonlySet<string>): Graph {
  if (!graph.edges.some((e) => edgeIds.has(e.id))) return graph;
  return { ...graph, edges: compactPorts(graph, graph.edges.filter((e) => !edgeIds.has(e.id))) };
}

function compactPorts(graph: Graph, edges: GraphEdge[]): GraphEdge[] {
  const merges = new Set(graph.nodes.filter((n) => nodeInputs(graph, n)?.variadic).map((n) => n.id));
  const byTarget = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    if (!merges.has(e.target)) continue;
    const list = byTarget.get(e.target);
    if (list) list.push(e);
    else byTarget.set(e.target, [e]);
  }
  const renamed = new Map<GraphEdge, GraphEdge>();
  for (const list of byTarget.values()) {
    list.sort((a, b) => portIndex(a.targetPort) - portIndex(b.targetPort));
    list.forEach((e, i) => {
      if (e.targetPort !== portName(i)) renamed.set(e, { ...e, targetPort: portName(i) });
    });
  }
  return renamed.size ? edges.map((e) => renamed.get(e) ?? e) : edges;
}

/** Removes nodes and every edge touching them. */
export function removeNodes(graph: Graph, ids: ReadonlySet<string>): Graph {
  if (!graph.nodes.some((n) => ids.has(n.id))) return graph;
  // A layer whose owner goes keeps its place and gets weights of its own: its `shares` goes too.
  const nodes = graph.nodes.filter((n) => !ids.has(n.id)).map((n) => (n.shares !== undefined && ids.has(n.shares) ? withoutShares(n) : n));
  const dropped = new Set(graph.edges.filter((e) => ids.has(e.source) || ids.has(e.target)).map((e) => e.id));
  return removeEdges({ ...graph, nodes }, dropped);
}

const withoutShares = ({ shares: _s, ...rest }: GraphNode): GraphNode => rest;

/**
 * Sets or clears (`owner` null) the layer whose weights node `id` uses. The
 * analysis says whether the pair may share (an error on `shares` otherwise).
 */
export function setShares(graph: Graph, id: string, owner: string | null): Edit {
  const node = graph.nodes.find((n) => n.id === id);
  if (!node) return { ok: false, reason: `no layer '${id}' to edit` };
  if (owner === null) return { ok: true, graph: node.shares === undefined ? graph : updateNode(graph, id, withoutShares) };
  if (owner === id) return { ok: false, reason: 'a layer cannot share its own weights; pick another layer' };
  if (!graph.nodes.some((n) => n.id === owner)) return { ok: false, reason: `no layer '${owner}' to share weights with; pick one from the list` };
  return { ok: true, graph: node.shares === owner ? graph : updateNode(graph, id, (n) => ({ ...n, shares: owner })) };
}

/** Replaces one node by `f(node)`; everything else keeps its identity. */
export function updateNode(graph: Graph, id: string, f: (n: GraphNode) => GraphNode): Graph {
  const i = graph.nodes.findIndex((n) => n.id === id);
  if (i < 0) return graph;
  const next = f(graph.nodes[i]);
  if (next === graph.nodes[i]) return graph;
  const nodes = graph.nodes.slice();
  nodes[i] = next;
  return { ...graph, nodes };
}

export function moveNodes(graph: Graph, positions: ReadonlyMap<string, Position>): Graph {
  let changed = false;
  const nodes = graph.nodes.map((n) => {
    const p = positions.get(n.id);
    if (!p || (n.position && n.position.x === p.x && n.position.y === p.y)) return n;
    changed = true;
    return { ...n, position: { x: p.x, y: p.y } };
  });
  return changed ? { ...graph, nodes } : graph;
}

export function rename(graph: Graph, id: string, name: string): Edit {
  const trimmed = name.trim();
  if (!trimmed) return { ok: false, reason: 'a layer name cannot be empty; type a name such as conv1' };
  if (trimmed.length > LIMITS.name) return { ok: false, reason: `a layer name can be at most ${LIMITS.name} characters; shorten it` };
  const clash = graph.nodes.find((n) => n.id !== id && n.name === trimmed);
  if (clash) return { ok: false, reason: `another layer is already named '${trimmed}'; names must be unique` };
  return { ok: true, graph: updateNode(graph, id, (n) => (n.name === trimmed ? n : { ...n, name: trimmed })) };
}

/**
 * Inserts a fragment (nodes and the edges among them) with fresh ids and
 * names, shifted by `offset`. Returns the graph and the new ids.
 */
export function insertFragment(graph: Graph, fragment: Graph, offset: Position): { graph: Graph; ids: string[] } {
  const taken = usedNames(graph);
  const idMap = new Map<string, string>();
  const nodes: GraphNode[] = [];
  for (const n of fragment.nodes) {
    const base = n.name.replace(/_\d+$/, '') || baseName(n.kind);
    const id = freshName(graph, base, taken);
    taken.add(id);
    idMap.set(n.id, id);
    const p = n.position ?? { x: 0, y: 0 };
    nodes.push({ ...n, id, name: id, params: structuredClone(n.params), position: { x: p.x + offset.x, y: p.y + offset.y } });
  }
  // A copy shares its copied owner, or the owner it had where that is in the graph; otherwise it has weights of its own.
  const present = new Set(graph.nodes.map((n) => n.id));
  for (let i = 0; i < nodes.length; i++) {
    const owner = nodes[i].shares;
    if (owner === undefined) continue;
    const to = idMap.get(owner) ?? (present.has(owner) ? owner : undefined);
    nodes[i] = to === undefined ? withoutShares(nodes[i]) : { ...nodes[i], shares: to };
  }
  let next: Graph = { ...graph, nodes: [...graph.nodes, ...nodes] };
  // Block definitions the target lacks come along; a name it already defines keeps its own definition.
  const missing = Object.entries(fragment.blocks ?? {}).filter(([k]) => !blockDef(graph.blocks, k));
  if (missing.length) next = { ...next, blocks: { ...(graph.blocks ?? {}), ...Object.fromEntries(missing) } };
  const edges = [...next.edges];
  for (const e of fragment.edges) {
    const source = idMap.get(e.source);
    const target = idMap.get(e.target);
    if (!source || !target) continue;
    edges.push({ id: freshEdgeId({ ...next, edges }), source, target, targetPort: e.targetPort });
  }
  next = { ...next, edges };
  return { graph: next, ids: nodes.map((n) => n.id) };
}

/** The selected nodes and the edges among them, as a standalone graph. */
export function extractFragment(graph: Graph, ids: ReadonlySet<string>): Graph {
  const nodes = graph.nodes.filter((n) => ids.has(n.id));
  return {
    name: 'clipboard',
    nodes,
    edges: graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
    // Block uses travel with their definitions, so a paste into another tab still expands.
    ...(graph.blocks && nodes.some(isBlockUse) ? { blocks: graph.blocks } : {}),
  };
}

/** A node's box on the canvas; the editor's default (200 × 90) when the canvas has not measured it. */
export type SizeOf = (id: string) => { width: number; height: number } | undefined;
const DEFAULT_SIZE = { width: 200, height: 90 };
/** Vertical room between a layer and the one placed under it. */
export const PLACE_GAP = 40;

/**
 * Where a new layer goes: under `anchor` (the selected layer), else under the
 * lowest layer, else at `fallback`; moved further down until it overlaps no
 * layer (the new one is taken as 200 × 90).
 */
export function placeNew(graph: Graph, anchor: string | null, fallback: Position, sizeOf: SizeOf = () => undefined): Position {
  const boxes = graph.nodes.filter((n) => n.position).map((n) => {
    const s = sizeOf(n.id) ?? DEFAULT_SIZE;
    return { id: n.id, x: n.position!.x, y: n.position!.y, w: s.width, h: s.height };
  });
  if (!boxes.length) return { x: Math.round(fallback.x), y: Math.round(fallback.y) };
  const from = boxes.find((b) => b.id === anchor) ?? boxes.reduce((a, b) => (b.y + b.h > a.y + a.h ? b : a));
  const p = { x: from.x, y: from.y + from.h + PLACE_GAP };
  const w = DEFAULT_SIZE.width;
  const h = DEFAULT_SIZE.height;
  // Each pass moves below a layer it overlaps (with a margin), so this ends after at most one pass per layer.
  for (let pass = 0; pass <= boxes.length; pass++) {
    const hit = boxes.find((b) => p.x < b.x + b.w + 10 && p.x + w + 10 > b.x && p.y < b.y + b.h + 10 && p.y + h + 10 > b.y);
    if (!hit) break;
    p.y = hit.y + hit.h + PLACE_GAP;
  }
  return { x: Math.round(p.x), y: Math.round(p.y) };
}

/**
 * The port to wire `source` into a new node `target` by, when that is
 * unambiguous: the new node takes an input and the connection rules allow
 * `source → target:in0`. Null otherwise.
 */
export function autoPort(graph: Graph, source: string | null, target: GraphNode): string | null {
  if (!source || !graph.nodes.some((n) => n.id === source)) return null;
  const inputs = nodeInputs(graph, target);
  if (!inputs || inputs.max < 1) return null;
  return connectionProblem(graph, source, target.id, portName(0)) === null ? portName(0) : null;
}

/**
 * Moves one end of edge `edgeId` to `source → target:port` (the other end as it was, when
 * unchanged), by the same rules as a new connection, checked as if the old edge were gone.
 * A merge layer the edge left closes up its remaining inputs.
 */
export function reconnect(graph: Graph, edgeId: string, source: string, target: string, port: string): Edit {
  const old = graph.edges.find((e) => e.id === edgeId);
  if (!old) return { ok: false, reason: `there is no connection '${edgeId}' to move; it may have been deleted` };
  if (old.source === source && old.target === target && old.targetPort === port) return { ok: true, graph };
  const without: Graph = { ...graph, edges: graph.edges.filter((e) => e.id !== edgeId) };
  const reason = connectionProblem(without, source, target, port);
  if (reason) return { ok: false, reason };
  const edges = graph.edges.map((e) => (e.id === edgeId ? { ...e, source, target, targetPort: port } : e));
  return { ok: true, graph: { ...graph, edges: compactPorts(graph, edges) } };
}
