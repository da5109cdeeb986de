/**
 * Graph structure: adjacency, ports, topological order and cycles.
 * Pure functions over the plain JSON graph.
 */
import { blockDef, blockUse, isBlockUse } from './blocks.ts';
import { getLayer, KINDS, LAYERS, type AnyLayerSpec } from './layers/index.ts';
import { portIndex, portName, type BlockDef, type Graph, type GraphEdge, type GraphNode, type Problem } from './types.ts';

/**
 * Adjacency is kept in flat typed arrays (compressed rows), not one small
 * array per node: a 10,000-node graph then costs a handful of allocations.
 * Node `p`'s ports are `portStart[p] .. portStart[p + 1]`; its consumers are
 * `consumerStart[p] .. consumerStart[p + 1]` in `consumers`.
 */
export interface Structure {
  /** The graph's nodes in file order; a repeated id keeps only its first node. */
  nodes: GraphNode[];
  /** Node id → position in `nodes`. */
  index: Map<string, number>;
  /** Start of each node's ports in `sources` / `inputEdges`; length nodes + 1. */
  portStart: Int32Array;
  /** Per port: the source position, or -1 for a hole (a missing input). */
  sources: Int32Array;
  /** Per port: the edge that fills it. */
  inputEdges: (GraphEdge | undefined)[];
  /** Start of each node's consumers in `consumers`; length nodes + 1. */
  consumerStart: Int32Array;
  /** Consumer positions, in edge order. */
  consumers: Int32Array;
  /** Positions in topological order (ties broken by file order); nodes on cycles are left out. */
  order: Int32Array;
  /** Problems of structure: duplicates, dangling edges, bad ports, cycles, unknown kinds. */
  problems: Problem[];
  /** Positions of the nodes on a cycle or behind one. */
  cyclic: number[];
}

/** Source positions of node `p`'s ports (-1 for holes). */
export function sourcesOf(s: Structure, p: number): Int32Array {
  return s.sources.subarray(s.portStart[p], s.portStart[p + 1]);
}

/** Positions of the nodes that node `p` feeds. */
export function consumersOf(s: Structure, p: number): Int32Array {
  return s.consumers.subarray(s.consumerStart[p], s.consumerStart[p + 1]);
}

/**
 * An imported Keras layer netloom does not model keeps its class as kind and
 * its snake_case Keras config as params: say so, rather than guess a typo.
 * `hints` remembers suggestions per kind, so a file of many nodes of one
 * unknown kind costs one search.
 */
function unknownKindMessage(n: GraphNode, hints: Map<string, string | null>): string {
  const kind = String(n.kind).slice(0, 64);
  const keras = n.params && typeof n.params === 'object' && Object.keys(n.params).some((k) => k.includes('_'));
  if (keras) return `Keras layer class '${kind}' is not modelled by netloom (no kind computes its shape or weights); replace it with a supported layer or remove it`;
  let hint = hints.get(kind);
  if (hint === undefined) hints.set(kind, (hint = suggestKind(kind)));
  return `unknown kind '${kind}'; ${hint ? `did you mean '${hint}'?` : `use one of ${KINDS.join(', ')}`}`;
}

/** Closest known kind by edit distance, for "did you mean" hints. */
export function suggestKind(kind: string): string | null {
  const k = kind.slice(0, 64).toLowerCase();
  const limit = Math.max(2, Math.floor(k.length / 3));
  let best: string | null = null;
  let bestD = Infinity;
  for (const cand of KINDS) {
    // The distance is at least the difference in length: skip kinds that cannot be close.
    if (Math.abs(cand.length - k.length) > Math.min(limit, bestD)) continue;
    const d = editDistance(k, cand.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = cand;
    }
  }
  return bestD <= limit ? best : null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

// ---------- connection rules ----------

/** What a node takes in: its kind's passport, or for a block use its block's declared inputs. */
export interface NodeInputs {
  readonly min: number;
  readonly max: number;
  /** Any number from `min` to `max` (the merges): the editor offers one more free port. */
  readonly variadic: boolean;
  /** Port names in port order, when the kind or the block names them. */
  readonly names?: readonly string[];
  /** A model input: it starts the network and takes no edges in. */
  readonly modelInput: boolean;
}

/** One object per kind, so views asking for every node on each render allocate nothing. */
const KIND_INPUTS = new Map<AnyLayerSpec, NodeInputs>();

function specInputs(spec: AnyLayerSpec): NodeInputs {
  let hit = KIND_INPUTS.get(spec);
  if (!hit) {
    const i = spec.inputs;
    hit = { min: i.min, max: i.max, variadic: !!i.variadic, ...(i.names ? { names: i.names } : {}), modelInput: !!spec.isModelInput };
    KIND_INPUTS.set(spec, hit);
  }
  return hit;
}

/** What a node of unknown kind takes, for file validation: anything; its own problem names the fix. */
const ANY_INPUTS: NodeInputs = { min: 0, max: Infinity, variadic: true, modelInput: false };
/** More than the most ports a node may have (`in9999`), so target and port make one map key. */
const PORT_SPAN = 10_000;

/**
 * What `node` takes in, or null for an unknown kind or a use of a block the
 * graph does not define (an own property only: a block named `toString` is data).
 */
export function nodeInputs(graph: Graph, node: GraphNode): NodeInputs | null {
  const use = blockUse(node);
  if (!use) {
    const spec = getLayer(node.kind);
    return spec ? specInputs(spec) : null;
  }
  const def = blockDef(graph.blocks, use.block);
  return def && Array.isArray(def.inputs) ? blockInputs(def) : null;
}

/** What a use of `def` takes in: exactly its declared inputs, named as the block names them. */
export function blockInputs(def: BlockDef): NodeInputs {
  return { min: def.inputs.length, max: def.inputs.length, variadic: false, names: def.inputs, modelInput: false };
}

/** The name a node shows for input port `i`: its kind's or block's name for it, else `in0`, `in1`, … */
export function portLabel(inputs: NodeInputs | null, i: number): string {
  return inputs?.names?.[i] ?? portName(i);
}

/** Which connection rule an edge breaks. */
export type EdgeRule = 'missing' | 'self' | 'kind' | 'model-input' | 'port' | 'too-many' | 'taken' | 'twice' | 'cycle';

export interface EdgeProblem {
  rule: EdgeRule;
  /** Names the node, the port and the fix; the same words in the editor and in file validation. */
  message: string;
}

/** What the rules read of a graph; the editor and file validation each look it up their own way. */
export interface EdgeView {
  node(id: string): GraphNode | undefined;
  /** What a node takes in; null refuses every edge into it as of an unknown kind. */
  inputs(node: GraphNode): NodeInputs | null;
  /** The name of the node whose edge already fills `target`'s input `port`, if any. */
  holder(target: string, port: number): string | undefined;
}

let mergeList: string | undefined;
/** The first kinds that join branches, from their passports: `Add, Multiply or Concatenate` (the palette lists the rest). */
function merges(): string {
  if (mergeList === undefined) {
    const kinds = LAYERS.filter((l) => l.inputs.variadic).map((l) => l.kind).slice(0, 3);
    mergeList = kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}` : kinds.join('');
  }
  return mergeList;
}

/** A node as a message names it: its name and kind, or for a block use the block it uses. */
function who(n: GraphNode): string {
  const use = blockUse(n);
  return `${n.name} (${use ? `block ${use.block}` : n.kind})`;
}

const shown = (port: string) => String(port).slice(0, 32);

/**
 * The rules that depend only on the node an edge enters and the port it
 * takes: a model input takes none, ports are `in0`, `in1`, …, and a node
 * takes at most `inputs.max`. Block expansion checks the edges into a use with them.
 */
export function portProblem(t: GraphNode, inputs: NodeInputs, port: string): EdgeProblem | null {
  if (inputs.modelInput || inputs.max === 0) {
    return { rule: 'model-input', message: `${who(t)} is a model input and takes no inputs; connect from it, not into it` };
  }
  const idx = portIndex(port);
  if (idx < 0) return { rule: 'port', message: `${t.name} has no port '${shown(port)}'; ports are named in0, in1, …` };
  if (idx >= inputs.max) {
    const max = inputs.max;
    const names = inputs.names?.length ? ` (${inputs.names.join(', ')})` : '';
    const fix = max === 1 ? `join the branches with ${merges()} first and connect that` : 'remove an edge into it first';
    return { rule: 'too-many', message: `${who(t)} takes at most ${max} input${max === 1 ? '' : 's'}${names}, so nothing can enter port ${shown(port)}; ${fix}` };
  }
  return null;
}

/**
 * Why an edge `source → target` into `port` may not be in a graph, or null:
 * the connection rules, stated once. The editor asks before it adds an edge
 * (`connectionProblem`), file validation asks for every edge in the file.
 */
export function edgeProblem(view: EdgeView, source: string, target: string, port: string): EdgeProblem | null {
  const s = view.node(source);
  if (!s) return { rule: 'missing', message: `no node '${shown(source)}' to connect from; add the node or remove the edge` };
  const t = view.node(target);
  if (!t) return { rule: 'missing', message: `no node '${shown(target)}' to connect into; add the node or remove the edge` };
  if (source === target) return { rule: 'self', message: `${t.name} cannot feed itself; connect it to another layer` };
  const inputs = view.inputs(t);
  if (!inputs) {
    const use = blockUse(t);
    return {
      rule: 'kind',
      message: use
        ? `${t.name} has an unknown kind: block '${shown(use.block)}' is not defined in this graph; define the block or replace the node`
        : `${t.name} has an unknown kind '${shown(t.kind)}'; replace the node with a layer from the palette`,
    };
  }
  const bad = portProblem(t, inputs, port);
  if (bad) return bad;
  const held = view.holder(target, portIndex(port));
  if (held !== undefined) return { rule: 'taken', message: `${t.name}'s input ${shown(port)} is already connected (from ${held}); delete that edge first or connect to a free port` };
  return null;
}

/** Is `to` reachable from `from` along edges? */
function reaches(graph: Graph, from: string, to: string): boolean {
  const out = new Map<string, string[]>();
  for (const e of graph.edges) {
    const l = out.get(e.source);
    if (l) l.push(e.target);
    else out.set(e.source, [e.target]);
  }
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length) {
    const x = stack.pop()!;
    if (x === to) return true;
    for (const y of out.get(x) ?? []) if (!seen.has(y)) (seen.add(y), stack.push(y));
  }
  return false;
}

/**
 * Why the editor may not add `source → target` into `port` now, or null:
 * `edgeProblem` over the graph, and the editor's own two rules: one edge
 * between two layers (except into named ports, such as MultiHeadAttention's
 * query and value, which one layer may feed both), and no edge that would
 * close a cycle. Checked while
 * the user drags, so it never throws.
 */
export function connectionProblem(graph: Graph, source: string, target: string, port: string): EdgeProblem | null {
  const view: EdgeView = {
    node: (id) => graph.nodes.find((n) => n.id === id),
    inputs: (n) => nodeInputs(graph, n),
    holder: (id, p) => {
      const e = graph.edges.find((x) => x.target === id && portIndex(x.targetPort) === p);
      return e && (graph.nodes.find((n) => n.id === e.source)?.name ?? e.source);
    },
  };
  const bad = edgeProblem(view, source, target, port);
  if (bad) return bad;
  const s = view.node(source)!;
  const t = view.node(target)!;
  // Named ports take their inputs by role, so one layer may feed several (self-attention: query and value from x).
  if (!view.inputs(t)?.names && graph.edges.some((e) => e.target === target && e.source === source)) {
    return { rule: 'twice', message: `${s.name} already feeds ${t.name}; connect another layer to this port` };
  }
  if (reaches(graph, target, source)) {
    return { rule: 'cycle', message: `connecting ${s.name} → ${t.name} would make a cycle (${t.name} already feeds ${s.name}); networks must flow one way` };
  }
  return null;
}

export function buildStructure(graph: Graph): Structure {
  const problems: Problem[] = [];
  const fileNodes = graph.nodes;
  const index = new Map<string, number>();
  // Fast path: every id is new, so positions are file positions; otherwise later repeats are dropped.
  for (let i = 0; i < fileNodes.length; i++) index.set(fileNodes[i].id, i);
  let nodes: GraphNode[] = fileNodes;
  /** File position of each kept node, when a repeated id made them differ from their positions. */
  let filePos: Int32Array | null = null;
  if (index.size !== fileNodes.length) {
    index.clear();
    nodes = [];
    filePos = new Int32Array(fileNodes.length);
    for (let i = 0; i < fileNodes.length; i++) {
      const n = fileNodes[i];
      if (index.has(n.id)) {
        problems.push({ nodeId: n.id, path: `/nodes/${i}/id`, message: `duplicate node id '${n.id}'; give every node its own id` });
        continue;
      }
      filePos[nodes.length] = i;
      index.set(n.id, nodes.length);
      nodes.push(n);
    }
  } else {
    nodes = fileNodes.slice();
  }
  const at = (p: number) => (filePos ? filePos[p] : p);
  const count = nodes.length;
  /** What each node takes in; an unknown kind takes anything (its own problem says what is wrong). */
  const inputsAt: NodeInputs[] = new Array(count);
  // Names must be unique. Nodes named as their id cannot clash with each other (ids are unique),
  // so a first pass looks up only the names that differ from their id: against the other renamed
  // nodes, and against the node whose id equals that name. Only if it finds a clash does the full
  // pass run, to report every duplicate with the node that holds the name first.
  let clash = false;
  const renamed = new Set<string>();
  for (let p = 0; p < count && !clash; p++) {
    const n = nodes[p];
    if (n.name === n.id) continue;
    const same = index.get(n.name);
    clash = renamed.has(n.name) || (same !== undefined && nodes[same].name === n.name);
    renamed.add(n.name);
  }
  /** Name → the node that holds it first, for the full pass. */
  const names = clash ? new Map<string, GraphNode>() : null;
  const hints = new Map<string, string | null>();
  for (let p = 0; p < count; p++) {
    const n = nodes[p];
    if (names) {
      const other = names.get(n.name);
      if (other) {
        problems.push({ nodeId: n.id, path: `/nodes/${at(p)}/name`, field: 'name', message: `name '${n.name}' is already used by node '${other.id}'; layer names must be unique (Keras requires it)` });
      } else names.set(n.name, n);
    }
    const spec = getLayer(n.kind);
    inputsAt[p] = (spec ? specInputs(spec) : isBlockUse(n) ? nodeInputs(graph, n) : null) ?? ANY_INPUTS;
    if (!spec && !isBlockUse(n)) {
      problems.push({ nodeId: n.id, path: `/nodes/${at(p)}/kind`, field: 'kind', message: unknownKindMessage(n, hints) });
    }
  }

  // Pass 1: check each edge against the connection rules (in file order, so the
  // first edge into a port holds it) and count ports and fan-out per node.
  const edgeIds = new Set<string>();
  const fileEdges = graph.edges;
  const cand = new Int32Array(fileEdges.length);
  const candSrc = new Int32Array(fileEdges.length);
  const candDst = new Int32Array(fileEdges.length);
  const candPort = new Int32Array(fileEdges.length);
  const portStart = new Int32Array(count + 1);
  const consumerStart = new Int32Array(count + 1);
  // Filled ports → source position: port in0 (most edges) per target in an array, the others
  // in a map keyed `target position · PORT_SPAN + port`.
  const held0 = new Int32Array(count).fill(-1);
  const held = new Map<number, number>();
  const view: EdgeView = {
    node: (id) => {
      const p = index.get(id);
      return p === undefined ? undefined : nodes[p];
    },
    inputs: (n) => inputsAt[index.get(n.id)!],
    holder: (id, port) => {
      const dst = index.get(id)!;
      const src = port === 0 ? held0[dst] : held.get(dst * PORT_SPAN + port) ?? -1;
      return src < 0 ? undefined : nodes[src].name;
    },
  };
  let nCand = 0;
  for (let i = 0; i < fileEdges.length; i++) {
    const e = fileEdges[i];
    const known = edgeIds.size;
    edgeIds.add(e.id);
    if (edgeIds.size === known) {
      problems.push({ edgeId: e.id, path: `/edges/${i}/id`, message: `duplicate edge id '${e.id}'; give every edge its own id` });
      continue;
    }
    const bad = edgeProblem(view, e.source, e.target, e.targetPort);
    if (bad) {
      const into = index.has(e.target) ? e.target : undefined;
      const path = bad.rule === 'missing' || bad.rule === 'self' ? `/edges/${i}` : `/edges/${i}/targetPort`;
      problems.push({ edgeId: e.id, nodeId: into, path, message: `edge '${e.id}': ${bad.message}` });
      continue;
    }
    const src = index.get(e.source)!;
    const dst = index.get(e.target)!;
    const port = portIndex(e.targetPort);
    if (port === 0) held0[dst] = src;
    else held.set(dst * PORT_SPAN + port, src);
    cand[nCand] = i;
    candSrc[nCand] = src;
    candDst[nCand] = dst;
    candPort[nCand] = port;
    nCand++;
    // Counts first (shifted by one), prefix sums below turn them into starts.
    if (port + 1 > portStart[dst + 1]) portStart[dst + 1] = port + 1;
    consumerStart[src + 1]++;
  }
  for (let p = 0; p < count; p++) {
    portStart[p + 1] += portStart[p];
    consumerStart[p + 1] += consumerStart[p];
  }

  // Pass 2: fill ports and consumer lists; every port has at most one edge by now.
  const sources = new Int32Array(portStart[count]).fill(-1);
  const inputEdges: (GraphEdge | undefined)[] = new Array(portStart[count]).fill(undefined);
  const consumers = new Int32Array(consumerStart[count]);
  const filled = new Int32Array(count);
  for (let c = 0; c < nCand; c++) {
    const at = portStart[candDst[c]] + candPort[c];
    inputEdges[at] = fileEdges[cand[c]];
    sources[at] = candSrc[c];
    const src = candSrc[c];
    consumers[consumerStart[src] + filled[src]++] = candDst[c];
  }

  const s: Structure = { nodes, index, portStart, sources, inputEdges, consumerStart, consumers, order: new Int32Array(0), problems, cyclic: [] };
  const { order, cyclic } = topoOrder(s);
  s.order = order;
  s.cyclic = cyclic;
  if (cyclic.length) {
    for (const cycle of findCycles(cyclic, s)) {
      const ids = cycle.map((p) => nodes[p].id);
      problems.push({ nodeId: ids[0], message: `cycle through ${ids.join(' → ')} → ${ids[0]}; a network must flow one way, so remove one of these edges` });
    }
  }
  return s;
}

/** Kahn's algorithm with a min-heap on position, so the order is stable and readable. */
function topoOrder(s: Structure): { order: Int32Array; cyclic: number[] } {
  const { portStart, sources, consumerStart, consumers } = s;
  const n = portStart.length - 1;
  // Fast path: files and editors usually list nodes in an order that is already topological.
  let sorted = true;
  for (let p = 0; p < n && sorted; p++) {
    for (let k = portStart[p]; k < portStart[p + 1]; k++) {
      if (sources[k] >= p) {
        sorted = false;
        break;
      }
    }
  }
  if (sorted) {
    const order = new Int32Array(n);
    for (let p = 0; p < n; p++) order[p] = p;
    return { order, cyclic: [] };
  }
  const indeg = new Int32Array(n);
  const heap: number[] = [];
  for (let p = 0; p < n; p++) {
    for (let k = portStart[p]; k < portStart[p + 1]; k++) if (sources[k] >= 0) indeg[p]++;
    if (indeg[p] === 0) heapPush(heap, p);
  }
  const order: number[] = [];
  while (heap.length) {
    const p = heapPop(heap);
    order.push(p);
    for (let k = consumerStart[p]; k < consumerStart[p + 1]; k++) if (--indeg[consumers[k]] === 0) heapPush(heap, consumers[k]);
  }
  const cyclic: number[] = [];
  for (let p = 0; p < n; p++) if (indeg[p] > 0) cyclic.push(p);
  return { order: Int32Array.from(order), cyclic };
}

function heapPush(h: number[], v: number): void {
  h.push(v);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p] <= h[i]) break;
    [h[p], h[i]] = [h[i], h[p]];
    i = p;
  }
}
function heapPop(h: number[]): number {
  const top = h[0];
  const last = h.pop()!;
  if (h.length) {
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l] < h[m]) m = l;
      if (r < h.length && h[r] < h[m]) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
  return top;
}

/**
 * One concrete cycle per strongly tangled region (iterative DFS, no recursion
 * limits). Each frame walks its node's consumer range once, so a node with
 * many consumers costs its fan-out, not its fan-out squared.
 */
function findCycles(cyclicList: number[], s: Structure): number[][] {
  const cyclic = new Set(cyclicList);
  const { consumerStart, consumers } = s;
  const cycles: number[][] = [];
  const done = new Set<number>();
  for (const start of cyclicList) {
    if (done.has(start)) continue;
    const onPath = new Map<number, number>();
    const path: number[] = [];
    const stack: { p: number; next: number }[] = [{ p: start, next: consumerStart[start] }];
    onPath.set(start, 0);
    path.push(start);
    let found: number[] | null = null;
    while (stack.length && !found) {
      const top = stack[stack.length - 1];
      const end = consumerStart[top.p + 1];
      while (top.next < end && (!cyclic.has(consumers[top.next]) || done.has(consumers[top.next]))) top.next++;
      if (top.next >= end) {
        stack.pop();
        onPath.delete(path.pop()!);
        done.add(top.p);
        continue;
      }
      const nxt = consumers[top.next++];
      if (onPath.has(nxt)) {
        found = path.slice(onPath.get(nxt)!);
      } else {
        onPath.set(nxt, path.length);
        path.push(nxt);
        stack.push({ p: nxt, next: consumerStart[nxt] });
      }
    }
    if (found) {
      cycles.push(found);
      for (const p of found) done.add(p);
    }
    for (const p of path) done.add(p);
  }
  return cycles;
}

/**
 * The order in which repeated passes over a list, each taking in list order
 * every item that is ready when reached, would take its items, in
 * O(n log n): an item that becomes ready ahead of the pass joins this pass,
 * one that becomes ready behind it waits for the next. Block expansion and
 * Keras import build in this order, so files whose items come in any order
 * cost a linear walk, not one pass per item.
 */
export class Sweep {
  private current: number[] = [];
  private later: number[] = [];
  private at = -1;

  /** Marks item `i` (its list position) ready. */
  ready(i: number): void {
    if (i > this.at) heapPush(this.current, i);
    else this.later.push(i);
  }

  /** The next item to take, or -1 when none is ready. */
  take(): number {
    if (!this.current.length) {
      if (!this.later.length) return -1;
      for (const i of this.later) heapPush(this.current, i);
      this.later = [];
    }
    this.at = heapPop(this.current);
    return this.at;
  }
}

/**
 * Whether two graphs describe the same network: the same nodes (id, kind,
 * name, parameters, shared weights), edges and blocks, in the same order.
 * Positions, canvas groups, summary groups, the title and the description
 * are left out: moving, laying out or grouping layers builds the same model,
 * so a compiled model stays valid through them. Objects an edit left alone
 * are compared by identity first; `params` and blocks otherwise by value.
 */
export function sameNetwork(a: Graph, b: Graph): boolean {
  if (a === b) return true;
  if (a.name !== b.name || a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return false;
  if (a.blocks !== b.blocks && !sameJson(a.blocks ?? null, b.blocks ?? null)) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const m = a.nodes[i];
    const n = b.nodes[i];
    if (m === n) continue;
    if (m.id !== n.id || m.kind !== n.kind || m.name !== n.name || m.shares !== n.shares) return false;
    if (m.params !== n.params && !sameJson(m.params, n.params)) return false;
  }
  if (a.edges === b.edges) return true;
  for (let i = 0; i < a.edges.length; i++) {
    const e = a.edges[i];
    const f = b.edges[i];
    if (e !== f && (e.id !== f.id || e.source !== f.source || e.target !== f.target || e.targetPort !== f.targetPort)) return false;
  }
  return true;
}

const sameJson = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
