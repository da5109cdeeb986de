/**
 * The canvas: React Flow over the editor store. Every change goes through a
 * store action; React Flow's own change events are translated, never stored.
 * A drag is the one exception in timing: its positions stay in the canvas
 * model while the pointer moves and reach the store as one move on the drop,
 * so panels that read the document do nothing per frame.
 */
import {
  Background, Controls, MiniMap, ReactFlow, getViewportForBounds, useReactFlow, useStore, useUpdateNodeInternals,
  type Connection, type Edge as FlowEdge, type ReactFlowInstance, type ReactFlowState, type EdgeChange, type EdgeTypes, type FinalConnectionState, type IsValidConnection, type NodeChange, type NodeTypes,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type DragEvent } from 'react';
import type { Graph } from '../../engine/index.ts';
import { connectionProblem } from '../../store/ops.ts';
import { openFile } from '../files/open-file.ts';
import { addItem } from '../panels/Palette.tsx';
import { ComparePanel } from '../compare/ComparePanel.tsx';
import { editorStore, useCompare, useEditor, viewStore } from '../state.ts';
import { canvasApi } from './canvas-api.ts';
import { Overlay } from './Overlay.tsx';
import { FlowModel } from './flow-model.ts';
import { LayerNode } from './LayerNode.tsx';
import { keepPlace, layoutInWorker } from './elk-layout.ts';
import { layoutStore } from './layout-state.ts';
import { RoutedEdge } from './RoutedEdge.tsx';
import { GroupBox, GroupFrame } from './GroupNode.tsx';
import { groupActions } from './group-actions.ts';
import { boxId, EST_SIZE, groupOfBox } from './flow-model.ts';
import { groupSelection, setCollapsed, ungroup, visibleAs } from '../../engine/grouping.ts';
import { moveNodes } from '../../store/ops.ts';
import './canvas-layout.css';

const nodeTypes: NodeTypes = { layer: LayerNode, groupBox: GroupBox, groupFrame: GroupFrame };
const edgeTypes: EdgeTypes = { routed: RoutedEdge };
/** Graphs up to this many nodes are laid out (and their edges routed) by ELK when they are opened. */
export const LAYOUT_ON_OPEN = 2000;
export const KIND_MIME = 'application/x-netloom-kind';
const DELETE_KEYS = ['Delete', 'Backspace'];
const DEFAULT_VIEWPORT = { x: 40, y: 20, zoom: 1 };
/**
 * Below this zoom node text is too small to read (12 px type under 2.4 px;
 * the examples open at 0.24–0.37 and keep their text): the container gets
 * `lod-far` and CSS draws every node as a plain box. The selector yields a
 * boolean, so the canvas re-renders only when the zoom crosses it, and the
 * nodes not at all.
 */
export const LOD_ZOOM = 0.2;
const farAway = (s: ReactFlowState) => s.transform[2] < LOD_ZOOM;
/**
 * The first view never opens below this zoom: node text (12 px, shapes 11 px)
 * then draws at 9 px and 8.25 px, the smallest that reads. A network that
 * does not fit at it opens on its top (its inputs and first layers).
 */
export const READABLE_ZOOM = 0.75;
/**
 * Above this many nodes the canvas cannot zoom out past BIG_MIN_ZOOM: at the
 * layout's spacing that keeps the nodes drawn at once to about 1,500, so no
 * zoom or fit renders tens of thousands of nodes in one frame.
 */
export const BIG_GRAPH = 1500;
/**
 * The minimap draws every node, with no culling: 50,000 of them took React
 * 20 s to insert. Above this many nodes it is left out (panning, the summary's
 * rows and Fit still find every layer).
 */
const MINIMAP_NODES = 3000;
/** Above this many nodes only the nodes in view are drawn. */
const CULL_NODES = 300;
export const BIG_MIN_ZOOM = 0.15;

type Viewer = { setViewport: ReactFlowInstance['setViewport'] };
type Sizes = ReadonlyMap<string, { width: number; height: number }>;

/** The box around every node, each at its measured size or, not yet drawn, the estimate (EST_SIZE). */
function bounds(graph: Graph, sizes: Sizes) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const n of graph.nodes) {
    const p = n.position ?? { x: 0, y: 0 };
    const s = sizes.get(n.id) ?? EST_SIZE;
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x + s.width);
    maxY = Math.max(maxY, p.y + s.height);
  }
  return { box: { x: minX, y: minY, width: maxX - minX, height: maxY - minY } };
}

/**
 * The viewport with everything in view (React Flow's own arithmetic), zoom
 * within the canvas limits. Computed here rather than by fitView, which waits
 * until every node has been measured: with culling, nodes out of view never are.
 */
const fitted = (box: ReturnType<typeof bounds>['box'], pane: DOMRect, minZoom: number) =>
  getViewportForBounds(box, pane.width, pane.height, minZoom, MAX_ZOOM, FIT_PADDING);

function fitAll(rf: Viewer, graph: Graph, sizes: Sizes, pane: DOMRect | undefined, minZoom: number): void {
  if (!graph.nodes.length || !pane) return;
  void rf.setViewport(fitted(bounds(graph, sizes).box, pane, minZoom));
}

/**
 * The first view of a network: fit everything when node text stays legible
 * (zoom ≥ READABLE_ZOOM, at most 1); otherwise open on the start of the
 * network at READABLE_ZOOM — the band of layers nearest the inputs (the top,
 * or the left in a left-to-right layout), centred across, or from its left
 * edge when wider than the pane — and leave the rest to panning and the minimap.
 */
function openView(rf: Viewer, graph: Graph, sizes: Sizes, pane: DOMRect | undefined, minZoom: number): void {
  if (!graph.nodes.length || !pane) return;
  const { box } = bounds(graph, sizes);
  const fit = fitted(box, pane, minZoom);
  if (fit.zoom >= READABLE_ZOOM) {
    void rf.setViewport(fit.zoom > 1 ? centreAt(box, pane, 1) : fit);
    return;
  }
  const zoom = READABLE_ZOOM;
  const across = layoutStore.getState().direction === 'RIGHT' ? 'y' : 'x';
  const along = across === 'x' ? 'y' : 'x';
  const span = (across === 'x' ? pane.height : pane.width) / zoom;
  // Room above (or left of) the first layer for the header of a group around it.
  const start = box[along] - (graph.groups?.length ? 40 : 0);
  let lo = Infinity;
  let hi = -Infinity;
  // Layers inside a collapsed group are not drawn: their box (at their top-left corner) stands for them.
  const folded = graph.groups?.length ? visibleAs(graph.groups) : null;
  for (const n of graph.nodes) {
    if (folded?.has(n.id)) continue;
    const p = n.position ?? { x: 0, y: 0 };
    if (p[along] > start + span) continue;
    const s = sizes.get(n.id) ?? EST_SIZE;
    lo = Math.min(lo, p[across]);
    hi = Math.max(hi, p[across] + (across === 'x' ? s.width : s.height));
  }
  const room = (across === 'x' ? pane.width : pane.height) / zoom;
  const pad = 24 / zoom;
  const first = hi - lo + 2 * pad <= room ? (lo + hi) / 2 - room / 2 : lo - pad;
  const v = across === 'x'
    ? { x: -first * zoom, y: NOTICE_ROOM - start * zoom, zoom }
    : { x: 24 - start * zoom, y: -first * zoom, zoom };
  void rf.setViewport(v);
}

/**
 * Screen pixels above the first layer in a top-down first view: the notice of
 * the open ("Opened resnet50.json.") floats over the canvas's top 46 px for a
 * few seconds, and the first layer is the one the view is for.
 */
const NOTICE_ROOM = 60;

/** Everything centred at `zoom`. */
const centreAt = (box: ReturnType<typeof bounds>['box'], pane: DOMRect, zoom: number) => ({
  x: pane.width / 2 - (box.x + box.width / 2) * zoom, y: pane.height / 2 - (box.y + box.height / 2) * zoom, zoom,
});

const paneBox = () => document.querySelector('.react-flow')?.getBoundingClientRect();
const minZoomFor = (g: Graph) => (g.nodes.length > BIG_GRAPH ? BIG_MIN_ZOOM : 0.05);
const MAX_ZOOM = 2;
const FIT_PADDING = 0.1;

export function Canvas() {
  const graph = useEditor((s) => s.graph);
  const analysis = useEditor((s) => s.analysis);
  const selection = useEditor((s) => s.selection);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const model = useRef(new FlowModel()).current;
  const [measureTick, remeasured] = useReducer((x: number) => x + 1, 0);
  const rf = useReactFlow();
  const far = useStore(farAway);
  const comparing = useCompare((s) => s.reference !== null);

  const nodeSel = useMemo(() => new Set(selection), [selection]);
  const edgeSel = useMemo(() => new Set(selectedEdges), [selectedEdges]);
  const cull = graph.nodes.length > CULL_NODES;
  const nodes = useMemo(() => model.allNodes(graph, analysis, nodeSel, cull), [graph, analysis, nodeSel, measureTick, cull]);
  const edges = useMemo(() => model.flowEdges(graph, edgeSel, analysis), [graph.edges, edgeSel, analysis]);

  useEffect(() => {
    canvasApi.viewCentre = () => {
      const el = document.querySelector('.react-flow');
      const box = el?.getBoundingClientRect();
      return box ? rf.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
    };
    canvasApi.fitView = () => {
      const g = editorStore.getState().graph;
      openView(rf, g, model.measured, paneBox(), minZoomFor(g));
    };
    canvasApi.fitAll = () => {
      const g = editorStore.getState().graph;
      fitAll(rf, g, model.measured, paneBox(), minZoomFor(g));
    };
    canvasApi.nodeSize = (id) => model.measured.get(id);
    canvasApi.layout = (only) => laidOut(model, only);
    /** A group change and the layout it needs are one edit: laid out first, committed once. */
    const regroup = async (g: Graph) => {
      const pos = await laidOut(model, undefined, g);
      const next = pos ? moveNodes(g, pos) : g;
      editorStore.getState().replaceGraph(next);
      // Layers shown for the first time were laid out at an estimated size: once drawn, once more at their real size,
      // as part of the same edit (undo still goes back to before the toggle).
      const hidden = model.hiddenFor(next.groups);
      const fresh = next.nodes.filter((n) => !hidden.has(n.id) && !model.measured.has(n.id));
      if (!fresh.length || next.nodes.length > CULL_NODES) return;
      await measuredAll(model, { ...next, nodes: fresh });
      const now = editorStore.getState().graph;
      if (now !== next) return;
      const again = await laidOut(model);
      if (again && editorStore.getState().graph === now) editorStore.setState({ graph: moveNodes(now, again) });
    };
    groupActions.toggle = (id) => {
      const g = editorStore.getState().graph;
      const now = g.groups?.find((x) => x.id === id);
      if (now) void regroup({ ...g, groups: setCollapsed(g.groups ?? [], new Set([id]), !now.collapsed) });
    };
    groupActions.all = (collapsed) => {
      const g = editorStore.getState().graph;
      if (!g.groups?.length) return;
      // Collapsing all folds the innermost groups (blocks), so their stages stay open as frames around them.
      const parents = new Set(g.groups.map((x) => x.parent));
      const ids = new Set(g.groups.filter((x) => !collapsed || !parents.has(x.id)).map((x) => x.id));
      void regroup({ ...g, groups: setCollapsed(collapsed ? setCollapsed(g.groups, ids, false) : g.groups, ids, collapsed) });
    };
    groupActions.ungroup = (id) => {
      const g = editorStore.getState().graph;
      editorStore.getState().replaceGraph({ ...g, groups: ungroup(g.groups ?? [], id) });
    };
    groupActions.groupSelection = () => {
      const ed = editorStore.getState();
      if (!ed.selection.length) return;
      const title = `group ${(ed.graph.groups?.length ?? 0) + 1}`;
      ed.replaceGraph({ ...ed.graph, groups: groupSelection(ed.graph.groups ?? [], ed.selection, title).groups });
    };
    canvasApi.openLaidOut = async () => {
      const g = editorStore.getState().graph;
      // Busy from the open until the first view is set (the page shows it: data-busy beside Layout).
      layoutStore.setState({ busy: true });
      try {
        await openLaidOut(g);
      } finally {
        layoutStore.setState({ busy: false });
      }
    };
    const openLaidOut = async (g: Graph) => {
      if (g.nodes.length && g.nodes.length <= LAYOUT_ON_OPEN) {
        await measuredAll(model, g);
        const pos = await laidOut(model);
        const now = editorStore.getState();
        // Part of opening: the positions are the document as opened (not an edit to undo, nothing unsaved).
        if (pos && now.graph === g) {
          const moved = moveNodes(g, pos);
          editorStore.setState({ graph: moved, ...(now.saved ? { saved: { ...now.saved, graph: moved } } : {}) });
        }
      }
      await nextFrame();
      canvasApi.fitView();
    };
  }, [rf, model]);

  // Handles move to the left and right sides (or back) with the direction: React Flow measures them again.
  const updateInternals = useUpdateNodeInternals();
  useEffect(() => layoutStore.subscribe((s, prev) => {
    if (s.direction === prev.direction) return;
    requestAnimationFrame(() => updateInternals(editorStore.getState().graph.nodes.map((n) => n.id)));
  }), [updateInternals]);

  // Centre on a node when the summary asks.
  useEffect(() => viewStore.subscribe((s, prev) => {
    if (!s.focus || s.focus === prev.focus) return;
    // A layer folded into a collapsed group: centre on the group's box.
    const folded = model.hiddenFor(editorStore.getState().graph.groups).get(s.focus.id);
    const n = rf.getNode(folded ? boxId(folded) : s.focus.id);
    if (!n) return;
    const w = n.measured?.width ?? EST_SIZE.width;
    const h = n.measured?.height ?? EST_SIZE.height;
    const zoom = Math.max(rf.getZoom(), 0.9);
    // The changes panel covers the canvas's right side: centre in the part left of it.
    const panel = document.querySelector('.compare-panel:not(.folded)')?.getBoundingClientRect();
    const shift = panel ? (panel.width + 10) / 2 / zoom : 0;
    void rf.setCenter(n.position.x + w / 2 + shift, n.position.y + h / 2, { zoom, duration: 250 });
  }), [rf, model]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const ed = editorStore.getState();
    let moved = false;
    let final = false;
    let sel: Set<string> | null = null;
    let measured = false;
    for (const c of changes) {
      if (c.type === 'position') {
        // Positions under a drag stay in the canvas model; the drop commits them all as one move.
        if (c.position) model.dragging.set(c.id, c.position);
        moved ||= !!c.position;
        if (!c.dragging) final = true;
      } else if (c.type === 'dimensions' && c.dimensions) {
        const old = model.measured.get(c.id);
        if (!old || old.width !== c.dimensions.width || old.height !== c.dimensions.height) {
          model.measured.set(c.id, { width: c.dimensions.width, height: c.dimensions.height });
          measured = true;
        }
      } else if (c.type === 'select') {
        // Group boxes and frames are not layers: the editor's selection holds layers only.
        if (groupOfBox(c.id) !== null || c.id.startsWith('frame:')) continue;
        sel ??= new Set(ed.selection);
        if (c.selected) sel.add(c.id);
        else sel.delete(c.id);
      }
    }
    if (final) {
      // A dragged group box moves the layers it stands for.
      const positions = model.nodePositions(ed.graph, model.dragging);
      model.dragging.clear();
      ed.moveNodes(positions, true);
    }
    if (sel) ed.select([...sel], editorStore.getState().selectedEdges);
    if ((moved && !final) || measured) remeasured();
  }, [model]);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const ed = editorStore.getState();
    let sel: Set<string> | null = null;
    for (const c of changes) {
      if (c.type !== 'select') continue;
      sel ??= new Set(ed.selectedEdges);
      if (c.selected) sel.add(c.id);
      else sel.delete(c.id);
    }
    if (sel) ed.select(ed.selection, [...sel]);
  }, []);

  /** The edge whose end is being dragged: the rules are checked as if it were gone. */
  const moving = useRef<string | null>(null);
  const isValidConnection: IsValidConnection = useCallback((c) => {
    if (!c.source || !c.target || !c.targetHandle) return false;
    const g = editorStore.getState().graph;
    const graph = moving.current ? { ...g, edges: g.edges.filter((e) => e.id !== moving.current) } : g;
    return connectionProblem(graph, c.source, c.target, c.targetHandle) === null;
  }, []);

  const onConnect = useCallback((c: Connection) => {
    if (c.source && c.target) editorStore.getState().connect(c.source, c.target, c.targetHandle ?? 'in0');
  }, []);

  /** Dragging an edge's end to another handle moves the edge (undoable); a refused drop says why and leaves it. */
  const onReconnect = useCallback((old: FlowEdge, c: Connection) => {
    if (c.source && c.target) editorStore.getState().reconnect(old.id, c.source, c.target, c.targetHandle ?? 'in0');
  }, []);
  const onReconnectStart = useCallback((_e: unknown, edge: FlowEdge) => { moving.current = edge.id; }, []);
  const onReconnectEnd = useCallback(() => { moving.current = null; }, []);

  /** A drop on a handle that was refused says why. */
  const onConnectEnd = useCallback((_e: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid !== false || !state.fromNode || !state.toNode || !state.toHandle) return;
    const from = state.fromHandle?.type === 'target' ? state.toNode : state.fromNode;
    const to = state.fromHandle?.type === 'target' ? state.fromNode : state.toNode;
    const port = state.fromHandle?.type === 'target' ? state.fromHandle.id : state.toHandle.id;
    editorStore.getState().connect(from.id, to.id, port ?? 'in0');
  }, []);

  const onDelete = useCallback(({ nodes: ns, edges: es }: { nodes: { id: string }[]; edges: { id: string }[] }) => {
    const ed = editorStore.getState();
    ed.select(ns.map((n) => n.id).filter((id) => groupOfBox(id) === null && !id.startsWith('frame:')), es.map((e) => e.id));
    ed.deleteSelection();
  }, []);

  // A file dragged over the canvas lights it up as the place to drop it.
  const [fileOver, setFileOver] = useState(false);
  const onDragLeave = (e: DragEvent) => {
    if (!e.currentTarget.contains(e.relatedTarget as globalThis.Node | null)) setFileOver(false);
  };
  const onDragOver = (e: DragEvent) => {
    e.preventDefault();
    const files = e.dataTransfer.types.includes('Files');
    if (files !== fileOver) setFileOver(files);
    e.dataTransfer.dropEffect = e.dataTransfer.types.includes(KIND_MIME) ? 'copy' : 'copy';
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setFileOver(false);
    const item = e.dataTransfer.getData(KIND_MIME);
    if (item) {
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addItem(item, { x: p.x - 100, y: p.y - 20 });
      return;
    }
    const file = e.dataTransfer.files?.[0];
    if (file) void openFile(file).then((ok) => ok && void canvasApi.openLaidOut());
  };

  return (
    <div
      className={`canvas${far ? ' lod-far' : ''}${comparing ? ' comparing' : ''}${fileOver ? ' file-over' : ''}`} data-lod={far ? 'far' : 'near'}
      onDragOver={onDragOver} onDragLeave={onDragLeave} onDrop={onDrop} data-testid="canvas"
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        onReconnect={onReconnect}
        onReconnectStart={onReconnectStart}
        onReconnectEnd={onReconnectEnd}
        edgesReconnectable
        onDelete={onDelete}
        isValidConnection={isValidConnection}
        deleteKeyCode={DELETE_KEYS}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        selectionKeyCode="Shift"
        defaultViewport={DEFAULT_VIEWPORT}
        onInit={(inst) => openView(inst, editorStore.getState().graph, model.measured, paneBox(), minZoomFor(editorStore.getState().graph))}
        minZoom={minZoomFor(graph)}
        maxZoom={MAX_ZOOM}
        onlyRenderVisibleElements={cull}
      >
        <Background gap={24} size={1} />
        {graph.nodes.length <= MINIMAP_NODES ? <MiniMap pannable zoomable ariaLabel="Minimap" position="bottom-right" className="canvas-minimap" nodeColor={minimapColor} nodeStrokeColor={minimapColor} /> : null}
        <Controls showInteractive={false} />
        <Overlay />
      </ReactFlow>
      <ComparePanel />
    </div>
  );
}

/** Group frames stay out of the minimap (they would cover their layers); group boxes show as blocks. */
const minimapColor = (n: { type?: string }) => (n.type === 'groupFrame' ? 'transparent' : n.type === 'groupBox' ? '#8fa9d8' : '#c4ccd9');

/** The next frame, or 100 ms where frames are not painted (a hidden tab): an open never waits on a frame that does not come. */
const nextFrame = () => new Promise<void>((done) => {
  const t = setTimeout(done, 100);
  requestAnimationFrame(() => {
    clearTimeout(t);
    done();
  });
});

/** Waits (up to 1.5 s) until React Flow has measured every node of `g`, or the ones it draws when culling. */
async function measuredAll(model: FlowModel, g: Graph): Promise<void> {
  const want = g.nodes.length > CULL_NODES ? 1 : g.nodes.length;
  const t0 = performance.now();
  for (;;) {
    await nextFrame();
    let have = 0;
    for (const n of g.nodes) if (model.measured.has(n.id)) have++;
    if (have >= want || performance.now() - t0 > 1500) return;
  }
}

/** Lays out the graph (or `only`) in the worker at the measured sizes; keeps the routes; returns the positions. */
async function laidOut(model: FlowModel, only?: ReadonlySet<string>, graph?: Graph): Promise<Map<string, { x: number; y: number }> | null> {
  const g = graph ?? editorStore.getState().graph;
  if (!g.nodes.length) return null;
  const ls = layoutStore.getState();
  // An open's own busy mark (set until its first view) outlasts this layout.
  const was = ls.busy;
  layoutStore.setState({ busy: true });
  try {
    // Collapsed groups are laid out as one box each; their layers then move with the box.
    let res = await layoutInWorker({ ...model.layoutView(g, only), direction: ls.direction });
    if (only) res = keepPlace(res, g, only);
    res = { ...res, positions: Object.fromEntries(model.nodePositions(g, new Map(Object.entries(res.positions)))) };
    const routes = new Map(only ? layoutStore.getState().routes : []);
    for (const [id, r] of Object.entries(res.routes)) routes.set(id, r);
    layoutStore.setState((s) => ({ routes, lastMs: res.ms, busy: was, done: s.done + 1 }));
    return new Map(Object.entries(res.positions));
  } catch (e) {
    layoutStore.setState({ busy: was });
    editorStore.getState().notify({ kind: 'error', text: `Layout failed: ${(e as Error).message}. The layers keep their places.` });
    return null;
  }
}
