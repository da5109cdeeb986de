/**
 * What the editor opens with: a share link in the URL fragment (beside, never
 * over, the autosaved work), or an offer to restore this tab's autosaved network.
 * Also where the views find this page's recoveries and autosave status.
 */
import {
  blockedText, createAutosaveStatus, createRecovery, startAutosave, type Autosave, type Autosaved, type Recovery,
} from '../store/autosave.ts';
import { decodeShare, isShareFragment } from '../store/share.ts';
import { editorStore } from './state.ts';

function webStorage(which: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    const s = window[which];
    void s.length; // some browsers throw only on first use
    return s;
  } catch {
    return null;
  }
}

/** Autosave's state for the banners; exists before startup, so views can subscribe at once. */
export const autosaveStatus = createAutosaveStatus();

let recovery: Recovery | null = null;
let autosave: Autosave | null = null;

/** This page's recoveries, or null when the browser gives no storage. */
export const recoveries = (): Recovery | null => recovery;

/** Writes the current network again (after old recoveries were cleared to make room). */
export const retryAutosave = (): void => autosave?.flush();

export interface Startup {
  /** Autosaved work to offer, when nothing else was opened over it. */
  offer: Autosaved | null;
}

/** Opens the graph in a `#g=…` fragment (never throwing), then clears the fragment so a reload does not reopen it. */
async function openShareFragment(fragment: string): Promise<void> {
  try {
    editorStore.getState().loadText(await decodeShare(fragment), 'the shared link');
  } catch (e) {
    editorStore.getState().notify({ kind: 'error', text: `Could not open the shared link: ${(e as Error).message}. Your network is unchanged.` });
  }
  history.replaceState(null, '', location.pathname + location.search);
}

export async function startEditor(): Promise<Startup> {
  const local = webStorage('localStorage');
  recovery = local ? createRecovery(local, { session: webStorage('sessionStorage'), status: autosaveStatus }) : null;
  if (!local) autosaveStatus.setState({ problem: { kind: 'blocked', text: blockedText('no site storage: blocked site data or a private window') } });
  const saved = recovery?.offer() ?? null;
  const fragment = location.hash.slice(1);
  let offer: Autosaved | null = saved && saved.graph.nodes.length ? saved : null;

  if (isShareFragment(fragment)) {
    // The autosaved work becomes the current document first, so the link opens beside it.
    if (offer) {
      editorStore.getState().reset(offer.graph);
      if (offer.dirty) editorStore.setState({ dirty: true });
      offer = null;
    }
    await openShareFragment(fragment);
  }
  // A link pasted into this tab's address bar opens the same way, beside the current work.
  window.addEventListener('hashchange', () => {
    const f = location.hash.slice(1);
    if (isShareFragment(f)) void openShareFragment(f);
  });

  if (recovery) {
    const rec = recovery;
    const saver = startAutosave(editorStore, rec);
    autosave = saver;
    // Another tab cleared old recoveries or made room: this page's work is current, not old, so it goes back.
    window.addEventListener('storage', (e) => {
      if (e.storageArea === local && rec.owns(e.key) && e.newValue === null) saver.flush(false);
    });
  }
  // A big network's write may be waiting: it goes out before the page does.
  window.addEventListener('pagehide', () => {
    if (autosave?.pending()) autosave.flush();
  });
  // Unsaved changes, or replaced work storage could not take, exist only in this page.
  window.addEventListener('beforeunload', (e) => {
    if (autosave?.pending()) autosave.flush();
    if (!editorStore.getState().dirty && !autosaveStatus.getState().unsecured) return;
    e.preventDefault();
    e.returnValue = '';
  });
  return { offer };
}
