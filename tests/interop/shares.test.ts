/**
 * Shared weights across the Keras boundary: a Keras 3 model with one Dense
 * called on two inputs imports as an owner and a node that `shares` it, with
 * Keras's total; the Python export calls one layer object twice, and writes
 * a tied Embedding/Dense head as one ReversibleEmbedding, both run under
 * Keras 3 (model.count_params() must equal netloom's total).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import type { Graph, GraphNode } from '../../src/engine/types.ts';
import { toKerasPython } from '../../src/interop/export-python.ts';
import { importKerasModel } from '../../src/interop/import-keras.ts';
import { keras3, type Keras3Result } from '../support/keras3.ts';

/** Keras 3 `d = Dense(8); y1 = d(a); y2 = d(b)` on two Inputs of 16, Concatenate, Dense(1): model.to_json(). */
const siamese = JSON.parse(readFileSync(new URL('./fixtures/keras3-shared-dense.json', import.meta.url), 'utf8'));

const node = (id: string, kind: string, params: Record<string, unknown>, extra: Partial<GraphNode> = {}): GraphNode => ({ id, kind, name: id, params, ...extra });
const edge = (source: string, target: string, port = 0) => ({ id: `${source}>${target}:${port}`, source, target, targetPort: `in${port}` });

/** Embedding(V=50, d=8) → LayerNormalization → Dense(50, no bias) tied to the embedding. */
function tiedLm(tie: boolean): Graph {
  return {
    name: tie ? 'tied_lm' : 'untied_lm',
    nodes: [
      node('ids', 'Input', { shape: [12] }),
      node('tok', 'Embedding', { inputDim: 50, outputDim: 8 }),
      node('norm', 'LayerNormalization', {}),
      node('head', 'Dense', { units: 50, useBias: false, activation: 'softmax' }, tie ? { shares: 'tok' } : {}),
    ],
    edges: [edge('ids', 'tok'), edge('tok', 'norm'), edge('norm', 'head')],
  };
}

function twoTowers(): Graph {
  return {
    name: 'towers',
    nodes: [
      node('a', 'Input', { shape: [16] }), node('b', 'Input', { shape: [16] }),
      node('d1', 'Dense', { units: 8, activation: 'relu' }), node('d2', 'Dense', { units: 8, activation: 'relu' }, { shares: 'd1' }),
      node('cat', 'Concatenate', {}), node('out', 'Dense', { units: 1 }),
    ],
    edges: [edge('a', 'd1'), edge('b', 'd2'), edge('d1', 'cat', 0), edge('d2', 'cat', 1), edge('cat', 'out')],
  };
}

const dir = mkdtempSync(join(tmpdir(), 'netloom-shares-'));
let results: Map<string, Keras3Result>;

beforeAll(() => {
  const scripts: [string, Graph][] = [['towers', twoTowers()], ['tied', tiedLm(true)], ['untied', tiedLm(false)]];
  const cases = [
    { id: 'siamese', model: siamese },
    ...scripts.map(([id, g]) => {
      const script = join(dir, `${id}.py`);
      writeFileSync(script, toKerasPython(g));
      return { id, script };
    }),
  ];
  results = new Map(keras3(cases, { timeoutMs: 300_000 }).map((r) => [r.id, r]));
}, 330_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keras = (id: string) => {
  const r = results.get(id)!;
  if (!r.ok) throw new Error(`${id}: ${r.error}`);
  return r;
};

describe('import of a shared Keras 3 layer', () => {
  it('makes one owner and one node that shares it: 153 parameters, as Keras 3 count_params', () => {
    const r = importKerasModel(siamese);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const a = analyze(r.graph);
    expect(a.problems).toEqual([]);
    // 16·8 + 8 = 136 for the shared Dense, once; 16·1 + 1 = 17 for the head.
    expect(a.totals.params).toBe(136 + 17);
    expect(keras('siamese').totals.params).toBe(153);
    const call2 = r.graph.nodes.find((n) => n.shares !== undefined)!;
    expect(call2.shares).toBe('shared');
    expect(a.byId.get(call2.id)!.paramCount).toBe(0);
    expect(keras('siamese').layers.find((l) => l.name === 'shared')!.calls).toBe(2);
  });
});

describe('Python export of shared weights, run under Keras 3', () => {
  it('calls one Dense object on both inputs: count_params equals netloom', () => {
    const text = toKerasPython(twoTowers());
    expect(text).toMatch(/dense_1_layer = layers\.Dense\(/);
    expect(text).toMatch(/dense_2 = dense_1_layer\(input_2\)/);
    const k = keras('towers');
    expect(k.totals.params).toBe(analyze(twoTowers()).totals.params);
    expect(k.totals.params).toBe(16 * 8 + 8 + 16 + 1);
    expect(k.layers.filter((l) => l.className === 'Dense').map((l) => l.calls).sort()).toEqual([1, 2]);
  });

  it('writes the tied head as a ReversibleEmbedding called with reverse=True; untying adds exactly V·d', () => {
    const text = toKerasPython(tiedLm(true));
    expect(text).toContain('class ReversibleEmbedding(layers.Embedding):');
    expect(text).toMatch(/embedding_1_layer\(layer_normalization_1, reverse=True\)/);
    const tied = keras('tied');
    const untied = keras('untied');
    // Embedding 50·8 = 400 and LayerNormalization 2·8 = 16, the head's 8·50 only when untied.
    expect(tied.totals.params).toBe(400 + 16);
    expect(tied.totals.params).toBe(analyze(tiedLm(true)).totals.params);
    expect(untied.totals.params).toBe(analyze(tiedLm(false)).totals.params);
    expect(untied.totals.params - tied.totals.params).toBe(50 * 8);
    expect(analyze(tiedLm(false)).totals.params - analyze(tiedLm(true)).totals.params).toBe(50 * 8);
  });
});
