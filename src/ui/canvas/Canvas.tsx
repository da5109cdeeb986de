/**
 * The canvas: React Flow over the editor store. Every change goes through a
 * store action; React Flow's own change events are translated, never stored.
 * A drag is the one exception in timing: its positions stay in the canvas
 * model while the pointer moves and reach the store as one move on the drop,
 * so panels that read the document do nothing per frame.
 */
import {
  Background, Controls, MiniMap, ReactFlow, getViewportForBounds, useReactFlow, useStore,
  type Connection, type Edge as FlowEdge, type ReactFlowInstance, type ReactFlowState, type EdgeChange, type FinalConnectionState, type IsValidConnection, type NodeChange, type NodeTypes,
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

const nodeTypes: NodeTypes = { layer: LayerNode };
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
/** Zoom of the first view when fitting everything would fall below LOD_ZOOM. */
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

/** The box around every node, each at its measured size or, not yet drawn, about 200×90 flow pixels; and the topmost node. */
function bounds(graph: Graph, sizes: Sizes) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let top = graph.nodes[0];
  for (const n of graph.nodes) {
    const p = n.position ?? { x: 0, y: 0 };
    const s = sizes.get(n.id);
    if (p.x < minX) minX = p.x;
    if (p.x + (s?.width ?? 200) > maxX) maxX = p.x + (s?.width ?? 200);
    if (p.y + (s?.height ?? 90) > maxY) maxY = p.y + (s?.height ?? 90);
    if (p.y < minY) {
      minY = p.y;
      top = n;
    }
  }
  return { box: { x: minX, y: minY, width: maxX - minX, height: maxY - minY }, top };
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
 * The first view of a network: fit everything when node text stays legible;
 * otherwise open on the top of the network at READABLE_ZOOM, centred on its
 * first layer, and leave the rest to panning and the minimap.
 */
function openView(rf: Viewer, graph: Graph, sizes: Sizes, pane: DOMRect | undefined, minZoom: number): void {
  if (!graph.nodes.length || !pane) return;
  const { box, top } = bounds(graph, sizes);
  const fit = fitted(box, pane, minZoom);
  if (fit.zoom >= LOD_ZOOM) {
    void rf.setViewport(fit);
    return;
  }
  const zoom = READABLE_ZOOM;
  const x = (top.position?.x ?? 0) + 100;
  void rf.setViewport({ x: pane.width / 2 - x * zoom, y: 24 - box.y * zoom, zoom });
}

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
  const nodes = useMemo(() => model.flowNodes(graph, analysis, nodeSel, cull), [graph, analysis, nodeSel, measureTick, cull]);
  const edges = useMemo(() => model.flowEdges(graph, edgeSel), [graph.edges, edgeSel]);

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
  }, [rf, model]);

  // Centre on a node when the summary asks.
  useEffect(() => viewStore.subscribe((s, prev) => {
    if (!s.focus || s.focus === prev.focus) return;
    const n = rf.getNode(s.focus.id);
    if (!n) return;
    const w = n.measured?.width ?? 200;
    const h = n.measured?.height ?? 90;
    const zoom = Math.max(rf.getZoom(), 0.9);
    // The changes panel covers the canvas's right side: centre in the part left of it.
    const panel = document.querySelector('.compare-panel:not(.folded)')?.getBoundingClientRect();
    const shift = panel ? (panel.width + 10) / 2 / zoom : 0;
    void rf.setCenter(n.position.x + w / 2 + shift, n.position.y + h / 2, { zoom, duration: 250 });
  }), [rf]);

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
        sel ??= new Set(ed.selection);
        if (c.selected) sel.add(c.id);
        else sel.delete(c.id);
      }
    }
    if (final) {
      const positions = new Map(model.dragging);
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
    ed.select(ns.map((n) => n.id), es.map((e) => e.id));
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
    if (file) void openFile(file).then((ok) => ok && setTimeout(() => canvasApi.fitView(), 50));
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
        {graph.nodes.length <= MINIMAP_NODES ? <MiniMap pannable zoomable ariaLabel="Minimap" /> : null}
        <Controls showInteractive={false} />
        <Overlay />
      </ReactFlow>
      <ComparePanel />
    </div>
  );
}
