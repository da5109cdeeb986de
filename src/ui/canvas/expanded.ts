/**
 * Which block uses are open in place on the canvas. Screen state only: it is
 * not part of the document, undo or autosave. A node subscribes to its own
 * entry, so opening one use re-renders that node alone.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export interface ExpandedState {
  open: ReadonlySet<string>;
  toggle(id: string, open?: boolean): void;
}

export const expandedStore = createStore<ExpandedState>()((set, get) => ({
  open: new Set(),
  toggle(id, open) {
    const now = get().open.has(id);
    const want = open ?? !now;
    if (want === now) return;
    const next = new Set(get().open);
    if (want) next.add(id);
    else next.delete(id);
    set({ open: next });
  },
}));

export const useExpanded = (id: string): boolean => useStore(expandedStore, (s) => s.open.has(id));
