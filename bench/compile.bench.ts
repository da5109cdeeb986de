/**
 * Compiler bench (`npx tsx bench/compile.bench.ts`, or part of `npm run bench`):
 *
 *   - compile time of every example (`compile` = analysis + building every
 *     `tf.layers` layer and its weights) on TF.js's CPU backend in Node, with
 *     the verification against the engine checked on the way;
 *   - forward-pass throughput (samples/s) of LeNet-5 and the Jena GRU on
 *     webgpu, webgl and cpu, all in one headless Chromium run, as ratios to
 *     cpu. On a machine without a GPU WebGPU runs on SwiftShader (software),
 *     so only the ratios and their trend mean something; the adapter is printed.
 *
 * Merges a `compile` section into bench/results.json.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { compile } from '../src/compile/compile.ts';
import { verify } from '../src/compile/verify.ts';
import { exampleFiles, loadExample } from '../tests/compile/fixtures.ts';
import { launchBrowser, startApp } from '../tests/e2e/support/harness.ts';
import { mergeResults, printTable } from './results.ts';

const r2 = (x: number) => Math.round(x * 100) / 100;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---------- compile time per example (Node, CPU) ----------

interface CompileRow { example: string; layers: number; params: number; medianMs: number; runs: number; verified: boolean }

async function compileTimes(): Promise<CompileRow[]> {
  await tf.setBackend('cpu');
  const rows: CompileRow[] = [];
  for (const file of exampleFiles()) {
    const graph = loadExample(file);
    const samples: number[] = [];
    let verified = true;
    let layers = 0;
    let params = 0;
    // Small models get up to 5 runs; large ones (seconds each) one or two.
    for (let i = 0; i < 5 && (i === 0 || samples.reduce((a, b) => a + b, 0) < 3000); i++) {
      const t0 = performance.now();
      let built: ReturnType<typeof compile>;
      try {
        built = compile(tf, graph);
      } catch (e) {
        console.warn(`${file}: not compiled: ${(e as Error).message.split('\n')[0]}`);
        break;
      }
      samples.push(performance.now() - t0);
      const v = verify(built.model, built.analysis);
      verified &&= v.ok;
      layers = v.layers;
      params = v.total.tfParams;
      built.model.dispose();
    }
    if (samples.length) rows.push({ example: file.replace(/\.json$/, ''), layers, params, medianMs: r2(median(samples)), runs: samples.length, verified });
  }
  return rows;
}

// ---------- forward-pass throughput in Chromium ----------

interface BrowserRow { example: string; backend: string; batch: number; msPerBatch: number; samplesPerSecond: number; repeats: number; ratioToCpu: number | null }

/** Runs in the page (a string, so the bundler's helpers never leak into it); imports the app's own modules from vite. */
const PAGE_BENCH = `(async ({ examples, batch }) => {
  const rt = await import('/src/ui/compile/runtime.ts');
  const { measureThroughput } = await import('/src/compile/run.ts');
  const { parseGraphText } = await import('/src/engine/index.ts');
  const graphs = {};
  for (const key of examples) graphs[key] = parseGraphText(await (await fetch('/examples/' + key + '.json')).text()).graph;
  const rows = [];
  let adapter = null;
  const reasons = {};
  for (const wanted of ['webgpu', 'webgl', 'cpu']) {
    const choice = await rt.switchBackend(wanted);
    if (choice.backend !== wanted) { reasons[wanted] = choice.reason ?? 'unavailable'; continue; }
    if (choice.adapter) adapter = choice.adapter;
    const { tf, session } = await rt.loadRuntime();
    for (const key of examples) {
      const { model } = session.compile(graphs[key]);
      const r = await measureThroughput(tf, model, { batch, minMs: 3000, maxRepeats: 20 });
      rows.push({ example: key, backend: r.backend, batch, msPerBatch: r.ms, samplesPerSecond: r.samplesPerSecond, repeats: r.repeats });
      session.dispose();
    }
  }
  return { rows, adapter, reasons, userAgent: navigator.userAgent };
})`;

async function browserThroughput(examples: string[], batch: number) {
  const app = await startApp();
  const browser = await launchBrowser({ webgpu: true });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(0);
    await page.goto(app.url);
    await page.waitForSelector('#root > *', { timeout: 60_000 });
    const out = (await page.evaluate(`${PAGE_BENCH}(${JSON.stringify({ examples, batch })})`)) as {
      rows: Omit<BrowserRow, 'ratioToCpu'>[]; adapter: string | null; reasons: Record<string, string>; userAgent: string;
    };
    const cpu = new Map(out.rows.filter((r) => r.backend === 'cpu').map((r) => [r.example, r.samplesPerSecond]));
    const rows: BrowserRow[] = out.rows.map((r) => ({
      ...r, msPerBatch: r2(r.msPerBatch), samplesPerSecond: r2(r.samplesPerSecond),
      ratioToCpu: cpu.has(r.example) ? r2(r.samplesPerSecond / cpu.get(r.example)!) : null,
    }));
    return { ...out, rows };
  } finally {
    await browser.close();
    await app.close();
  }
}

// ---------- main ----------

const compileRows = await compileTimes();
console.log('\nCompile time per example (Node, @tensorflow/tfjs CPU backend):');
printTable([
  ['example', 'layers', 'params', 'compile ms (median)', 'runs', 'verified'],
  ...compileRows.map((r) => [r.example, String(r.layers), r.params.toLocaleString('en-US'), r.medianMs.toFixed(1), String(r.runs), r.verified ? 'yes' : 'NO']),
]);

const BATCH = 32;
const EXAMPLES = ['lenet5', 'jena-gru'];
const browserRun = await browserThroughput(EXAMPLES, BATCH);
console.log(`\nForward-pass throughput in headless Chromium, batch ${BATCH}; WebGPU adapter: ${browserRun.adapter ?? 'none'}`);
for (const [b, why] of Object.entries(browserRun.reasons)) console.log(`  ${b} not measured: ${why}`);
printTable([
  ['example', 'backend', 'ms / batch', 'samples/s', 'passes', '× cpu'],
  ...browserRun.rows.map((r) => [r.example, r.backend, r.msPerBatch.toFixed(1), r.samplesPerSecond.toFixed(1), String(r.repeats), r.ratioToCpu === null ? '—' : `${r.ratioToCpu}×`]),
]);

mergeResults({
  compile: {
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, loadavg: os.loadavg().map(r2) },
    compileTimeNodeCpu: compileRows,
    throughput: { batch: BATCH, adapter: browserRun.adapter, userAgent: browserRun.userAgent, unavailable: browserRun.reasons, rows: browserRun.rows },
  },
}, []);
console.log('\nMerged the compile section into bench/results.json');
