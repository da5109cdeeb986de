/**
 * Training throughput in the browser (`npx tsx bench/train-browser.bench.ts`,
 * or part of `npm run bench`): samples per second of forward + backward +
 * Adam step, with the app's own training loop (`trainModel`, the one the
 * Data & train panel runs), on webgpu, webgl and cpu in one headless Chromium
 * run, reported as ratios to cpu:
 *
 *   - the Jena GRU (examples/jena-gru.json: 240 steps × 14 features → GRU 32
 *     → Dense 1) on seeded synthetic windows of 14 features;
 *   - a small MNIST CNN (MaxPool → Conv 16 → MaxPool → Dense 10) on real digits.
 *
 * Each model first trains one epoch that is not counted (shader compilation,
 * first uploads), then one or more counted epochs until `minMs` has passed.
 * Without a GPU, WebGPU runs on SwiftShader (software): only the ratios and
 * their trend mean something there, so the adapter is printed beside them.
 * Sizes: NETLOOM_BENCH_GRU_SAMPLES (default 32) and NETLOOM_BENCH_CNN_SAMPLES
 * (default 256). Merges a `trainBrowser` section into bench/results.json.
 */
import os from 'node:os';
import { launchBrowser, startApp } from '../tests/e2e/support/harness.ts';
import { mergeResults, printTable } from './results.ts';

const r2 = (x: number) => Math.round(x * 100) / 100;

interface Row { model: string; backend: string; samples: number; batch: number; epochs: number; seconds: number; samplesPerSecond: number }

/** Runs in the page (a string, so the bundler's helpers never leak into it); imports the app's own modules from vite. */
const PAGE_BENCH = `(async ({ gruSamples, cnnSamples, batch, minMs }) => {
  const rt = await import('/src/ui/compile/runtime.ts');
  const { buildModel, trainModel, imageData } = await import('/src/train/index.ts');
  const { parseGraphText, GraphBuilder } = await import('/src/engine/index.ts');
  const { loadImageDataset, mulberry32, normal } = await import('/src/data/index.ts');
  const { browserSource } = await import('/src/data/source-browser.ts');

  const jena = parseGraphText(await (await fetch('/examples/jena-gru.json')).text()).graph;
  const rng = mulberry32(7);
  const windows = {
    count: gruSamples, xShape: [240, 14], yShape: [1],
    x: Float32Array.from({ length: gruSamples * 240 * 14 }, () => normal(rng)),
    y: Float32Array.from({ length: gruSamples }, () => normal(rng)),
  };
  const b = new GraphBuilder('mnist-cnn');
  b.chain(b.add('Input', { shape: [28, 28, 1] }, [], 'image'), [
    ['MaxPooling2D', { poolSize: [2, 2] }], ['Conv2D', { filters: 16, kernelSize: [3, 3], activation: 'relu' }],
    ['MaxPooling2D', { poolSize: [2, 2] }], ['Flatten', {}], ['Dense', { units: 10, activation: 'softmax' }],
  ]);
  const cnn = b.build();
  const { train } = await loadImageDataset(browserSource(), 'mnist', { train: cnnSamples, test: 0, seed: 1 });
  const digits = imageData(train);
  const cases = [['jena-gru', jena, windows, 'mse'], ['mnist-cnn', cnn, digits, 'sparseCategoricalCrossentropy']];

  const rows = [];
  let adapter = null;
  const reasons = {};
  for (const wanted of ['webgpu', 'webgl', 'cpu']) {
    const choice = await rt.switchBackend(wanted);
    if (choice.backend !== wanted) { reasons[wanted] = choice.reason ?? 'unavailable'; continue; }
    if (choice.adapter) adapter = choice.adapter;
    const { tf } = await rt.loadRuntime();
    for (const [name, graph, data, loss] of cases) {
      const model = buildModel(tf, graph, 1);
      const settings = { optimizer: 'adam', learningRate: 0.001, loss, batchSize: batch, seed: 1, restoreBestWeights: false };
      await trainModel(tf, model, { train: data }, { ...settings, epochs: 1 });
      let seconds = 0, samples = 0, epochs = 0;
      while (seconds * 1000 < minMs || epochs === 0) {
        const r = await trainModel(tf, model, { train: data }, { ...settings, epochs: 1 });
        seconds += r.seconds; samples += data.count; epochs++;
      }
      model.dispose();
      rows.push({ model: name, backend: tf.getBackend(), samples: data.count, batch, epochs, seconds, samplesPerSecond: samples / seconds });
    }
  }
  return { rows, adapter, reasons, userAgent: navigator.userAgent };
})`;

const GRU_SAMPLES = Number(process.env.NETLOOM_BENCH_GRU_SAMPLES ?? 32);
const CNN_SAMPLES = Number(process.env.NETLOOM_BENCH_CNN_SAMPLES ?? 256);
const BATCH = 32;
const MIN_MS = 2000;

const app = await startApp();
const browser = await launchBrowser({ webgpu: true });
let out: { rows: Row[]; adapter: string | null; reasons: Record<string, string>; userAgent: string };
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(0);
  await page.goto(app.url);
  await page.waitForSelector('#root > *', { timeout: 60_000 });
  out = (await page.evaluate(`${PAGE_BENCH}(${JSON.stringify({ gruSamples: GRU_SAMPLES, cnnSamples: CNN_SAMPLES, batch: BATCH, minMs: MIN_MS })})`)) as typeof out;
} finally {
  await browser.close();
  await app.close();
}

const cpu = new Map(out.rows.filter((r) => r.backend === 'cpu').map((r) => [r.model, r.samplesPerSecond]));
const rows = out.rows.map((r) => ({ ...r, seconds: r2(r.seconds), samplesPerSecond: r2(r.samplesPerSecond), ratioToCpu: cpu.has(r.model) ? r2(r.samplesPerSecond / cpu.get(r.model)!) : null }));

console.log(`\nTraining throughput in headless Chromium (forward + backward + Adam), batch ${BATCH}; WebGPU adapter: ${out.adapter ?? 'none'}`);
for (const [b, why] of Object.entries(out.reasons)) console.log(`  ${b} not measured: ${why}`);
printTable([
  ['model', 'backend', 'samples/epoch', 'epochs timed', 'seconds', 'samples/s', '× cpu'],
  ...rows.map((r) => [r.model, r.backend, String(r.samples), String(r.epochs), r.seconds.toFixed(1), r.samplesPerSecond.toFixed(1), r.ratioToCpu === null ? '—' : `${r.ratioToCpu}×`]),
]);

mergeResults({
  trainBrowser: {
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version },
    batch: BATCH, adapter: out.adapter, userAgent: out.userAgent, unavailable: out.reasons, rows,
  },
}, []);
console.log('\nMerged the trainBrowser section into bench/results.json');
