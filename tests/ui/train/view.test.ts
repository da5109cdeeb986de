/** The Data & train panel's view-model: bindings to the graph, preview lines, settings, chart geometry. */
import { describe, expect, test } from 'vitest';
import { previewWindows, type Series } from '../../../src/data/index.ts';
import type { Graph } from '../../../src/engine/types.ts';
import type { RunRecord } from '../../../src/train/run.ts';
import type { BatchProgress, TrainSettings } from '../../../src/train/types.ts';
import {
  chartGeometry, defaultFeatures, describeSeries, duration, findImageInput, findWindow, IMAGE_FORM, ladderBars, partRows, progressLine, readSettings, runRows,
  sampleIndices, SERIES_FORM, settingsForm, verdict, windowFit, windowLine, withWindowParams,
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

describe('windowFit: a Window made for other data', () => {
  // seattle-weather: 1,461 days → 1,023 / 219 / 219 rows for 70 / 15 / 15 %.
  const split = { train: 0.7, val: 0.15 };
  test('partRows cuts as prepareSeries does', () => {
    expect(partRows(1461, split)).toEqual([{ part: 'train', rows: 1023 }, { part: 'val', rows: 219 }, { part: 'test', rows: 219 }]);
    expect(partRows(100, { train: 0.8, val: 0.2 })).toEqual([{ part: 'train', rows: 80 }, { part: 'val', rows: 20 }]);
  });
  test('the Jena Window (240 steps, horizon 24, 14 features) on 4 columns: both are adapted, nSteps to the dataset\'s suggestion', () => {
    const fit = windowFit({ nSteps: 240, horizon: 24, features: 14 }, 1461, 4, split, 14);
    expect(fit).toEqual({ featuresFit: false, nStepsFit: false, shortest: { part: 'val', rows: 219 }, adapted: { features: 4, nSteps: 14 }, possible: true });
  });
  test('without a suggestion nSteps keeps three quarters of the shortest part as samples', () => {
    const fit = windowFit({ nSteps: 240, horizon: 24, features: 14 }, 1461, 4, split)!;
    expect(fit.adapted.nSteps).toBe(49); // (219 − 24 + 1) / 4
    expect(219 - 49 - 24 + 1).toBeGreaterThanOrEqual(0.75 * (219 - 24));
  });
  test('a suggestion that does not fit either is not taken', () => {
    expect(windowFit({ nSteps: 240, horizon: 24, features: 4 }, 1461, 4, split, 500)!.adapted.nSteps).toBe(49);
  });
  test('a Window that fits keeps its nSteps; only the features differ', () => {
    expect(windowFit({ nSteps: 195, horizon: 24, features: 1 }, 1461, 4, split, 14)).toMatchObject({ featuresFit: false, nStepsFit: true, adapted: { features: 4, nSteps: 195 } });
    expect(windowFit({ nSteps: 196, horizon: 24, features: 4 }, 1461, 4, split, 14)).toMatchObject({ featuresFit: true, nStepsFit: false, adapted: { nSteps: 14 } });
  });
  test('a horizon longer than a part cannot be fixed by nSteps; bad split text gives no verdict', () => {
    expect(windowFit({ nSteps: 3, horizon: 300, features: 1 }, 1461, 1, split)).toMatchObject({ nStepsFit: false, possible: false });
    expect(windowFit({ nSteps: 3, horizon: 1, features: 1 }, 1461, 1, { train: Number('x'), val: 0.15 })).toBeNull();
  });
  test('withWindowParams changes only the Window node, in a new graph', () => {
    const g = graph(node('w', 'Window', { nSteps: 240, horizon: 24, stride: 1, features: 14 }), node('d', 'Dense', { units: 1 }));
    const h = withWindowParams(g, 'w', { features: 4, nSteps: 14 });
    expect(h.nodes[0].params).toEqual({ nSteps: 14, horizon: 24, stride: 1, features: 4 });
    expect(h.nodes[1]).toBe(g.nodes[1]);
    expect(g.nodes[0].params.nSteps).toBe(240);
  });
});

test('settingsForm is what readSettings reads back', () => {
  const s: TrainSettings = { optimizer: 'adam', learningRate: 0.003, loss: 'mae', metrics: ['mae'], epochs: 20, batchSize: 64, earlyStopping: { patience: 3 }, restoreBestWeights: true, shuffle: true, seed: 1 };
  const form = settingsForm(s);
  expect(form).toEqual({ optimizer: 'adam', learningRate: '0.003', loss: 'mae', epochs: '20', batchSize: '64', clipnorm: '', clipvalue: '', patience: '3', seed: '1' });
  expect(readSettings(form, 'series')).toEqual({ ok: true, settings: s });
});

test('ladderBars: the latest ladder\'s rungs in order, the naive one marked', () => {
  const run = (id: string, ladder: string | null, rung: string, valMae: number, testMae?: number): RunRecord => ({
    id, label: rung, model: { name: rung, params: 0 }, data: { dataset: 'd', trainSamples: 1, valSamples: 1 }, settings: SERIES_FORM as never,
    startedAt: '', seconds: 0, backend: 'cpu', history: { loss: [], valLoss: [], metrics: {}, valMetrics: {} }, epochsRun: 1, bestEpoch: 1, stopped: 'completed',
    final: { valMae, testMae }, ...(ladder ? { ladder: { id: ladder, rung } } : {}),
  });
  const runs = [run('a', 'L1', 'naive', 3), run('b', 'L1', 'gru', 2.5, 2.4), run('c', null, 'mine', 1), run('d', 'L2', 'naive', 3.3, 3.2), run('e', 'L2', 'gru', 2.7, 2.6)];
  expect(ladderBars(runs)).toEqual([
    { runId: 'd', label: 'naive', val: 3.3, test: 3.2, naive: true },
    { runId: 'e', label: 'gru', val: 2.7, test: 2.6, naive: false },
  ]);
  expect(ladderBars(runs.slice(2, 3))).toEqual([]);
});

test('runRows: MAE with the naive forecast under it; empty columns and a shared backend left out', () => {
  const rec = (id: string, o: Partial<RunRecord>): RunRecord => ({
    id, label: id, model: { name: id, params: 1234 }, data: { dataset: 'd', trainSamples: 1, valSamples: 1 }, settings: SERIES_FORM as never,
    startedAt: '', seconds: 0, backend: 'webgpu', history: { loss: [1], valLoss: [0.5, 0.25], metrics: {}, valMetrics: {} }, epochsRun: 2, bestEpoch: 2,
    stopped: 'completed', final: { valMae: 2.5, valNaiveMae: 3, testMae: 3.5, testNaiveMae: 3 }, ...o,
  });
  const naive = rec('n', { backend: 'none', model: { name: 'naive', params: 0 }, epochsRun: 0, history: { loss: [], valLoss: [], metrics: {}, valMetrics: {} }, final: { valMae: 3, valNaiveMae: 3, testMae: 3, testNaiveMae: 3 }, ladder: { id: 'L', rung: 'naive' } });
  const t = runRows([naive, rec('g', { stopped: 'early-stopping', ladder: { id: 'L', rung: 'gru' } }), rec('s', { stopped: 'aborted' })]);
  expect(t.rows.map((r) => [r.label, r.params, r.epochs, r.bestValLoss, r.reference])).toEqual([
    ['n', '0', '0', '', true], ['g', '1,234', '2 (early)', '0.2500', false], ['s', '1,234', '2 (aborted)', '0.2500', false],
  ]);
  expect(t.rows[1].val).toEqual({ mae: 2.5, naive: 3 });
  expect(t.show).toEqual({ bestValLoss: true, val: true, test: true, accuracy: false, backend: false });
  expect(t.backends).toEqual(['webgpu']);
  const mixed = runRows([rec('a', {}), rec('b', { backend: 'cpu', final: { accuracy: 0.5 } })]);
  expect(mixed.show).toMatchObject({ accuracy: true, backend: true });
  expect(mixed.rows[1]).toMatchObject({ val: null, test: null, accuracy: '50.0%' });
});
