/**
 * Every layer kind against Keras 3 itself, including what TF.js cannot build.
 * For each kind in LAYERS: its defaults, every enum and boolean value, and
 * seeded random parameters, each as a one-layer graph that netloom accepts.
 * Each case walks the whole passport:
 *   - TF.js builds it with netloom's shape and count, or the kind's declared
 *     refusal names the node (compile, model.json and the JavaScript alike);
 *   - netloom → Keras config → `keras.models.model_from_json` in Keras 3 gives
 *     netloom's output shape, `count_params()` and trainable split;
 *   - Keras 3's own `model.to_json()` of that model, imported into netloom,
 *     gives back the same kind, parameters and counts;
 *   - the kind's Python export (defaults), run under Keras 3, counts the same.
 * A kind added to LAYERS without a working passport fails here by name.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTfModel } from '../../src/compile/to-tf.ts';
import { tfRefusals } from '../../src/compile/tf-layers.ts';
import { analyze, getLayer, GraphBuilder, LAYERS, type AnyLayerSpec, type Graph, type ParamSchema } from '../../src/engine/index.ts';
import { toTfjsCode } from '../../src/interop/export-js.ts';
import { toKerasPython } from '../../src/interop/export-python.ts';
import { toKerasModelJson, toTfjsModelJson } from '../../src/interop/export-tfjs.ts';
import { importKerasModel } from '../../src/interop/import-keras.ts';
import { kerasLayerOf } from '../../src/interop/keras-export.ts';
import { ensurePython } from '../../scripts/python-env.mjs';
import { useFastInitializers } from '../support/fast-init.ts';
import { keras3, type Keras3Case, type Keras3Result } from '../support/keras3.ts';
import { mulberry32, randomParams } from '../support/random-graphs.ts';

useFastInitializers(tf);
tf.setBackend('cpu');

const dir = mkdtempSync(join(tmpdir(), 'netloom-conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An input of each rank the suite feeds (dimensions after the batch). */
const SHAPES: Record<number, number[]> = { 1: [6], 2: [7, 3], 3: [9, 8, 3] };
// Volumes and clips: (depth, height, width, channels), (time, depth, height, width, channels).
SHAPES[4] = [5, 6, 7, 2];
SHAPES[5] = [2, 4, 5, 6, 2];
const RANDOM_PER_KIND = 6;

interface Case {
  id: string;
  kind: string;
  label: string;
  graph: Graph;
}

/**
 * How a merge's second input differs from its first: the same shape (a tanh
 * of it), a 1 on the last axis (a Dense of one unit), or every axis but the
 * last left out (a global pool), the two broadcasts Keras accepts.
 */
type Branch = 'same' | 'ones' | 'lower';

/** Input(s) → the kind, named `layer`; a merge takes the input and a branch of it. */
function oneLayer(spec: AnyLayerSpec, shape: number[], params: Record<string, unknown>, id: string, branch: Branch = 'same'): Graph {
  const b = new GraphBuilder(id);
  const x = b.add('Input', { shape }, [], 'x');
  const other = branch === 'ones' ? b.add('Dense', { units: 1 }, [x], 'branch')
    : branch === 'lower' ? b.add(shape.length === 3 ? 'GlobalAveragePooling2D' : 'GlobalAveragePooling1D', {}, [x], 'branch')
      : b.add('Activation', { activation: 'tanh' }, [x], 'branch');
  const ins = spec.inputs.min >= 2 ? [x, other] : [x];
  b.add(spec.kind, params, ins, 'layer');
  return b.graph;
}

/** An element-wise merge (Add, Subtract, ...): several inputs and no axis to join on. */
const isElementwise = (spec: AnyLayerSpec) => spec.inputs.min >= 2 && !('axis' in spec.params);

/** The settings to try: defaults, each enum/boolean value, and seeded random parameters. */
function variants(spec: AnyLayerSpec, shape: number[], seed: number): { label: string; params: Record<string, unknown> }[] {
  const out: { label: string; params: Record<string, unknown> }[] = [{ label: 'defaults', params: {} }];
  for (const [k, s] of Object.entries(spec.params) as [string, ParamSchema][]) {
    for (const v of s.type === 'enum' ? s.values : s.type === 'bool' ? [true, false] : []) {
      out.push({ label: `${k}=${String(v)}`, params: { [k]: v } });
    }
  }
  for (let i = 0; i < RANDOM_PER_KIND; i++) {
    out.push({ label: `random ${seed + i}`, params: randomParams(mulberry32(seed + i), spec.kind, [null, ...shape], false) });
  }
  return out;
}

/** Every case netloom accepts; a setting that fails at one input rank is tried at the next. */
function casesOf(spec: AnyLayerSpec, k: number): Case[] {
  const ranks = spec.inputs.ranks ?? [1, 2, 3];
  const out: Case[] = [];
  for (const v of variants(spec, SHAPES[ranks[0]] ?? SHAPES[2], 9000 + 100 * k)) {
    for (const rank of ranks) {
      const id = `${spec.kind}_${out.length}`;
      const graph = oneLayer(spec, SHAPES[rank] ?? SHAPES[2], v.params, id);
      if (analyze(graph).problems.length) continue;
      out.push({ id, kind: spec.kind, label: `${v.label} on ${JSON.stringify(SHAPES[rank])}`, graph });
      break;
    }
  }
  // Keras's broadcasting: a 1 on the last axis, and a shorter shape lined up with the last axes.
  if (isElementwise(spec)) {
    for (const [branch, rank] of [['ones', 2], ['ones', 3], ['lower', 2], ['lower', 3]] as const) {
      const id = `${spec.kind}_${out.length}`;
      out.push({ id, kind: spec.kind, label: `${branch} broadcast on ${JSON.stringify(SHAPES[rank])}`, graph: oneLayer(spec, SHAPES[rank], {}, id, branch) });
    }
  }
  return out;
}

const KINDS = (LAYERS as readonly AnyLayerSpec[]).filter((l) => !l.isModelInput);
const CASES = new Map(KINDS.map((l, k) => [l.kind, casesOf(l, k)]));
const ALL = [...CASES.values()].flat();

const fmt = (v: unknown) => JSON.stringify(v);

/** The `layer` node as netloom analyses the graph, against the Keras layer of that name. */
function compareLayer(c: Case, r: Keras3Result, what: string): string[] {
  if (!r.ok) return [`${c.label}: Keras 3 could not build ${what}: ${r.error}`];
  const n = analyze(c.graph).nodes.find((x) => x.name === 'layer')!;
  const k = r.layers.find((l) => l.name === 'layer');
  if (!k) return [`${c.label}: no layer named 'layer' in Keras 3's model from ${what}`];
  const out: string[] = [];
  if (fmt(k.outputShape) !== fmt(n.outputShape)) out.push(`${c.label} (${what}): output shape netloom ${fmt(n.outputShape)} vs Keras ${fmt(k.outputShape)}`);
  if (k.params !== n.paramCount) out.push(`${c.label} (${what}): params netloom ${n.paramCount} vs Keras ${k.params}`);
  if (k.trainable !== n.trainable) out.push(`${c.label} (${what}): trainable netloom ${n.trainable} vs Keras ${k.trainable}`);
  return out;
}

/** Keras 3's own JSON of the model, imported: the same kind, parameters and counts. */
function compareImport(c: Case, r: Keras3Result): string[] {
  if (!r.ok || !r.json) return [];
  const back = importKerasModel(r.json);
  if (!back.ok) return [`${c.label}: Keras 3's to_json() does not import: ${back.problems.map((p) => p.message).join('; ')}`];
  const a = analyze(back.graph);
  const got = a.nodes.find((x) => x.name === 'layer');
  const want = analyze(c.graph).nodes.find((x) => x.name === 'layer')!;
  if (!got) return [`${c.label}: Keras 3's to_json() imports without the layer`];
  const out: string[] = [];
  if (got.kind !== want.kind) out.push(`${c.label} (Keras 3 JSON → netloom): kind ${got.kind}, want ${want.kind}`);
  if (got.status !== 'ok') out.push(`${c.label} (Keras 3 JSON → netloom): ${got.errors.map((e) => e.message).join('; ')}`);
  // The same parameters, or else the same Keras layer: a Reshape's -1 comes back inferred, and a
  // setting the Keras config has no key for (a wrapped SimpleRNN's recurrentActivation) comes back as its default.
  const sameLayer = fmt(kerasLayerOf(got)) === fmt(kerasLayerOf(want));
  // Compared in the kind's canonical form (a pool's strides equal to its size read back as derived).
  const canonical = getLayer(want.kind)?.keras.normalize?.(want.params as never) ?? want.params;
  for (const [k, v] of Object.entries(canonical)) {
    if (fmt(got.params[k]) !== fmt(v) && !sameLayer) out.push(`${c.label} (Keras 3 JSON → netloom): ${k} ${fmt(got.params[k])}, want ${fmt(v)}`);
  }
  if (got.paramCount !== want.paramCount) out.push(`${c.label} (Keras 3 JSON → netloom): params ${got.paramCount}, want ${want.paramCount}`);
  return out;
}

/** TF.js builds it with netloom's counts, or every TF.js route refuses it on the node. */
function compareTfjs(c: Case): string[] {
  const a = analyze(c.graph);
  const refused = tfRefusals(a);
  if (refused.length) {
    const out: string[] = [];
    if (!refused.every((p) => p.nodeId === 'layer' && /TF\.js/.test(p.message))) out.push(`${c.label}: refusal does not name the node: ${fmt(refused)}`);
    for (const [route, run] of [['compile', () => toTfModel(tf, c.graph, a)], ['model.json', () => toTfjsModelJson(c.graph)], ['JavaScript', () => toTfjsCode(c.graph)]] as const) {
      try {
        run();
        out.push(`${c.label}: ${route} builds what the passport says TF.js cannot`);
      } catch (e) {
        if (!String((e as Error).message).startsWith(`layer: ${refused[0].message}`)) out.push(`${c.label}: ${route} refuses with another message: ${(e as Error).message}`);
      }
    }
    return out;
  }
  const model = toTfModel(tf, c.graph, a);
  try {
    const layer = model.getLayer('layer');
    const n = a.nodes.find((x) => x.name === 'layer')!;
    const out: string[] = [];
    if (layer.countParams() !== n.paramCount) out.push(`${c.label} (TF.js): params netloom ${n.paramCount} vs TF.js ${layer.countParams()}`);
    if (fmt(layer.outputShape) !== fmt(n.outputShape)) out.push(`${c.label} (TF.js): output shape netloom ${fmt(n.outputShape)} vs TF.js ${fmt(layer.outputShape)}`);
    return out;
  } finally {
    model.dispose();
  }
}

let answers = new Map<string, Keras3Result>();

beforeAll(() => {
  ensurePython();
}, 600_000);

beforeAll(() => {
  const cases: Keras3Case[] = ALL.map((c) => ({ id: c.id, model: toKerasModelJson(c.graph) }));
  for (const [kind, cs] of CASES) {
    if (!cs.length) continue;
    const script = join(dir, `${kind}.py`);
    writeFileSync(script, toKerasPython(cs[0].graph));
    cases.push({ id: `${kind}.py`, script });
  }
  const t = performance.now();
  answers = new Map(keras3(cases, { toJson: true, timeoutMs: 400_000 }).map((r) => [r.id, r]));
  console.info(`Keras 3 conformance: ${ALL.length} cases over ${CASES.size} kinds, ${cases.length} builds in one process, ${((performance.now() - t) / 1000).toFixed(1)} s`);
}, 430_000);

describe('every kind, as Keras 3 builds it', () => {
  it('covers every kind in LAYERS with several settings each', () => {
    for (const [kind, cs] of CASES) expect(cs.length, `${kind}: no setting netloom accepts`).toBeGreaterThan(2);
    expect(answers.size).toBe(ALL.length + CASES.size);
  });

  for (const spec of KINDS) {
    it(`${spec.kind}: TF.js or its refusal, Keras 3 from netloom's config, Keras 3's JSON back, the Python export`, () => {
      const problems: string[] = [];
      for (const c of CASES.get(spec.kind)!) {
        const r = answers.get(c.id)!;
        problems.push(...compareLayer(c, r, "netloom's Keras config"), ...compareImport(c, r), ...compareTfjs(c));
      }
      const first = CASES.get(spec.kind)![0];
      problems.push(...compareLayer({ ...first, label: `${first.label}, Python export` }, answers.get(`${spec.kind}.py`)!, 'the Python export'));
      expect(problems).toEqual([]);
    });
  }
});
