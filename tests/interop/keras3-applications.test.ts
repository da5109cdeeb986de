/**
 * The keras.applications examples against the applications themselves: Keras 3
 * builds each model with `weights=None` (python/oracle.py, one process, jax on
 * the CPU) and every layer's parameter and trainable counts must equal the
 * netloom example's, expanded, layer by layer by name, with the totals and the
 * trainable split. Layers the Keras source leaves unnamed (MobileNetV3's ReLU()
 * and hard_swish Activation, the ReLU(6.) of its hard_sigmoid) carry Keras's
 * automatic names, which say nothing about where they sit: those are compared as
 * what is left over on both sides, counts sorted. Then Keras's own
 * `model.to_json()` of EfficientNetB0 and MobileNetV3Small, made at test time,
 * must import into netloom with Keras's totals.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, parseGraphText, type Analysis } from '../../src/engine/index.ts';
import { importKerasModel } from '../../src/interop/import-keras.ts';
import { ensurePython } from '../../scripts/python-env.mjs';
import { keras3, type Keras3Case, type Keras3Result } from '../support/keras3.ts';

const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'netloom-keras3-apps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Example file → the keras.applications call it reproduces. */
const APPS: Record<string, string> = {
  'efficientnetb0.json': 'EfficientNetB0',
  'efficientnetb7.json': 'EfficientNetB7',
};

/** The models whose Keras 3 to_json() must import with Keras's totals. */
const IMPORTED = ['EfficientNetB0'];

function loadExample(file: string): Analysis {
  const r = parseGraphText(readFileSync(join(root, 'examples', file), 'utf8'));
  if (!r.ok) throw new Error(`${file}: ${r.problems.map((p) => p.message).join('; ')}`);
  return analyze(r.graph);
}

/** Keras's automatic names (`re_lu_3`, `activation_12`, `dropout`): the layer's class, snake-cased, and a counter. */
const AUTO = /^(re_lu|activation|dropout|flatten|global_average_pooling2d|rescaling|normalization|input_layer)(_\d+)?$/;

/** One line per disagreement between the netloom example and Keras's build of the application. */
function differences(file: string, analysis: Analysis, result: Keras3Result): string[] {
  if (!result.ok) return [`${file}: Keras 3 could not build the application: ${result.error}`];
  const out: string[] = [];
  const netloom = new Map(analysis.nodes.map((n) => [n.name, n]));
  const leftKeras: string[] = [];
  const matched = new Set<string>();
  for (const k of result.layers) {
    const n = netloom.get(k.name);
    if (!n) {
      if (AUTO.test(k.name)) leftKeras.push(`${k.params}/${k.trainable}`);
      else out.push(`${file} ${k.name} (${k.className}, ${k.params} params): in Keras, no netloom layer of that name`);
      continue;
    }
    matched.add(k.name);
    if (k.params !== n.paramCount) out.push(`${file} ${k.name} (${k.className}): params netloom ${n.paramCount} vs Keras ${k.params}`);
    if (k.trainable !== n.trainable) out.push(`${file} ${k.name} (${k.className}): trainable netloom ${n.trainable} vs Keras ${k.trainable}`);
  }
  const leftNetloom = analysis.nodes.filter((n) => !matched.has(n.name)).map((n) => `${n.paramCount}/${n.trainable}`);
  const sorted = (xs: string[]) => [...xs].sort().join(' ');
  if (sorted(leftKeras) !== sorted(leftNetloom)) {
    out.push(`${file}: the unnamed Keras layers (params/trainable: ${sorted(leftKeras)}) differ from netloom's remaining layers (${sorted(leftNetloom)})`);
  }
  if (leftKeras.length !== leftNetloom.length) out.push(`${file}: ${result.layers.length} layers in Keras, ${analysis.nodes.length} in netloom`);
  const t = analysis.totals;
  for (const key of ['params', 'trainable', 'nonTrainable'] as const) {
    if (result.totals[key] !== t[key]) out.push(`${file} totals: ${key} netloom ${t[key]} vs Keras ${result.totals[key]}`);
  }
  return out;
}

let results = new Map<string, Keras3Result>();

beforeAll(() => {
  ensurePython();
}, 600_000);

beforeAll(() => {
  const cases: Keras3Case[] = Object.values(APPS).map((app) => {
    const script = join(dir, `${app}.py`);
    writeFileSync(script, `import keras\n\n\ndef build_model():\n    return keras.applications.${app}(weights=None)\n`);
    return { id: app, script };
  });
  results = new Map(keras3(cases, { toJson: true, timeoutMs: 900_000 }).map((r) => [r.id, r]));
}, 930_000);

describe('keras.applications in Keras 3 (weights=None) against the netloom examples', () => {
  it.each(Object.entries(APPS))('%s equals keras.applications.%s layer by layer, in total and in the trainable split', (file, app) => {
    expect(differences(file, loadExample(file), results.get(app)!)).toEqual([]);
  });
});

describe("Keras 3's own model.to_json() of an application imports with Keras's totals", () => {
  it.each(IMPORTED)('%s', (app) => {
    const r = results.get(app)!;
    expect(r.ok, r.ok ? '' : r.error).toBe(true);
    if (!r.ok) return;
    const imported = importKerasModel(r.json, { name: app });
    expect(imported.ok, imported.ok ? '' : JSON.stringify(imported.problems)).toBe(true);
    if (!imported.ok) return;
    const a = analyze(imported.graph);
    expect(a.problems).toEqual([]);
    expect({ params: a.totals.params, trainable: a.totals.trainable, nonTrainable: a.totals.nonTrainable, layers: a.nodes.length }).toEqual({
      ...r.totals, layers: r.layers.length,
    });
  });
});
