/** The notice line (refusals, load results) and the offer to restore autosaved work. Text only. */
import { useState } from 'react';
import type { Autosaved } from '../store/autosave.ts';
import { canvasApi } from './canvas/canvas-api.ts';
import { editorStore, useEditor } from './state.ts';

export function NoticeBar() {
  const notice = useEditor((s) => s.notice);
  if (!notice) return null;
  return (
    <div className={`notice-bar ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
      <span>{notice.text}</span>
      {notice.restorePrevious ? (
        <button type="button" className="button" onClick={() => editorStore.getState().restorePrevious()}>Bring back my network</button>
      ) : null}
      <button type="button" className="close" aria-label="Dismiss" onClick={() => editorStore.getState().notify(null)}>×</button>
    </div>
  );
}

export function RestoreOffer({ offer }: { offer: Autosaved | null }) {
  const [open, setOpen] = useState(offer !== null);
  if (!open || !offer) return null;
  const when = offer.at ? new Date(offer.at).toLocaleString() : 'earlier';
  return (
    <div className="notice-bar info" role="status" data-testid="restore-offer">
      <span>
        Restore <strong>{offer.graph.title ?? offer.graph.name}</strong> ({offer.graph.nodes.length} layers, autosaved {when})?
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
      <button type="button" className="button" onClick={() => setOpen(false)}>Start fresh</button>
    </div>
  );
}
