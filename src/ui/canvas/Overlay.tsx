/** The overlay control and its legend, at the bottom of the canvas beside the zoom buttons (notices use the top). */
import { Panel } from '@xyflow/react';
import { useEffect } from 'react';
import { visibleAs } from '../../engine/index.ts';
import { useEditor } from '../state.ts';
import { colourAt, legendStops, metricValue, OVERLAY_LABEL, overlayStore, useOverlay, type OverlayMetric } from './overlay.ts';

const METRICS = Object.keys(OVERLAY_LABEL) as OverlayMetric[];

export function Overlay() {
  const metric = useOverlay((s) => s.metric);
  const log = useOverlay((s) => s.log);
  const max = useOverlay((s) => s.max);
  const graph = useEditor((s) => s.graph);
  const analysis = useEditor((s) => s.analysis);

  // The scale's top: the largest value among the boxes on the canvas (a block use counts as one,
  // a collapsed group as the sum of the layers inside).
  useEffect(() => {
    if (metric === 'none') return;
    const total = analysis.totals.params;
    const folded = graph.groups?.length ? visibleAs(graph.groups) : null;
    const boxes = new Map<string, number>();
    let top = 0;
    for (const n of graph.nodes) {
      const r = analysis.byId.get(n.id);
      if (!r) continue;
      const v = metricValue(r, metric, total);
      const g = folded?.get(n.id);
      if (g === undefined) top = Math.max(top, v);
      else boxes.set(g, (boxes.get(g) ?? 0) + v);
    }
    for (const v of boxes.values()) top = Math.max(top, v);
    overlayStore.getState().setScale(top, total);
  }, [metric, graph, analysis]);

  const stops = legendStops(metric, max, log);
  const gradient = `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((f) => colourAt(f)).join(', ')})`;
  return (
    <Panel position="bottom-left" className="overlay-panel" data-testid="overlay" style={{ left: 48 }}>
      <label>
        <span className="visually-hidden">Colour the layers by</span>
        <select
          value={metric}
          aria-label="Colour the layers by"
          onChange={(e) => overlayStore.getState().setMetric(e.target.value as OverlayMetric)}
        >
          {METRICS.map((m) => <option key={m} value={m}>{m === 'none' ? 'Colour by…' : OVERLAY_LABEL[m]}</option>)}
        </select>
      </label>
      {metric !== 'none' ? (
        <>
          <label className="overlay-log">
            <input type="checkbox" checked={log} onChange={(e) => overlayStore.getState().setLog(e.target.checked)} /> log
          </label>
          <div className="overlay-legend" data-testid="overlay-legend" aria-label={`${OVERLAY_LABEL[metric]}${log ? ', log scale' : ''}`}>
            <div className="overlay-ramp" style={{ background: gradient }} />
            <div className="overlay-stops">
              {stops.map((s) => <span key={s.at}>{s.text}</span>)}
            </div>
            <div className="overlay-none"><span className="overlay-swatch" /> none</div>
          </div>
        </>
      ) : null}
    </Panel>
  );
}
