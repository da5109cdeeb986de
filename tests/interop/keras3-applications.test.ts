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
  'convnext-tiny.json': 'ConvNeXtTiny',
  'efficientnetb0.json': 'EfficientNetB0',
  'efficientnetb7.json': 'EfficientNetB7',
  'efficientnetv2s.json': 'EfficientNetV2S',
  'inception-resnet-v2.json': 'InceptionResNetV2',
  'mobilenetv3small.json': 'MobileNetV3Small',
  'mobilenetv3large.json': 'MobileNetV3Large',
  'nasnetmobile.json': 'NASNetMobile',
};

/**
 * netloom layers that stand for what the application computes with an
 * operation instead of a layer (ConvNeXt's `inputs + layer(x)`): Keras lists no
 * layer for them, so they must hold no weights.
 */
const OPERATIONS: Record<string, RegExp> = {
  'convnext-tiny.json': /^convnext_tiny_stage_\d+_block_\d+_add$/,
  // CustomScaleLayer (x + r·scale) is a Rescaling of r and an Add; the Add stands for the Keras layer.
  'inception-resnet-v2.json': /^block(35|17|8)_\d+_residual_scale$/,
};

/** The models whose Keras 3 to_json() must import with Keras's totals. */
const IMPORTED = ['EfficientNetB0', 'MobileNetV3Small'];

function loadExample(file: string): Analysis {
  const r = parseGraphText(readFileSync(join(root, 'examples', file), 'utf8'));
  if (!r.ok) throw new Error(`${file}: ${r.problems.map((p) => p.message).join('; ')}`);
  return analyze(r.graph);
}

/**
 * Keras's automatic names (`re_lu_3`, `activation_12`, `dropout`): the layer's
 * class, snake-cased, and a counter. A netloom layer named so must be Keras's
 * layer of that name; Keras's automatic names inside a block, which netloom
 * names by their place, are compared as the leftovers.
 */
const AUTO = /^(re_lu|activation|dropout|flatten|global_average_pooling2d|rescaling|normalization|input_layer|conv2d|batch_normalization|custom_scale_layer|max_pooling2d|average_pooling2d|zero_padding2d|cropping2d|concatenate|add)(_\d+)?$/;

/** The models nested in a Keras 3 to_json() (ConvNeXt's stem is a Sequential): name → the names of their layers. */
function nestedModels(json: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const layers = (json as { config?: { layers?: unknown[] } } | undefined)?.config?.layers ?? [];
  for (const l of layers as { class_name?: string; config?: { name?: string; layers?: { class_name?: string; config?: { name?: string } }[] } }[]) {
    if ((l.class_name === 'Sequential' || l.class_name === 'Functional') && l.config?.name) {
      out.set(l.config.name, (l.config.layers ?? []).filter((x) => x.class_name !== 'InputLayer').map((x) => x.config?.name ?? ''));
    }
  }
  return out;
}

/** One line per disagreement between the netloom example and Keras's build of the application. */
function differences(file: string, analysis: Analysis, result: Keras3Result): string[] {
  if (!result.ok) return [`${file}: Keras 3 could not build the application: ${result.error}`];
  const out: string[] = [];
  const netloom = new Map(analysis.nodes.map((n) => [n.name, n]));
  const leftKeras: string[] = [];
  const matched = new Set<string>();
  const ops = OPERATIONS[file];
  if (ops) {
    for (const n of analysis.nodes) {
      if (!ops.test(n.name)) continue;
      matched.add(n.name);
      if (n.paramCount !== 0) out.push(`${file} ${n.name} (${n.kind}): stands for an operation Keras applies without a layer, yet holds ${n.paramCount} params`);
    }
  }
  const nested = nestedModels(result.json);
  for (const k of result.layers) {
    const inner = nested.get(k.name);
    if (inner) {
      // A nested Sequential is one row in Keras; its layers, named in Keras's own to_json(), are netloom layers.
      const members = inner.map((name) => netloom.get(name));
      if (members.some((m) => !m)) {
        out.push(`${file} ${k.name} (${k.className}): Keras nests ${inner.join(', ')}; netloom lacks ${inner.filter((_, i) => !members[i]).join(', ')}`);
        continue;
      }
      for (const name of inner) matched.add(name);
      const sum = (f: (n: NonNullable<(typeof members)[number]>) => number) => members.reduce((t, m) => t + f(m!), 0);
      if (k.params !== sum((m) => m.paramCount)) out.push(`${file} ${k.name} (${k.className}): params netloom ${sum((m) => m.paramCount)} (${inner.join(' + ')}) vs Keras ${k.params}`);
      if (k.trainable !== sum((m) => m.trainable)) out.push(`${file} ${k.name} (${k.className}): trainable netloom ${sum((m) => m.trainable)} vs Keras ${k.trainable}`);
      continue;
    }
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
  const left = analysis.nodes.filter((n) => !matched.has(n.name));
  for (const n of left) if (AUTO.test(n.name)) out.push(`${file} ${n.name} (${n.kind}): named as Keras names automatically, yet Keras has no layer of that name`);
  const leftNetloom = left.map((n) => `${n.paramCount}/${n.trainable}`);
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
    // One node per entry of the to_json(): its layers and the operations (x + 3.0) Keras lists beside them.
    const entries = (r.json as { config: { layers: unknown[] } }).config.layers.length;
    expect({ params: a.totals.params, trainable: a.totals.trainable, nonTrainable: a.totals.nonTrainable, nodes: a.nodes.length }).toEqual({
      ...r.totals, nodes: entries,
    });
  });
});
