/**
 * `compile` → `verify` → `runForward` on TF.js's CPU backend: every example
 * compiles, TF.js's per-layer output shapes and `countParams()` equal the
 * engine's, and a forward pass on a batch of 2 gives the engine's output shape.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Graph } from '../../src/engine/index.ts';
import { compile, CompileError, flattenForCompile } from '../../src/compile/compile.ts';
import { tfRefusals } from '../../src/compile/tf-layers.ts';
import { runForward } from '../../src/compile/run.ts';
import { verify } from '../../src/compile/verify.ts';
import { exampleFiles, lenet5, loadExample, twoInTwoOut } from './fixtures.ts';
import { useFastInitializers } from '../support/fast-init.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  // Shapes, counts and output shapes do not depend on initial values; zeros are fast.
  useFastInitializers(tf);
});

/**
 * Forward passes on TF.js's pure-JavaScript CPU backend take about 10 s per
 * GMAC here (AlexNet: 1.1 GMACs/sample, 10 s for a batch of 2). Examples above
 * this budget per sample (ResNet-50: 3.9, VGG16: 15.5) are built, verified and
 * counted but not predicted; the browser runs them on the GPU instead.
 */
const PREDICT_MACS_PER_SAMPLE = 1.5e9;

const expectedOutputs = (g: Graph, batch: number) => {
  const a = analyze(g);
  return a.outputs.map((id) => [batch, ...(a.byId.get(id)!.outputShape!.slice(1) as number[])]);
};

describe('every example compiles and matches the engine', () => {
  const files = exampleFiles();
  it('finds the examples directory populated', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });
  for (const file of files) {
    it(file, async () => {
      const graph = loadExample(file);
      const refused = tfRefusals(analyze(flattenForCompile(graph).graph));
      if (refused.length) {
        // What TF.js cannot build (Normalization, hard_swish, keepdims pools, grouped convolutions, a tied head):
        // compile refuses before building anything, naming exactly those nodes.
        let err: unknown;
        try {
          compile(tf, graph);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(CompileError);
        expect((err as CompileError).problems.map((p) => p.nodeId)).toEqual(refused.map((p) => p.nodeId));
        return;
      }
      const { model, analysis } = compile(tf, graph);
      try {
        const v = verify(model, analysis);
        const bad = v.rows.filter((r) => !r.ok);
        expect(bad, `${file}: layers whose shape or parameter count differ from TF.js`).toEqual([]);
        expect(v.total).toEqual({ engineParams: analysis.totals.params, tfParams: model.countParams(), ok: true });
        expect(v.ok).toBe(true);
        // One layer per node of the flat graph (blocks expanded), named as the node.
        expect(analysis.nodes.length).toBeGreaterThanOrEqual(graph.nodes.length);
        expect(v.layers).toBe(analysis.nodes.length);
        expect(model.layers.map((l) => l.name).sort()).toEqual(analysis.nodes.map((n) => n.name).sort());
        // Input and Window nodes are the model's inputs.
        expect(model.inputNames.sort()).toEqual(analysis.inputs.map((id) => analysis.byId.get(id)!.name).sort());
        if (analysis.totals.macs! <= PREDICT_MACS_PER_SAMPLE) {
          const r = await runForward(tf, model, { batch: 2 });
          expect(r.outputShapes).toEqual(expectedOutputs(graph, 2));
          expect(r.backend).toBe('cpu');
        } else {
          // Too large to predict on the CPU backend in a unit test (see PREDICT_MACS_PER_SAMPLE): built and counted only.
          expect(analysis.totals.macs).toBeGreaterThan(PREDICT_MACS_PER_SAMPLE);
        }
      } finally {
        model.dispose();
      }
    });
  }
});

describe('compile', () => {
  it('makes a Window the model input [nSteps, features]', () => {
    const jena = loadExample('jena-gru.json');
    const w = jena.nodes.find((n) => n.kind === 'Window')!;
    const { model } = compile(tf, jena);
    try {
      expect(model.inputs[0].shape).toEqual([null, w.params.nSteps, w.params.features]);
      expect(model.inputs[0].name.startsWith(w.name)).toBe(true);
    } finally {
      model.dispose();
    }
  });

  it('runs several inputs and outputs with one random batch each', async () => {
    const g = twoInTwoOut();
    const { model, analysis } = compile(tf, g);
    try {
      expect(verify(model, analysis).ok).toBe(true);
      const r = await runForward(tf, model, { batch: 3 });
      expect(r.outputShapes).toEqual(expectedOutputs(g, 3));
    } finally {
      model.dispose();
    }
  });

  it('lists every problem per node before building anything', () => {
    const g = lenet5();
    const c3 = g.nodes.find((n) => n.id === 'c3')!;
    c3.params = { ...c3.params, kernelSize: [50, 50] }; // larger than its 14×14 input
    const before = tf.memory().numTensors;
    let err: unknown;
    try {
      compile(tf, g);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CompileError);
    const problems = (err as CompileError).problems;
    expect(problems.map((p) => p.nodeId)).toContain('c3');
    expect((err as Error).message).toMatch(/^c3: /m);
    expect(tf.memory().numTensors).toBe(before); // nothing was built
  });

  it('reports TF.js limits and engine errors together, each naming its node and field', () => {
    const jena = structuredClone(loadExample('jena-gru.json'));
    const gru = jena.nodes.find((n) => n.kind === 'GRU')!;
    gru.params = { ...gru.params, resetAfter: true };
    const dense = jena.nodes.find((n) => n.kind === 'Dense')!;
    dense.params = { ...dense.params, units: 0 };
    let err: CompileError | undefined;
    try {
      compile(tf, jena);
    } catch (e) {
      err = e as CompileError;
    }
    expect(err).toBeInstanceOf(CompileError);
    const byNode = new Map(err!.problems.map((p) => [p.nodeId, p]));
    expect(byNode.get(gru.id)?.field).toBe('resetAfter');
    expect(byNode.get(gru.id)?.message).toMatch(/set resetAfter to false/);
    expect(byNode.get(dense.id)?.message).toBeTruthy();
  });

  it('refuses an empty graph with the fix', () => {
    expect(() => compile(tf, { name: 'empty', nodes: [], edges: [] })).toThrow(/add an Input/);
  });
});

describe('verify', () => {
  it('reveals a layer whose parameters differ, and only that layer', () => {
    const g = lenet5();
    const { model } = compile(tf, g);
    try {
      // The engine's view of a different graph: f6 with 85 units instead of 84.
      const edited = structuredClone(g);
      const f6 = edited.nodes.find((n) => n.id === 'f6')!;
      f6.params = { ...f6.params, units: 85 };
      const v = verify(model, analyze(edited));
      expect(v.ok).toBe(false);
      expect(v.rows.filter((r) => !r.ok).map((r) => r.name)).toEqual(['f6', 'output']);
      const row = v.rows.find((r) => r.name === 'f6')!;
      expect(row.tfShape).toEqual([null, 84]);
      expect(row.engineShape).toEqual([null, 85]);
      expect(row.tfParams).toBe(120 * 84 + 84);
      expect(row.engineParams).toBe(120 * 85 + 85);
      expect(v.total.ok).toBe(false);
    } finally {
      model.dispose();
    }
  });

  it('marks a node TF.js has no layer for', () => {
    const g = lenet5();
    const { model } = compile(tf, g);
    try {
      const renamed = structuredClone(g);
      renamed.nodes.find((n) => n.id === 'c5')!.name = 'c5_renamed';
      const row = verify(model, analyze(renamed)).rows.find((r) => r.nodeId === 'c5')!;
      expect(row).toMatchObject({ ok: false, tfShape: null, tfParams: null });
    } finally {
      model.dispose();
    }
  });
});
