/**
 * The Keras-style table for the whole graph (sortable; a click selects and
 * centres the layer), totals, the parameter chart and the problem list.
 */
import { memo, useMemo, useState } from 'react';
import { bytesText, fmt, receptiveFields, receptiveFieldText, shapeText, shareText, type NodeResult } from '../../engine/index.ts';
import { editorStore, useEditor, viewStore } from '../state.ts';
import { ParamChart } from './ParamChart.tsx';
import { shownText } from '../text.ts';

type SortKey = 'order' | 'name' | 'params' | 'macs';

/**
 * Rows drawn at first, and added per "Show more": a 50,000-layer table drawn
 * whole would block the page for seconds on every edit. Totals, sorting and the
 * chart always cover every layer.
 */
export const ROWS_SHOWN = 200;

interface RowProps {
  r: NodeResult;
  /** Position in topological order, from 1. */
  n: number;
  selected: boolean;
  total: number;
  /** Receptive field and effective stride, e.g. `5×5 /1`. */
  rf: string;
  /** The node a click selects: the layer itself, or the block use that holds it. */
  canvasId: string;
}

/** One table row; memoised so a selection change re-renders two rows, not every row. */
const SummaryRow = memo(function SummaryRow({ r, n, selected, total, rf, canvasId }: RowProps) {
  return (
    <tr
      className={`row-${r.status}${selected ? ' row-selected' : ''}`}
      data-row={r.id}
      title={r.errors.map((e) => e.message).join('\n') || undefined}
      onClick={() => {
        editorStore.getState().select([canvasId]);
        viewStore.getState().focusNode(canvasId);
      }}
    >
      <td className="num aside">{n}</td>
      <th scope="row" className="layer-cell">
        <span className="layer-name">{shownText(r.name)}</span> <span className="layer-kind">({shownText(r.kind)})</span>
      </th>
      <td className="mono">{r.status === 'ok' ? shapeText(r.outputShape) : r.status}</td>
      <td className="num">{fmt(r.paramCount)}</td>
      <td className="mono arithmetic">{r.formula}</td>
      <td className="num">{shareText(total > 0 ? r.paramCount / total : 0)}</td>
      <td className="mono num" title="receptive field / effective stride">{rf}</td>
      <td className="num">{fmt(r.macs)}</td>
    </tr>
  );
});

export function SummaryPanel() {
  const analysis = useEditor((s) => s.analysis);
  const title = useEditor((s) => s.graph.title ?? s.graph.name);
  const description = useEditor((s) => s.graph.description);
  const selection = useEditor((s) => s.selection);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'order', desc: false });
  const [shown, setShown] = useState(ROWS_SHOWN);
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
  const position = useMemo(() => new Map(analysis.nodes.map((r, i) => [r.id, i + 1])), [analysis]);
  const fields = useMemo(() => receptiveFields(analysis), [analysis]);
  const incomplete = analysis.nodes.filter((r) => r.status !== 'ok').length;

  return (
    <div className="summary-panel">
      <header className="graph-header">
        <h2 className="graph-title">{shownText(title)}</h2>
        {description ? <p className="graph-description">{shownText(description)}</p> : null}
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
              <th scope="col" className="num" title="receptive field in input pixels / effective stride">RF /stride</th>
              {header('macs', 'Mult-adds', 'num')}
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, shown).map((r) => {
              // A layer inside a block is shown by its block use on the canvas.
              const canvasId = analysis.origin?.get(r.id)?.use ?? r.id;
              return (
                <SummaryRow
                  key={r.id} r={r} n={position.get(r.id) ?? 0} total={totals.params} rf={receptiveFieldText(fields.get(r.id))}
                  selected={selected.has(r.id) || selected.has(canvasId)} canvasId={canvasId}
                />
              );
            })}
            {rows.length > shown ? (
              <tr className="more-rows">
                <td colSpan={8}>
                  {fmt(rows.length - shown)} more layers.{' '}
                  <button type="button" className="button" data-testid="more-rows" onClick={() => setShown(shown + ROWS_SHOWN)}>
                    Show {fmt(Math.min(ROWS_SHOWN, rows.length - shown))} more
                  </button>
                </td>
              </tr>
            ) : null}
            {rows.length === 0 ? (
              <tr><td colSpan={8} className="hint">Drag layers from the palette, or open an example.</td></tr>
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
                {p.nodeId ? <code>{shownText(analysis.byId.get(p.nodeId)?.name ?? p.nodeId)}</code> : null}
                {p.nodeId ? ': ' : null}
                {shownText(p.message)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
