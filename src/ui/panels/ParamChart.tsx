/** Parameters per layer as horizontal bars (plain SVG): where the parameters live. */
import { fmt, type Analysis } from '../../engine/index.ts';
import { editorStore, viewStore } from '../state.ts';

const ROW = 16;
const LABEL = 110;
const WIDTH = 320;

export function ParamChart({ analysis }: { analysis: Analysis }) {
  const rows = analysis.nodes.filter((r) => r.paramCount > 0);
  if (!rows.length) return null;
  const max = Math.max(...rows.map((r) => r.paramCount));
  const bar = WIDTH - LABEL - 70;
  return (
    <figure className="param-chart">
      <figcaption>Parameters per layer</figcaption>
      <svg width={WIDTH} height={rows.length * ROW + 4} role="img" aria-label="Parameters per layer">
        {rows.map((r, i) => {
          const w = Math.max(1, (r.paramCount / max) * bar);
          return (
            <g
              key={r.id}
              transform={`translate(0, ${i * ROW + 2})`}
              className="chart-row"
              onClick={() => {
                editorStore.getState().select([r.id]);
                viewStore.getState().focusNode(r.id);
              }}
            >
              <title>{`${r.name}: ${fmt(r.paramCount)}`}</title>
              <text x={LABEL - 4} y={ROW - 5} textAnchor="end" className="chart-label">{r.name.length > 16 ? `${r.name.slice(0, 15)}…` : r.name}</text>
              <rect x={LABEL} y={2} width={w} height={ROW - 4} className="chart-bar" />
              <text x={LABEL + w + 4} y={ROW - 5} className="chart-value">{fmt(r.paramCount)}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
