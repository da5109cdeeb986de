/**
 * Graph structure: adjacency, ports, topological order and cycles.
 * Pure functions over the plain JSON graph.
 */
import { getLayer, KINDS } from './layers/index.ts';
import { portIndex, type Graph, type GraphEdge, type GraphNode, type Problem } from './types.ts';

export interface Structure {
  byId: Map<string, GraphNode>;
  /** Per node: its incoming edge on each port index (holes are missing inputs). */
  inputs: Map<string, (GraphEdge | undefined)[]>;
  /** Per node: ids of the nodes it feeds. */
  consumers: Map<string, string[]>;
  /** Node ids in topological order (ties broken by file order); nodes on cycles are left out. */
  order: string[];
  /** Problems of structure: duplicates, dangling edges, bad ports, cycles, unknown kinds. */
  problems: Problem[];
  /** Ids of nodes that sit on a cycle. */
  cyclic: Set<string>;
}

/** Closest known kind by edit distance, for "did you mean" hints. */
export function suggestKind(kind: string): string | null {
  const k = kind.slice(0, 64).toLowerCase();
  let best: string | null = null;
  let bestD = Infinity;
  for (const cand of KINDS) {
    const d = editDistance(k, cand.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = cand;
    }
  }
  return bestD <= Math.max(2, Math.floor(k.length / 3)) ? best : null;
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

export function buildStructure(graph: Graph): Structure {
  const problems: Problem[] = [];
  const byId = new Map<string, GraphNode>();
  const names = new Map<string, string>();
  const index = new Map<string, number>();
  graph.nodes.forEach((n, i) => {
    if (byId.has(n.id)) {
      problems.push({ nodeId: n.id, path: `/nodes/${i}/id`, message: `duplicate node id '${n.id}'; give every node its own id` });
      return;
    }
    byId.set(n.id, n);
    index.set(n.id, i);
    const other = names.get(n.name);
    if (other !== undefined) {
      problems.push({ nodeId: n.id, path: `/nodes/${i}/name`, field: 'name', message: `name '${n.name}' is already used by node '${other}'; layer names must be unique (Keras requires it)` });
    } else names.set(n.name, n.id);
    const spec = getLayer(n.kind);
    if (!spec) {
      const hint = suggestKind(n.kind);
      problems.push({
        nodeId: n.id, path: `/nodes/${i}/kind`, field: 'kind',
        message: `unknown kind '${n.kind.slice(0, 64)}'; ${hint ? `did you mean '${hint}'?` : `use one of ${KINDS.join(', ')}`}`,
      });
    }
  });

  const inputs = new Map<string, (GraphEdge | undefined)[]>();
  const consumers = new Map<string, string[]>();
  for (const id of byId.keys()) {
    inputs.set(id, []);
    consumers.set(id, []);
  }
  const edgeIds = new Set<string>();
  graph.edges.forEach((e, i) => {
    const at = `/edges/${i}`;
    if (edgeIds.has(e.id)) {
      problems.push({ edgeId: e.id, path: `${at}/id`, message: `duplicate edge id '${e.id}'; give every edge its own id` });
      return;
    }
    edgeIds.add(e.id);
    const src = byId.get(e.source);
    const dst = byId.get(e.target);
    if (!src || !dst) {
      const missing = !src ? `source '${e.source}'` : `target '${e.target}'`;
      problems.push({ edgeId: e.id, nodeId: dst ? e.target : undefined, path: at, message: `edge '${e.id}' points to ${missing}, which is not a node; remove the edge or add the node` });
      return;
    }
    const spec = getLayer(dst.kind);
    const port = portIndex(e.targetPort);
    if (port < 0) {
      problems.push({ edgeId: e.id, nodeId: dst.id, path: `${at}/targetPort`, message: `edge '${e.id}' uses port '${String(e.targetPort).slice(0, 32)}'; ports are named in0, in1, …` });
      return;
    }
    if (spec && port >= spec.inputs.max) {
      const msg = spec.inputs.max === 0
        ? `${dst.kind} is a model input and takes no incoming edges; remove edge '${e.id}'`
        : `${dst.kind} takes at most ${spec.inputs.max} input${spec.inputs.max > 1 ? 's' : ''}, but edge '${e.id}' enters port ${e.targetPort}; ${spec.inputs.max === 1 ? 'merge branches with Add or Concatenate first' : 'use fewer inputs'}`;
      problems.push({ edgeId: e.id, nodeId: dst.id, path: `${at}/targetPort`, message: msg });
      return;
    }
    const slots = inputs.get(dst.id)!;
    if (slots[port]) {
      problems.push({ edgeId: e.id, nodeId: dst.id, path: `${at}/targetPort`, message: `port ${e.targetPort} already has an input (edge '${slots[port]!.id}'); connect to a free port or remove one edge` });
      return;
    }
    slots[port] = e;
    consumers.get(src.id)!.push(dst.id);
  });

  const { order, cyclic } = topoOrder(byId, inputs, consumers, index);
  if (cyclic.size) {
    for (const cycle of findCycles(cyclic, consumers)) {
      problems.push({ nodeId: cycle[0], message: `cycle through ${cycle.join(' → ')} → ${cycle[0]}; a network must flow one way, so remove one of these edges` });
    }
  }
  return { byId, inputs, consumers, order, problems, cyclic };
}

/** Kahn's algorithm with a min-heap on file position, so the order is stable and readable. */
function topoOrder(
  byId: Map<string, GraphNode>,
  inputs: Map<string, (GraphEdge | undefined)[]>,
  consumers: Map<string, string[]>,
  index: Map<string, number>,
): { order: string[]; cyclic: Set<string> } {
  const ids = [...byId.keys()];
  // Fast path: files and editors usually list nodes in an order that is already topological.
  let sorted = true;
  for (const id of ids) {
    const at = index.get(id)!;
    for (const e of inputs.get(id)!) {
      if (e && index.get(e.source)! >= at) {
        sorted = false;
        break;
      }
    }
    if (!sorted) break;
  }
  if (sorted) return { order: ids, cyclic: new Set() };
  const indeg = new Map<string, number>();
  const heap: number[] = [];
  const idAt = new Map<number, string>();
  for (const id of ids) {
    const d = inputs.get(id)!.filter(Boolean).length;
    indeg.set(id, d);
    idAt.set(index.get(id)!, id);
    if (d === 0) heapPush(heap, index.get(id)!);
  }
  const order: string[] = [];
  while (heap.length) {
    const id = idAt.get(heapPop(heap))!;
    order.push(id);
    for (const c of consumers.get(id)!) {
      const d = indeg.get(c)! - 1;
      indeg.set(c, d);
      if (d === 0) heapPush(heap, index.get(c)!);
    }
  }
  const cyclic = new Set(ids.filter((id) => indeg.get(id)! > 0));
  return { order, cyclic };
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

/** One concrete cycle per strongly tangled region (iterative DFS, no recursion limits). */
function findCycles(cyclic: Set<string>, consumers: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  for (const start of cyclic) {
    if (done.has(start)) continue;
    const onPath = new Map<string, number>();
    const path: string[] = [];
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    onPath.set(start, 0);
    path.push(start);
    let found: string[] | null = null;
    while (stack.length && !found) {
      const top = stack[stack.length - 1];
      const outs = consumers.get(top.id)!.filter((c) => cyclic.has(c) && !done.has(c));
      if (top.next >= outs.length) {
        stack.pop();
        onPath.delete(path.pop()!);
        done.add(top.id);
        continue;
      }
      const nxt = outs[top.next++];
      if (onPath.has(nxt)) {
        found = path.slice(onPath.get(nxt)!);
      } else if (!done.has(nxt)) {
        onPath.set(nxt, path.length);
        path.push(nxt);
        stack.push({ id: nxt, next: 0 });
      }
    }
    if (found) {
      cycles.push(found);
      for (const id of found) done.add(id);
    }
    for (const id of path) done.add(id);
  }
  return cycles;
}

/** Nodes that feed nothing: the model's outputs. */
export function outputIds(s: Structure): string[] {
  return s.order.filter((id) => s.consumers.get(id)!.length === 0);
}
