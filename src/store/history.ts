/** Undo/redo over whole graph snapshots: cheap because edits share unchanged parts. */
import type { Graph } from '../engine/index.ts';

export interface History {
  past: Graph[];
  future: Graph[];
}

/** Deep enough for a long session, small enough that snapshots never pile up. */
export const HISTORY_LIMIT = 200;

export const emptyHistory = (): History => ({ past: [], future: [] });

export function record(h: History, before: Graph): History {
  const past = h.past.length >= HISTORY_LIMIT ? h.past.slice(1) : h.past.slice();
  past.push(before);
  return { past, future: [] };
}

export function undo(h: History, current: Graph): { history: History; graph: Graph } | null {
  if (!h.past.length) return null;
  const graph = h.past[h.past.length - 1];
  return { graph, history: { past: h.past.slice(0, -1), future: [current, ...h.future] } };
}

export function redo(h: History, current: Graph): { history: History; graph: Graph } | null {
  if (!h.future.length) return null;
  const [graph, ...future] = h.future;
  return { graph, history: { past: [...h.past, current], future } };
}
