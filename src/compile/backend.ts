/**
 * Chooses the TF.js backend in the browser: WebGPU first, then WebGL, then
 * CPU. Whenever a preferred backend is not used the result says why, in words
 * a user can act on (the badge shows it). The WebGPU backend is imported only
 * when it is tried, so pages that never compile never load it.
 */
import type * as tfType from '@tensorflow/tfjs';

type Tf = typeof tfType;

export const BACKENDS = ['webgpu', 'webgl', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
/** `auto` is WebGPU first; a named backend is tried first, then the ones after it. */
export type BackendPreference = BackendName | 'auto';

export interface BackendChoice {
  backend: BackendName;
  /** Why the preferred backend(s) were not used; absent when the first choice worked. */
  reason?: string;
  /** The WebGPU adapter, when WebGPU was used (vendor, architecture, description). */
  adapter?: string;
}

interface GpuAdapterLike {
  info?: Record<string, string | undefined>;
  requestAdapterInfo?: () => Promise<Record<string, string | undefined>>;
}
interface GpuLike {
  requestAdapter(options?: unknown): Promise<GpuAdapterLike | null>;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A readable line from GPUAdapterInfo (Chromium fills a few of its fields, often empty). */
export function describeAdapter(info: Record<string, string | undefined> | undefined): string {
  if (!info) return 'unknown adapter';
  const parts = ['vendor', 'architecture', 'device', 'description']
    .map((k) => info[k])
    .filter((v): v is string => typeof v === 'string' && v.length > 0);
  return parts.length ? [...new Set(parts)].join(' · ') : 'unknown adapter';
}

/** Tries WebGPU; returns the adapter description, or throws with the reason it is unusable. */
async function tryWebGpu(tf: Tf): Promise<string> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) throw new Error('navigator.gpu is missing: this browser has no WebGPU, or it is turned off');
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    throw new Error(`requesting a WebGPU adapter failed: ${messageOf(e)}`);
  }
  if (!adapter) throw new Error('no WebGPU adapter: navigator.gpu.requestAdapter() returned null (no usable GPU or driver)');
  let info = adapter.info;
  if (!info && adapter.requestAdapterInfo) info = await adapter.requestAdapterInfo().catch(() => undefined);
  try {
    await import('@tensorflow/tfjs-backend-webgpu');
  } catch (e) {
    throw new Error(`loading the TF.js WebGPU backend failed: ${messageOf(e)}`);
  }
  await setOrThrow(tf, 'webgpu');
  return describeAdapter(info);
}

async function setOrThrow(tf: Tf, name: BackendName): Promise<void> {
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    throw new Error(`${name} failed to initialise: ${messageOf(e)}`);
  }
  if (!ok || tf.getBackend() !== name) throw new Error(`${name} failed to initialise (TF.js could not set it up on this device)`);
}

/**
 * Sets the first backend that works, starting at `preference`, and says why
 * any earlier one was skipped. CPU always works, so this does not throw
 * unless even CPU fails.
 */
export async function chooseBackend(tf: Tf, preference: BackendPreference = 'auto'): Promise<BackendChoice> {
  const start = preference === 'auto' ? 0 : BACKENDS.indexOf(preference);
  const reasons: string[] = [];
  for (const name of BACKENDS.slice(start < 0 ? 0 : start)) {
    try {
      if (name === 'webgpu') {
        const adapter = await tryWebGpu(tf);
        return reasons.length ? { backend: name, adapter, reason: reasons.join('; ') } : { backend: name, adapter };
      }
      await setOrThrow(tf, name);
      return reasons.length ? { backend: name, reason: reasons.join('; ') } : { backend: name };
    } catch (e) {
      reasons.push(`${name}: ${messageOf(e)}`);
    }
  }
  throw new Error(`no TF.js backend could be initialised (${reasons.join('; ')})`);
}
