/**
 * Every example as Keras 3 builds it: each file's Python export is imported
 * by python/oracle.py (one process for all of them, jax on the CPU) and each
 * layer's output shape, parameter and trainable counts must equal netloom's
 * own analysis. Nothing is compared with literals: where Keras and netloom
 * disagree, the failure names the example, the layer and both numbers.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGraphText, type Graph } from '../../src/engine/index.ts';
import { kerasName, toKerasPython } from '../../src/interop/export-python.ts';
import { prepareExport } from '../../src/interop/prepare.ts';
import { ensurePython } from '../../scripts/python-env.mjs';
import { keras3, type Keras3Case, type Keras3Result } from '../support/keras3.ts';

const root = new URL('../../', import.meta.url).pathname;
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.json')).sort();
const dir = mkdtempSync(join(tmpdir(), 'netloom-keras3-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function loadExample(file: string): Graph {
  const r = parseGraphText(readFileSync(join(root, 'examples', file), 'utf8'));
  if (!r.ok) throw new Error(`${file}: ${r.problems.map((p) => p.message).join('; ')}`);
  return r.graph;
}

/** Input(3,) → Dense(4), as a netloom file would hold it. */
const tinyGraph: Graph = {
  name: 'tiny-dense',
  nodes: [
    { id: 'in', kind: 'Input', name: 'features', params: { shape: [3] } },
    { id: 'fc', kind: 'Dense', name: 'fc', params: { units: 4 } },
  ],
  edges: [{ id: 'e1', source: 'in', target: 'fc', targetPort: 'in0' }],
};

/** The same model written by hand in the TF.js / Keras 2 dialect (not by netloom's exporter). */
const tinyModel = {
  class_name: 'Model',
  config: {
    name: 'tiny-dense',
    layers: [
      { name: 'features', class_name: 'InputLayer', config: { name: 'features', batch_input_shape: [null, 3], dtype: 'float32' }, inbound_nodes: [] },
      { name: 'fc', class_name: 'Dense', config: { name: 'fc', units: 4, activation: 'linear', use_bias: true }, inbound_nodes: [[['features', 0, 0, {}]]] },
    ],
    input_layers: [['features', 0, 0]],
    output_layers: [['fc', 0, 0]],
  },
};

/** A Dense fed by a layer the config never defines: Keras must refuse it. */
const brokenModel = {
  class_name: 'Model',
  config: {
    name: 'broken',
    layers: [{ name: 'fc', class_name: 'Dense', config: { name: 'fc', units: 4 }, inbound_nodes: [[['nowhere', 0, 0, {}]]] }],
    input_layers: [['nowhere', 0, 0]],
    output_layers: [['fc', 0, 0]],
  },
};

const fmt = (v: unknown) => JSON.stringify(v);

/** One line per disagreement between netloom's analysis and Keras's build. */
function differences(file: string, graph: Graph, result: Keras3Result): string[] {
  if (!result.ok) return [`${file}: Keras 3 could not build the export: ${result.error}`];
  const { analysis } = prepareExport(graph);
  const keras = new Map(result.layers.map((l) => [l.name, l]));
  const out: string[] = [];
  const seen = new Set<string>();
  for (const n of analysis.nodes) {
    const name = kerasName(n.name);
    seen.add(name);
    if (n.shares !== undefined) {
      // One more call of the owner's Keras layer (a tied head: the owner called with reverse=True), whose weights count there.
      const owner = keras.get(kerasName(analysis.byId.get(n.shares)!.name));
      if (!owner || owner.calls < 2) out.push(`${file} ${name} (${n.kind}): shares '${n.shares}', but Keras does not call that layer more than once`);
      continue;
    }
    const k = keras.get(name);
    if (!k) {
      out.push(`${file} ${name} (${n.kind}): in netloom, no Keras layer of that name`);
      continue;
    }
    if (fmt(k.outputShape) !== fmt(n.outputShape)) out.push(`${file} ${name} (${n.kind}): output shape netloom ${fmt(n.outputShape)} vs Keras ${fmt(k.outputShape)}`);
    if (k.params !== n.paramCount) out.push(`${file} ${name} (${n.kind}): params netloom ${n.paramCount} vs Keras ${k.params}`);
    if (k.trainable !== n.trainable) out.push(`${file} ${name} (${n.kind}): trainable netloom ${n.trainable} vs Keras ${k.trainable}`);
  }
  for (const k of result.layers) if (!seen.has(k.name)) out.push(`${file} ${k.name} (${k.className}): in Keras, no netloom layer of that name`);
  const t = analysis.totals;
  if (result.totals.params !== t.params) out.push(`${file} totals: params netloom ${t.params} vs Keras ${result.totals.params}`);
  if (result.totals.trainable !== t.trainable) out.push(`${file} totals: trainable netloom ${t.trainable} vs Keras ${result.totals.trainable}`);
  return out;
}

let results = new Map<string, Keras3Result>();

beforeAll(() => {
  ensurePython();
}, 600_000);

beforeAll(() => {
  const cases: Keras3Case[] = [
    // First, so the examples after it show that one failing case stops nothing.
    { id: 'broken', model: brokenModel },
    { id: 'tiny', model: tinyModel },
  ];
  for (const file of examples) {
    const script = join(dir, file.replace(/\.json$/, '.py'));
    writeFileSync(script, toKerasPython(loadExample(file)));
    cases.push({ id: file, script });
  }
  const started = performance.now();
  const answer = keras3(cases, { timeoutMs: 300_000 });
  const seconds = (performance.now() - started) / 1000;
  const slowest = [...answer].sort((x, y) => y.seconds - x.seconds).slice(0, 3).map((r) => `${r.id} ${r.seconds.toFixed(1)} s`);
  console.info(`Keras 3 oracle: ${cases.length} cases (${examples.length} examples) in one process, ${seconds.toFixed(1)} s; slowest ${slowest.join(', ')}`);
  results = new Map(answer.map((r) => [r.id, r]));
  // Longer than the oracle's own limit, so a hung Keras ends with the client's message and stderr.
}, 330_000);

describe('the Keras 3 oracle', () => {
  it('answers ok: false with the exception for a config Keras refuses', () => {
    const r = results.get('broken')!;
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(/^\w+(Error|Exception): \S/);
    expect(r.error).toContain('nowhere');
  });

  it('builds Dense(4) on Input(3,) from the TF.js dialect with netloom\'s counts, saying what it translated', () => {
    const r = results.get('tiny')!;
    expect(r.ok, r.ok ? '' : r.error).toBe(true);
    if (!r.ok) return;
    expect(differences('tiny', tinyGraph, r)).toEqual([]);
    expect(r.translated.length).toBeGreaterThan(0);
    expect(r.layers.map((l) => l.className)).toEqual(['InputLayer', 'Dense']);
  });
});

describe('every example, exported to Python, as Keras 3 builds it', () => {
  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThan(0);
    expect(results.size).toBe(examples.length + 2);
  });

  it.each(examples)('%s: each layer\'s output shape, params and trainable count, and the totals, equal netloom\'s', (file) => {
    expect(differences(file, loadExample(file), results.get(file)!)).toEqual([]);
  });
});
