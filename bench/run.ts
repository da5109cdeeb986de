/**
 * Engine benchmark (`npm run bench`): how fast netloom analyses graphs, beside
 * how long TF.js takes to build the same model.
 *
 *   - full `analyze(graph)` of ResNet-50 (examples/resnet50.json),
 *   - full `analyze(graph)` of a generated 10,000-node residual graph,
 *   - incremental `analyze(edited, previous)` after one parameter edit on that
 *     graph: one edit near the end that changes few results (leafEdit) and one
 *     at the start that changes almost all of them (rootEdit),
 *   - TF.js (CPU backend) building ResNet-50 with `toTfModel` + `countParams()`,
 *     and the 10,000-node graph once, in a child process killed after 60 s.
 *
 * Prints a table and merges its sections into bench/results.json (keys owned
 * by other benches are left as they are). A benchmark, not a test: it always
 * writes its numbers; missed targets show as FAIL.
 *
 * Everything here is measured in one run on one machine, so the numbers are
 * comparable with each other; compare across machines only with care.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { analyze, GraphBuilder, parseGraphText, type Analysis, type Graph } from '../src/engine/index.ts';
import { toTfModel } from '../src/compile/to-tf.ts';
import { mergeResults, printTable, RESULTS, type Target } from './results.ts';

type Tf = typeof import('@tensorflow/tfjs');

const RESNET = fileURLToPath(new URL('../examples/resnet50.json', import.meta.url));
const CHILD_FLAG = '--tfjs-10k-child';
const TFJS_10K_LIMIT_MS = 60_000;

const TARGETS = {
  resnet50AnalyzeMs: 2,
  graph10kAnalyzeMs: 30,
  tfjsOverNetloomResnet50: 1000,
};

// ---------- statistics ----------

interface Stats {
  runs: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  const p95 = s[Math.min(n - 1, Math.ceil(0.95 * n) - 1)]; // nearest rank
  const mean = s.reduce((a, b) => a + b, 0) / n;
  return { runs: n, median: r4(median), p95: r4(p95), min: r4(s[0]), max: r4(s[n - 1]), mean: r4(mean) };
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Something the optimiser cannot prove unused. */
let sink = 0;

/** Times `fn` `runs` times after `warmup` untimed calls; milliseconds per call. */
function time(fn: () => Analysis, warmup: number, runs: number): Stats {
  for (let i = 0; i < warmup; i++) sink += fn().nodes.length;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const a = fn();
    samples.push(performance.now() - t0);
    sink += a.nodes.length;
  }
  return stats(samples);
}

// ---------- graphs ----------

function loadResnet50(): Graph {
  const loaded = parseGraphText(readFileSync(RESNET, 'utf8'));
  if (!loaded.ok) throw new Error(`examples/resnet50.json does not load: ${JSON.stringify(loaded.problems.slice(0, 3))}`);
  return loaded.graph;
}

const GRAPH_10K_NODES = 10_000;
const WIDTH = 64; // channels carried between blocks
const INNER = 16; // bottleneck width

/**
 * A valid 10,000-node network at small spatial size (8×8 after the stem):
 * a Conv/BN/ReLU/MaxPool stem, 999 blocks of 10 nodes, a Dense head.
 * Three of every four blocks are ResNet bottlenecks (1×1 → 3×3 → 1×1 conv,
 * each with BatchNormalization, Add with the shortcut, ReLU); every fourth is
 * a two-branch block (1×1 and 3×3 branches, Concatenate, a Dense mixing the
 * channels, Add, ReLU). Names are fixed, so the edits below can find nodes.
 */
function graph10k(): Graph {
  const b = new GraphBuilder('residual_10k', { title: 'Generated 10,000-node residual network (benchmark)' });
  const conv = (filters: number, k: number, from: string, name: string) =>
    b.add('Conv2D', { filters, kernelSize: [k, k], padding: 'same' }, [from], name);
  const bn = (from: string, name: string) => b.add('BatchNormalization', {}, [from], name);
  const relu = (from: string, name: string) => b.add('Activation', { activation: 'relu' }, [from], name);

  let x = b.add('Input', { shape: [32, 32, 3] }, [], 'input');
  x = b.add('Conv2D', { filters: WIDTH, kernelSize: [3, 3], strides: [2, 2], padding: 'same' }, [x], 'stem_conv');
  x = relu(bn(x, 'stem_bn'), 'stem_relu');
  x = b.add('MaxPooling2D', { poolSize: [2, 2] }, [x], 'stem_pool');
  const blocks = 999;
  for (let i = 1; i <= blocks; i++) {
    const p = `block${i}`;
    if (i % 4 === 0) {
      const a = relu(bn(conv(WIDTH / 2, 1, x, `${p}_a_conv`), `${p}_a_bn`), `${p}_a_relu`);
      const c = relu(bn(conv(WIDTH / 2, 3, x, `${p}_b_conv`), `${p}_b_bn`), `${p}_b_relu`);
      const cat = b.add('Concatenate', {}, [a, c], `${p}_concat`);
      const mix = b.add('Dense', { units: WIDTH }, [cat], `${p}_mix`);
      x = relu(b.add('Add', {}, [x, mix], `${p}_add`), `${p}_out`);
    } else {
      let y = relu(bn(conv(INNER, 1, x, `${p}_1_conv`), `${p}_1_bn`), `${p}_1_relu`);
      y = relu(bn(conv(INNER, 3, y, `${p}_2_conv`), `${p}_2_bn`), `${p}_2_relu`);
      y = bn(conv(WIDTH, 1, y, `${p}_3_conv`), `${p}_3_bn`);
      x = relu(b.add('Add', {}, [x, y], `${p}_add`), `${p}_out`);
    }
  }
  x = b.add('GlobalAveragePooling2D', {}, [x], 'head_pool');
  x = b.add('Dense', { units: 256, activation: 'relu' }, [x], 'head_fc1');
  x = b.add('Dropout', { rate: 0.5 }, [x], 'head_drop');
  x = b.add('Dense', { units: 128, activation: 'relu' }, [x], 'head_fc2');
  b.add('Dense', { units: 10, activation: 'softmax' }, [x], 'predictions');
  const g = b.build();
  if (g.nodes.length !== GRAPH_10K_NODES) throw new Error(`generated ${g.nodes.length} nodes, expected ${GRAPH_10K_NODES}`);
  return g;
}

/** A new graph object: node `id` replaced by a copy with `params` changed, every other node object reused. */
function withParams(g: Graph, id: string, params: Record<string, unknown>): Graph {
  let found = false;
  const nodes = g.nodes.map((n) => {
    if (n.id !== id) return n;
    found = true;
    return { ...n, params: { ...n.params, ...params } };
  });
  if (!found) throw new Error(`no node ${id}`);
  return { ...g, nodes };
}

function assertClean(a: Analysis, what: string): void {
  if (a.problems.length) {
    throw new Error(`${what} has ${a.problems.length} problems, e.g. ${JSON.stringify(a.problems.slice(0, 3))}`);
  }
}

/** How many node results the incremental analysis had to compute afresh. */
function recomputed(a: Analysis, previous: Analysis): number {
  return a.nodes.filter((r) => previous.byId.get(r.id) !== r).length;
}

// ---------- TF.js ----------

async function loadTf(): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

/** Builds the model with `toTfModel` (analysis given, so only TF.js is timed), counts params, disposes. */
function tfBuild(tf: Tf, graph: Graph, analysis: Analysis): { ms: number; params: number } {
  const t0 = performance.now();
  const model = toTfModel(tf, graph, analysis);
  const params = model.countParams();
  const ms = performance.now() - t0;
  model.dispose();
  return { ms, params };
}

interface Tfjs10k {
  status: 'done' | 'skipped';
  buildMs?: number;
  params?: number;
  reason?: string;
}

/** The 10,000-node build runs in a child process so it can be stopped at the time limit. */
function tfjs10kInChild(): Tfjs10k {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, script, CHILD_FLAG], {
    encoding: 'utf8', timeout: TFJS_10K_LIMIT_MS, killSignal: 'SIGKILL', maxBuffer: 16 << 20,
  });
  if (child.error || child.status !== 0) {
    const timedOut = (child.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' || child.signal === 'SIGKILL';
    return {
      status: 'skipped',
      reason: timedOut
        ? `TF.js did not finish building the 10,000-node model within ${TFJS_10K_LIMIT_MS / 1000} s (child process killed; limit includes loading TF.js)`
        : `child process failed (status ${child.status}, signal ${child.signal}): ${(child.stderr || String(child.error)).trim().slice(-500)}`,
    };
  }
  const line = child.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Tfjs10k;
}

async function childMain(): Promise<void> {
  const tf = await loadTf();
  const g = graph10k();
  const a = analyze(g);
  assertClean(a, 'the 10,000-node graph');
  const { ms, params } = tfBuild(tf, g, a);
  if (params !== a.totals.params) throw new Error(`TF.js counts ${params} parameters, netloom ${a.totals.params}`);
  process.stdout.write(`${JSON.stringify({ status: 'done', buildMs: r4(ms), params } satisfies Tfjs10k)}\n`);
}

// ---------- main ----------

const ms = (x: number) => (x < 10 ? x.toFixed(3) : x < 1000 ? x.toFixed(1) : x.toFixed(0));
const commas = (n: number) => n.toLocaleString('en-US');

async function main(): Promise<void> {
  const cpus = os.cpus();
  const machine = {
    cpus: cpus.length,
    model: cpus[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    date: new Date().toISOString(),
    /** 1-minute load average before and after the run: above the CPU count, other work shared the cores. */
    loadavg1: { start: r4(os.loadavg()[0]), end: 0 },
  };
  console.log(`netloom engine bench — ${machine.cpus} × ${machine.model}, Node ${machine.node}, load ${machine.loadavg1.start}\n`);

  // Engine first, before TF.js is loaded, so its allocations do not disturb these timings.
  const resnet = loadResnet50();
  const resnetA = analyze(resnet);
  assertClean(resnetA, 'ResNet-50');
  const resnetStats = time(() => analyze(resnet), 100, 300);

  const t0 = performance.now();
  const g = graph10k();
  const generateMs = performance.now() - t0;
  const gA = analyze(g);
  assertClean(gA, 'the 10,000-node graph');
  const g10kStats = time(() => analyze(g), 10, 100);

  // Leaf edit: the first 1×1 conv of the last bottleneck block. Its BN and ReLU change
  // shape and the 3×3 conv after them gets new weights but keeps its output shape.
  const leafNode = 'block999_1_conv';
  const leaf = withParams(g, leafNode, { filters: INNER * 2 });
  // Root edit: the stem conv's stride; every spatial size downstream changes (32×32 → 16×16
  // after the stem pool instead of 8×8), until global pooling collapses them in the head.
  const rootNode = 'stem_conv';
  const root = withParams(g, rootNode, { strides: [1, 1] });
  const leafA = analyze(leaf, gA);
  const rootA = analyze(root, gA);
  assertClean(leafA, 'the leaf-edited graph');
  assertClean(rootA, 'the root-edited graph');
  const leafChanged = recomputed(leafA, gA);
  const rootChanged = recomputed(rootA, gA);
  const leafStats = time(() => analyze(leaf, gA), 20, 200);
  const rootStats = time(() => analyze(root, gA), 10, 100);

  // TF.js: ResNet-50 build + countParams, one warm-up then median of five.
  const tf = await loadTf();
  const tfRuns: number[] = [];
  for (let i = 0; i < 6; i++) {
    const { ms: t, params } = tfBuild(tf, resnet, resnetA);
    if (params !== resnetA.totals.params) throw new Error(`TF.js counts ${params} ResNet-50 parameters, netloom ${resnetA.totals.params}`);
    if (i > 0) tfRuns.push(t);
  }
  const tfResnet = stats(tfRuns);
  const tf10k = tfjs10kInChild();

  const ratioResnet = tfResnet.median / resnetStats.median;
  const ratio10k = tf10k.buildMs !== undefined ? tf10k.buildMs / g10kStats.median : null;

  const targets: Target[] = [
    {
      id: 'engine.resnet50AnalyzeMs', bench: 'engine', description: 'ResNet-50 full analysis, median',
      value: resnetStats.median, target: `< ${TARGETS.resnet50AnalyzeMs} ms`, pass: resnetStats.median < TARGETS.resnet50AnalyzeMs,
    },
    {
      id: 'engine.graph10kAnalyzeMs', bench: 'engine', description: '10,000-node full analysis, median',
      value: g10kStats.median, target: `< ${TARGETS.graph10kAnalyzeMs} ms`, pass: g10kStats.median < TARGETS.graph10kAnalyzeMs,
    },
    {
      id: 'ratios.tfjsOverNetloomResnet50', bench: 'engine', description: 'TF.js ResNet-50 build ÷ netloom ResNet-50 analysis (medians)',
      value: r4(ratioResnet), target: `≥ ${TARGETS.tfjsOverNetloomResnet50}×`, pass: ratioResnet >= TARGETS.tfjsOverNetloomResnet50,
    },
  ];

  const engine = {
    resnet50AnalyzeMs: { ...resnetStats, nodes: resnet.nodes.length, params: resnetA.totals.params },
    graph10kAnalyzeMs: { ...g10kStats, nodes: g.nodes.length, edges: g.edges.length, params: gA.totals.params, generateMs: r4(generateMs) },
    graph10kReanalyzeMs: {
      leafEdit: { ...leafStats, node: leafNode, edit: `filters ${INNER} → ${INNER * 2}`, recomputedNodes: leafChanged },
      rootEdit: { ...rootStats, node: rootNode, edit: 'strides [2, 2] → [1, 1]', recomputedNodes: rootChanged },
    },
  };
  const tfjs = {
    version: tf.version.tfjs,
    backend: tf.getBackend(),
    measures: 'toTfModel(tf, graph, analysis) + model.countParams(), analysis precomputed; model disposed after each run',
    resnet50BuildMs: { ...tfResnet, warmup: 1 },
    graph10kBuild: { ...tf10k, limitMs: TFJS_10K_LIMIT_MS, runs: tf10k.status === 'done' ? 1 : 0 },
  };
  const ratios = {
    tfjsBuildOverNetloomAnalyzeResnet50: r4(ratioResnet),
    tfjsBuildOverNetloomAnalyze10k: ratio10k === null ? null : r4(ratio10k),
  };

  // ---------- table ----------
  const rows: string[][] = [
    ['measure', 'median ms', 'p95 ms', 'runs', 'target', 'result'],
    ['ResNet-50 analyze (177 nodes)', ms(resnetStats.median), ms(resnetStats.p95), String(resnetStats.runs),
      targets[0].target, targets[0].pass ? 'PASS' : 'FAIL'],
    [`10k graph analyze (${commas(g.nodes.length)} nodes)`, ms(g10kStats.median), ms(g10kStats.p95), String(g10kStats.runs),
      targets[1].target, targets[1].pass ? 'PASS' : 'FAIL'],
    [`10k re-analyze, leaf edit (${leafChanged} recomputed)`, ms(leafStats.median), ms(leafStats.p95), String(leafStats.runs), '', ''],
    [`10k re-analyze, root edit (${commas(rootChanged)} recomputed)`, ms(rootStats.median), ms(rootStats.p95), String(rootStats.runs), '', ''],
    [`TF.js ${tf.version.tfjs} (cpu) ResNet-50 build`, ms(tfResnet.median), ms(tfResnet.p95), String(tfResnet.runs), '', ''],
    ['TF.js (cpu) 10k graph build', tf10k.buildMs !== undefined ? ms(tf10k.buildMs) : 'skipped', '', tf10k.status === 'done' ? '1' : '0', '', ''],
    ['ratio TF.js build / netloom analyze, ResNet-50', `${commas(Math.round(ratioResnet))}×`, '', '',
      targets[2].target, targets[2].pass ? 'PASS' : 'FAIL'],
  ];
  if (ratio10k !== null) rows.push(['ratio TF.js build / netloom analyze, 10k', `${commas(Math.round(ratio10k))}×`, '', '', '', '']);
  printTable(rows);
  if (tf10k.status === 'skipped') console.log(`\nTF.js 10k build skipped: ${tf10k.reason}`);
  console.log(`\n10k graph: ${commas(g.nodes.length)} nodes, ${commas(g.edges.length)} edges, ${commas(gA.totals.params)} params, 0 problems`);

  machine.loadavg1.end = r4(os.loadavg()[0]);
  // The bench itself keeps about one core busy, so only load beyond that points at other work.
  if (machine.loadavg1.start > machine.cpus * 0.75 || machine.loadavg1.end > machine.cpus + 0.5) {
    console.log(`note: load average ${machine.loadavg1.start} → ${machine.loadavg1.end} on ${machine.cpus} CPUs; other work shared the machine, so timings are noisier than usual`);
  }
  mergeResults({ machine, engine, tfjs, ratios }, targets);
  console.log(`results merged into ${RESULTS.replace(`${process.cwd()}/`, '')}`);
  if (sink < 0) console.log(sink);
}

if (process.argv.includes(CHILD_FLAG)) {
  await childMain();
} else {
  await main();
}
