/**
 * The Data & train panel's actions without a browser: synthetic and CSV data,
 * binding defaults from the graph's Window, a run on TF.js's CPU backend (the
 * chooser falls back from WebGPU and WebGL in Node), Stop, and the run list.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Graph } from '../../../src/engine/types.ts';
import { loadData, openCsv, pythonExportOptions, stopTraining, train, trainLadder, trainStore } from '../../../src/ui/train/trainStore.ts';
import { SERIES_FORM } from '../../../src/ui/train/view.ts';

const gru = (features = 1): Graph => ({
  name: 'sine-gru',
  nodes: [
    { id: 'w', kind: 'Window', name: 'w', params: { nSteps: 8, horizon: 1, stride: 1, features } },
    { id: 'g', kind: 'GRU', name: 'g', params: { units: 4, returnSequences: false, resetAfter: false } },
    { id: 'o', kind: 'Dense', name: 'o', params: { units: 1, activation: 'linear' } },
  ],
  edges: [{ id: 'e1', source: 'w', target: 'g', targetPort: 'in0' }, { id: 'e2', source: 'g', target: 'o', targetPort: 'in0' }],
});

const initial = trainStore.getState();
beforeEach(() => trainStore.setState(initial, true));
afterEach(() => vi.unstubAllGlobals());

/** The browser source fetches bundled asset URLs; in Node they are file URLs into node_modules. */
function serveFilesFromDisk(): void {
  vi.stubGlobal('fetch', async (url: URL) => new Response(readFileSync(url)));
}

describe('data', () => {
  test('a synthetic sine binds its one column as feature and target', async () => {
    trainStore.setState({ source: 'synthetic', synthetic: { shape: 'sine', length: '300', seed: '2' } });
    await loadData(gru());
    const s = trainStore.getState();
    expect(s.dataError).toBeNull();
    expect(s.loaded?.kind === 'series' && s.loaded.series.rows.length).toBe(300);
    expect([s.features, s.targets]).toEqual([['value'], ['value']]);
  });

  test('a CSV with a non-numeric cell: the error names the row and the column', async () => {
    openCsv('prices.csv', 'day,price,volume\n1,10,5\n2,11,x\n3,12,7\n');
    const csv = trainStore.getState().csv;
    expect(csv).toMatchObject({ orderColumn: 'day', columns: ['price', 'volume'] });
    await loadData(gru());
    expect(trainStore.getState().dataError).toBe('row 3, column "volume": "x" is not a number; fix the cell or leave the column out');
    expect(trainStore.getState().loaded).toBeNull();
  });

  test('a CSV with a ragged row: the error names the row', async () => {
    openCsv('ragged.csv', 'day,price\n1,10\n2\n3,12\n');
    await loadData(gru());
    expect(trainStore.getState().dataError).toMatch(/^row 3: 1 cell but the header has 2 columns/);
  });

  test('a CSV with only a header is refused when opened', () => {
    openCsv('empty.csv', 'day,price\n');
    expect(trainStore.getState().dataError).toMatch(/^empty\.csv: .*no data rows/);
    expect(trainStore.getState().csv).toBeNull();
  });

  test('the chosen CSV columns load sorted by the order column', async () => {
    openCsv('prices.csv', 'day,price,volume\n3,12,7\n1,10,5\n2,11,6\n');
    trainStore.setState({ csv: { ...trainStore.getState().csv!, columns: ['price'] } });
    await loadData(gru());
    const s = trainStore.getState();
    expect(s.loaded?.kind === 'series' && s.loaded.series.rows).toEqual([[10], [11], [12]]);
  });
});

describe('training on the CPU fallback', () => {
  test('a run records curves and MAE beside the naive forecast; a second run is listed beside it', async () => {
    trainStore.setState({ source: 'synthetic', synthetic: { shape: 'sine', length: '240', seed: '3' } });
    await loadData(gru());
    trainStore.setState({ form: { ...SERIES_FORM, epochs: '2', batchSize: '64', learningRate: '0.01' } });
    await train(gru(), 'GRU 4');
    let s = trainStore.getState();
    expect(s.job).toEqual({ state: 'idle' });
    expect(s.backend?.backend).toBe('cpu');
    expect(s.backend?.reason).toMatch(/WebGPU|navigator\.gpu/i);
    expect(s.valCurve.map((p) => p.x)).toEqual([1, 2]);
    expect(s.curve.length).toBeGreaterThanOrEqual(4);
    expect(s.last?.kind).toBe('series');
    if (s.last?.kind === 'series') {
      expect(s.last.val.mae).toBeGreaterThan(0);
      expect(s.last.val.naiveMae).toBeGreaterThan(0);
      expect(s.last.test?.targets[0].predicted.length).toBe(s.last.test?.samples);
    }
    expect(s.hasModel).toBe(true);

    // Stop before the first batch: the run ends as aborted and is still listed.
    const running = train(gru(), 'GRU 4 stopped');
    stopTraining();
    await running;
    s = trainStore.getState();
    expect(s.runs.map((r) => [r.label, r.stopped])).toEqual([['GRU 4', 'completed'], ['GRU 4 stopped', 'aborted']]);
  });

  test('a Window that takes more features than chosen: the run fails naming the node and the fix', async () => {
    trainStore.setState({ source: 'synthetic', synthetic: { shape: 'walk', length: '200', seed: '1' } });
    await loadData(gru(1));
    trainStore.setState({ form: { ...SERIES_FORM, epochs: '1' } });
    await train(gru(3), 'wrong');
    const job = trainStore.getState().job;
    expect(job.state).toBe('failed');
    if (job.state === 'failed') expect(job.message).toMatch(/w: features is 3 but the data has 1 feature column; set features to 1/);
  });

  test('a bad setting is refused before anything runs', async () => {
    trainStore.setState({ source: 'synthetic' });
    await loadData(gru());
    trainStore.setState({ form: { ...SERIES_FORM, batchSize: '0' } });
    await train(gru(), 'bad');
    expect(trainStore.getState().job).toEqual({ state: 'failed', message: 'batchSize: "0" is not a whole number ≥ 1' });
    expect(trainStore.getState().runs).toEqual([]);
  });
});

describe('MNIST', () => {
  test('loads disjoint train / validation / test images and a CNN run reports accuracy and a confusion matrix', async () => {
    serveFilesFromDisk();
    trainStore.setState({ source: 'dataset', datasetId: 'mnist', images: { train: '300', val: '100', test: '100' } });
    await loadData(gru());
    const s = trainStore.getState();
    expect(s.dataError).toBeNull();
    if (s.loaded?.kind !== 'images') throw new Error('no images loaded');
    expect([s.loaded.train.count, s.loaded.val.count, s.loaded.test.count]).toEqual([300, 100, 100]);
    expect(s.form.loss).toBe('sparseCategoricalCrossentropy');

    const cnn: Graph = {
      name: 'cnn',
      nodes: [
        { id: 'i', kind: 'Input', name: 'i', params: { shape: [28, 28, 1] } },
        { id: 'p', kind: 'MaxPooling2D', name: 'p', params: { poolSize: [4, 4] } },
        { id: 'f', kind: 'Flatten', name: 'f', params: {} },
        { id: 'd', kind: 'Dense', name: 'd', params: { units: 10, activation: 'softmax' } },
      ],
      edges: [{ id: 'a', source: 'i', target: 'p', targetPort: 'in0' }, { id: 'b', source: 'p', target: 'f', targetPort: 'in0' }, { id: 'c', source: 'f', target: 'd', targetPort: 'in0' }],
    };
    trainStore.setState({ form: { ...s.form, epochs: '3', batchSize: '32', learningRate: '0.01' } });
    await train(cnn, 'pool + dense');
    const after = trainStore.getState();
    expect(after.job).toEqual({ state: 'idle' });
    if (after.last?.kind !== 'images') throw new Error('no image result');
    expect(after.last.test.samples).toBe(100);
    expect(after.last.test.confusion.flat().reduce((a, b) => a + b, 0)).toBe(100);
    expect(after.last.test.accuracy).toBeGreaterThan(0.3); // ten classes: chance is 0.1
    expect(after.runs[0].final.accuracy).toBe(after.last.test.accuracy);
  });
});

describe('the temperature ladder', () => {
  test('one call loads Seattle weather with season columns, trains every rung and lists them as one ladder', async () => {
    serveFilesFromDisk();
    trainStore.setState({ ladderEpochs: '1' });
    await trainLadder();
    const s = trainStore.getState();
    expect(s.job).toEqual({ state: 'idle' });
    expect(s.loaded?.kind === 'series' && s.loaded.series.columns).toEqual(['precipitation', 'temp_max', 'temp_min', 'wind', 'day_sin', 'day_cos']);
    expect([s.features.length, s.targets, s.season]).toEqual([6, ['temp_max'], true]);
    // the form holds the recipe's settings, so one Train repeats a rung
    expect(s.form).toMatchObject({ optimizer: 'adam', loss: 'mae', epochs: '1', batchSize: '64', patience: '3', seed: '1' });
    expect(s.runs.map((r) => r.ladder?.rung)).toEqual(['naive', 'dense', 'gru', 'gru-dropout', 'stacked-gru', 'bidirectional-gru']);
    expect(s.runs.slice(1).map((r) => r.epochsRun)).toEqual([1, 1, 1, 1, 1]);
    expect(s.runs.every((r) => r.final.valMae! > 0 && r.final.testNaiveMae === s.runs[0].final.testMae)).toBe(true);
    expect(s.ladder).toMatchObject({ done: 6, count: 6, current: null, stopped: false });
    // every trained rung can be opened: its graph is the gallery's, adapted
    const gru = s.rungGraphs[s.runs[2].id];
    expect(gru.nodes.find((n) => n.kind === 'Window')?.params).toMatchObject({ nSteps: 14, horizon: 3, features: 6 });
    expect(Object.keys(s.rungGraphs)).toHaveLength(5);
    expect(s.hasModel).toBe(false);
  }, 300_000);

  test('Stop ends the ladder after the running rung; epochs per rung must be a whole number', async () => {
    serveFilesFromDisk();
    trainStore.setState({ ladderEpochs: 'two' });
    await trainLadder();
    expect(trainStore.getState().job).toEqual({ state: 'failed', message: 'epochs per rung: "two" is not a whole number ≥ 1; e.g. 20' });

    trainStore.setState({ ladderEpochs: '3' });
    const unsubscribe = trainStore.subscribe((st) => {
      if (st.ladder?.current?.rung.id === 'dense') stopTraining();
    });
    await trainLadder();
    unsubscribe();
    const s = trainStore.getState();
    expect(s.ladder).toMatchObject({ done: 2, stopped: true, current: null });
    expect(s.runs.map((r) => [r.ladder?.rung, r.stopped])).toEqual([['naive', 'completed'], ['dense', 'aborted']]);
    expect(s.job).toEqual({ state: 'idle' });
  }, 120_000);
});

test('the season toggle adds day_sin and day_cos to a built-in series', async () => {
  serveFilesFromDisk();
  trainStore.setState({ source: 'dataset', datasetId: 'seattle-weather', season: true });
  await loadData(gru());
  const s = trainStore.getState();
  expect(s.dataError).toBeNull();
  expect(s.loaded?.kind === 'series' && s.loaded.series.columns.slice(-2)).toEqual(['day_sin', 'day_cos']);
  expect(s.loaded?.kind === 'series' && s.loaded.series.name).toBe('seattle-weather + season');
});

describe('the Keras Python export', () => {
  test('takes the series as loaded here, derived columns too, with the chosen columns, split and settings', () => {
    trainStore.setState({
      loaded: { kind: 'series', series: { name: 'seattle-weather', columns: ['temp_max', 'day_sin'], rows: [[1, 0.5], [3, -0.5]] }, target: 'temp_max' },
      features: ['temp_max', 'day_sin'], targets: ['temp_max'], split: { train: '0.6', val: '0.2' }, form: { ...SERIES_FORM, epochs: '7' },
    });
    const o = pythonExportOptions();
    expect(o.data).toMatchObject({ kind: 'csv', fileName: 'seattle-weather.csv', features: ['temp_max', 'day_sin'], targets: ['temp_max'], orderColumn: 't' });
    expect(o.data?.kind === 'csv' ? o.data.text : '').toBe('"t","temp_max","day_sin"\n0,1,0.5\n1,3,-0.5\n');
    expect(o.split).toEqual({ train: 0.6, val: 0.2 });
    expect(o.settings?.epochs).toBe(7);
  });

  test('with nothing loaded the script keeps its own default data', () => {
    expect(pythonExportOptions().data).toBeUndefined();
  });
});
