/**
 * The notice line (refusals, load results), autosave trouble, and the offer to
 * restore autosaved work, over the top of the canvas. Text only. A plain notice
 * fades after a few seconds (not while the pointer is on it); an error, or one
 * that offers to bring back the replaced network, stays until dismissed.
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { Autosaved } from '../store/autosave.ts';
import { canvasApi } from './canvas/canvas-api.ts';
import { downloadGraph } from './files/open-file.ts';
import { openRecover, useRecovered } from './files/RecoverDialog.tsx';
import { autosaveStatus } from './startup.ts';
import { editorStore, useEditor } from './state.ts';
import { shownText } from './text.ts';

/** How long a plain notice shows before it fades. */
export const NOTICE_MS = 6000;
const FADE_MS = 400;

export function NoticeBar() {
  const notice = useEditor((s) => s.notice);
  const [hover, setHover] = useState(false);
  const [fading, setFading] = useState(false);
  useEffect(() => {
    setFading(false);
    if (!notice || notice.kind !== 'info' || notice.restorePrevious || hover) return;
    const fade = setTimeout(() => setFading(true), NOTICE_MS);
    const gone = setTimeout(() => {
      if (editorStore.getState().notice === notice) editorStore.getState().notify(null);
    }, NOTICE_MS + FADE_MS);
    return () => {
      clearTimeout(fade);
      clearTimeout(gone);
    };
  }, [notice, hover]);
  return (
    <>
      <AutosaveBanner />
      {notice ? (
        <div
          className={`notice-bar ${notice.kind}${fading ? ' fading' : ''}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice"
          onMouseEnter={() => setHover(true)} onMouseLeave={() => setHover(false)}
        >
          <span>{notice.text}</span>
          {notice.restorePrevious ? (
            <button type="button" className="button" onClick={() => editorStore.getState().restorePrevious()}>Bring back my network</button>
          ) : null}
          <button type="button" className="close" aria-label="Dismiss" onClick={() => editorStore.getState().notify(null)}>×</button>
        </div>
      ) : null}
    </>
  );
}

/**
 * Autosave that cannot store the work says so and what to do, until a write
 * succeeds again; dismissing hides that one problem, not a later one.
 */
function AutosaveBanner() {
  const problem = useStore(autosaveStatus, (s) => s.problem);
  const info = useStore(autosaveStatus, (s) => s.info);
  const [dismissed, setDismissed] = useState<object | null>(null);
  if (problem && problem !== dismissed) {
    return (
      <div className="notice-bar error autosave-problem" role="alert" data-testid="autosave-problem">
        <span>{problem.text}</span>
        <button
          type="button"
          className="button"
          onClick={() => {
            downloadGraph(editorStore.getState().graph);
            editorStore.getState().markSaved();
          }}
        >
          Save to a file
        </button>
        {problem.kind === 'full' ? <button type="button" className="button" onClick={openRecover}>Clear old recoveries…</button> : null}
        <button type="button" className="close" aria-label="Dismiss" onClick={() => setDismissed(problem)}>×</button>
      </div>
    );
  }
  if (!info) return null;
  return (
    <div className="notice-bar info" role="status" data-testid="autosave-info">
      <span>{info}</span>
      <button type="button" className="button" onClick={openRecover}>Recover…</button>
      <button type="button" className="close" aria-label="Dismiss" onClick={() => autosaveStatus.setState({ info: null })}>×</button>
    </div>
  );
}

export function RestoreOffer({ offer }: { offer: Autosaved | null }) {
  const [open, setOpen] = useState(offer !== null);
  const recovered = useRecovered();
  if (!open || !offer || recovered) return null;
  const when = offer.at ? new Date(offer.at).toLocaleString() : 'earlier';
  const layers = offer.graph.nodes.length;
  return (
    <div className="notice-bar info restore-offer" role="status" data-testid="restore-offer">
      <span>
        Restore <strong>{shownText(offer.graph.title ?? offer.graph.name)}</strong> ({layers} {layers === 1 ? 'layer' : 'layers'},{' '}
        {offer.dirty ? 'unsaved, ' : ''}autosaved {when})?
      </span>
      <button
        type="button"
        className="button primary"
        onClick={() => {
          setOpen(false);
          editorStore.getState().load(offer.graph, 'your autosaved network');
          if (offer.dirty) editorStore.setState({ dirty: true });
          setTimeout(() => canvasApi.fitView(), 50);
        }}
      >
        Restore
      </button>
      <button type="button" className="button" onClick={openRecover} title="Every network autosaved in this browser">Recover…</button>
      <button type="button" className="button" onClick={() => setOpen(false)}>Start fresh</button>
    </div>
  );
}
