/**
 * Auto-layout with elkjs (layered, top to bottom). elkjs is large, so it is
 * loaded by dynamic import the first time the user asks for a layout.
 */
import type { Graph, Position } from '../../engine/index.ts';

const NODE_W = 200;
const NODE_H = 96;

/** New positions for `only` (or every node), keeping the others where they are. */
export async function elkPositions(graph: Graph, only?: ReadonlySet<string>): Promise<Map<string, Position>> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const keep = (id: string) => !only || only.has(id);
  const nodes = graph.nodes.filter((n) => keep(n.id));
  const laid = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '48',
      'elk.spacing.nodeNode': '32',
    },
    children: nodes.map((n) => ({ id: n.id, width: NODE_W, height: NODE_H })),
    edges: graph.edges
      .filter((e) => keep(e.source) && keep(e.target))
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  // A laid-out selection keeps its place: shift it back to where its top-left corner was.
  const minX = Math.min(...nodes.map((n) => n.position?.x ?? 0));
  const minY = Math.min(...nodes.map((n) => n.position?.y ?? 0));
  const dx = only ? minX : 0;
  const dy = only ? minY : 0;
  return new Map((laid.children ?? []).map((c) => [c.id, { x: Math.round((c.x ?? 0) + dx), y: Math.round((c.y ?? 0) + dy) }]));
}
