/**
 * Seeded synthetic series for trying a model without real data: a noisy sine
 * (a pattern a window can learn) and a random walk (where "tomorrow = today"
 * is hard to beat, the notes' point about naive baselines).
 */
import { DataError, type Series } from './types.ts';
import { mulberry32, normal } from './random.ts';

export interface SineOptions {
  length?: number;
  /** Rows per full cycle. */
  period?: number;
  amplitude?: number;
  /** Standard deviation of the added Gaussian noise. */
  noise?: number;
  seed?: number;
}

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 2) throw new DataError(`length: ${length} is not a whole number ≥ 2; choose a longer series`, { field: 'length' });
}

/** `amplitude·sin(2π·t/period) + noise`, one column named `value`, order column `t`. */
export function sineSeries({ length = 500, period = 50, amplitude = 1, noise = 0.1, seed = 1 }: SineOptions = {}): Series {
  checkLength(length);
  if (!(period > 0)) throw new DataError(`period: ${period} must be > 0; rows per cycle, e.g. 50`, { field: 'period' });
  const rng = mulberry32(seed);
  const rows = Array.from({ length }, (_, t) => [amplitude * Math.sin((2 * Math.PI * t) / period) + noise * normal(rng)]);
  return { name: `sine(period ${period}, noise ${noise}, seed ${seed})`, columns: ['value'], rows, order: rows.map((_, t) => String(t)), orderColumn: 't' };
}

export interface WalkOptions {
  length?: number;
  start?: number;
  /** Standard deviation of each step. */
  step?: number;
  /** Mean of each step. */
  drift?: number;
  seed?: number;
}

/** A Gaussian random walk, one column named `value`. */
export function randomWalk({ length = 500, start = 0, step = 1, drift = 0, seed = 1 }: WalkOptions = {}): Series {
  checkLength(length);
  const rng = mulberry32(seed);
  let v = start;
  const rows = Array.from({ length }, (_, t) => {
    if (t > 0) v += drift + step * normal(rng);
    return [v];
  });
  return { name: `random walk(step ${step}, seed ${seed})`, columns: ['value'], rows, order: rows.map((_, t) => String(t)), orderColumn: 't' };
}
