/**
 * The side panel's width: dragged by its left edge or set with the arrow keys
 * on that edge (a focusable separator), kept in localStorage for the next visit.
 */
import { useCallback, useEffect, useState, type KeyboardEvent, type PointerEvent } from 'react';

const KEY = 'netloom.sideWidth';
export const SIDE_DEFAULT = 540;
export const SIDE_MIN = 320;
/** The canvas keeps at least this much room next to the palette. */
const CANVAS_MIN = 320;
const PALETTE = 190;

const maxWidth = () => Math.max(SIDE_MIN, Math.min(1200, (typeof window === 'undefined' ? 1440 : window.innerWidth) - PALETTE - CANVAS_MIN));
const clamp = (w: number) => Math.round(Math.min(maxWidth(), Math.max(SIDE_MIN, w)));

function stored(): number {
  try {
    const v = Number(localStorage.getItem(KEY));
    return Number.isFinite(v) && v > 0 ? clamp(v) : SIDE_DEFAULT;
  } catch {
    return SIDE_DEFAULT;
  }
}

/** The width in pixels and its setter (clamped, remembered). */
export function useSideWidth(): [number, (w: number) => void] {
  const [width, setWidth] = useState(stored);
  const set = useCallback((w: number) => setWidth(clamp(w)), []);
  useEffect(() => {
    try {
      localStorage.setItem(KEY, String(width));
    } catch {
      // Storage refused (private mode, quota): the width lasts for this visit.
    }
  }, [width]);
  // A narrower window takes room from the panel before the canvas.
  useEffect(() => {
    const onResize = () => setWidth((w) => clamp(w));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return [width, set];
}

export function SideResizer({ width, setWidth }: { width: number; setWidth: (w: number) => void }) {
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const startX = e.clientX;
    const start = width;
    document.body.classList.add('resizing-side');
    const move = (m: globalThis.PointerEvent) => setWidth(start + (startX - m.clientX));
    const up = () => {
      document.body.classList.remove('resizing-side');
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 100 : 20;
    const next = e.key === 'ArrowLeft' ? width + step : e.key === 'ArrowRight' ? width - step
      : e.key === 'Home' ? SIDE_MIN : e.key === 'End' ? maxWidth() : e.key === 'Enter' ? SIDE_DEFAULT : null;
    if (next === null) return;
    e.preventDefault();
    setWidth(next);
  };
  return (
    <div
      className="side-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label="Side panel width"
      aria-valuenow={width}
      aria-valuemin={SIDE_MIN}
      aria-valuemax={maxWidth()}
      title="Drag to resize the side panel (or focus and use ←/→; Enter restores the default)"
      tabIndex={0}
      data-testid="side-resizer"
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      onDoubleClick={() => setWidth(SIDE_DEFAULT)}
    />
  );
}
