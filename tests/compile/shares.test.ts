/**
 * Shared weights in TF.js: a node that `shares` another applies the same
 * tf.layers object, so model.countParams() counts the weights once, as the
 * engine does; model.json writes one layer with two inbound nodes, which
 * TF.js loads back; a tied Embedding/Dense head is refused on its node.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Graph, type GraphNode } from '../../src/engine/index.ts';
import { toTfModel, CompileError } from '../../src/compile/to-tf.ts';
import { verify } from '../../src/compile/verify.ts';
import { toTfjsCode } from '../../src/interop/export-js.ts';
import { toKerasModelJson, toTfjsModelJson } from '../../src/interop/export-tfjs.ts';
import { importKerasModel } from '../../src/interop/import-keras.ts';
import { ExportError } from '../../src/interop/prepare.ts';
import { useFastInitializers } from '../support/fast-init.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  useFastInitializers(tf);
});

const node = (id: string, kind: string, params: Record<string, unknown>, extra: Partial<GraphNode> = {}): GraphNode => ({ id, kind, name: id, params, ...extra });
const edge = (source: string, target: string, port = 0) => ({ id: `${source}>${target}:${port}`, source, target, targetPort: `in${port}` });

/** Two Inputs of 16, one Dense(8) on both (16·8 + 8 = 136 once), Concatenate, Dense(1) (16 + 1 = 17): 153. */
const towers: Graph = {
  name: 'towers',
  nodes: [
    node('a', 'Input', { shape: [16] }), node('b', 'Input', { shape: [16] }),
    node('d1', 'Dense', { units: 8 }), node('d2', 'Dense', { units: 8 }, { shares: 'd1' }),
    node('cat', 'Concatenate', {}), node('out', 'Dense', { units: 1 }),
  ],
  edges: [edge('a', 'd1'), edge('b', 'd2'), edge('d1', 'cat', 0), edge('d2', 'cat', 1), edge('cat', 'out')],
};

const tied: Graph = {
  name: 'tied',
  nodes: [node('ids', 'Input', { shape: [12] }), node('tok', 'Embedding', { inputDim: 50, outputDim: 8 }), node('head', 'Dense', { units: 50, useBias: false }, { shares: 'tok' })],
  edges: [edge('ids', 'tok'), edge('tok', 'head')],
};

describe('TF.js and shared weights', () => {
  it('compiles a shared Dense as one layer applied twice: countParams equals the engine total, 153', () => {
    const a = analyze(towers);
    const model = toTfModel(tf, towers, a);
    expect(model.countParams()).toBe(153);
    expect(a.totals.params).toBe(153);
    expect(model.getLayer('d1').inboundNodes.length).toBe(2);
    const v = verify(model, a);
    expect(v.rows.filter((r) => !r.ok)).toEqual([]);
    expect(v.ok).toBe(true);
    const y = model.predict([tf.ones([2, 16]), tf.ones([2, 16])]) as tf.Tensor;
    expect(y.shape).toEqual([2, 1]);
    model.dispose();
  });

  it('writes model.json with one layer of two inbound nodes, which TF.js loads with the same count and netloom re-imports', async () => {
    const doc = toTfjsModelJson(towers);
    const layers = doc.modelTopology.config.layers as { name: string; inbound_nodes: unknown[] }[];
    expect(layers.map((l) => l.name)).toEqual(['a', 'b', 'd1', 'cat', 'out']);
    expect(layers.find((l) => l.name === 'd1')!.inbound_nodes).toEqual([[['a', 0, 0, {}]], [['b', 0, 0, {}]]]);
    expect(layers.find((l) => l.name === 'cat')!.inbound_nodes).toEqual([[['d1', 0, 0, {}], ['d1', 1, 0, {}]]]);
    const model = await tf.models.modelFromJSON({ modelTopology: doc.modelTopology } as never);
    expect(model.countParams()).toBe(153);
    const back = importKerasModel(doc);
    if (!back.ok) throw new Error(JSON.stringify(back.problems));
    expect(analyze(back.graph).totals.params).toBe(153);
    expect(back.graph.nodes.filter((n) => n.shares === 'd1')).toHaveLength(1);
  });

  it('the JavaScript export declares the shared layer once and applies it twice', () => {
    const code = toTfjsCode(towers);
    expect(code).toMatch(/const dense_1_layer = tf\.layers\.dense\(/);
    expect(code.match(/dense_1_layer\.apply/g)).toHaveLength(2);
  });

  it('refuses the tied Embedding/Dense head on its node and field, naming the fix', () => {
    let err: unknown;
    try {
      toTfModel(tf, tied);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CompileError);
    const p = (err as CompileError).problems[0];
    expect([p.nodeId, p.field]).toEqual(['head', 'shares']);
    expect(p.message).toMatch(/export the Keras Python script .* or remove shares/);
    expect(() => toTfjsModelJson(tied)).toThrow(ExportError);
    expect(() => toKerasModelJson(tied)).toThrow(/remove shares/);
  });
});
