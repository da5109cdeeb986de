/**
 * The page's one TF.js runtime, loaded on first use: `import('@tensorflow/tfjs')`
 * runs only when the user compiles or picks a backend, so the editor's first
 * load carries no TF.js. One `ModelSession` per page keeps at most one
 * compiled model alive, whichever panel instance asked for it.
 */
import type * as tfType from '@tensorflow/tfjs';
import { chooseBackend, type BackendChoice, type BackendPreference } from '../../compile/backend.ts';
import { ModelSession } from '../../compile/session.ts';
import { onRelease } from './release.ts';

type Tf = typeof tfType;

export interface Runtime {
  tf: Tf;
  session: ModelSession;
}

let runtime: Promise<Runtime> | null = null;
let current: BackendChoice | null = null;
let pending: Promise<BackendChoice> | null = null;

/** What tests and the console can read without reaching into React: the active backend and live tensors. */
interface NetloomHooks {
  backend?: () => string | null;
  backendChoice?: () => BackendChoice | null;
  memory?: () => tfType.MemoryInfo | null;
  /** The page's tf namespace and compiled model, so a test can train the model it compiled. */
  tf?: () => Tf;
  model?: () => tfType.LayersModel | null;
}

function exposeHooks(tf: Tf, session: ModelSession): void {
  const w = globalThis as { __netloom?: NetloomHooks };
  w.__netloom = {
    ...(w.__netloom ?? {}),
    backend: () => (current ? tf.getBackend() : null),
    backendChoice: () => current,
    memory: () => tf.memory(),
    tf: () => tf,
    model: () => session.model?.model ?? null,
  };
}

export function loadRuntime(): Promise<Runtime> {
  runtime ??= import('@tensorflow/tfjs').then((tf) => {
    const session = new ModelSession(tf);
    exposeHooks(tf, session);
    onRelease(() => session.dispose());
    return { tf, session };
  });
  runtime.catch(() => {
    runtime = null; // a failed load (offline chunk) can be retried
  });
  return runtime;
}

/** The backend in use, if one was chosen yet. */
export const activeBackend = (): BackendChoice | null => current;

/**
 * Switches to `preference` (WebGPU first for `auto`), falling back with a
 * reason. The compiled model belongs to the old backend, so it is disposed.
 * Calls are serialised: a second choice waits for the first.
 */
export async function switchBackend(preference: BackendPreference): Promise<BackendChoice> {
  const { tf, session } = await loadRuntime();
  const run = async () => {
    session.dispose();
    current = await chooseBackend(tf, preference);
    return current;
  };
  pending = (pending ?? Promise.resolve(current)).catch(() => null).then(run);
  return pending;
}
