/** Editor shortcuts on the window, and copy/paste through the system clipboard as graph JSON. */
import { useEffect } from 'react';
import { canvasApi } from './canvas/canvas-api.ts';
import { editorStore, viewStore } from './state.ts';

export const SHORTCUTS: [keys: string, what: string][] = [
  ['Ctrl/⌘ Z', 'Undo'],
  ['Ctrl/⌘ Shift Z, Ctrl Y', 'Redo'],
  ['Ctrl/⌘ C · X · V', 'Copy, cut, paste layers (as graph JSON, also between tabs)'],
  ['Ctrl/⌘ D', 'Duplicate the selection'],
  ['Ctrl/⌘ A', 'Select every layer'],
  ['Delete, Backspace', 'Delete the selection'],
  ['Shift + drag', 'Box-select'],
  ['Ctrl/⌘/Shift + click', 'Add to the selection'],
  ['F', 'Fit the graph in view'],
  ['Enter (palette)', 'Add the layer at the centre of the view'],
  ['?', 'This list'],
  ['Esc', 'Close this list, clear the selection'],
];

/** Typing in a field must not trigger graph shortcuts. */
function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const ed = editorStore.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) ed.redo();
        else ed.undo();
      } else if (mod && key === 'y') {
        e.preventDefault();
        ed.redo();
      } else if (mod && key === 'd') {
        e.preventDefault();
        ed.duplicate();
      } else if (mod && key === 'a') {
        e.preventDefault();
        ed.select(ed.graph.nodes.map((n) => n.id));
      } else if (!mod && e.key === '?') {
        viewStore.getState().toggleShortcuts();
      } else if (!mod && key === 'f') {
        canvasApi.fitAll();
      } else if (e.key === 'Escape') {
        if (viewStore.getState().shortcutsOpen) viewStore.getState().toggleShortcuts(false);
        else ed.select([]);
      }
    };
    const onCopy = (e: ClipboardEvent, cut: boolean) => {
      if (isTyping(e.target) || !e.clipboardData) return;
      const text = editorStore.getState().copy();
      if (!text) return;
      e.preventDefault();
      e.clipboardData.setData('text/plain', text);
      if (cut) editorStore.getState().deleteSelection();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (isTyping(e.target) || !e.clipboardData) return;
      const text = e.clipboardData.getData('text/plain');
      if (!text) return;
      e.preventDefault();
      editorStore.getState().paste(text);
    };
    const copy = (e: ClipboardEvent) => onCopy(e, false);
    const cut = (e: ClipboardEvent) => onCopy(e, true);
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', copy);
    document.addEventListener('cut', cut);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', copy);
      document.removeEventListener('cut', cut);
      document.removeEventListener('paste', onPaste);
    };
  }, []);
}
