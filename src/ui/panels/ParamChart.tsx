/** Parameters per layer as horizontal bars (plain SVG): where the parameters live. */
import { useMemo } from 'react';
import { fmt, type Analysis } from '../../engine/index.ts';
import { editorStore, viewStore } from '../state.ts';
import { shownText } from '../text.ts';

const ROW = 16;
const LABEL = 110;
const WIDTH = 320;

/** Bars drawn at most: the largest layers, in graph order, then one bar for all the others. */
export const CHART_BARS = 40;

interface Bar {
  id: string | null;
  name: string;
  paramCount: number;
}

/** The CHART_BARS largest layers in graph order, plus a bar for the rest when there are more. */
export function chartBars(analysis: Analysis, limit = CHART_BARS): Bar[] {
  const rows = analysis.nodes.filter((r) => r.paramCount > 0);
  if (rows.length <= limit) return rows;
  const keep = new Set(rows.slice().sort((a, b) => b.paramCount - a.paramCount).slice(0, limit - 1));
  let rest = 0;
  for (const r of rows) if (!keep.has(r)) rest += r.paramCount;
  const bars: Bar[] = rows.filter((r) => keep.has(r));
  bars.push({ id: null, name: `${rows.length - keep.size} others`, paramCount: rest });
  return bars;
}

export function ParamChart({ analysis }: { analysis: Analysis }) {
  const rows = useMemo(() => chartBars(analysis), [analysis]);
  if (!rows.length) return null;
  // A loop, not Math.max(...): a spread of 100,000 values overflows the stack.
  let max = 0;
  for (const r of rows) if (r.paramCount > max) max = r.paramCount;
  const bar = WIDTH - LABEL - 70;
  return (
    <figure className="param-chart">
      <figcaption>Parameters per layer</figcaption>
      <svg width={WIDTH} height={rows.length * ROW + 4} role="img" aria-label="Parameters per layer">
        {rows.map((r, i) => {
          const w = Math.max(1, (r.paramCount / max) * bar);
          return (
            <g
              key={r.id ?? 'others'}
              transform={`translate(0, ${i * ROW + 2})`}
              className={r.id ? 'chart-row' : 'chart-row chart-rest'}
              onClick={() => {
                if (!r.id) return;
                editorStore.getState().select([r.id]);
                viewStore.getState().focusNode(r.id);
              }}
            >
              <title>{shownText(`${r.name}: ${fmt(r.paramCount)}`)}</title>
              <text x={LABEL - 4} y={ROW - 5} textAnchor="end" className="chart-label">{shownText(r.name.length > 16 ? `${r.name.slice(0, 15)}…` : r.name)}</text>
              <rect x={LABEL} y={2} width={w} height={ROW - 4} className="chart-bar" />
              <text x={LABEL + w + 4} y={ROW - 5} className="chart-value">{fmt(r.paramCount)}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
