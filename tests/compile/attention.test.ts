/**
 * netloom's own TF.js layers (src/compile/custom-layers.ts) against the
 * engine and against Keras 3: every layer's shape and count as the engine
 * says, MultiHeadAttention's outputs equal to Keras 3's for the same weights
 * (self-, cross- and causal attention, a 2-D grid), and a small Transformer
 * encoder block that trains in Node on the CPU with a falling loss.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { toTfModel } from '../../src/compile/to-tf.ts';
import { registerCustomLayers } from '../../src/compile/custom-layers.ts';
import { verify } from '../../src/compile/verify.ts';
import { analyze, GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { toTfjsModelJson } from '../../src/interop/export-tfjs.ts';
import { toTfjsCode } from '../../src/interop/export-js.ts';
import { ensurePython } from '../../scripts/python-env.mjs';
import { pyEnv } from '../support/keras3.ts';
import { encoderBlock } from '../support/transformer.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function oneLayer(kind: string, params: Record<string, unknown>, shapes: number[][], self = false): Graph {
  const b = new GraphBuilder(`${kind}_case`);
  const xs = shapes.map((s, i) => b.add('Input', { shape: s }, [], `x${i}`));
  b.add(kind, params, self ? [xs[0], xs[0]] : xs, 'layer');
  return b.build();
}

const CASES: [string, Graph][] = [
  ['self-attention, one source', oneLayer('MultiHeadAttention', { numHeads: 2, keyDim: 32 }, [[20, 32]], true)],
  ['cross-attention with a key', oneLayer('MultiHeadAttention', { numHeads: 3, keyDim: 4, valueDim: 6 }, [[5, 16], [7, 12], [7, 8]])],
  ['outputShape and no bias', oneLayer('MultiHeadAttention', { numHeads: 2, keyDim: 8, outputShape: 5, useBias: false }, [[6, 4], [6, 4]])],
  ['a 2-D grid', oneLayer('MultiHeadAttention', { numHeads: 2, keyDim: 4 }, [[4, 6, 8], [4, 6, 8]])],
  ['one grid axis', oneLayer('MultiHeadAttention', { numHeads: 2, keyDim: 4, attentionAxes: [2] }, [[4, 6, 8], [4, 3, 8]])],
  ['PositionEmbedding', oneLayer('PositionEmbedding', { sequenceLength: 20 }, [[16, 8]])],
  ['ClassToken', oneLayer('ClassToken', {}, [[196, 12]])],
  ['the encoder block', encoderBlock()],
];

describe('own TF.js layers: the engine\'s shapes and counts, layer by layer', () => {
  for (const [label, g] of CASES) {
    it(label, () => {
      const a = analyze(g);
      expect(a.problems).toEqual([]);
      const model = toTfModel(tf, g, a);
      try {
        const v = verify(model, a);
        expect(v.rows.filter((r) => !r.ok)).toEqual([]);
        expect(v.ok).toBe(true);
      } finally {
        model.dispose();
      }
    });
  }

  it('the JavaScript export defines the classes itself and builds the same model', () => {
    const g = encoderBlock();
    const b = new GraphBuilder('vit_bits');
    const x = b.add('Input', { shape: [9, 8] }, [], 'patches');
    const c = b.add('ClassToken', {}, [x], 'cls');
    const p = b.add('PositionEmbedding', { sequenceLength: 10 }, [c], 'positions');
    b.add('Add', {}, [c, p], 'embedded');
    for (const graph of [g, b.build()]) {
      const code = toTfjsCode(graph);
      expect(code).toMatch(/^const OWN_LAYERS = /m);
      expect(/^[\x00-\x7f]*$/.test(code)).toBe(true);
      const body = code.replace(/^import .*$/m, '').replace(/^export function/m, 'function');
      const model = new Function('tf', `${body}\nreturn buildModel();`)(tf) as tf.LayersModel;
      const a = analyze(graph);
      expect(verify(model, a).ok).toBe(true);
      model.dispose();
    }
  });

  it('model.json loads back in TF.js once the classes are registered', async () => {
    registerCustomLayers(tf);
    const json = toTfjsModelJson(encoderBlock());
    const model = await tf.models.modelFromJSON(json.modelTopology as never);
    expect(model.countParams()).toBe(analyze(encoderBlock()).totals.params);
    expect(model.getLayer('attention').getClassName()).toBe('MultiHeadAttention');
    model.dispose();
  });
});

/** Seeded values in [-0.5, 0.5). */
function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

describe('MultiHeadAttention computes what Keras 3 computes', () => {
  const KERAS = String.raw`
import json, sys, numpy as np, keras
req = json.load(sys.stdin)
out = []
for c in req:
    ins = [keras.Input(tuple(s)) for s in c["shapes"]]
    kw = {k: v for k, v in c["config"].items()}
    causal = kw.pop("use_causal_mask", False)
    layer = keras.layers.MultiHeadAttention(**kw)
    args = [ins[i] for i in c["order"]]
    y = layer(*args, use_causal_mask=causal)
    model = keras.Model(ins, y)
    layer.set_weights([np.array(w["values"], "float32").reshape(w["shape"]) for w in c["weights"]])
    xs = [np.array(x["values"], "float32").reshape(x["shape"]) for x in c["inputs"]]
    out.append(np.asarray(model.predict(xs, verbose=0)).ravel().tolist())
print(json.dumps(out))
`;
  const specs = [
    { label: 'self-attention', params: { numHeads: 2, keyDim: 8 }, shapes: [[6, 8]], self: true, config: { num_heads: 2, key_dim: 8 } },
    { label: 'causal self-attention', params: { numHeads: 2, keyDim: 4, useCausalMask: true }, shapes: [[5, 6]], self: true, config: { num_heads: 2, key_dim: 4, use_causal_mask: true } },
    // valueDim ≠ keyDim is left out here: Keras 3.15 on jax builds it but cannot run it (jax.nn.dot_product_attention wants one head size).
    { label: 'cross-attention with a key and outputShape', params: { numHeads: 3, keyDim: 4, outputShape: 7 }, shapes: [[4, 5], [6, 3], [6, 2]], self: false, config: { num_heads: 3, key_dim: 4, output_shape: 7 } },
    { label: 'a 2-D grid, one attention axis', params: { numHeads: 2, keyDim: 3, attentionAxes: [2] }, shapes: [[3, 4, 5], [3, 2, 5]], self: false, config: { num_heads: 2, key_dim: 3, attention_axes: [2] } },
  ];

  it('for the same weights and inputs, within 1e-5', () => {
    const cases = specs.map((s, k) => {
      const g = oneLayer('MultiHeadAttention', s.params, s.shapes, s.self);
      const model = toTfModel(tf, g);
      const layer = model.getLayer('layer');
      const weights = layer.weights.map((w, i) => ({ shape: w.shape as number[], values: values(w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 7 + 31 * k + i) }));
      layer.setWeights(weights.map((w) => tf.tensor(w.values, w.shape)));
      const inputs = s.shapes.map((sh, i) => ({ shape: [2, ...sh], values: values(2 * sh.reduce((a, b) => a * b, 1), 1000 * (k + 1) + i).map((x) => 2 * x) }));
      const y = model.predict(inputs.map((x) => tf.tensor(x.values, x.shape))) as tf.Tensor;
      const ours = Array.from(y.dataSync());
      model.dispose();
      // Keras's call order is (query, value, key); one source feeds both query and value.
      return { label: s.label, ours, keras: { shapes: s.shapes, config: s.config, order: s.self ? [0, 0] : s.shapes.map((_, i) => i), weights, inputs } };
    });
    const r = spawnSync(ensurePython(), ['-c', KERAS], { input: JSON.stringify(cases.map((c) => c.keras)), env: pyEnv(), encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 });
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    const theirs = JSON.parse(r.stdout.trim().split('\n').pop()!) as number[][];
    cases.forEach((c, i) => {
      expect(theirs[i].length, c.label).toBe(c.ours.length);
      const worst = Math.max(...c.ours.map((x, j) => Math.abs(x - theirs[i][j])));
      expect(worst, c.label).toBeLessThan(1e-5);
    });
  }, 300_000);
});

describe('a Transformer encoder block trains in TF.js on the CPU', () => {
  it('compiles and its loss falls over a few steps', async () => {
    const model = toTfModel(tf, encoderBlock());
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    // A task attention can learn: is token 0's first feature above token 15's?
    const n = 64;
    const x = tf.tensor(values(n * 16 * 32, 42), [n, 16, 32]);
    const label = tf.greater(x.slice([0, 0, 0], [n, 1, 1]).reshape([n]), x.slice([0, 15, 0], [n, 1, 1]).reshape([n]));
    const y = tf.oneHot(label.cast('int32'), 2).cast('float32');
    const h = await model.fit(x, y, { epochs: 8, batchSize: 16, shuffle: false, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss.every(Number.isFinite)).toBe(true);
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.9);
    model.dispose();
    tf.dispose([x, label, y]);
  }, 120_000);
});
