/**
 * The canvas overlay: nodes tinted by a number (parameters, multiply-adds,
 * activation memory per sample, or share of the total parameters) on a
 * linear or log scale, with the legend's stops. Pure functions and a small
 * store; the nodes read their own tint from it.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { bytesText, fmt, shareText, type NodeResult } from '../../engine/index.ts';

export type OverlayMetric = 'none' | 'params' | 'macs' | 'memory' | 'share';

export const OVERLAY_LABEL: Record<OverlayMetric, string> = {
  none: 'No overlay',
  params: 'Parameters',
  macs: 'Multiply-adds',
  memory: 'Activation memory',
  share: 'Share of parameters',
};

/** Bytes per activation in the memory overlay: fp32, as the summary's "Activations / sample". */
const BYTES = 4;
/** The log scale spans this many decades below the largest value. */
export const LOG_DECADES = 6;

/** Light to dark (yellow–orange–red, light end): dark text stays legible on every stop. */
export const RAMP = ['#ffffcc', '#ffeda0', '#fed976', '#feb24c', '#fd8d3c'];

/** A layer's value of the metric; 0 (uncoloured) where it depends on an open sequence length. */
export function metricValue(r: NodeResult, metric: OverlayMetric, totalParams: number): number {
  switch (metric) {
    case 'params': return r.paramCount;
    case 'macs': return r.macs ?? 0;
    case 'memory': return (r.activations ?? 0) * BYTES;
    case 'share': return totalParams > 0 ? r.paramCount / totalParams : 0;
    default: return 0;
  }
}

/** Where `value` sits on the scale, 0…1: linear in value/max, or log over LOG_DECADES below max. */
export function scaleOf(value: number, max: number, log: boolean): number {
  if (!(value > 0) || !(max > 0)) return 0;
  if (!log) return Math.min(1, value / max);
  const f = 1 + Math.log10(value / max) / LOG_DECADES;
  return Math.min(1, Math.max(0, f));
}

function mix(a: string, b: string, t: number): string {
  const p = (h: string, i: number) => parseInt(h.slice(1 + 2 * i, 3 + 2 * i), 16);
  const c = [0, 1, 2].map((i) => Math.round(p(a, i) + (p(b, i) - p(a, i)) * t).toString(16).padStart(2, '0'));
  return `#${c.join('')}`;
}

/** The tint for a position 0…1 on the scale; null (no tint) for a zero value. */
export function colourAt(f: number, value = 1): string | null {
  if (!(value > 0)) return null;
  const x = Math.min(1, Math.max(0, f)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  return mix(RAMP[i], RAMP[i + 1], x - i);
}

/** A value as the legend and the node's tooltip write it. */
export function valueText(metric: OverlayMetric, v: number): string {
  // Whole bytes: the log scale's low end sits 10⁻⁶ below the max (1.16 MB → 1 B, not 1.1616 B).
  if (metric === 'memory') return bytesText(v < 1024 ? Math.round(v) : v);
  if (metric === 'share') return shareText(v) || '0%';
  return fmt(v);
}

/** The legend's labelled stops: 0 (or 10⁻⁶ of the max on a log scale), the middle and the max. */
export function legendStops(metric: OverlayMetric, max: number, log: boolean): { at: number; text: string }[] {
  if (!(max > 0)) return [];
  const mid = log ? max / 10 ** (LOG_DECADES / 2) : max / 2;
  const low = log ? max / 10 ** LOG_DECADES : 0;
  return [
    { at: 0, text: valueText(metric, low) },
    { at: 0.5, text: valueText(metric, mid) },
    { at: 1, text: valueText(metric, max) },
  ];
}

interface OverlayState {
  metric: OverlayMetric;
  log: boolean;
  /** The largest value among the canvas's nodes, and the network's total parameters (for the share). */
  max: number;
  total: number;
  setMetric(m: OverlayMetric): void;
  setLog(log: boolean): void;
  setScale(max: number, total: number): void;
}

export const overlayStore = createStore<OverlayState>()((set, get) => ({
  metric: 'none',
  log: true,
  max: 0,
  total: 0,
  setMetric: (metric) => set({ metric }),
  setLog: (log) => set({ log }),
  setScale: (max, total) => {
    if (get().max !== max || get().total !== total) set({ max, total });
  },
}));

export function useOverlay<T>(selector: (s: OverlayState) => T): T {
  return useStore(overlayStore, selector);
}

/** The metrics summed over a set of layers (a collapsed group's box is tinted by its subtotal). */
export type MetricValues = Readonly<Record<Exclude<OverlayMetric, 'none'>, number>>;

export function summedValues(rs: Iterable<NodeResult | undefined>, totalParams: number): MetricValues {
  const v = { params: 0, macs: 0, memory: 0, share: 0 };
  for (const r of rs) {
    if (!r) continue;
    v.params += metricValue(r, 'params', totalParams);
    v.macs += metricValue(r, 'macs', totalParams);
    v.memory += metricValue(r, 'memory', totalParams);
    v.share += metricValue(r, 'share', totalParams);
  }
  return v;
}

/** A collapsed group's tint under the current overlay, from its subtotals; null without one. */
export function boxTint(s: OverlayState, v: MetricValues | undefined): string | null {
  if (s.metric === 'none' || !v) return null;
  const x = v[s.metric];
  return colourAt(scaleOf(x, s.max, s.log), x);
}

/** A node's tint and its tooltip text under the current overlay, or null without one. */
export function nodeTint(s: OverlayState, r: NodeResult): string | null {
  if (s.metric === 'none') return null;
  const v = metricValue(r, s.metric, s.total);
  return colourAt(scaleOf(v, s.max, s.log), v);
}
