/** The Data & train panel's view-model: bindings to the graph, preview lines, settings, chart geometry. */
import { describe, expect, test } from 'vitest';
import { previewWindows, type Series } from '../../../src/data/index.ts';
import type { Graph } from '../../../src/engine/types.ts';
import type { BatchProgress } from '../../../src/train/types.ts';
import {
  chartGeometry, defaultFeatures, describeSeries, duration, findImageInput, findWindow, IMAGE_FORM, progressLine, readSettings,
  sampleIndices, SERIES_FORM, verdict, windowLine,
} from '../../../src/ui/train/view.ts';

const node = (id: string, kind: string, params: Record<string, unknown>) => ({ id, kind, name: id, params });
const graph = (...nodes: ReturnType<typeof node>[]): Graph => ({ name: 'g', nodes, edges: [] });

describe('findWindow', () => {
  test('no Window: the message says how to add one', () => {
    const b = findWindow(graph(node('d', 'Dense', { units: 1 })));
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.message).toMatch(/no Window node.*Drag "Window" from the palette/);
  });
  test('two Windows: names both and asks to delete the others', () => {
    const b = findWindow(graph(node('a', 'Window', { nSteps: 3 }), node('b', 'Window', { nSteps: 4 })));
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.message).toMatch(/2 Window nodes \(a, b\).*delete the others/);
  });
  test('one Window: its settings, with the defaults for missing ones', () => {
    const b = findWindow(graph(node('w', 'Window', { nSteps: 14, features: 3 }), node('d', 'Dense', { units: 1 })));
    expect(b).toMatchObject({ ok: true, nSteps: 14, horizon: 1, stride: 1, features: 3 });
    if (b.ok) expect(b.node.id).toBe('w');
  });
});

describe('findImageInput', () => {
  test('a 28×28×1 Input matches; another shape does not', () => {
    expect(findImageInput(graph(node('i', 'Input', { shape: [28, 28, 1] })))).toMatchObject({ ok: true, matches: true });
    expect(findImageInput(graph(node('i', 'Input', { shape: [32, 32, 3] })))).toMatchObject({ ok: true, matches: false, shape: [32, 32, 3] });
  });
  test('no Input: says which shape to give one', () => {
    const b = findImageInput(graph(node('w', 'Window', {})));
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.message).toMatch(/no Input node.*\[28, 28, 1\]/);
  });
});

test('defaultFeatures: the target first, as many as the Window takes', () => {
  const cols = ['precipitation', 'temp_max', 'temp_min', 'wind'];
  expect(defaultFeatures(cols, 'temp_max', 1)).toEqual(['temp_max']);
  expect(defaultFeatures(cols, 'temp_max', 3)).toEqual(['temp_max', 'precipitation', 'temp_min']);
  expect(defaultFeatures(cols, 'temp_max', 9)).toEqual(['temp_max', 'precipitation', 'temp_min', 'wind']);
  expect(defaultFeatures(cols, 'missing', 2)).toEqual(['precipitation', 'temp_max']);
});

test('describeSeries: rows, columns and the order range', () => {
  const s: Series = { name: 's', columns: ['a', 'b'], rows: [[1, 2], [3, 4], [5, 6]], order: ['2020-01-01', '2020-01-02', '2020-01-03'], orderColumn: 'date' };
  expect(describeSeries(s)).toEqual({ rows: 3, columns: 2, from: '2020-01-01', to: '2020-01-03', orderColumn: 'date' });
});

describe('windowLine prints previewWindows as split_sequence does', () => {
  // The notes: split_sequence([10, 20, …, 90], 3) prints "[10 20 30] 40", "[20 30 40] 50", …
  const rows = [10, 20, 30, 40, 50, 60, 70, 80, 90].map((v) => [v]);
  test('one feature', () => {
    const p = previewWindows(rows, { nSteps: 3 }, 3);
    expect(p.X.map((x, i) => windowLine(x, p.y[i]))).toEqual(['[10 20 30] 40', '[20 30 40] 50', '[30 40 50] 60']);
    expect(p.count).toBe(6);
  });
  test('two features, stride 2, horizon 2, two targets', () => {
    const two = rows.map(([v]) => [v, v + 5]);
    const p = previewWindows(two, { nSteps: 2, horizon: 2, stride: 2, targets: [0, 1] }, 2);
    expect(p.X.map((x, i) => windowLine(x, p.y[i]))).toEqual(['[[10 15] [20 25]] [40 45]', '[[30 35] [40 45]] [60 65]']);
  });
  test('decimals are short', () => {
    expect(windowLine([[12.8], [10.25], [1 / 3]], [0.1 + 0.2])).toBe('[12.8 10.25 0.33] 0.3');
  });
});

test('duration', () => {
  expect(duration(400)).toBe('0.4 s');
  expect(duration(12_400)).toBe('12 s');
  expect(duration(65_000)).toBe('1 min 05 s');
  expect(duration(3_720_000)).toBe('1 h 02 min');
  expect(duration(Number.POSITIVE_INFINITY)).toBe('—');
});

test('progressLine: epoch, batch, loss, speed, ETA', () => {
  const p: BatchProgress = { epoch: 2, epochs: 5, batch: 3, batches: 4, loss: 0.123456, fraction: 0.35, elapsedMs: 1000, etaMs: 65_000, samplesPerSecond: 1234.4 };
  expect(progressLine(p)).toBe('epoch 2/5 · batch 3/4 · loss 0.1235 · 1,234 samples/s · ETA 1 min 05 s');
});

describe('readSettings', () => {
  test('defaults parse; empty optional fields are off', () => {
    const r = readSettings(SERIES_FORM, 'series');
    expect(r).toEqual({ ok: true, settings: { optimizer: 'adam', learningRate: 0.001, loss: 'mse', metrics: ['mae'], epochs: 10, batchSize: 32, restoreBestWeights: true, shuffle: true, earlyStopping: { patience: 3 }, seed: 1 } });
    const img = readSettings(IMAGE_FORM, 'images');
    expect(img.ok && img.settings.metrics).toEqual(['accuracy']);
  });
  test('clipping and patience are read when given', () => {
    const r = readSettings({ ...SERIES_FORM, clipnorm: '1', clipvalue: '0.5', patience: '' }, 'series');
    expect(r.ok && [r.settings.clipnorm, r.settings.clipvalue, r.settings.earlyStopping]).toEqual([1, 0.5, undefined]);
  });
  test.each([
    [{ epochs: '2.5' }, 'series', /^epochs: "2.5" is not a whole number ≥ 1$/],
    [{ batchSize: '' }, 'series', /^batchSize: is empty; enter a number$/],
    [{ learningRate: '-1' }, 'series', /^learningRate: "-1" is not a number > 0$/],
    [{ clipnorm: 'x' }, 'series', /^clipnorm: "x" is not a number > 0; or leave it empty$/],
    [{ seed: '1.5' }, 'series', /^seed: /],
    [{ loss: 'categoricalCrossentropy' }, 'series', /^loss: .*choose mse or mae$/],
    [{ loss: 'mse' }, 'images', /^loss: .*choose sparseCategoricalCrossentropy or categoricalCrossentropy$/],
  ] as const)('%o → %s error', (patch, kind, message) => {
    const r = readSettings({ ...(kind === 'series' ? SERIES_FORM : IMAGE_FORM), ...patch }, kind);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe('chartGeometry', () => {
  test('scales x from 0 to the last epoch and y from min to max into the box', () => {
    const g = chartGeometry([[{ x: 0.5, y: 4 }, { x: 2, y: 2 }], [{ x: 1, y: 3 }, { x: 2, y: Number.NaN }]], 100, 50, 0);
    expect(g).toMatchObject({ xMax: 2, yMin: 2, yMax: 4 });
    expect(g.lines).toEqual(['25.0,0.0 100.0,50.0', '50.0,25.0']);
  });
  test('a flat curve gets a unit range instead of dividing by zero', () => {
    const g = chartGeometry([[{ x: 1, y: 3 }, { x: 2, y: 3 }]], 100, 50, 0);
    expect([g.yMin, g.yMax]).toEqual([2.5, 3.5]);
    expect(g.lines[0]).toBe('50.0,25.0 100.0,25.0');
  });
});

test('sampleIndices keeps the ends and at most max points', () => {
  expect(sampleIndices(4, 10)).toEqual([0, 1, 2, 3]);
  const s = sampleIndices(1000, 5);
  expect(s).toEqual([0, 250, 500, 749, 999]);
});

test('verdict compares with the naive forecast', () => {
  expect(verdict(2, 2.5)).toBe('beats the naive forecast by 20.0%');
  expect(verdict(3, 2.5)).toBe('worse than the naive forecast by 20.0%');
  expect(verdict(Number.NaN, 1)).toBe('');
});
