/**
 * Windowing against the notes' `split_sequence`, transliterated from the
 * Python line by line, and the chronological split's normalisation, which
 * must never see the validation or test rows.
 */
import { describe, expect, it } from 'vitest';
import { DataError, makeWindows, prepareSeries, previewWindows, windowCount, type Series } from '../../src/data/index.ts';

/**
 * The notes' function:
 * def split_sequence(sequence, n_steps):
 *     X, y = [], []
 *     for i in range(len(sequence) - n_steps):
 *         seq_x = sequence[i:i + n_steps]
 *         seq_y = sequence[i + n_steps]
 *         X.append(seq_x); y.append(seq_y)
 *     return np.array(X), np.array(y)
 */
function splitSequence(sequence: number[][], nSteps: number): [number[][][], number[][]] {
  const X: number[][][] = [];
  const y: number[][] = [];
  for (let i = 0; i < sequence.length - nSteps; i++) {
    X.push(sequence.slice(i, i + nSteps));
    y.push(sequence[i + nSteps]);
  }
  return [X, y];
}

/**
 * Horizon h: split_sequence over the sequence paired with itself shifted by
 * h − 1 (y = sequence[i + n_steps + h − 1]), then `X[::stride], y[::stride]`.
 */
function reference(sequence: number[][], nSteps: number, horizon: number, stride: number): [number[][][], number[][]] {
  const shifted = sequence.slice(horizon - 1);
  const [X0, y] = splitSequence(shifted, nSteps);
  // X windows of the shifted sequence start h−1 rows late: take them from the original instead.
  const X = X0.map((_, i) => sequence.slice(i, i + nSteps));
  const every = <T>(a: T[]) => a.filter((_, i) => i % stride === 0);
  return [every(X), every(y)];
}

const seq = (n: number, cols = 1) => Array.from({ length: n }, (_, i) => Array.from({ length: cols }, (_, c) => (i + 1) * 10 + c));

function toNested(w: ReturnType<typeof makeWindows>, targets: number): [number[][][], number[][]] {
  const X = Array.from({ length: w.count }, (_, i) => Array.from({ length: w.nSteps }, (_, t) => Array.from(w.x.subarray((i * w.nSteps + t) * w.features, (i * w.nSteps + t + 1) * w.features))));
  const y = Array.from({ length: w.count }, (_, i) => Array.from(w.y.subarray(i * targets, (i + 1) * targets)));
  return [X, y];
}

describe('windows equal split_sequence', () => {
  it('horizon 1, stride 1 is split_sequence itself (the notes\' example [10..90], 3 steps)', () => {
    const sequence = [10, 20, 30, 40, 50, 60, 70, 80, 90].map((v) => [v]);
    const w = makeWindows(sequence, { nSteps: 3 });
    expect(toNested(w, 1)).toEqual(splitSequence(sequence, 3));
    expect(w.count).toBe(6);
  });

  it('every nSteps, horizon and stride on short series, one and several columns', () => {
    let cases = 0;
    for (const cols of [1, 3]) {
      for (let length = 1; length <= 12; length++) {
        const s = seq(length, cols);
        for (let nSteps = 1; nSteps <= 13; nSteps++) {
          for (let horizon = 1; horizon <= 4; horizon++) {
            for (let stride = 1; stride <= 4; stride++) {
              const [X, y] = reference(s, nSteps, horizon, stride);
              const expected = windowCount(length, nSteps, horizon, stride);
              if (X.length === 0) {
                expect(expected).toBe(0);
                expect(() => makeWindows(s, { nSteps, horizon, stride, targets: [...Array(cols).keys()] })).toThrow(DataError);
                continue;
              }
              const w = makeWindows(s, { nSteps, horizon, stride, targets: [...Array(cols).keys()] });
              expect(toNested(w, cols)).toEqual([X, y]);
              expect(w.count).toBe(Math.floor((length - nSteps - horizon) / stride) + 1);
              cases++;
            }
          }
        }
      }
    }
    expect(cases).toBeGreaterThan(500);
  });

  it('chooses feature and target columns; the naive forecast is the target at the window\'s last row', () => {
    const s = seq(8, 3); // row i: [10(i+1), 10(i+1)+1, 10(i+1)+2]
    const w = makeWindows(s, { nSteps: 2, horizon: 2, features: [2, 0], targets: [1] });
    expect(Array.from(w.x.subarray(0, 4))).toEqual([12, 10, 22, 20]);
    expect(w.y[0]).toBe(41); // row 3, column 1
    expect(w.naive[0]).toBe(21); // row 1 (last of the window), column 1
    expect(w.count).toBe(5);
  });

  it('nSteps ≥ length is an error that names nSteps and the fix', () => {
    const s = seq(5);
    for (const nSteps of [5, 6, 50]) {
      let err: unknown;
      try {
        makeWindows(s, { nSteps });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DataError);
      expect((err as DataError).where.field).toBe('nSteps');
      expect((err as Error).message).toMatch(/^nSteps: .*has 5.*lower nSteps to at most 4/);
    }
    expect(() => makeWindows(s, { nSteps: 0 })).toThrow(/nSteps: 0 is not a whole number ≥ 1/);
    expect(() => makeWindows(s, { nSteps: 2, stride: 0 })).toThrow(/^stride:/);
    expect(() => makeWindows(s, { nSteps: 2, horizon: 1.5 })).toThrow(/^horizon:/);
  });

  it('the preview shows the first windows and the full count', () => {
    const s = seq(20);
    const p = previewWindows(s, { nSteps: 3, stride: 2 }, 2);
    expect(p.count).toBe(9);
    expect(p.X).toEqual(reference(s, 3, 1, 2)[0].slice(0, 2));
    expect(p.y).toEqual([[40], [60]]);
  });
});

describe('chronological split and normalisation', () => {
  const series = (n: number): Series => ({
    name: 'test', columns: ['a', 'b'],
    rows: Array.from({ length: n }, (_, i) => [Math.sin(i) * 5 + i * 0.1, (i * 7) % 11]),
    order: Array.from({ length: n }, (_, i) => `day ${i}`), orderColumn: 'day',
  });

  it('statistics come from the training rows only: changing validation and test rows leaves them unchanged', () => {
    const s = series(100);
    const p = prepareSeries(s, { nSteps: 5, targets: ['a'] });
    const changed: Series = { ...s, rows: s.rows.map((r, i) => (i >= 70 ? [r[0] * 100 + 3, r[1] - 50] : r)) };
    const q = prepareSeries(changed, { nSteps: 5, targets: ['a'] });
    expect(q.stats).toEqual(p.stats);
    expect(q.train.x).toEqual(p.train.x);
    expect(q.val.x).not.toEqual(p.val.x);
    expect(q.test.y).not.toEqual(p.test.y);
    // and they are the training rows' statistics
    const a = s.rows.slice(0, 70).map((r) => r[0]);
    const mean = a.reduce((x, y) => x + y, 0) / a.length;
    expect(p.stats.mean[0]).toBeCloseTo(mean, 10);
    expect(p.stats.std[0]).toBeCloseTo(Math.sqrt(a.reduce((x, y) => x + (y - mean) ** 2, 0) / a.length), 10);
    // the whole series' statistics differ, so a leak would show
    const all = s.rows.map((r) => r[0]);
    expect(Math.abs(all.reduce((x, y) => x + y, 0) / all.length - mean)).toBeGreaterThan(0.1);
  });

  it('reports ranges; windows stay inside their part', () => {
    const p = prepareSeries(series(100), { nSteps: 5, horizon: 2, targets: ['b'], split: { train: 0.6, val: 0.2 } });
    expect(p.ranges).toEqual([
      { part: 'train', start: 0, end: 60, rows: 60, samples: 60 - 5 - 2 + 1, from: 'day 0', to: 'day 59' },
      { part: 'val', start: 60, end: 80, rows: 20, samples: 14, from: 'day 60', to: 'day 79' },
      { part: 'test', start: 80, end: 100, rows: 20, samples: 14, from: 'day 80', to: 'day 99' },
    ]);
    // the first validation window starts at row 60: its first value is row 60 normalised
    expect(p.val.x[0]).toBeCloseTo((series(100).rows[60][0] - p.stats.mean[0]) / p.stats.std[0], 5);
  });

  it('a part too short for one window names the part and the fix', () => {
    expect(() => prepareSeries(series(40), { nSteps: 6, split: { train: 0.8, val: 0.1 } })).toThrow(/^nSteps: .*validation part \(4 rows from row 32/);
    expect(() => prepareSeries(series(10), { nSteps: 10 })).toThrow(/^nSteps: .*test has 10/);
    expect(() => prepareSeries(series(10), { nSteps: 2, targets: ['zz'] })).toThrow(/^targets: no column "zz"/);
  });
});
