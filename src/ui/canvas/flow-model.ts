/**
 * Graph + analysis → React Flow nodes and edges. A cache keeps each flow
 * object identical while its inputs are, so React Flow re-renders only the
 * nodes an edit touched.
 *
 * While a drag is under way the positions it produces live here
 * (`dragging`), not in the document: the graph, the analysis and every panel
 * that reads them stay untouched until the drop commits one undoable move.
 */
import { Position as Side, type Edge, type Node, type NodeHandle } from '@xyflow/react';
import { groupChains, groupMembers, visibleAs, type GraphGroup } from '../../engine/index.ts';
import type { GroupBoxNode, GroupFrameNode } from './GroupNode.tsx';
import { portFraction, type LayoutEdge, type LayoutNode } from './elk-layout.ts';
import { nodeInputs, portLabel, shapeText, type Analysis, type Graph, type GraphEdge, type GraphNode, type NodeResult, type Position } from '../../engine/index.ts';
import { highestPorts, portsWith } from '../../store/ops.ts';
import { summedValues } from './overlay.ts';
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
export const EST_SIZE: Readonly<{ width: number; height: number }> = { width: 200, height: 90 };
const EST_WIDTH = EST_SIZE.width;
const EST_HEIGHT = EST_SIZE.height;
const HANDLE = 9;
/** A collapsed group's box before it is measured. */
const EST_BOX = { width: 240, height: 70 };
/** Room for an expanded group's header above its layers, and the frame's margin around them. */
const FRAME_HEAD = 24;
const FRAME_PAD = 8;

/** React Flow ids of a group's box and frame (`group:` cannot start a layer id made by the editor or an import). */
export const boxId = (group: string): string => `group:${group}`;
const frameId = (group: string): string => `frame:${group}`;
export const groupOfBox = (id: string): string | null => (id.startsWith('group:') ? id.slice(6) : null);

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
    ...ports.map(({ id }, i) => ({ id, type: 'target' as const, position: Side.Top, x: portFraction(i, n) * EST_WIDTH - HANDLE / 2, y: -HANDLE / 2, ...box })),
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
    const hidden = this.hiddenFor(graph.groups);
    // One pass over the edges for every node's ports: per-node lookups were quadratic (seconds at 50,000 nodes).
    let highest: Map<string, number> | null = null;
    const portsNow = (node: GraphNode): PortView[] => {
      const inputs = nodeInputs(graph, node);
      return portsWith(graph, node, (highest ??= highestPorts(graph)).get(node.id) ?? -1).map((id, i) => ({ id, name: portLabel(inputs, i) }));
    };
    for (const node of graph.nodes) {
      const result = analysis.byId.get(node.id);
      if (!result || hidden.has(node.id)) continue;
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

  /** The layer nodes with the groups' frames (behind) and boxes (collapsed groups) added; flowNodes alone when there are no groups. */
  allNodes(graph: Graph, analysis: Analysis, selection: ReadonlySet<string>, estimate = false): Node[] {
    const out = this.flowNodes(graph, analysis, selection, estimate);
    if (!graph.groups?.length) return out;
    const { frames, boxes } = this.groupFlow(graph, analysis, selection);
    return [...frames, ...out, ...boxes];
  }

  // ---------- groups ----------

  private groupsCache: { groups: readonly GraphGroup[] | undefined; hidden: Map<string, string>; members: Map<string, string[]> } =
    { groups: undefined, hidden: new Map(), members: new Map() };
  private boxCache = new Map<string, GroupBoxNode | GroupFrameNode>();

  private cachedFor(groups: readonly GraphGroup[] | undefined) {
    if (this.groupsCache.groups !== groups) {
      this.groupsCache = groups?.length
        ? { groups, hidden: visibleAs(groups), members: groupMembers(groups) }
        : { groups, hidden: new Map(), members: new Map() };
    }
    return this.groupsCache;
  }

  /** Node id → the collapsed group box drawn for it (graph.groups identity-cached). */
  hiddenFor(groups: readonly GraphGroup[] | undefined): Map<string, string> {
    return this.cachedFor(groups).hidden;
  }

  /** Every node of group `id`, its subgroups' included (graph.groups identity-cached). */
  private membersOf(groups: readonly GraphGroup[] | undefined, id: string): readonly string[] {
    return this.cachedFor(groups).members.get(id) ?? [];
  }

  /** The top-left corner of a collapsed group's box: where its first layers are (or where it was dragged). */
  boxPosition(graph: Graph, group: string, byId: Map<string, GraphNode>, dragged = true): Position {
    const moved = dragged ? this.dragging.get(boxId(group)) : undefined;
    if (moved) return moved;
    let x = Infinity;
    let y = Infinity;
    for (const id of this.membersOf(graph.groups, group)) {
      const p = byId.get(id)?.position ?? ORIGIN;
      x = Math.min(x, p.x);
      y = Math.min(y, p.y);
    }
    return Number.isFinite(x) ? { x, y } : ORIGIN;
  }

  /** Boxes for collapsed groups, frames behind expanded ones. */
  private groupFlow(graph: Graph, analysis: Analysis, selection: ReadonlySet<string>): { frames: GroupFrameNode[]; boxes: GroupBoxNode[] } {
    const groups = graph.groups ?? [];
    const hidden = this.hiddenFor(groups);
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const chains = groupChains(groups);
    const parent = new Map(groups.map((g) => [g.id, g.parent]));
    const shown = new Set(hidden.values());
    const all = this.cachedFor(graph.groups).members;
    const sum = (ids: readonly string[]) => ids.reduce((a, id) => a + (analysis.byId.get(id)?.paramCount ?? 0), 0);
    const shape = (id: string) => {
      const r = analysis.byId.get(id);
      return r?.status === 'ok' ? shapeText(r.outputShape) : (r?.status ?? '?');
    };
    const boxes: GroupBoxNode[] = [];
    const rects = new Map<string, { x0: number; y0: number; x1: number; y1: number }>();
    const grow = (g: string | undefined, x: number, y: number, w: number, h: number) => {
      for (let p = g; p !== undefined; p = parent.get(p)) {
        const r = rects.get(p) ?? { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
        rects.set(p, { x0: Math.min(r.x0, x), y0: Math.min(r.y0, y), x1: Math.max(r.x1, x + w), y1: Math.max(r.y1, y + h) });
      }
    };
    for (const g of groups) {
      if (!shown.has(g.id)) continue;
      const members = new Set(all.get(g.id));
      const inputs = new Set<string>();
      const outputs = new Set<string>();
      for (const e of graph.edges) {
        const inS = members.has(e.source);
        const inT = members.has(e.target);
        if (!inS && inT) inputs.add(shape(e.source));
        if (inS && !inT) outputs.add(shape(e.source));
      }
      const id = boxId(g.id);
      const position = this.boxPosition(graph, g.id, byId);
      const data = { group: g.id, title: g.title, layers: members.size, inputs: [...inputs], outputs: [...outputs], values: summedValues([...members].map((m) => analysis.byId.get(m)), analysis.totals.params) };
      const selected = selection.has(id);
      const prev = this.boxCache.get(id) as GroupBoxNode | undefined;
      const m = this.measured.get(id);
      const same = prev && prev.position.x === position.x && prev.position.y === position.y && prev.selected === selected && JSON.stringify(prev.data) === JSON.stringify(data);
      const box: GroupBoxNode = same ? prev : { id, type: 'groupBox', position, data, selected, ...(m ? { measured: m } : {}) };
      this.boxCache.set(id, box);
      boxes.push(box);
      const size = m ?? EST_BOX;
      grow(g.parent, position.x, position.y, size.width, size.height);
    }
    for (const n of graph.nodes) {
      const chain = chains.get(n.id);
      if (!chain || hidden.has(n.id)) continue;
      const p = this.dragging.get(n.id) ?? n.position ?? ORIGIN;
      const s = this.measured.get(n.id) ?? EST_SIZE;
      grow(chain[0], p.x, p.y, s.width, s.height);
    }
    const depth = (g: string) => {
      let d = 0;
      for (let p = parent.get(g); p !== undefined && d < 20; p = parent.get(p)) d++;
      return d;
    };
    // Innermost frames first: each frame, its header included, widens the frame around it.
    const collapsed = new Set(groups.filter((g) => g.collapsed).map((g) => g.id));
    const folded = (g: string) => {
      for (let p: string | undefined = g; p !== undefined; p = parent.get(p)) if (collapsed.has(p)) return true;
      return false;
    };
    const frames: GroupFrameNode[] = [];
    for (const g of [...groups].sort((a, b) => depth(b.id) - depth(a.id))) {
      const r = rects.get(g.id);
      if (!r || folded(g.id)) continue;
      const d = depth(g.id);
      const id = frameId(g.id);
      const position = { x: r.x0 - FRAME_PAD, y: r.y0 - FRAME_PAD - FRAME_HEAD };
      const width = r.x1 - r.x0 + 2 * FRAME_PAD;
      const height = r.y1 - r.y0 + 2 * FRAME_PAD + FRAME_HEAD;
      grow(g.parent, position.x, position.y, width, height);
      const data = { group: g.id, title: g.title, layers: all.get(g.id)?.length ?? 0, params: sum(all.get(g.id) ?? []), width, height, depth: d };
      const prev = this.boxCache.get(id) as GroupFrameNode | undefined;
      const same = prev && prev.position.x === position.x && prev.position.y === position.y && JSON.stringify(prev.data) === JSON.stringify(data);
      const frame: GroupFrameNode = same ? prev : { id, type: 'groupFrame', position, data, draggable: false, selectable: false, focusable: false, zIndex: -1 - Math.max(0, 3 - d) };
      this.boxCache.set(id, frame);
      frames.push(frame);
    }
    frames.reverse();
    return { frames, boxes };
  }

  /** What ELK lays out: the nodes drawn (collapsed groups as one box each) and the edges between them. */
  layoutView(graph: Graph, only?: ReadonlySet<string>): { nodes: LayoutNode[]; edges: LayoutEdge[] } {
    const hidden = this.hiddenFor(graph.groups);
    const keep = (id: string) => !only || only.has(id);
    const nodes: LayoutNode[] = [];
    for (const n of graph.nodes) {
      if (hidden.has(n.id) || !keep(n.id)) continue;
      nodes.push({ id: n.id, ...(this.measured.get(n.id) ?? EST_SIZE), ports: this.portsOf(n.id) });
    }
    for (const g of new Set(hidden.values())) {
      if (only && !this.membersOf(graph.groups, g).some(keep)) continue;
      nodes.push({ id: boxId(g), ...(this.measured.get(boxId(g)) ?? EST_BOX), ports: ['in'] });
    }
    const edges: LayoutEdge[] = [];
    for (const e of graph.edges) {
      const s = hidden.get(e.source);
      const t = hidden.get(e.target);
      if (s && s === t) continue;
      if (!keep(e.source) && !s || !keep(e.target) && !t) continue;
      edges.push({ id: e.id, source: s ? boxId(s) : e.source, target: t ? boxId(t) : e.target, targetPort: t ? 'in' : e.targetPort });
    }
    return { nodes, edges };
  }

  /** Layout positions back to node positions: a collapsed group's layers move with its box. */
  nodePositions(graph: Graph, laid: ReadonlyMap<string, Position>): Map<string, Position> {
    const out = new Map<string, Position>();
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    for (const [id, p] of laid) {
      const g = groupOfBox(id);
      if (g === null) {
        out.set(id, p);
        continue;
      }
      const at = this.boxPosition(graph, g, byId, false);
      for (const m of this.membersOf(graph.groups, g)) {
        const q = byId.get(m)?.position ?? ORIGIN;
        out.set(m, { x: Math.round(q.x + p.x - at.x), y: Math.round(q.y + p.y - at.y) });
      }
    }
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
    const hidden = this.hiddenFor(graph.groups);
    for (const edge of graph.edges) {
      const selected = selection.has(edge.id);
      const prev = this.edges.get(edge.id);
      const r = analysis?.byId.get(edge.source);
      const shape = r?.status === 'ok' ? shapeText(r.outputShape) : '';
      // Into or out of a collapsed group: the edge attaches to the group's box; inside one box it is not drawn.
      const s = hidden.get(edge.source);
      const t = hidden.get(edge.target);
      if (s && s === t) continue;
      const source = s ? boxId(s) : edge.source;
      const target = t ? boxId(t) : edge.target;
      const flow: RoutedFlowEdge = { id: edge.id, type: 'routed', source, target, sourceHandle: 'out', targetHandle: t ? 'in' : edge.targetPort, selected, data: { shape } };
      const entry = prev && prev.edge === edge && prev.selected === selected && prev.shape === shape && prev.flow.source === source && prev.flow.target === target
        ? prev
        : { edge, selected, shape, flow: flow as Edge };
      next.set(edge.id, entry);
      out.push(entry.flow);
    }
    this.edges = next;
    return out;
  }
}
