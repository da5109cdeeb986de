/** A simple layered layout: column by longest path from an input, rows in topological order. */
import { buildStructure, sourcesOf } from './graph.ts';
import type { Graph } from './types.ts';

export function layeredLayout(graph: Graph, opts: { dx?: number; dy?: number } = {}): Graph {
  const dx = opts.dx ?? 260;
  const dy = opts.dy ?? 120;
  const s = buildStructure(graph);
  const depth: number[] = new Array(s.nodes.length).fill(0);
  for (const p of s.order) {
    const ins = [...sourcesOf(s, p)].filter((q) => q >= 0).map((q) => depth[q]);
    depth[p] = ins.length ? Math.max(...ins) + 1 : 0;
  }
  const rowsUsed = new Map<number, number>();
  const pos = new Map<string, { x: number; y: number }>();
  for (const p of s.order) {
    const d = depth[p];
    const row = rowsUsed.get(d) ?? 0;
    rowsUsed.set(d, row + 1);
    pos.set(s.nodes[p].id, { x: row * dx, y: d * dy });
  }
  return { ...graph, nodes: graph.nodes.map((n) => ({ ...n, position: pos.get(n.id) ?? n.position ?? { x: 0, y: 0 } })) };
}
