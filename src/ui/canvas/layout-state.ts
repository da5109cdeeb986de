/**
 * Screen state of the layout: the direction (top-down or left-right), the
 * edge routes of the last ELK layout, and whether edges show their tensor
 * shape always or on hover. Not part of the document, undo or autosave: a
 * route is only good while its two ends are where ELK put them, and the edge
 * checks that itself each time it draws (RoutedEdge.tsx).
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { Direction, Route } from './elk-layout.ts';

export type EdgeShapes = 'hover' | 'always';

export interface LayoutState {
  direction: Direction;
  routes: ReadonlyMap<string, Route>;
  edgeShapes: EdgeShapes;
  /** Milliseconds the last layout took in the worker. */
  lastMs: number | null;
  busy: boolean;
  /** Layouts finished so far (the page shows it, so a test can wait for the next one). */
  done: number;
  setDirection(d: Direction): void;
  setEdgeShapes(s: EdgeShapes): void;
}

const KEY = 'netloom.layout';
function stored(): { direction: Direction; edgeShapes: EdgeShapes } {
  try {
    const v = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '{}') as Record<string, unknown>;
    return { direction: v.direction === 'RIGHT' ? 'RIGHT' : 'DOWN', edgeShapes: v.edgeShapes === 'always' ? 'always' : 'hover' };
  } catch {
    return { direction: 'DOWN', edgeShapes: 'hover' };
  }
}
function keep(s: LayoutState) {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify({ direction: s.direction, edgeShapes: s.edgeShapes }));
  } catch {
    /* private mode: the choice lasts this visit */
  }
}

export const layoutStore = createStore<LayoutState>()((set, get) => ({
  ...stored(),
  routes: new Map(),
  lastMs: null,
  busy: false,
  done: 0,
  setDirection(direction) {
    set({ direction });
    keep(get());
  },
  setEdgeShapes(edgeShapes) {
    set({ edgeShapes });
    keep(get());
  },
}));

export const useLayout = <T,>(sel: (s: LayoutState) => T): T => useStore(layoutStore, sel);
