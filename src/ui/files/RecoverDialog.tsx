/**
 * The Recover… list: networks autosaved in this browser (other tabs, earlier
 * visits, work an open or New replaced), newest first. Opening one goes through
 * the normal open path, so the current network is kept the same way. Text only:
 * titles come from files and are shown as typed.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { bytesText } from '../../engine/format.ts';
import { RECORD_PREFIX, type RecoveryEntry } from '../../store/autosave.ts';
import { canvasApi } from '../canvas/canvas-api.ts';
import { editorStore } from '../state.ts';
import { autosaveStatus, recoveries, retryAutosave } from '../startup.ts';
import { shownText } from '../text.ts';

/** `recovered`: a recovery was opened, which answers the restore offer too. */
const recoverView = createStore<{ open: boolean; recovered: boolean }>()(() => ({ open: false, recovered: false }));

export const openRecover = (): void => recoverView.setState({ open: true });
const closeRecover = (): void => recoverView.setState({ open: false });
export const useRecovered = (): boolean => useStore(recoverView, (s) => s.recovered);

export function RecoverDialog() {
  const open = useStore(recoverView, (s) => s.open);
  return open ? createPortal(<RecoverList />, document.body) : null;
}

/** "just now", "5 min ago", "3 h ago", else the date and time. */
function when(at: number): string {
  const ago = Date.now() - at;
  if (ago < 60_000) return 'just now';
  if (ago < 3_600_000) return `${Math.floor(ago / 60_000)} min ago`;
  if (ago < 86_400_000) return `${Math.floor(ago / 3_600_000)} h ago`;
  return new Date(at).toLocaleString();
}

/** Storage size of `chars` characters (browsers count two bytes each). */
function size(chars: number): string {
  return bytesText(chars * 2);
}

function RecoverList() {
  const changes = useStore(autosaveStatus, (s) => s.changes);
  const [elsewhere, setElsewhere] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const dialog = useRef<HTMLDivElement>(null);
  const rec = recoveries();
  // Read again when this page's history changes or another tab writes.
  const entries = useMemo(() => rec?.list(editorStore.getState().graph) ?? [], [rec, changes, elsewhere]);

  useEffect(() => {
    dialog.current?.focus();
    const onStorage = (e: StorageEvent) => {
      if (e.key === null || e.key.startsWith(RECORD_PREFIX)) setElsewhere((n) => n + 1);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      closeRecover();
    };
    window.addEventListener('storage', onStorage);
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('storage', onStorage);
      window.removeEventListener('keydown', onKey, true);
    };
  }, []);

  const open = (e: RecoveryEntry) => {
    const got = rec?.read(e.key);
    if (!got) {
      editorStore.getState().notify({ kind: 'error', text: `Could not read the recovery of “${e.title}”: it was removed or is damaged. Your network is unchanged.` });
      setElsewhere((n) => n + 1);
      return;
    }
    recoverView.setState({ open: false, recovered: true });
    editorStore.getState().load(got.graph, `the recovery of “${e.title}”`);
    if (got.dirty) editorStore.setState({ dirty: true });
    setTimeout(() => canvasApi.fitView(), 50);
  };

  const clear = () => {
    const n = rec?.clearOthers() ?? 0;
    setConfirming(false);
    retryAutosave();
    editorStore.getState().notify({ kind: 'info', text: `Removed ${n} old ${n === 1 ? 'recovery' : 'recoveries'} from this browser.` });
  };

  const total = entries.reduce((n, e) => n + e.chars, 0);
  return (
    <div className="overlay" onClick={closeRecover}>
      <div
        ref={dialog}
        className="dialog recover-dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Recover autosaved work"
        tabIndex={-1}
        onClick={(e) => e.stopPropagation()}
      >
        <h2>Recover autosaved work</h2>
        <p className="hint">
          Networks autosaved in this browser: from other tabs, from earlier visits, and work replaced by Open, an
          example or New. Opening one keeps your current network here too.
        </p>
        {!rec ? (
          <p className="recover-empty">This browser gives netloom no storage, so nothing was autosaved. Save to a file to keep your work.</p>
        ) : !entries.length ? (
          <p className="recover-empty">Nothing to recover yet.</p>
        ) : (
          <ul className="recover-list">
            {entries.map((e) => (
              <li key={e.key} className="recover-entry" data-testid="recovery">
                <span className="recover-text">
                  <span className="recover-title">{shownText(e.title)}</span>
                  <span className="recover-meta">
                    {e.layers} {e.layers === 1 ? 'layer' : 'layers'} · <span title={new Date(e.at).toLocaleString()}>{when(e.at)}</span> ·{' '}
                    {e.dirty ? <span className="recover-unsaved">unsaved</span> : 'saved'}
                    {e.current ? ' · open now' : ''}
                  </span>
                </span>
                <button type="button" className="button" disabled={e.current} onClick={() => open(e)} aria-label={`Open ${shownText(e.title)}`}>Open</button>
              </li>
            ))}
          </ul>
        )}
        {confirming ? (
          <div className="recover-confirm" role="group" aria-label="Clear old recoveries">
            <span>Remove all {entries.length} from this browser? Networks open in other tabs stay: those tabs store them again.</span>
            <button type="button" className="button danger" onClick={clear}>Remove</button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>Keep them</button>
          </div>
        ) : null}
        <div className="recover-footer">
          {rec && entries.length ? (
            <span className="hint">{entries.length} {entries.length === 1 ? 'recovery' : 'recoveries'}, {size(total)} of browser storage</span>
          ) : null}
          <span className="spacer" />
          {confirming ? null : (
            <button type="button" className="button" disabled={!entries.length} onClick={() => setConfirming(true)}>Clear old recoveries…</button>
          )}
          <button type="button" className="button" onClick={closeRecover}>Close</button>
        </div>
      </div>
    </div>
  );
}
