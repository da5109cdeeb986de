/**
 * The editor's one store: the graph document, its analysis, the selection,
 * undo history and a notice line. Actions call the pure edits in `ops.ts`
 * and the engine; nothing here touches React, `window` or storage.
 */
import { createStore } from 'zustand/vanilla';
import {
  blockUse, LIMITS, analyze, checkParam, fmt, getLayer, parseGraphText, serializeGraph,
  type Analysis, type Graph, type Position,
} from '../engine/index.ts';
import { withAutoGroups } from '../engine/grouping.ts';
import { kerasTotal, loadAnyModelText, type AnyLoadResult } from '../interop/load.ts';
import type { ImportNote } from '../interop/import-keras.ts';
import { emptyHistory, record, redo as redoH, undo as undoH, type History } from './history.ts';
import * as ops from './ops.ts';

export interface Notice {
  kind: 'info' | 'error';
  text: string;
  /** Offers to bring back the document a load replaced. */
  restorePrevious?: boolean;
}

/**
 * The document as it was last saved to a file or opened: what a user means by
 * "the last saved version" (the autosave records keep every edit, so they are
 * not it). Compare mode offers it as a reference.
 */
export interface SavedVersion {
  graph: Graph;
  /** Where it came from: `alexnet.json`, `the shared link`, `untitled.netloom.json`. */
  source: string;
  /** Opened (a file, an example, a link, a recovery) or saved to a file. */
  how: 'opened' | 'saved';
  /** Milliseconds since the epoch. */
  at: number;
}

export interface EditorState {
  graph: Graph;
  analysis: Analysis;
  selection: string[];
  selectedEdges: string[];
  history: History;
  /** Changed since the last Save or load. */
  dirty: boolean;
  /** The document as last saved or opened (the reference of "Compare with… the last saved version"). */
  saved: SavedVersion;
  /** Bumped on every committed change (autosave listens to it). */
  revision: number;
  notice: Notice | null;
  /** The document a load replaced while it had unsaved work (autosave keeps it in storage when this is set). */
  previous: Graph | null;
  /** Graph before the drag now in progress (one undo step per drag). */
  gestureBase: Graph | null;
}

export interface EditorActions {
  /** Replaces the whole document without history (startup, tests). */
  reset(graph?: Graph): void;
  /** Opens a graph from a file, example or link; the replaced one stays undoable and, if unsaved, restorable. */
  load(graph: Graph, source: string): void;
  /**
   * Parses untrusted text and loads it: a netloom graph, a TF.js Layers `model.json` or a Keras
   * `model.to_json()` document, detected from the content. An imported model is named after the
   * file (`source`) and the notice lists what the import changed. On failure the current graph
   * stays and the notice says why.
   */
  loadText(text: string, source: string): boolean;
  restorePrevious(): void;
  addNode(kind: string, position: Position): string | null;
  /**
   * Adds a layer kind or a block use (`block:<name>`) where it does not cover
   * another layer: under the selected layer (wired from it when that is the one
   * sensible connection) or under the lowest layer; `fallback` for an empty canvas.
   * One undoable step.
   */
  addBelow(item: string, fallback: Position, sizeOf?: ops.SizeOf): string | null;
  /** Adds a use of one of the graph's blocks. */
  addBlockUse(block: string, position: Position): string | null;
  /** Sets a block use's `repeat` or one of its `args` (validated by re-analysis: problems show on the node). */
  setBlockParam(id: string, field: 'repeat' | `args.${string}`, value: unknown): string | null;
  connect(source: string, target: string, port: string): string | null;
  /** Moves an edge's end to another layer or port (dragging its end on the canvas); returns the refusal's reason, or null. One undoable step. */
  reconnect(edgeId: string, source: string, target: string, port: string): string | null;
  disconnect(edgeIds: readonly string[]): void;
  moveNodes(positions: ReadonlyMap<string, Position>, final: boolean): void;
  /** Validates against the kind's schema; invalid values are never applied. Returns the problem or null. */
  setParam(id: string, field: string, value: unknown): string | null;
  rename(id: string, name: string): string | null;
  /** Sets (or, with null, clears) the layer whose weights node `id` uses: one undoable step. Returns the problem or null. */
  setShares(id: string, owner: string | null): string | null;
  setMeta(meta: { name?: string; title?: string; description?: string }): void;
  /** Replaces the whole graph as one undoable step (auto-layout). */
  replaceGraph(graph: Graph): void;
  deleteSelection(): void;
  deleteNodes(ids: readonly string[]): void;
  duplicate(ids?: readonly string[]): string[];
  /** The selection as graph JSON (a netloom file), or null when nothing is selected. */
  copy(ids?: readonly string[]): string | null;
  /** Inserts graph JSON from the clipboard; returns the new ids, or null with a notice if it is not a graph. */
  paste(text: string, offset?: Position): string[] | null;
  select(nodeIds: readonly string[], edgeIds?: readonly string[]): void;
  undo(): void;
  redo(): void;
  /** The document was written to a file (`source`: its file name); it becomes the last saved version. */
  markSaved(source?: string): void;
  notify(notice: Notice | null): void;
}

export type Editor = EditorState & EditorActions;

const FORMAT_NAMES = { 'tfjs-layers': 'TF.js model.json', keras: 'Keras JSON' } as const;

/**
 * The graph name an imported file gets: its base name without `.json`
 * (`ts-resnet50.json` → `ts-resnet50`). A generic `model.json`, or a source that is no
 * file name, gives none, so the model keeps the name its topology carries.
 */
export function importedName(source: string): string | undefined {
  const base = source.split(/[\\/]/).pop() ?? '';
  if (!/\.json$/i.test(base)) return undefined;
  const name = base.replace(/(\.netloom)?\.json$/i, '').replace(/[^\w.-]+/g, '_').slice(0, 100);
  return name && !/^model$/i.test(name) ? name : undefined;
}

/** A name Keras gives a model nobody named (`model`, `model_1`, `sequential_3`, `functional`): not worth a title. */
export function isDefaultModelName(name: string | undefined): boolean {
  return name === undefined || /^(model|sequential|functional)(_\d+)?$/i.test(name);
}

/**
 * What an import changed, one sentence per distinct message: the same note on many layers
 * (every LeakyReLU of a Darknet) is said once with the layers it concerns.
 */
export function notesText(notes: readonly ImportNote[], max = 4): string {
  const byMessage = new Map<string, string[]>();
  for (const n of notes) {
    const ids = byMessage.get(n.message) ?? [];
    if (n.nodeId !== undefined) ids.push(n.nodeId);
    byMessage.set(n.message, ids);
  }
  const parts = [...byMessage].slice(0, max).map(([message, ids]) => {
    if (!ids.length) return `${message}.`;
    const who = ids.length === 1 ? ids[0] : `${ids.length} layers (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''})`;
    return `${who}: ${message}.`;
  });
  const rest = byMessage.size - max;
  return `Import notes: ${parts.join(' ')}${rest > 0 ? ` (+${rest} more)` : ''}`;
}

export const emptyGraph = (): Graph => ({ name: 'untitled', title: 'Untitled network', nodes: [], edges: [] });

const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function createEditorStore(initial: Graph = emptyGraph()) {
  return createStore<Editor>()((set, get) => {
    /** Commits `graph` as one undoable change; keeps node objects it did not replace. */
    const commit = (graph: Graph, extra: Partial<EditorState> = {}) => {
      const s = get();
      if (graph === s.graph && !s.gestureBase) return;
      const before = s.gestureBase ?? s.graph;
      set({
        graph,
        analysis: analyze(graph, s.analysis),
        history: record(s.history, before),
        dirty: true,
        revision: s.revision + 1,
        gestureBase: null,
        ...extra,
      });
    };
    /** Opens `graph` as one undoable step; unsaved work it replaces stays restorable. */
    const open = (graph: Graph, source: string, headline: string, tail = '') => {
      const s = get();
      const keep = s.dirty && s.graph.nodes.length > 0;
      const kept = keep ? ' Your unsaved network is kept: bring it back, or press Ctrl+Z.' : '';
      commit(graph, {
        selection: [], selectedEdges: [], dirty: false, saved: { graph, source, how: 'opened', at: Date.now() },
        previous: keep ? s.graph : s.previous,
        notice: { kind: 'info', text: `${headline}${kept}${tail ? ` ${tail}` : ''}`, restorePrevious: keep },
      });
    };
    /**
     * Refuses an insert that would take the graph past the node or edge limit (files
     * above it cannot be opened again), with a notice naming the limit. Returns true when refused.
     */
    const refuseGrowth = (what: string, g: Graph, fragment: Graph) => {
      const nodes = g.nodes.length + fragment.nodes.length;
      const edges = g.edges.length + fragment.edges.length;
      const over = nodes > LIMITS.nodes ? `${fmt(nodes)} layers; a network holds at most ${fmt(LIMITS.nodes)}`
        : edges > LIMITS.edges ? `${fmt(edges)} connections; a network holds at most ${fmt(LIMITS.edges)}` : null;
      if (!over) return false;
      get().notify({ kind: 'error', text: `${what} refused: the network would have ${over}. Your network is unchanged.` });
      return true;
    };
    const keepExisting = (ids: readonly string[], g: Graph) => {
      const have = new Set(g.nodes.map((n) => n.id));
      return ids.filter((id) => have.has(id));
    };

    return {
      graph: initial,
      analysis: analyze(initial),
      selection: [],
      selectedEdges: [],
      history: emptyHistory(),
      dirty: false,
      saved: { graph: initial, source: 'a new network', how: 'opened', at: Date.now() },
      revision: 0,
      notice: null,
      previous: null,
      gestureBase: null,

      reset(graph = emptyGraph()) {
        set({
          graph, analysis: analyze(graph), selection: [], selectedEdges: [], history: emptyHistory(),
          dirty: false, saved: { graph, source: 'the network this page started with', how: 'opened', at: Date.now() },
          revision: get().revision + 1, notice: null, previous: null, gestureBase: null,
        });
      },

      load(graph, source) {
        open(graph, source, `Opened ${source}.`);
      },

      loadText(text, source) {
        let result: AnyLoadResult;
        try {
          result = loadAnyModelText(text, { name: importedName(source) });
        } catch (e) {
          get().notify({ kind: 'error', text: `Could not open ${source}: ${(e as Error).message}. Your network is unchanged.` });
          return false;
        }
        if (!result.ok) {
          const first = result.problems.slice(0, 3).map((p) => `${p.nodeId ?? p.path ?? ''}${p.nodeId || p.path ? ': ' : ''}${p.message}`);
          const more = result.problems.length > 3 ? ` (+${result.problems.length - 3} more)` : '';
          get().notify({ kind: 'error', text: `Could not open ${source}: ${first.join('; ')}${more}. Your network is unchanged.` });
          return false;
        }
        if (result.format === 'netloom') {
          open(result.graph, source, `Opened ${source}.`);
        } else {
          const what = `${FORMAT_NAMES[result.format]}, ${result.graph.nodes.length} layers`;
          // An unnamed Keras model is titled after its file (`mnist-cnn.json` → mnist-cnn), not `model_1`.
          const fileName = importedName(source);
          if (fileName && isDefaultModelName(result.graph.title)) result.graph = { ...result.graph, title: fileName };
          // A flat import opens grouped by its layer names (engine/grouping.ts): stem, stages, blocks.
          open(withAutoGroups(result.graph), source, `Imported ${source} (${what}).`, result.notes.length ? notesText(result.notes) : '');
          const { analysis, notice } = get();
          const extra: string[] = [];
          if (result.shared.length) extra.push(`Keras counts shared weights once: ${fmt(kerasTotal(analysis, result.shared))} parameters.`);
          const bad = new Set(analysis.problems.map((p) => p.nodeId).filter(Boolean)).size;
          if (bad) extra.push(`${bad} layer${bad === 1 ? ' has a problem' : 's have problems'}: see the marked nodes and the summary.`);
          if (extra.length && notice) set({ notice: { ...notice, text: `${notice.text} ${extra.join(' ')}` } });
        }
        return true;
      },

      restorePrevious() {
        const s = get();
        if (!s.previous) return;
        // Edits made to the opened document since are kept the same way, so bringing back loses nothing.
        const keep = s.dirty && s.graph.nodes.length > 0;
        const text = `Brought back your previous network.${keep ? ' The one it replaced is kept: bring it back, or press Ctrl+Z.' : ''}`;
        commit(s.previous, { previous: keep ? s.graph : null, selection: [], selectedEdges: [], notice: { kind: 'info', text, restorePrevious: keep } });
      },

      addNode(kind, position) {
        const node = ops.newNode(get().graph, kind, position);
        if (!node) {
          get().notify({ kind: 'error', text: `Unknown layer kind '${kind}'; pick one from the palette.` });
          return null;
        }
        commit(ops.addNode(get().graph, node), { selection: [node.id], selectedEdges: [] });
        return node.id;
      },

      addBelow(item, fallback, sizeOf) {
        const s = get();
        const anchor = s.selection.length === 1 ? s.selection[0] : null;
        const position = ops.placeNew(s.graph, anchor, fallback, sizeOf);
        const block = item.startsWith('block:') ? item.slice('block:'.length) : null;
        const node = block !== null ? ops.newBlockUse(s.graph, block, position) : ops.newNode(s.graph, item, position);
        if (!node) {
          get().notify({ kind: 'error', text: block !== null ? `This network defines no block '${block}'; open a file that defines it.` : `Unknown layer kind '${item}'; pick one from the palette.` });
          return null;
        }
        let graph = ops.addNode(s.graph, node);
        const port = ops.autoPort(graph, anchor, node);
        if (port && anchor) {
          const r = ops.connect(graph, anchor, node.id, port);
          if (r.ok) graph = r.graph;
        }
        commit(graph, { selection: [node.id], selectedEdges: [] });
        return node.id;
      },

      addBlockUse(block, position) {
        const node = ops.newBlockUse(get().graph, block, position);
        if (!node) {
          get().notify({ kind: 'error', text: `This network defines no block '${block}'; open a file that defines it.` });
          return null;
        }
        commit(ops.addNode(get().graph, node), { selection: [node.id], selectedEdges: [] });
        return node.id;
      },

      setBlockParam(id, field, value) {
        const node = get().graph.nodes.find((n) => n.id === id);
        const p = node && blockUse(node);
        if (!p) return `no block use '${id}' to edit`;
        if (field === 'repeat') {
          if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1000) {
            return 'repeat must be a whole number from 1 to 1000';
          }
          if (p.repeat === value) return null;
          commit(ops.updateNode(get().graph, id, (n) => ({ ...n, params: { ...n.params, repeat: value } })));
          return null;
        }
        const arg = field.slice('args.'.length);
        if (typeof value === 'number' && !Number.isFinite(value)) return `${arg} must be a number`;
        if (JSON.stringify(p.args[arg]) === JSON.stringify(value)) return null;
        commit(ops.updateNode(get().graph, id, (n) => ({ ...n, params: { ...n.params, args: { ...p.args, [arg]: value } } })));
        return null;
      },

      connect(source, target, port) {
        const r = ops.connect(get().graph, source, target, port);
        if (!r.ok) {
          get().notify({ kind: 'error', text: `Connection refused: ${r.reason}${/[.…]$/.test(r.reason) ? '' : '.'}` });
          return r.reason;
        }
        commit(r.graph, { notice: null });
        return null;
      },

      reconnect(edgeId, source, target, port) {
        const r = ops.reconnect(get().graph, edgeId, source, target, port);
        if (!r.ok) {
          get().notify({ kind: 'error', text: `Connection refused: ${r.reason}${/[.…]$/.test(r.reason) ? '' : '.'} The connection stays where it was.` });
          return r.reason;
        }
        commit(r.graph, { notice: null });
        return null;
      },

      disconnect(edgeIds) {
        commit(ops.removeEdges(get().graph, new Set(edgeIds)), { selectedEdges: [] });
      },

      moveNodes(positions, final) {
        const s = get();
        const graph = ops.moveNodes(s.graph, positions);
        if (!final) {
          if (graph === s.graph) return;
          // During a drag only positions change, which no number depends on: the analysis object
          // stays the same (so the summary does not re-render) and history waits for the drop.
          set({ graph, gestureBase: s.gestureBase ?? s.graph });
          return;
        }
        if (graph === (s.gestureBase ?? s.graph)) return set({ gestureBase: null });
        commit(graph);
      },

      setParam(id, field, value) {
        const node = get().graph.nodes.find((n) => n.id === id);
        const spec = node && getLayer(node.kind);
        if (!node || !spec) return `no layer '${id}' to edit`;
        // Own fields only: `constructor` or `__proto__` typed as a field name is not a parameter.
        const params = spec.params as Record<string, Parameters<typeof checkParam>[0]>;
        const schema = Object.hasOwn(params, field) ? params[field] : undefined;
        if (!schema) return `${node.kind} has no parameter '${field}'`;
        const problem = checkParam(schema, value);
        if (problem) return `${field} ${problem}`;
        if (JSON.stringify(node.params[field]) === JSON.stringify(value)) return null;
        commit(ops.updateNode(get().graph, id, (n) => ({ ...n, params: { ...n.params, [field]: value } })));
        return null;
      },

      rename(id, name) {
        const r = ops.rename(get().graph, id, name);
        if (!r.ok) return r.reason;
        commit(r.graph);
        return null;
      },

      setShares(id, owner) {
        const r = ops.setShares(get().graph, id, owner);
        if (!r.ok) return r.reason;
        if (r.graph !== get().graph) commit(r.graph);
        return null;
      },

      setMeta(meta) {
        const g = get().graph;
        const next = { ...g };
        if (meta.name !== undefined) {
          const name = meta.name.trim().replace(/[^\w.-]+/g, '-').slice(0, 100);
          if (name) next.name = name;
        }
        if (meta.title !== undefined) next.title = meta.title.slice(0, LIMITS.title);
        if (meta.description !== undefined) next.description = meta.description.slice(0, LIMITS.description);
        commit(next);
      },

      replaceGraph(graph) {
        commit(graph);
      },

      deleteSelection() {
        const s = get();
        let g = ops.removeEdges(s.graph, new Set(s.selectedEdges));
        g = ops.removeNodes(g, new Set(s.selection));
        commit(g, { selection: [], selectedEdges: [] });
      },

      deleteNodes(ids) {
        commit(ops.removeNodes(get().graph, new Set(ids)), { selection: [], selectedEdges: [] });
      },

      duplicate(ids = get().selection) {
        if (!ids.length) return [];
        const g = get().graph;
        const fragment = ops.extractFragment(g, new Set(ids));
        if (refuseGrowth('Duplicate', g, fragment)) return [];
        const r = ops.insertFragment(g, fragment, { x: 40, y: 40 });
        commit(r.graph, { selection: r.ids, selectedEdges: [] });
        return r.ids;
      },

      copy(ids = get().selection) {
        if (!ids.length) return null;
        return serializeGraph(ops.extractFragment(get().graph, new Set(ids)));
      },

      paste(text, offset = { x: 40, y: 40 }) {
        let parsed;
        try {
          parsed = parseGraphText(text);
        } catch {
          parsed = null;
        }
        if (!parsed || !parsed.ok) {
          get().notify({ kind: 'error', text: 'The clipboard holds no netloom layers; copy layers in netloom (Ctrl+C) first.' });
          return null;
        }
        if (refuseGrowth('Paste', get().graph, parsed.graph)) return null;
        const r = ops.insertFragment(get().graph, parsed.graph, offset);
        commit(r.graph, { selection: r.ids, selectedEdges: [] });
        return r.ids;
      },

      select(nodeIds, edgeIds = []) {
        const s = get();
        if (sameIds(s.selection, nodeIds) && sameIds(s.selectedEdges, edgeIds)) return;
        set({ selection: [...nodeIds], selectedEdges: [...edgeIds] });
      },

      undo() {
        const s = get();
        const r = undoH(s.history, s.graph);
        if (!r) return;
        set({
          graph: r.graph, history: r.history, analysis: analyze(r.graph, s.analysis), dirty: true,
          revision: s.revision + 1, selection: keepExisting(s.selection, r.graph), selectedEdges: [], gestureBase: null,
        });
      },

      redo() {
        const s = get();
        const r = redoH(s.history, s.graph);
        if (!r) return;
        set({
          graph: r.graph, history: r.history, analysis: analyze(r.graph, s.analysis), dirty: true,
          revision: s.revision + 1, selection: keepExisting(s.selection, r.graph), selectedEdges: [], gestureBase: null,
        });
      },

      markSaved(source) {
        const graph = get().graph;
        set({ dirty: false, saved: { graph, source: source ?? `${graph.name || 'network'}.netloom.json`, how: 'saved', at: Date.now() } });
      },

      notify(notice) {
        set({ notice });
      },
    };
  });
}

export type EditorStore = ReturnType<typeof createEditorStore>;
