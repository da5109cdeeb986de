/**
 * Graph + analysis → React Flow nodes and edges. A cache keeps each flow
 * object identical while its inputs are, so React Flow re-renders only the
 * nodes an edit touched.
 *
 * While a drag is under way the positions it produces live here
 * (`dragging`), not in the document: the graph, the analysis and every panel
 * that reads them stay untouched until the drop commits one undoable move.
 */
import type { Edge } from '@xyflow/react';
import type { Analysis, Graph, GraphEdge, GraphNode, NodeResult, Position } from '../../engine/index.ts';
import { portsOf } from '../../store/ops.ts';
import type { LayerFlowNode } from './LayerNode.tsx';

interface Entry {
  node: GraphNode;
  result: NodeResult;
  ports: readonly string[];
  selected: boolean;
  position: Position;
  width?: number;
  height?: number;
  flow: LayerFlowNode;
}

const ORIGIN: Position = { x: 0, y: 0 };
const samePorts = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export class FlowModel {
  private nodes = new Map<string, Entry>();
  private edges = new Map<string, { edge: GraphEdge; selected: boolean; flow: Edge }>();
  /** Sizes React Flow measured, kept so a replaced node object renders at once. */
  readonly measured = new Map<string, { width: number; height: number }>();
  /** Positions of the nodes being dragged, until the drop. */
  readonly dragging = new Map<string, Position>();

  flowNodes(graph: Graph, analysis: Analysis, selection: ReadonlySet<string>): LayerFlowNode[] {
    const next = new Map<string, Entry>();
    const out: LayerFlowNode[] = [];
    const merges = new Set(['Add', 'Concatenate', 'Multiply']);
    for (const node of graph.nodes) {
      const result = analysis.byId.get(node.id);
      if (!result) continue;
      const prev = this.nodes.get(node.id);
      let ports = merges.has(node.kind) || !prev ? portsOf(graph, node.id) : prev.ports;
      if (prev && prev.node.kind !== node.kind) ports = portsOf(graph, node.id);
      if (prev && samePorts(prev.ports, ports)) ports = prev.ports;
      const selected = selection.has(node.id);
      const m = this.measured.get(node.id);
      const position = this.dragging.get(node.id) ?? node.position ?? ORIGIN;
      let entry: Entry;
      if (prev && prev.node === node && prev.result === result && prev.ports === ports && prev.selected === selected &&
          prev.position === position && prev.width === m?.width && prev.height === m?.height) {
        entry = prev;
      } else {
        const blockedByNames = result.blockedBy.map((id) => analysis.byId.get(id)?.name ?? id).join(', ');
        const sameData = prev && prev.result === result && prev.ports === ports && prev.flow.data.blockedByNames === blockedByNames;
        entry = {
          node, result, ports, selected, position, width: m?.width, height: m?.height,
          flow: {
            id: node.id,
            type: 'layer',
            position,
            data: sameData ? prev.flow.data : { result, ports, blockedByNames },
            selected,
            ...(m ? { measured: m } : {}),
          },
        };
      }
      next.set(node.id, entry);
      out.push(entry.flow);
    }
    this.nodes = next;
    return out;
  }

  flowEdges(graph: Graph, selection: ReadonlySet<string>): Edge[] {
    const next = new Map<string, { edge: GraphEdge; selected: boolean; flow: Edge }>();
    const out: Edge[] = [];
    for (const edge of graph.edges) {
      const selected = selection.has(edge.id);
      const prev = this.edges.get(edge.id);
      const entry = prev && prev.edge === edge && prev.selected === selected
        ? prev
        : { edge, selected, flow: { id: edge.id, source: edge.source, target: edge.target, sourceHandle: 'out', targetHandle: edge.targetPort, selected } };
      next.set(edge.id, entry);
      out.push(entry.flow);
    }
    this.edges = next;
    return out;
  }
}
