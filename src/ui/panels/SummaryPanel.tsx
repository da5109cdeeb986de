/**
 * The Keras-style table for the whole graph (sortable; a click selects and
 * centres the layer), totals, the parameter chart and the problem list.
 */
import { useMemo, useState } from 'react';
import { bytesText, fmt, shapeText, type NodeResult } from '../../engine/index.ts';
import { editorStore, useEditor, viewStore } from '../state.ts';
import { ParamChart } from './ParamChart.tsx';

type SortKey = 'order' | 'name' | 'params' | 'macs';

function shareText(part: number, total: number): string {
  if (total <= 0 || part <= 0) return '–';
  const pct = (part / total) * 100;
  return pct < 0.1 ? '<0.1 %' : `${pct.toFixed(1)} %`;
}

export function SummaryPanel() {
  const analysis = useEditor((s) => s.analysis);
  const title = useEditor((s) => s.graph.title ?? s.graph.name);
  const description = useEditor((s) => s.graph.description);
  const selection = useEditor((s) => s.selection);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'order', desc: false });
  const { totals, problems } = analysis;

  const rows = useMemo(() => {
    const list = analysis.nodes.slice();
    const by: Record<SortKey, (a: NodeResult, b: NodeResult) => number> = {
      order: () => 0,
      name: (a, b) => a.name.localeCompare(b.name),
      params: (a, b) => a.paramCount - b.paramCount,
      macs: (a, b) => a.macs - b.macs,
    };
    if (sort.key !== 'order') list.sort(by[sort.key]);
    if (sort.desc) list.reverse();
    return list;
  }, [analysis, sort]);

  const header = (key: SortKey, label: string, cls = '') => (
    <th scope="col" className={cls} aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort" onClick={() => setSort({ key, desc: sort.key === key ? !sort.desc : key !== 'name' && key !== 'order' })}>
        {label}{sort.key === key ? (sort.desc ? ' ▾' : ' ▴') : ''}
      </button>
    </th>
  );
  const selected = new Set(selection);
  const incomplete = analysis.nodes.filter((r) => r.status !== 'ok').length;

  return (
    <div className="summary-panel">
      <header className="graph-header">
        <h2 className="graph-title">{title}</h2>
        {description ? <p className="graph-description">{description}</p> : null}
      </header>
      <section className="totals" aria-label="Totals" data-testid="totals">
        <dl>
          <dt>Total params</dt>
          <dd className="num" data-testid="total-params">{fmt(totals.params)}</dd>
          <dt>Trainable</dt>
          <dd className="num">{fmt(totals.trainable)}</dd>
          <dt>Non-trainable</dt>
          <dd className="num">{fmt(totals.nonTrainable)}</dd>
          <dt>Multiply-adds</dt>
          <dd className="num">{fmt(totals.macs)}</dd>
          <dt>Param memory (fp32)</dt>
          <dd className="num">{bytesText(totals.paramBytes)}</dd>
          <dt>Activations / sample</dt>
          <dd className="num">{bytesText(totals.activationBytes)}</dd>
        </dl>
        {incomplete ? <p className="hint">Partial: {incomplete} of {analysis.nodes.length} layers have no shape yet and are not counted.</p> : null}
      </section>
      <div className="table-wrap">
        <table className="summary-table">
          <thead>
            <tr>
              {header('order', '#')}
              {header('name', 'Layer (type)')}
              <th scope="col">Output shape</th>
              {header('params', 'Param #', 'num')}
              <th scope="col">Arithmetic</th>
              <th scope="col" className="num">Share</th>
              {header('macs', 'Mult-adds', 'num')}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.id}
                className={`row-${r.status}${selected.has(r.id) ? ' row-selected' : ''}`}
                data-row={r.id}
                title={r.errors.map((e) => e.message).join('\n') || undefined}
                onClick={() => {
                  // A layer inside a block is shown by its block use on the canvas.
                  const onCanvas = analysis.origin?.get(r.id)?.use ?? r.id;
                  editorStore.getState().select([onCanvas]);
                  viewStore.getState().focusNode(onCanvas);
                }}
              >
                <td className="num aside">{analysis.nodes.indexOf(r) + 1}</td>
                <th scope="row" className="layer-cell">
                  <span className="layer-name">{r.name}</span> <span className="layer-kind">({r.kind})</span>
                </th>
                <td className="mono">{r.status === 'ok' ? shapeText(r.outputShape) : r.status}</td>
                <td className="num">{fmt(r.paramCount)}</td>
                <td className="mono arithmetic">{r.formula}</td>
                <td className="num">{shareText(r.paramCount, totals.params)}</td>
                <td className="num">{fmt(r.macs)}</td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr><td colSpan={7} className="hint">Drag layers from the palette, or open an example.</td></tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ParamChart analysis={analysis} />
      {problems.length ? (
        <section className="problems-section">
          <h3>Problems ({problems.length})</h3>
          <ul className="problems">
            {problems.slice(0, 100).map((p, i) => (
              <li key={i}>
                {p.nodeId ? <code>{analysis.byId.get(p.nodeId)?.name ?? p.nodeId}</code> : null}
                {p.nodeId ? ': ' : null}
                {p.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
