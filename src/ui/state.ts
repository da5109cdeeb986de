/**
 * The app's store instances and hooks. The editor store holds the document;
 * the view store holds what only the screen cares about (open panel, a node
 * to centre, the shortcut list).
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { createEditorStore, type Editor } from '../store/editor.ts';

export const editorStore = createEditorStore();

export function useEditor<T>(selector: (s: Editor) => T): T {
  return useStore(editorStore, selector);
}

export type SideTab = 'inspector' | 'summary' | 'compile' | 'train';

export interface ViewState {
  tab: SideTab;
  /** Centre the canvas on this node; `seq` makes a repeat request distinct. */
  focus: { id: string; seq: number } | null;
  shortcutsOpen: boolean;
  setTab(tab: SideTab): void;
  focusNode(id: string): void;
  toggleShortcuts(open?: boolean): void;
}

export const viewStore = createStore<ViewState>()((set, get) => ({
  tab: 'summary',
  focus: null,
  shortcutsOpen: false,
  setTab: (tab) => set({ tab }),
  focusNode: (id) => set({ focus: { id, seq: (get().focus?.seq ?? 0) + 1 } }),
  toggleShortcuts: (open) => set({ shortcutsOpen: open ?? !get().shortcutsOpen }),
}));

export function useView<T>(selector: (s: ViewState) => T): T {
  return useStore(viewStore, selector);
}
