/**
 * The Keras-style table for the whole graph (sortable; a click selects and
 * centres the layer), totals, the parameter chart and the problem list. The
 * counting conventions are always in view: a switch between multiply-adds and
 * FLOPs (2 × MACs) for the cost column and total, and a PyTorch column where
 * the equivalent PyTorch module counts otherwise (with the arithmetic). The
 * order, name and Param # columns stay put while the rest scroll sideways.
 */
import { memo, useMemo, useState } from 'react';
import { countText } from '../../engine/format.ts';
import { bytesText, fmt, receptiveFields, receptiveFieldText, shapeText, shareText, type Analysis, type NodeResult, type PytorchCount } from '../../engine/index.ts';
import { signed } from '../../store/compare.ts';
import { COST_LABEL, costOf, torchView, type CostUnit } from '../../store/conventions.ts';
import { editorStore, useEditor, useView, viewStore } from '../state.ts';
import { MemorySection } from './MemorySection.tsx';
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
  cost: CostUnit;
  /** Whether the table has a PyTorch column, and this row's PyTorch count where it differs. */
  torchColumn: boolean;
  torch: PytorchCount | undefined;
}

/** `4·(…) = 99,328` then why, for a PyTorch cell's hover text. */
const torchTitle = (t: PytorchCount) => `PyTorch: ${t.formula}\n${t.why}`;

/** One table row; memoised so a selection change re-renders two rows, not every row. */
const SummaryRow = memo(function SummaryRow({ r, n, selected, total, rf, canvasId, cost, torchColumn, torch }: RowProps) {
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
      <td className="num aside sticky-order">{n}</td>
      <th scope="row" className="layer-cell" title={shownText(`${r.name} (${r.kind})`)}>
        <span className="layer-cell-text">
          <span className="layer-name">{shownText(r.name)}</span> <span className="layer-kind">({shownText(r.kind)})</span>
        </span>
      </th>
      <td className="mono" data-col="shape">{r.status === 'ok' ? shapeText(r.outputShape) : r.status}</td>
      <td className="num sticky-params" data-col="params">{fmt(r.paramCount)}</td>
      {torchColumn ? (
        <td className="num torch" data-col="pytorch" title={torch ? torchTitle(torch) : 'PyTorch counts the same'}>{torch ? fmt(torch.count) : ''}</td>
      ) : null}
      <td className="mono arithmetic" data-col="arithmetic">{r.formula}</td>
      <td className="num" data-col="share">{shareText(total > 0 ? r.paramCount / total : 0)}</td>
      <td className="mono num" data-col="rf" title="receptive field / effective stride">{rf}</td>
      <td className="num" data-col="cost">{countText(costOf(r.macs, cost))}</td>
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
  const cost = useView((s) => s.cost);
  const { totals, problems } = analysis;
  const torch = torchView(analysis);
  const torchColumn = torch.counts.size > 0;
  const columns = torchColumn ? 9 : 8;

  const rows = useMemo(() => {
    const list = analysis.nodes.slice();
    const by: Record<SortKey, (a: NodeResult, b: NodeResult) => number> = {
      order: () => 0,
      name: (a, b) => a.name.localeCompare(b.name),
      params: (a, b) => a.paramCount - b.paramCount,
      macs: (a, b) => (a.macs ?? -1) - (b.macs ?? -1),
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
        <CostSwitch cost={cost} />
        <dl>
          <dt>Total params</dt>
          <dd className="num" data-testid="total-params">{fmt(totals.params)}</dd>
          <dt>Trainable</dt>
          <dd className="num">{fmt(totals.trainable)}</dd>
          <dt>Non-trainable</dt>
          <dd className="num">{fmt(totals.nonTrainable)}</dd>
          <dt>{COST_LABEL[cost].total}</dt>
          <dd className="num" data-testid="total-cost">{countText(costOf(totals.macs, cost))}</dd>
          <dt title="The parameters PyTorch's equivalent modules would report">PyTorch view</dt>
          <dd className="num" data-testid="total-pytorch" title={torchColumn ? `${fmt(totals.params)} − ${fmt(totals.params - torch.total)} = ${fmt(torch.total)}: see the PyTorch column` : 'PyTorch counts every layer the same'}>
            {fmt(torch.total)}<span className="aside"> {torchColumn ? `(${signed(torch.total - totals.params)})` : '(same)'}</span>
          </dd>
          <dt>Param memory (fp32)</dt>
          <dd className="num">{bytesText(totals.paramBytes)}</dd>
          <dt>Activations / sample</dt>
          <dd className="num">{totals.activationBytes === null ? countText(null) : bytesText(totals.activationBytes)}</dd>
        </dl>
        {incomplete ? <p className="hint">Partial: {incomplete} of {analysis.nodes.length} layers have no shape yet and are not counted.</p> : null}
      </section>
      <MemorySection analysis={analysis} />
      <div className="table-wrap">
        <table className="summary-table">
          <thead>
            <tr>
              {header('order', '#', 'sticky-order')}
              {header('name', 'Layer (type)', 'layer-cell')}
              <th scope="col">Output shape</th>
              {header('params', 'Param #', 'num sticky-params')}
              {torchColumn ? (
                <th scope="col" className="num" data-col="pytorch" title="What the equivalent PyTorch module reports, where it differs from Keras (hover a cell for the arithmetic)">PyTorch</th>
              ) : null}
              <th scope="col">Arithmetic</th>
              <th scope="col" className="num">Share</th>
              <th scope="col" className="num" title="receptive field in input pixels / effective stride">RF /stride</th>
              {header('macs', COST_LABEL[cost].column, 'num')}
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
                  cost={cost} torchColumn={torchColumn} torch={torch.counts.get(r.id)}
                />
              );
            })}
            {rows.length > shown ? (
              <tr className="more-rows">
                <td colSpan={columns}>
                  {fmt(rows.length - shown)} more layers.{' '}
                  <button type="button" className="button" data-testid="more-rows" onClick={() => setShown(shown + ROWS_SHOWN)}>
                    Show {fmt(Math.min(ROWS_SHOWN, rows.length - shown))} more
                  </button>
                </td>
              </tr>
            ) : null}
            {rows.length === 0 ? (
              <tr><td colSpan={columns} className="hint">Drag layers from the palette, or open an example.</td></tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {torchColumn ? <TorchDetails analysis={analysis} /> : null}
      <ParamChart analysis={analysis} />
      {problems.length ? (
        <section className="problems-section">
          <h3>Problems ({problems.length})</h3>
          <ul className="problems">
            {problems.slice(0, 100).map((p, i) => {
              const text = (
                <>
                  {p.nodeId ? <code>{shownText(analysis.byId.get(p.nodeId)?.name ?? p.nodeId)}</code> : null}
                  {p.nodeId ? ': ' : null}
                  {shownText(p.message)}
                </>
              );
              // A problem on a layer selects and centres it (a layer inside a block: its block use).
              const canvasId = p.nodeId ? analysis.origin?.get(p.nodeId)?.use ?? p.nodeId : null;
              return (
                <li key={i}>
                  {canvasId ? (
                    <button
                      type="button" className="problem-link" data-problem={canvasId} title="Select and show this layer"
                      onClick={() => {
                        editorStore.getState().select([canvasId]);
                        viewStore.getState().focusNode(canvasId);
                      }}
                    >
                      {text}
                    </button>
                  ) : text}
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

/** Multiply-adds or FLOPs: one switch for the summary, the inspector and compare mode. */
function CostSwitch({ cost }: { cost: CostUnit }) {
  const set = (c: CostUnit) => viewStore.getState().setCost(c);
  return (
    <fieldset className="cost-switch" data-testid="cost-switch">
      <legend>Count cost as</legend>
      <label>
        <input type="radio" name="cost-unit" value="macs" checked={cost === 'macs'} onChange={() => set('macs')} /> Multiply-adds
      </label>
      <label>
        <input type="radio" name="cost-unit" value="flops" checked={cost === 'flops'} onChange={() => set('flops')} /> FLOPs = 2 × MACs
      </label>
    </fieldset>
  );
}

/** Every layer PyTorch counts otherwise, with the arithmetic and why: the PyTorch column written out. */
function TorchDetails({ analysis }: { analysis: Analysis }) {
  const { counts, total } = torchView(analysis);
  // One reason usually covers many layers (every BatchNormalization): said once, above its layers.
  const byWhy = new Map<string, [string, PytorchCount][]>();
  let listed = 0;
  for (const entry of counts) {
    if (listed++ >= 100) break;
    const list = byWhy.get(entry[1].why);
    if (list) list.push(entry);
    else byWhy.set(entry[1].why, [entry]);
  }
  return (
    <details className="torch-details" data-testid="torch-details">
      <summary>
        PyTorch counts {counts.size} {counts.size === 1 ? 'layer' : 'layers'} otherwise: {fmt(total)} parameters, not {fmt(analysis.totals.params)}
      </summary>
      {[...byWhy].map(([why, list]) => (
        <div key={why} className="torch-group">
          <p className="torch-why">{why}:</p>
          <ul>
            {list.map(([id, t]) => (
              <li key={id}><code>{shownText(analysis.byId.get(id)?.name ?? id)}</code>: <span className="mono">{t.formula}</span></li>
            ))}
          </ul>
        </div>
      ))}
      {counts.size > 100 ? <p className="hint">and {fmt(counts.size - 100)} more (each row's PyTorch cell has its arithmetic)</p> : null}
    </details>
  );
}
