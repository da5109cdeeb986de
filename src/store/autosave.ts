/**
 * Autosave: every committed change is written to a key-value storage
 * (localStorage in the browser, a Map in tests), so a reload or a crash can
 * offer to bring the work back. Storage is passed in: importing this touches nothing.
 */
import { parseGraphText, serializeGraph, type Graph } from '../engine/index.ts';
import type { EditorStore } from './editor.ts';

export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const AUTOSAVE_KEY = 'netloom.autosave.v1';

export interface Autosaved {
  graph: Graph;
  /** Milliseconds since the epoch. */
  at: number;
  /** The saved state had changes not written to a file. */
  dirty: boolean;
}

/** Starts writing on every change; returns the unsubscribe function. */
export function startAutosave(store: EditorStore, storage: KeyValue, now: () => number = Date.now): () => void {
  return store.subscribe((s, prev) => {
    if (s.revision === prev.revision && s.dirty === prev.dirty) return;
    try {
      storage.setItem(AUTOSAVE_KEY, JSON.stringify({ at: now(), dirty: s.dirty, graph: serializeGraph(s.graph) }));
    } catch {
      // A full or blocked storage must never break editing; the next change tries again.
    }
  });
}

/** The autosaved document, or null when there is none or it cannot be read. */
export function readAutosave(storage: KeyValue): Autosaved | null {
  let raw: string | null;
  try {
    raw = storage.getItem(AUTOSAVE_KEY);
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const rec = JSON.parse(raw) as { at?: unknown; dirty?: unknown; graph?: unknown };
    if (typeof rec.graph !== 'string') return null;
    const loaded = parseGraphText(rec.graph);
    if (!loaded.ok) return null;
    return { graph: loaded.graph, at: typeof rec.at === 'number' ? rec.at : 0, dirty: rec.dirty === true };
  } catch {
    return null;
  }
}

export function clearAutosave(storage: KeyValue): void {
  try {
    storage.removeItem(AUTOSAVE_KEY);
  } catch {
    // nothing to clear
  }
}
