/**
 * Keras 3 as a second oracle (beside TF.js): python/oracle.py builds each
 * case under real Keras 3 (jax CPU backend, the .venv-keras/ environment of
 * scripts/python-env.mjs) and reports every layer's output shape and weight
 * counts. Importing Keras costs seconds, so one call is one process: batch
 * every case a test file needs into a single call.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensurePython } from '../../scripts/python-env.mjs';
import { LAYERS, type AnyLayerSpec } from '../../src/engine/layers/index.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

/** The Keras 3 classes of the custom kinds (keras_hub's PositionEmbedding, ClassToken), as the Python export defines them. */
const CUSTOM_LAYERS_PYTHON = (LAYERS as readonly AnyLayerSpec[]).flatMap((l) => (l.keras.custom ? [l.keras.custom.python] : [])).join('\n\n');
export const ORACLE = join(ROOT, 'python', 'oracle.py');

export type Dims = (number | null)[];

/** A Keras model config (Keras 2 / TF.js dialect or Keras 3 to_json()), or a script netloom exported. */
export type Keras3Case = { id: string; model: unknown } | { id: string; script: string };

export interface Keras3Layer {
  name: string;
  className: string;
  /** The batch axis is null; a list of shapes for a layer with several outputs. */
  outputShape: Dims | Dims[];
  params: number;
  trainable: number;
  nonTrainable: number;
  /** Calls in the model's graph (more than 1 for a shared layer; outputShape is the first call's). */
  calls: number;
}

export interface Keras3Totals {
  params: number;
  trainable: number;
  nonTrainable: number;
}

export type Keras3Result =
  | {
      id: string;
      ok: true;
      layers: Keras3Layer[];
      /** Shared layers count once, as model.count_params() counts them. */
      totals: Keras3Totals;
      /** What oracle.py changed so Keras 3 reads a Keras 2 / TF.js config; empty when nothing. */
      translated: string[];
      /** model.to_json() parsed, with `toJson`. */
      json?: unknown;
      /** Build time of this case. */
      seconds: number;
    }
  | { id: string; ok: false; error: string; seconds: number };

export interface Keras3Answer {
  keras: string;
  backend: string;
  results: Keras3Result[];
}

/** The environment the oracle and exported scripts run in: jax on the CPU, nothing left over from the caller's distribution settings. */
export function pyEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KERAS_BACKEND: 'jax', JAX_PLATFORMS: 'cpu', PYTHONDONTWRITEBYTECODE: '1', TF_CPP_MIN_LOG_LEVEL: '3', ...extra };
  for (const k of Object.keys(env)) if (k.startsWith('KERAS_DISTRIBUTION_') && !(k in extra)) delete env[k];
  if (!('XLA_FLAGS' in extra)) delete env.XLA_FLAGS;
  return env;
}

const tail = (s: string, n = 4000) => (s.length > n ? `…${s.slice(-n)}` : s);

/** The whole answer, with the Keras version and backend; see keras3(). */
export function keras3Answer(cases: Keras3Case[], opts: { toJson?: boolean; timeoutMs?: number } = {}): Keras3Answer {
  const python = ensurePython();
  const r = spawnSync(python, [ORACLE], {
    input: JSON.stringify({ cases, toJson: opts.toJson ?? false, prelude: CUSTOM_LAYERS_PYTHON }),
    env: pyEnv(),
    encoding: 'utf8',
    // Every example with toJson is a few MB of JSON; the default is 1 MB.
    maxBuffer: 256 * 1024 * 1024,
    timeout: opts.timeoutMs ?? 300_000,
  });
  const what = `python/oracle.py (${cases.length} case${cases.length === 1 ? '' : 's'})`;
  if (r.error) throw new Error(`${what} did not run: ${r.error.message}\n${tail(r.stderr ?? '')}`);
  if (r.status !== 0) throw new Error(`${what} exited with ${r.status ?? r.signal}\n${tail(r.stderr)}`);
  let answer: Keras3Answer;
  try {
    answer = JSON.parse(r.stdout) as Keras3Answer;
  } catch {
    throw new Error(`${what} printed something other than one JSON object:\n${tail(r.stdout, 2000)}\nstderr:\n${tail(r.stderr)}`);
  }
  if (!Array.isArray(answer?.results) || answer.results.length !== cases.length) {
    throw new Error(`${what} answered ${answer?.results?.length ?? 'no'} results for ${cases.length} cases\nstderr:\n${tail(r.stderr)}`);
  }
  return answer;
}

/**
 * Builds every case in one Python process and returns one result per case, in
 * order. A case Keras refuses is `{ ok: false, error }`; the call itself
 * throws (with stderr's tail) only when the process fails or prints non-JSON.
 */
export function keras3(cases: Keras3Case[], opts: { toJson?: boolean; timeoutMs?: number } = {}): Keras3Result[] {
  return keras3Answer(cases, opts).results;
}
