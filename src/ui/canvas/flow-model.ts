/**
 * Graph + analysis → React Flow nodes and edges. A cache keeps each flow
 * object identical while its inputs are, so React Flow re-renders only the
 * nodes an edit touched.
 *
 * While a drag is under way the positions it produces live here
 * (`dragging`), not in the document: the graph, the analysis and every panel
 * that reads them stay untouched until the drop commits one undoable move.
 */
import { Position as Side, type Edge, type NodeHandle } from '@xyflow/react';
import { nodeInputs, portLabel, shapeText, type Analysis, type Graph, type GraphEdge, type GraphNode, type NodeResult, type Position } from '../../engine/index.ts';
import { highestPorts, portsWith } from '../../store/ops.ts';
import type { LayerFlowNode, PortView } from './LayerNode.tsx';
import type { RoutedFlowEdge } from './RoutedEdge.tsx';

interface Entry {
  node: GraphNode;
  result: NodeResult;
  ports: readonly PortView[];
  selected: boolean;
  position: Position;
  width?: number;
  height?: number;
  estimate: boolean;
  flow: LayerFlowNode;
}

const ORIGIN: Position = { x: 0, y: 0 };
/** A node's box before it is measured: `.layer-node` is 200 px wide; 90 px is a typical height. */
const EST_WIDTH = 200;
const EST_HEIGHT = 90;
const HANDLE = 9;

/**
 * Where a node's handles will be, before the node is drawn. React Flow draws
 * every node once to measure its handles unless it is told where they are, so
 * a 50,000-node graph would mount 50,000 nodes on open even with culling; with
 * the estimate only the nodes in view are drawn, and drawing one replaces the
 * estimate with its measured box.
 */
function estimatedHandles(ports: readonly PortView[]): NodeHandle[] {
  const n = ports.length;
  const box = { width: HANDLE, height: HANDLE };
  return [
    ...ports.map(({ id }, i) => ({ id, type: 'target' as const, position: Side.Top, x: ((i + 1) / (n + 1)) * EST_WIDTH - HANDLE / 2, y: -HANDLE / 2, ...box })),
    { id: 'out', type: 'source', position: Side.Bottom, x: EST_WIDTH / 2 - HANDLE / 2, y: EST_HEIGHT - HANDLE / 2, ...box },
  ];
}
const samePorts = (a: readonly PortView[], b: readonly PortView[]) => a.length === b.length && a.every((x, i) => x.id === b[i].id && x.name === b[i].name);

export class FlowModel {
  private nodes = new Map<string, Entry>();
  private edges = new Map<string, { edge: GraphEdge; selected: boolean; shape: string; flow: Edge }>();
  /** Sizes React Flow measured, kept so a replaced node object renders at once. */
  readonly measured = new Map<string, { width: number; height: number }>();
  /** Positions of the nodes being dragged, until the drop. */
  readonly dragging = new Map<string, Position>();

  /**
   * `estimate`: give nodes not yet measured an estimated box and handles, so
   * that culling (onlyRenderVisibleElements) draws only the nodes in view.
   */
  flowNodes(graph: Graph, analysis: Analysis, selection: ReadonlySet<string>, estimate = false): LayerFlowNode[] {
    const next = new Map<string, Entry>();
    const out: LayerFlowNode[] = [];
    // One pass over the edges for every node's ports: per-node lookups were quadratic (seconds at 50,000 nodes).
    let highest: Map<string, number> | null = null;
    const portsNow = (node: GraphNode): PortView[] => {
      const inputs = nodeInputs(graph, node);
      return portsWith(graph, node, (highest ??= highestPorts(graph)).get(node.id) ?? -1).map((id, i) => ({ id, name: portLabel(inputs, i) }));
    };
    for (const node of graph.nodes) {
      const result = analysis.byId.get(node.id);
      if (!result) continue;
      const prev = this.nodes.get(node.id);
      // Only a node taking any number of inputs (a merge) changes its ports as edges come and go.
      let ports = !prev || nodeInputs(graph, node)?.variadic ? portsNow(node) : prev.ports;
      if (prev && prev.node.kind !== node.kind) ports = portsNow(node);
      if (prev && samePorts(prev.ports, ports)) ports = prev.ports;
      const selected = selection.has(node.id);
      const m = this.measured.get(node.id);
      const position = this.dragging.get(node.id) ?? node.position ?? ORIGIN;
      let entry: Entry;
      if (prev && prev.node === node && prev.result === result && prev.ports === ports && prev.selected === selected &&
          prev.position === position && prev.width === m?.width && prev.height === m?.height && (m || prev.estimate === estimate)) {
        entry = prev;
      } else {
        // At most three names: behind a wide failed merge every blocked node would list hundreds.
        const by = result.blockedBy;
        const blockedByNames = by.slice(0, 3).map((id) => analysis.byId.get(id)?.name ?? id).join(', ') + (by.length > 3 ? ` and ${by.length - 3} more` : '');
        const sameData = prev && prev.result === result && prev.ports === ports && prev.flow.data.blockedByNames === blockedByNames;
        entry = {
          node, result, ports, selected, position, width: m?.width, height: m?.height, estimate,
          flow: {
            id: node.id,
            type: 'layer',
            position,
            data: sameData ? prev.flow.data : { result, ports, blockedByNames },
            selected,
            ...(m ? { measured: m } : estimate ? { initialWidth: EST_WIDTH, initialHeight: EST_HEIGHT, handles: estimatedHandles(ports) } : {}),
          },
        };
      }
      next.set(node.id, entry);
      out.push(entry.flow);
    }
    this.nodes = next;
    return out;
  }

  /** The input ports a node offers now, in order (what the layout gives ELK). */
  portsOf(id: string): readonly string[] {
    return this.nodes.get(id)?.ports.map((p) => p.id) ?? ['in0'];
  }

  /** Edges are drawn by RoutedEdge: along ELK's route when there is one, with the source's output shape. */
  flowEdges(graph: Graph, selection: ReadonlySet<string>, analysis?: Analysis): Edge[] {
    const next = new Map<string, { edge: GraphEdge; selected: boolean; shape: string; flow: Edge }>();
    const out: Edge[] = [];
    for (const edge of graph.edges) {
      const selected = selection.has(edge.id);
      const prev = this.edges.get(edge.id);
      const r = analysis?.byId.get(edge.source);
      const shape = r?.status === 'ok' ? shapeText(r.outputShape) : '';
      const flow: RoutedFlowEdge = { id: edge.id, type: 'routed', source: edge.source, target: edge.target, sourceHandle: 'out', targetHandle: edge.targetPort, selected, data: { shape } };
      const entry = prev && prev.edge === edge && prev.selected === selected && prev.shape === shape
        ? prev
        : { edge, selected, shape, flow: flow as Edge };
      next.set(edge.id, entry);
      out.push(entry.flow);
    }
    this.edges = next;
    return out;
  }
}
