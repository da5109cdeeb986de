/**
 * A forward pass on a random batch, timed, with nothing left behind: every
 * tensor it makes is created inside `tf.tidy` or disposed explicitly, so a
 * run never grows `tf.memory().numTensors`.
 */
import type * as tfType from '@tensorflow/tfjs';

type Tf = typeof tfType;

export interface RunResult {
  backend: string;
  batch: number;
  /** One shape per model output, batch first. */
  outputShapes: number[][];
  /** Wall time of the timed pass(es), including reading the results back, per pass. */
  ms: number;
  /** Passes timed (after one untimed warm-up pass when `warmup` is set). */
  repeats: number;
  samplesPerSecond: number;
}

export interface RunOptions {
  batch?: number;
  /** Timed passes; the reported `ms` is their mean. */
  repeats?: number;
  /** Run one untimed pass first (shader compilation, kernel caches). */
  warmup?: boolean;
}

/** Shapes of a random batch for each model input; names the input whose size is unknown. */
export function batchShapes(model: tfType.LayersModel, batch: number): number[][] {
  return model.inputs.map((input) => {
    const dims = input.shape.slice(1);
    const unknown = dims.findIndex((d) => d === null || d === undefined);
    if (unknown >= 0) {
      throw new Error(`${input.name}: dimension ${unknown + 1} of the input is unknown; give the Input a complete shape to run it`);
    }
    return [batch, ...(dims as number[])];
  });
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** One pass: random inputs in [0, 1), predict, read every output back (the GPU really finished). */
async function pass(tf: Tf, model: tfType.LayersModel, shapes: number[][]): Promise<number[][]> {
  const outs = tf.tidy(() => {
    const xs = shapes.map((s) => tf.randomUniform(s, 0, 1, 'float32'));
    const y = model.predict(xs.length === 1 ? xs[0] : xs, { batchSize: shapes[0][0] });
    return Array.isArray(y) ? y : [y];
  });
  try {
    await Promise.all(outs.map((o) => o.data()));
    return outs.map((o) => o.shape.slice());
  } finally {
    tf.dispose(outs);
  }
}

export async function runForward(tf: Tf, model: tfType.LayersModel, options: RunOptions = {}): Promise<RunResult> {
  const batch = options.batch ?? 2;
  const repeats = Math.max(1, options.repeats ?? 1);
  const shapes = batchShapes(model, batch);
  if (options.warmup) await pass(tf, model, shapes);
  let outputShapes: number[][] = [];
  const t0 = now();
  for (let i = 0; i < repeats; i++) outputShapes = await pass(tf, model, shapes);
  const ms = (now() - t0) / repeats;
  return { backend: tf.getBackend(), batch, outputShapes, ms, repeats, samplesPerSecond: ms > 0 ? (batch * 1000) / ms : Infinity };
}

/**
 * Throughput for a bench: one warm-up pass, then as many timed passes as fit
 * in about `minMs` (at least one, at most `maxRepeats`).
 */
export async function measureThroughput(tf: Tf, model: tfType.LayersModel, options: { batch: number; minMs?: number; maxRepeats?: number }): Promise<RunResult> {
  const probe = await runForward(tf, model, { batch: options.batch, warmup: true });
  const repeats = Math.min(options.maxRepeats ?? 20, Math.floor((options.minMs ?? 2000) / Math.max(probe.ms, 1)));
  return repeats > 1 ? runForward(tf, model, { batch: options.batch, repeats }) : probe;
}
