/** A simple layered layout: column by longest path from an input, rows in topological order. */
import { buildStructure } from './graph.ts';
import type { Graph } from './types.ts';

export function layeredLayout(graph: Graph, opts: { dx?: number; dy?: number } = {}): Graph {
  const dx = opts.dx ?? 260;
  const dy = opts.dy ?? 120;
  const s = buildStructure(graph);
  const depth = new Map<string, number>();
  for (const id of s.order) {
    const ins = s.inputs.get(id)!.filter(Boolean).map((e) => depth.get(e!.source) ?? 0);
    depth.set(id, ins.length ? Math.max(...ins) + 1 : 0);
  }
  const rowsUsed = new Map<number, number>();
  const pos = new Map<string, { x: number; y: number }>();
  for (const id of s.order) {
    const d = depth.get(id)!;
    const row = rowsUsed.get(d) ?? 0;
    rowsUsed.set(d, row + 1);
    pos.set(id, { x: row * dx, y: d * dy });
  }
  return { ...graph, nodes: graph.nodes.map((n) => ({ ...n, position: pos.get(n.id) ?? n.position ?? { x: 0, y: 0 } })) };
}
