/**
 * Where the parameters live, as horizontal bars (plain SVG). A deep network
 * is shown by block or stage (the block use a layer belongs to, or its name's
 * stage prefix: `conv4_block2_1_conv` → `conv4`), the largest few plus one
 * bar for the rest, so the chart stays short; a log scale keeps small bars
 * readable beside a huge one.
 */
import { useMemo, useState } from 'react';
import { fmt, type Analysis } from '../../engine/index.ts';
import { editorStore, viewStore } from '../state.ts';
import { shownText } from '../text.ts';

const ROW = 16;
const LABEL = 150;
const WIDTH = 360;

/** Bars drawn at most per layer: the largest layers, in graph order, then one bar for all the others. */
export const CHART_BARS = 20;
/** Bars drawn at most by block or stage. */
export const GROUP_BARS = 12;

export interface Bar {
  /** What a click selects (the layers of a group, as canvas ids); empty for the rest. */
  ids: string[];
  name: string;
  paramCount: number;
  /** How many layers the bar adds up (1 for a layer). */
  layers: number;
}

export type ChartGrouping = 'auto' | 'layer' | 'group';

/**
 * The stage a layer's name puts it in: the name up to its first segment with a
 * digit, when more than a bare number follows (`conv4_block2_1_conv` → `conv4`,
 * `block_16_expand` → `block_16`); none for `conv2d_5`, `dense` or `fc6`.
 */
export function stageOf(name: string): string | null {
  const segs = name.split('_');
  const i = segs.findIndex((s) => /\d/.test(s));
  if (i < 0 || i === segs.length - 1) return null;
  if (segs.slice(i + 1).every((s) => /^\d+$/.test(s))) return null;
  return segs.slice(0, i + 1).join('_');
}

/** The largest `limit - 1` bars in their order, and one for the rest when there are more than `limit`. */
function topWithRest(bars: Bar[], limit: number, unit: string): Bar[] {
  if (bars.length <= limit) return bars;
  const keep = new Set(bars.slice().sort((a, b) => b.paramCount - a.paramCount).slice(0, limit - 1));
  let rest = 0;
  let layers = 0;
  for (const b of bars) if (!keep.has(b)) { rest += b.paramCount; layers += b.layers; }
  const out = bars.filter((b) => keep.has(b));
  out.push({ ids: [], name: `${bars.length - keep.size} other ${unit}`, paramCount: rest, layers });
  return out;
}

/** One bar per layer with parameters; a layer inside a block selects its block use. */
function layerBars(analysis: Analysis): Bar[] {
  return analysis.nodes.filter((r) => r.paramCount > 0).map((r) => ({
    ids: [analysis.origin?.get(r.id)?.use ?? r.id], name: r.name, paramCount: r.paramCount, layers: 1,
  }));
}

/**
 * One bar per stage or block use (a layer in neither is its own bar), in graph order;
 * null when that would not group anything.
 */
export function groupBars(analysis: Analysis): Bar[] | null {
  const groups = new Map<string, Bar>();
  const order: Bar[] = [];
  let grouped = false;
  for (const r of analysis.nodes) {
    if (r.paramCount <= 0) continue;
    const canvasId = analysis.origin?.get(r.id)?.use ?? r.id;
    const key = stageOf(r.name) ?? (canvasId !== r.id ? canvasId : null);
    const k = key ?? `\u0000${r.id}`;
    let g = groups.get(k);
    if (!g) {
      g = { ids: [], name: key ?? r.name, paramCount: 0, layers: 0 };
      groups.set(k, g);
      order.push(g);
    } else grouped = true;
    if (!g.ids.includes(canvasId)) g.ids.push(canvasId);
    g.paramCount += r.paramCount;
    g.layers++;
  }
  return grouped ? order : null;
}

/**
 * The chart's bars: per layer for a small network, by stage or block for a deep
 * one (`auto`: more than CHART_BARS layers with parameters, and names or blocks that group them).
 */
export function chartBars(analysis: Analysis, grouping: ChartGrouping = 'auto'): { bars: Bar[]; grouped: boolean } {
  const layers = layerBars(analysis);
  const groups = grouping === 'layer' || (grouping === 'auto' && layers.length <= CHART_BARS) ? null : groupBars(analysis);
  if (groups) return { bars: topWithRest(groups, GROUP_BARS, 'groups'), grouped: true };
  return { bars: topWithRest(layers, CHART_BARS, 'layers'), grouped: false };
}

/** A bar's length: linear, or log10(1 + count) so 1,000 and 1,000,000 both show. */
export function barLength(count: number, max: number, room: number, log: boolean): number {
  if (max <= 0) return 1;
  const f = log ? Math.log10(1 + count) / Math.log10(1 + max) : count / max;
  return Math.max(1, f * room);
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function ParamChart({ analysis }: { analysis: Analysis }) {
  const [grouping, setGrouping] = useState<ChartGrouping>('auto');
  const [log, setLog] = useState(false);
  const { bars, grouped } = useMemo(() => chartBars(analysis, grouping), [analysis, grouping]);
  const canGroup = useMemo(() => groupBars(analysis) !== null, [analysis]);
  if (!bars.length) return null;
  // A loop, not Math.max(...): a spread of 100,000 values overflows the stack.
  let max = 0;
  for (const r of bars) if (r.paramCount > max) max = r.paramCount;
  const room = WIDTH - LABEL - 80;
  const title = grouped ? 'Parameters per block or stage' : 'Parameters per layer';
  return (
    <figure className="param-chart" data-testid="param-chart" data-grouped={grouped}>
      <figcaption>
        <span>{title}</span>
        <span className="chart-controls">
          {canGroup ? (
            <label>
              <input type="checkbox" checked={grouped} data-testid="chart-group" onChange={(e) => setGrouping(e.target.checked ? 'group' : 'layer')} /> by block
            </label>
          ) : null}
          <label>
            <input type="checkbox" checked={log} data-testid="chart-log" onChange={(e) => setLog(e.target.checked)} /> log scale
          </label>
        </span>
      </figcaption>
      <svg width={WIDTH} height={bars.length * ROW + 4} role="img" aria-label={`${title}${log ? ', log scale' : ''}`}>
        {bars.map((r, i) => {
          const w = barLength(r.paramCount, max, room, log);
          const what = r.layers > 1 ? ` in ${fmt(r.layers)} layers` : '';
          return (
            <g
              key={r.ids.join(' ') || 'others'}
              transform={`translate(0, ${i * ROW + 2})`}
              className={r.ids.length ? 'chart-row' : 'chart-row chart-rest'}
              data-bar={r.name}
              onClick={() => {
                if (!r.ids.length) return;
                editorStore.getState().select(r.ids);
                viewStore.getState().focusNode(r.ids[0]);
              }}
            >
              <title>{shownText(`${r.name}: ${fmt(r.paramCount)} parameters${what}`)}</title>
              <text x={LABEL - 4} y={ROW - 5} textAnchor="end" className="chart-label">{shownText(clip(r.name, 22))}</text>
              <rect x={LABEL} y={2} width={w} height={ROW - 4} className="chart-bar" />
              <text x={LABEL + w + 4} y={ROW - 5} className="chart-value">{fmt(r.paramCount)}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
