/**
 * Windowing, the notes' `split_sequence(sequence, n_steps)` generalised:
 *
 * ```python
 * for i in range(len(sequence) - n_steps):
 *     X.append(sequence[i:i + n_steps]); y.append(sequence[i + n_steps])
 * ```
 *
 * Window i starts at row `i·stride`, holds `nSteps` rows of the feature
 * columns, and its target is the target column(s) `horizon` rows after the
 * window's last row (horizon 1 = the next row = split_sequence). The count is
 * `floor((length − nSteps − horizon) / stride) + 1`.
 *
 * Series are split chronologically into train / validation / test row ranges
 * (as Deep Learning with Python's Jena generators do), windows never cross a
 * boundary, and mean/std per column come from the training rows only: the
 * model must not see the future through its normalisation.
 */
import { DataError, type Series } from './types.ts';

export interface WindowSpec {
  nSteps: number;
  /** Rows after the window's last row where the target lies (default 1). */
  horizon?: number;
  /** Rows between window starts (default 1). */
  stride?: number;
  /** Column indices fed to the model (default: every column). */
  features?: number[];
  /** Column indices predicted (default: the first column). */
  targets?: number[];
}

/** Windows as flat arrays, ready for `tf.tensor3d(x, [count, nSteps, features])`. */
export interface Windows {
  count: number;
  nSteps: number;
  features: number;
  targets: number;
  /** count × nSteps × features, row-major. */
  x: Float32Array;
  /** count × targets. */
  y: Float32Array;
  /** The naive forecast "the target tomorrow = its value today": the target columns at each window's last row. */
  naive: Float32Array;
  /** First row of each window, relative to the rows windowed. */
  starts: Int32Array;
}

function wholeAtLeast(v: unknown, min: number, field: string, fix: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new DataError(`${field}: ${String(v)} is not a whole number ≥ ${min}; ${fix}`, { field });
  return v;
}

/** Samples a series of `length` rows gives (0 when it is too short for one window). */
export function windowCount(length: number, nSteps: number, horizon = 1, stride = 1): number {
  const room = length - nSteps - horizon;
  return room < 0 ? 0 : Math.floor(room / stride) + 1;
}

/** The settings with defaults filled in, checked against a series of `length` rows with `columns` columns. */
export function resolveWindow(spec: WindowSpec, length: number, columns: number, what = 'the series'): Required<WindowSpec> {
  const nSteps = wholeAtLeast(spec.nSteps, 1, 'nSteps', 'use the number of past rows per sample, e.g. 3');
  const horizon = wholeAtLeast(spec.horizon ?? 1, 1, 'horizon', 'use 1 to predict the next row, as split_sequence does');
  const stride = wholeAtLeast(spec.stride ?? 1, 1, 'stride', 'use 1 to start a window at every row');
  const features = spec.features ?? Array.from({ length: columns }, (_, i) => i);
  const targets = spec.targets ?? [0];
  for (const [field, list] of [['features', features], ['targets', targets]] as const) {
    if (!list.length) throw new DataError(`${field}: no column chosen; choose at least one column`, { field });
    for (const c of list) if (!Number.isInteger(c) || c < 0 || c >= columns) throw new DataError(`${field}: column ${c} does not exist (${columns} columns); choose columns 0–${columns - 1}`, { field });
  }
  if (windowCount(length, nSteps, horizon) === 0) {
    const most = length - horizon;
    throw new DataError(
      `nSteps: ${nSteps} rows plus horizon ${horizon} need at least ${nSteps + horizon} rows, ${what} has ${length}; ` +
        (most >= 1 ? `lower nSteps to at most ${most}${horizon > 1 ? ' or lower horizon' : ''}, or use a longer series` : 'use a longer series'),
      { field: 'nSteps' },
    );
  }
  return { nSteps, horizon, stride, features, targets };
}

/** Cuts `rows` into windows (see the module comment). Throws a `DataError` naming the field when no window fits. */
export function makeWindows(rows: readonly (readonly number[])[], spec: WindowSpec, what?: string): Windows {
  const { nSteps, horizon, stride, features, targets } = resolveWindow(spec, rows.length, rows[0]?.length ?? 0, what);
  const count = windowCount(rows.length, nSteps, horizon, stride);
  const F = features.length;
  const T = targets.length;
  const x = new Float32Array(count * nSteps * F);
  const y = new Float32Array(count * T);
  const naive = new Float32Array(count * T);
  const starts = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const s = i * stride;
    starts[i] = s;
    for (let t = 0; t < nSteps; t++) {
      const row = rows[s + t];
      const o = (i * nSteps + t) * F;
      for (let f = 0; f < F; f++) x[o + f] = row[features[f]];
    }
    const last = rows[s + nSteps - 1];
    const target = rows[s + nSteps - 1 + horizon];
    for (let k = 0; k < T; k++) {
      y[i * T + k] = target[targets[k]];
      naive[i * T + k] = last[targets[k]];
    }
  }
  return { count, nSteps, features: F, targets: T, x, y, naive, starts };
}

/** The first `k` windows as split_sequence would print them: X rows and y, in the data's own units. */
export function previewWindows(rows: readonly (readonly number[])[], spec: WindowSpec, k = 3): { X: number[][][]; y: number[][]; count: number } {
  const r = resolveWindow(spec, rows.length, rows[0]?.length ?? 0);
  const need = (k - 1) * r.stride + r.nSteps + r.horizon;
  const w = makeWindows(rows.slice(0, Math.min(rows.length, need)), r);
  const X = Array.from({ length: w.count }, (_, i) => Array.from({ length: w.nSteps }, (_, t) => Array.from(w.x.subarray((i * w.nSteps + t) * w.features, (i * w.nSteps + t + 1) * w.features))));
  const y = Array.from({ length: w.count }, (_, i) => Array.from(w.y.subarray(i * w.targets, (i + 1) * w.targets)));
  return { X, y, count: windowCount(rows.length, r.nSteps, r.horizon, r.stride) };
}

/** Per-column mean and (population, numpy's default) standard deviation. */
export interface ColumnStats {
  mean: number[];
  std: number[];
}

/** Statistics of `rows`; a constant column gets std 1 so normalising it cannot divide by zero. */
export function columnStats(rows: readonly (readonly number[])[]): ColumnStats {
  const C = rows[0]?.length ?? 0;
  const mean = new Array<number>(C).fill(0);
  const std = new Array<number>(C).fill(0);
  for (const r of rows) for (let c = 0; c < C; c++) mean[c] += r[c];
  for (let c = 0; c < C; c++) mean[c] /= rows.length;
  for (const r of rows) for (let c = 0; c < C; c++) std[c] += (r[c] - mean[c]) ** 2;
  for (let c = 0; c < C; c++) std[c] = Math.sqrt(std[c] / rows.length) || 1;
  return { mean, std };
}

export const normalizeRows = (rows: readonly (readonly number[])[], s: ColumnStats): number[][] =>
  rows.map((r) => r.map((v, c) => (v - s.mean[c]) / s.std[c]));

/** Back to the data's own units: `v·std + mean` of column `column`. */
export const denormalize = (values: ArrayLike<number>, s: ColumnStats, column: number): number[] =>
  Array.from(values, (v) => v * s.std[column] + s.mean[column]);

export type Part = 'train' | 'val' | 'test';

/** One chronological part: rows [start, end) of the series, and the windows cut from it. */
export interface SplitRange {
  part: Part;
  start: number;
  end: number;
  rows: number;
  samples: number;
  /** Order-column text of the first and last row, when the series has one. */
  from?: string;
  to?: string;
}

export interface SeriesWindowOptions {
  nSteps: number;
  horizon?: number;
  stride?: number;
  /** Feature columns by name (default: every column). */
  features?: string[];
  /** Target columns by name (default: the first feature). */
  targets?: string[];
  /** Fractions of the rows for training and validation; the rest is the test part (default 0.7 / 0.15). */
  split?: { train: number; val: number };
}

/** A series made ready for training: normalised windows per part and what it takes to read them back. */
export interface PreparedSeries {
  name: string;
  features: string[];
  targets: string[];
  nSteps: number;
  horizon: number;
  stride: number;
  /** Statistics of the training rows, per column of `series.columns`. */
  stats: ColumnStats;
  /** Indices of the targets in `series.columns` (for `denormalize`). */
  targetColumns: number[];
  train: Windows;
  val: Windows;
  test: Windows;
  ranges: SplitRange[];
}

/** Splits, normalises (training statistics only) and windows a series. */
export function prepareSeries(series: Series, opts: SeriesWindowOptions): PreparedSeries {
  const col = (name: string, field: string) => {
    const i = series.columns.indexOf(name);
    if (i < 0) throw new DataError(`${field}: no column "${name}" in ${series.name}; choose one of ${series.columns.join(', ')}`, { field, column: name });
    return i;
  };
  const features = opts.features ?? series.columns;
  const targets = opts.targets ?? [features[0]];
  const featureIdx = features.map((f) => col(f, 'features'));
  const targetIdx = targets.map((t) => col(t, 'targets'));
  const { train: ft, val: fv } = opts.split ?? { train: 0.7, val: 0.15 };
  if (!(ft > 0 && fv >= 0 && ft + fv <= 1)) {
    throw new DataError(`split: train ${ft} and validation ${fv} must be fractions with train > 0 and train + validation ≤ 1; e.g. 0.7 and 0.15`, { field: 'split' });
  }
  const n = series.rows.length;
  const a = Math.round(n * ft);
  const b = Math.round(n * (ft + fv));
  const bounds: [Part, number, number, number][] = [['train', 0, a, ft], ['val', a, b, fv], ['test', b, n, 1 - ft - fv]];
  const trainRows = series.rows.slice(0, a);
  if (!trainRows.length) throw new DataError(`split: the training part of ${series.name} is empty; raise the train fraction`, { field: 'split' });
  const stats = columnStats(trainRows);
  const norm = normalizeRows(series.rows, stats);
  const spec = { nSteps: opts.nSteps, horizon: opts.horizon, stride: opts.stride, features: featureIdx, targets: targetIdx };
  resolveWindow(spec, n, series.columns.length, series.name); // whole-series errors first: they name the real length
  const parts = {} as Record<Part, Windows>;
  const ranges: SplitRange[] = [];
  for (const [part, start, end, frac] of bounds) {
    const rows = norm.slice(start, end);
    const name = part === 'val' ? 'validation' : part;
    if (frac > 1e-9 || rows.length) {
      const what = `the ${name} part (${end - start} rows from row ${start} of ${series.name}; or change split)`;
      resolveWindow(spec, rows.length, series.columns.length, what);
      parts[part] = makeWindows(rows, spec, what);
    } else parts[part] = makeEmpty(spec, featureIdx.length, targetIdx.length);
    const r: SplitRange = { part, start, end, rows: end - start, samples: parts[part].count };
    if (series.order && end > start) {
      r.from = series.order[start];
      r.to = series.order[end - 1];
    }
    ranges.push(r);
  }
  const w = parts.train;
  return {
    name: series.name, features, targets, nSteps: w.nSteps, horizon: opts.horizon ?? 1, stride: opts.stride ?? 1,
    stats, targetColumns: targetIdx, train: parts.train, val: parts.val, test: parts.test, ranges,
  };
}

function makeEmpty(spec: WindowSpec, F: number, T: number): Windows {
  return { count: 0, nSteps: spec.nSteps, features: F, targets: T, x: new Float32Array(0), y: new Float32Array(0), naive: new Float32Array(0), starts: new Int32Array(0) };
}
