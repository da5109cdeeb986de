/**
 * The changes panel over the canvas in compare mode: what it compares with,
 * counts as text badges (colour is never the only cue), totals before and
 * after, and one row per changed, added or removed layer; a row selects and
 * centres the node that stands for it. Removed layers are not on the canvas,
 * so this list is where they are seen.
 */
import { useMemo, useState } from 'react';
import { countText } from '../../engine/format.ts';
import { fmt } from '../../engine/index.ts';
import { BADGE, costDelta, paramsDelta, signed, type ChangeRow, type CompareStatus } from '../../store/compare.ts';
import { COST_LABEL, costOf } from '../../store/conventions.ts';
import { compareStore, editorStore, useCompare, useEditor, useView, viewStore } from '../state.ts';
import { shownText } from '../text.ts';
import './compare.css';

/** Rows drawn at first: comparing two unrelated large networks lists thousands. */
const ROWS_SHOWN = 200;

const WORD: Record<CompareStatus, string> = { added: 'added', changed: 'changed', removed: 'removed' };

function Row({ r, selected }: { r: ChangeRow; selected: boolean }) {
  const cost = useView((s) => s.cost);
  // Name, kind and parameter delta on the first line; what changed (and the cost delta) across the full width below.
  const body = (
    <>
      <span className={`cmp-badge cmp-${r.status}`} aria-hidden="true">{BADGE[r.status]}</span>
      <span className="cmp-row-head">
        <span className="cmp-row-name">{shownText(r.name)}</span>{' '}
        <span className="cmp-row-kind">{shownText(r.kind)}</span>
        <span className="visually-hidden"> {WORD[r.status]}</span>
      </span>
      <span className="cmp-row-delta">{paramsDelta(r.deltaParams)}</span>
      <span className="cmp-row-detail">
        {shownText(r.detail)}{r.within ? ` · in ${shownText(r.within)}` : ''}
        {r.deltaMacs ? <span className="aside"> · {costDelta(r.deltaMacs, cost)}</span> : null}
      </span>
    </>
  );
  if (r.canvasId === null) {
    return (
      <li className={`cmp-row cmp-${r.status}`} data-compare-row={r.id} data-status={r.status} title="Not on the canvas: only the reference has it">
        {body}
      </li>
    );
  }
  const id = r.canvasId;
  return (
    <li className={`cmp-row cmp-${r.status}${selected ? ' selected' : ''}`} data-compare-row={r.id} data-status={r.status}>
      <button
        type="button"
        className="cmp-row-button"
        onClick={() => {
          editorStore.getState().select([id]);
          viewStore.getState().setTab('summary');
          viewStore.getState().focusNode(id);
        }}
      >
        {body}
      </button>
    </li>
  );
}

function More({ left, more }: { left: number; more: () => void }) {
  return (
    <li className="cmp-more">
      {fmt(left)} more.{' '}
      <button type="button" className="button" onClick={more}>Show more</button>
    </li>
  );
}

export function ComparePanel() {
  const reference = useCompare((s) => s.reference);
  const view = useCompare((s) => s.view);
  const problem = useCompare((s) => s.problem);
  const cost = useView((s) => s.cost);
  const selectedIds = useEditor((s) => s.selection);
  const selection = useMemo(() => new Set(selectedIds), [selectedIds]);
  const [folded, setFolded] = useState(false);
  const [shown, setShown] = useState(ROWS_SHOWN);
  const [shownUp, setShownUp] = useState(ROWS_SHOWN);
  const rows = view?.rows;
  // Edits, additions and removals first; layers changed only by what feeds them fold away below.
  const [direct, upstream] = useMemo(() => {
    const d: ChangeRow[] = [];
    const u: ChangeRow[] = [];
    for (const r of rows ?? []) (r.cause === 'upstream' ? u : d).push(r);
    return [d, u];
  }, [rows]);
  if (!reference) return null;
  const t = view?.totals;
  const unit = COST_LABEL[cost].short;
  return (
    <section className={`compare-panel${folded ? ' folded' : ''}`} aria-label="Changes against the reference" data-testid="compare-panel">
      <header className="compare-head">
        <button type="button" className="compare-fold" aria-expanded={!folded} onClick={() => setFolded(!folded)} title={folded ? 'Show the changes' : 'Fold the list away'}>
          {folded ? '▸' : '▾'}
        </button>
        <h2>
          Compared with <span className="compare-ref">{shownText(reference.label)}</span>
        </h2>
        <button type="button" className="button" onClick={() => compareStore.getState().stop()} data-testid="compare-stop" title="Leave compare mode: the canvas draws as usual again">
          Leave compare
        </button>
      </header>
      {view ? (
        <p className="compare-counts" data-testid="compare-counts">
          <span className="cmp-pill cmp-added">{BADGE.added} {view.counts.added} added</span>
          <span className="cmp-pill cmp-changed">{BADGE.changed} {view.counts.changed} changed</span>
          <span className="cmp-pill cmp-removed" data-testid="compare-removed">{BADGE.removed} {view.counts.removed} removed</span>
        </p>
      ) : null}
      {problem ? <p className="notice error">{problem}</p> : null}
      {!folded && view && t ? (
        <>
          <dl className="compare-totals">
            <dt>Params</dt>
            <dd>{fmt(t.a.params)} → {fmt(t.b.params)} <strong>({signed(t.b.params - t.a.params)})</strong></dd>
            <dt>{unit}</dt>
            <dd>{countText(costOf(t.a.macs, cost))} → {countText(costOf(t.b.macs, cost))} <strong>({t.a.macs === null || t.b.macs === null ? 'unknown' : signed(costOf(t.b.macs - t.a.macs, cost))})</strong></dd>
            <dt>Layers</dt>
            <dd>{fmt(t.a.layers)} → {fmt(t.b.layers)}</dd>
          </dl>
          {view.equivalent ? (
            <p className="hint" data-testid="compare-same">No differences: the same layers, settings and counts.</p>
          ) : (
            <div className="compare-lists">
              {direct.length ? (
                <ol className="compare-rows" data-testid="compare-rows">
                  {direct.slice(0, shown).map((r) => (
                    <Row key={`${r.status}:${r.id}`} r={r} selected={r.canvasId !== null && selection.has(r.canvasId)} />
                  ))}
                  {direct.length > shown ? <More left={direct.length - shown} more={() => setShown(shown + ROWS_SHOWN)} /> : null}
                </ol>
              ) : null}
              {upstream.length ? (
                <details className="compare-upstream" data-testid="compare-upstream">
                  <summary>{fmt(upstream.length)} more changed only by the layers above (shapes, counts)</summary>
                  <ol className="compare-rows">
                    {upstream.slice(0, shownUp).map((r) => (
                      <Row key={`${r.status}:${r.id}`} r={r} selected={r.canvasId !== null && selection.has(r.canvasId)} />
                    ))}
                    {upstream.length > shownUp ? <More left={upstream.length - shownUp} more={() => setShownUp(shownUp + ROWS_SHOWN)} /> : null}
                  </ol>
                </details>
              ) : null}
            </div>
          )}
        </>
      ) : null}
    </section>
  );
}
