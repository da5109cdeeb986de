/**
 * The app's store instances and hooks. The editor store holds the document;
 * the view store holds what only the screen cares about (open panel, a node
 * to centre, the shortcut list, the cost convention); the compare store holds
 * compare mode (a reference and the changes against it).
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { createCompareStore, type CompareState, type CostUnit } from '../store/compare.ts';
import { createEditorStore, type Editor } from '../store/editor.ts';
import type { Dtype, Optimizer } from '../engine/memory.ts';

export const editorStore = createEditorStore();

export const compareStore = createCompareStore(editorStore);

export function useCompare<T>(selector: (s: CompareState) => T): T {
  return useStore(compareStore, selector);
}

/** The cost convention is a preference, not part of a document: kept in this browser. */
const COST_KEY = 'netloom.cost';

function storedCost(): CostUnit {
  try {
    return globalThis.localStorage?.getItem(COST_KEY) === 'flops' ? 'flops' : 'macs';
  } catch {
    return 'macs';
  }
}

export function useEditor<T>(selector: (s: Editor) => T): T {
  return useStore(editorStore, selector);
}

export type SideTab = 'inspector' | 'summary' | 'compile' | 'train';

export interface ViewState {
  tab: SideTab;
  /** Centre the canvas on this node; `seq` makes a repeat request distinct. */
  focus: { id: string; seq: number } | null;
  shortcutsOpen: boolean;
  /** Multiply-adds or FLOPs (2 × MACs) in the summary, the inspector and compare mode. */
  cost: CostUnit;
  setCost(cost: CostUnit): void;
  /** The summary's memory-to-train options; `customGb`: the user's own memory size, or null; `open`: the section is unfolded. */
  memory: { batch: number; dtype: Dtype; optimizer: Optimizer; customGb: number | null; open: boolean };
  setMemory(m: Partial<ViewState['memory']>): void;
  setTab(tab: SideTab): void;
  focusNode(id: string): void;
  toggleShortcuts(open?: boolean): void;
}

export const viewStore = createStore<ViewState>()((set, get) => ({
  tab: 'summary',
  focus: null,
  shortcutsOpen: false,
  cost: storedCost(),
  setCost: (cost) => {
    set({ cost });
    try {
      globalThis.localStorage?.setItem(COST_KEY, cost);
    } catch {
      // A browser without storage keeps the choice for this page only.
    }
  },
  memory: { batch: 32, dtype: 'fp32', optimizer: 'adam', customGb: null, open: true },
  setMemory: (m) => {
    const now = get().memory;
    if (Object.entries(m).every(([k, v]) => now[k as keyof typeof now] === v)) return;
    set({ memory: { ...now, ...m } });
  },
  setTab: (tab) => set({ tab }),
  focusNode: (id) => set({ focus: { id, seq: (get().focus?.seq ?? 0) + 1 } }),
  toggleShortcuts: (open) => set({ shortcutsOpen: open ?? !get().shortcutsOpen }),
}));

export function useView<T>(selector: (s: ViewState) => T): T {
  return useStore(viewStore, selector);
}
