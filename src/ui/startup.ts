/**
 * What the editor opens with: a share link in the URL fragment (beside, never
 * over, the autosaved work), or an offer to restore the autosaved network.
 */
import { readAutosave, startAutosave, type Autosaved } from '../store/autosave.ts';
import { decodeShare, isShareFragment } from '../store/share.ts';
import { editorStore } from './state.ts';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

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
  const store = storage();
  const saved = store ? readAutosave(store) : null;
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

  if (store) startAutosave(editorStore, store);
  window.addEventListener('beforeunload', (e) => {
    if (!editorStore.getState().dirty) return;
    e.preventDefault();
    e.returnValue = '';
  });
  return { offer };
}
