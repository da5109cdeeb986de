/**
 * The convolution options whose random settings the conformance suite rarely
 * hits (groups must divide both the channels and the filters; outputPadding
 * must stay below the strides), each as a one-layer graph against Keras 3:
 * netloom's Keras config builds there with netloom's output shape and count,
 * and Keras 3's own JSON of it imports back to the same parameters.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { toKerasModelJson } from '../../src/interop/export-tfjs.ts';
import { importKerasModel } from '../../src/interop/import-keras.ts';
import { ensurePython } from '../../scripts/python-env.mjs';
import { keras3, type Keras3Result } from '../support/keras3.ts';

const CASES: { kind: string; input: number[]; params: Record<string, unknown> }[] = [
  { kind: 'Conv2D', input: [9, 8, 4], params: { filters: 6, kernelSize: [3, 2], groups: 2 } },
  { kind: 'Conv2D', input: [9, 8, 6], params: { filters: 6, kernelSize: [1, 1], groups: 6, useBias: false } },
  { kind: 'Conv1D', input: [7, 6], params: { filters: 9, kernelSize: 3, groups: 3, padding: 'causal' } },
  { kind: 'Conv3D', input: [5, 6, 7, 4], params: { filters: 8, kernelSize: [2, 3, 1], groups: 4, padding: 'same' } },
  { kind: 'Conv2DTranspose', input: [5, 6, 2], params: { filters: 3, kernelSize: [4, 3], strides: [3, 2], outputPadding: [2, 1] } },
  { kind: 'Conv2DTranspose', input: [5, 6, 2], params: { filters: 3, kernelSize: [4, 3], strides: [3, 2], padding: 'same', outputPadding: [1, 0] } },
  { kind: 'Conv1DTranspose', input: [7, 3], params: { filters: 2, kernelSize: 5, strides: 3, padding: 'same', outputPadding: 2 } },
  { kind: 'Conv3DTranspose', input: [3, 4, 5, 2], params: { filters: 2, kernelSize: [2, 3, 4], strides: [2, 2, 3], outputPadding: [1, 0, 2] } },
];

const graphs: Graph[] = CASES.map((c, i) => {
  const b = new GraphBuilder(`case_${i}`);
  b.add(c.kind, c.params, [b.add('Input', { shape: c.input }, [], 'x')], 'layer');
  return b.graph;
});

let answers: Keras3Result[] = [];
beforeAll(() => {
  ensurePython();
  answers = keras3(graphs.map((g, i) => ({ id: String(i), model: toKerasModelJson(g) })), { toJson: true, timeoutMs: 300_000 });
}, 600_000);

describe('groups and outputPadding, as Keras 3 builds them', () => {
  CASES.forEach((c, i) => {
    it(`${c.kind} ${JSON.stringify(c.params)} on ${c.input.join('×')}`, () => {
      const n = analyze(graphs[i]).nodes.find((x) => x.name === 'layer')!;
      expect(n.errors).toEqual([]);
      const r = answers[i];
      if (!r.ok) throw new Error(`Keras 3 could not build it: ${r.error}`);
      const k = r.layers.find((l) => l.name === 'layer')!;
      expect(n.outputShape).toEqual(k.outputShape);
      expect(n.paramCount).toBe(k.params);
      const back = importKerasModel(r.json);
      if (!back.ok) throw new Error(back.problems.map((p) => p.message).join('; '));
      const got = analyze(back.graph).nodes.find((x) => x.name === 'layer')!;
      expect(got.kind).toBe(c.kind);
      for (const [key, v] of Object.entries(c.params)) expect(got.params[key], key).toEqual(v);
      expect(got.paramCount).toBe(k.params);
    });
  });
});
