/**
 * Interop bench (`npx tsx bench/interop.bench.ts`, or part of `npm run bench`):
 *
 *   - import + analysis of every reference model.json (weightsManifest removed),
 *     beside TF.js loading the same topology (`tf.loadLayersModel`, CPU, zero
 *     initial weights so weight drawing is not what is measured) and counting;
 *   - export of ResNet-50 to model.json, Python, JavaScript and SVG.
 *
 * Merges an `interop` section into bench/results.json.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { analyze, parseGraphText } from '../src/engine/index.ts';
import { toTfjsCode } from '../src/interop/export-js.ts';
import { toKerasPython } from '../src/interop/export-python.ts';
import { toSvg } from '../src/interop/export-svg.ts';
import { toTfjsModelJson } from '../src/interop/export-tfjs.ts';
import { importKerasModel } from '../src/interop/import-keras.ts';
import { mergeResults, printTable, type Target } from './results.ts';

const dir = new URL('../tests/interop/fixtures/reference/', import.meta.url);
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Median ms of `f` over runs totalling about `budgetMs` (at least 3, at most 200). */
function time(f: () => void, budgetMs = 300): number {
  f(); // warm-up
  const xs: number[] = [];
  let spent = 0;
  while (xs.length < 3 || (spent < budgetMs && xs.length < 200)) {
    const t0 = performance.now();
    f();
    const dt = performance.now() - t0;
    xs.push(dt);
    spent += dt;
  }
  return median(xs);
}

async function tfLoadMs(topology: unknown): Promise<{ ms: number; params: number }> {
  const zero = { class_name: 'Zeros', config: {} };
  const t = structuredClone(topology) as { model_config?: { config: { layers?: unknown } }; config?: { layers?: unknown } };
  const mc = (t.model_config ?? t) as { config: unknown };
  const layers = (Array.isArray(mc.config) ? mc.config : (mc.config as { layers: unknown[] }).layers) as { class_name: string; config: Record<string, unknown> }[];
  const zeroInit = (l: { class_name: string; config: Record<string, unknown> }) => {
    for (const k of ['kernel', 'recurrent', 'depthwise', 'pointwise', 'embeddings']) {
      if (k === 'kernel' && l.class_name === 'SeparableConv2D') continue;
      if (`${k}_initializer` in l.config) l.config[`${k}_initializer`] = zero;
    }
    for (const inner of ['layer', 'backward_layer']) {
      const w = l.config[inner] as typeof l | undefined;
      if (w && typeof w === 'object' && w.config) zeroInit(w);
    }
  };
  for (const l of layers) zeroInit(l);
  const t0 = performance.now();
  const m = await tf.loadLayersModel({ load: async () => ({ modelTopology: t as tf.io.ModelArtifacts['modelTopology'], weightSpecs: [], weightData: new ArrayBuffer(0) }) }, { strict: false });
  const params = m.countParams();
  const ms = performance.now() - t0;
  m.dispose();
  return { ms, params };
}

async function main() {
  await tf.setBackend('cpu');
  const rows: string[][] = [['model.json', 'layers', 'params', 'netloom import+analysis ms', 'TF.js load+count ms', 'ratio']];
  const section: Record<string, unknown> = {};
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const doc = JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
    delete doc.weightsManifest;
    let params = 0;
    let layers = 0;
    const ms = time(() => {
      const r = importKerasModel(doc);
      if (!r.ok) throw new Error(f);
      const a = analyze(r.graph);
      params = a.totals.params;
      layers = a.nodes.length;
    });
    let tfMs: number | null = null;
    try {
      const t = await tfLoadMs(doc.modelTopology);
      if (t.params === params) tfMs = t.ms;
      else console.warn(`${f}: TF.js counts ${t.params}, netloom ${params}`);
    } catch (e) {
      console.warn(`${f}: TF.js cannot load it (${(e as Error).message.split('\n')[0].slice(0, 100)})`);
    }
    rows.push([f, String(layers), params.toLocaleString('en-US'), String(r3(ms)), tfMs === null ? '—' : String(Math.round(tfMs)), tfMs === null ? '—' : `${Math.round(tfMs / ms)}×`]);
    section[f] = { layers, params, importAnalyzeMs: r3(ms), tfLoadMs: tfMs === null ? null : Math.round(tfMs) };
  }
  printTable(rows);

  const resnet = parseGraphText(readFileSync(new URL('../examples/resnet50.json', import.meta.url), 'utf8'));
  if (!resnet.ok) throw new Error('resnet50 example');
  const g = resnet.graph;
  const exports: Record<string, number> = {
    'model.json': time(() => JSON.stringify(toTfjsModelJson(g))),
    python: time(() => toKerasPython(g)),
    javascript: time(() => toTfjsCode(g)),
    svg: time(() => toSvg(g)),
  };
  console.log();
  printTable([['ResNet-50 export', 'ms'], ...Object.entries(exports).map(([k, v]) => [k, String(r3(v))])]);

  const resnetImport = (section['ts-resnet50.json'] as { importAnalyzeMs: number }).importAnalyzeMs;
  const targets: Target[] = [{
    id: 'interop-resnet50-import', bench: 'interop', description: 'import + analysis of the ResNet-50 model.json (177 layers)',
    value: resnetImport, target: '< 20 ms', pass: resnetImport < 20,
  }];
  mergeResults({ interop: { import: section, exportResNet50Ms: Object.fromEntries(Object.entries(exports).map(([k, v]) => [k, r3(v)])) } }, targets);
}

await main();
