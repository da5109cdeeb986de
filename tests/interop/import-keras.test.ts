/**
 * Import against TF.js itself: models built with `tf.layers` (functional,
 * Sequential, nested, shared layers) are serialised with `model.toJSON()`,
 * the Keras-format topology tfjs writes into model.json, then imported;
 * every layer's count and output shape must equal TF.js's, and the total
 * Keras reports (shared weights once) must equal `countParams()`.
 * Hand-written Keras 2 / Keras 3 twins check the formats TF.js does not write.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, parseGraphText, serializeGraph } from '../../src/engine/index.ts';
import { detectFormat, importKerasModel } from '../../src/interop/import-keras.ts';
import { kerasTotal } from '../../src/interop/load.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

/** Imports `model`'s own serialisation and compares with TF.js layer by layer. */
function expectSameAsTf(model: tf.LayersModel) {
  const doc = JSON.parse(JSON.stringify(model.toJSON(null, false)));
  const r = importKerasModel({ modelTopology: doc });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const a = analyze(r.graph);
  expect(a.problems).toEqual([]);
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Sequential' || layer.getClassName() === 'Functional' || layer.getClassName() === 'Model') continue;
    const n = a.nodes.find((x) => x.name === layer.name || x.name.endsWith(`/${layer.name}`));
    expect(n, layer.name).toBeDefined();
    expect([layer.name, n!.paramCount]).toEqual([layer.name, layer.countParams()]);
    expect([layer.name, n!.outputShape]).toEqual([layer.name, layer.outputShape]);
  }
  expect(kerasTotal(a, r.shared)).toBe(model.countParams());
  return { r, a };
}

describe('import: models TF.js serialises', () => {
  it('a functional model with a branch, a merge and every activation layer', () => {
    const x = tf.input({ shape: [32, 32, 3], name: 'img' });
    const c1 = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', name: 'c1' }).apply(x) as tf.SymbolicTensor;
    const lr = tf.layers.leakyReLU({ alpha: 0.1, name: 'lr' }).apply(c1) as tf.SymbolicTensor;
    const c2 = tf.layers.separableConv2d({ filters: 8, kernelSize: 3, padding: 'same', name: 'c2' }).apply(lr) as tf.SymbolicTensor;
    const r6 = tf.layers.reLU({ maxValue: 6, name: 'r6' }).apply(c2) as tf.SymbolicTensor;
    const add = tf.layers.add({ name: 'add' }).apply([lr, r6]) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ name: 'bn' }).apply(add) as tf.SymbolicTensor;
    const dw = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, name: 'dw' }).apply(bn) as tf.SymbolicTensor;
    const mp = tf.layers.maxPooling2d({ poolSize: 2, name: 'mp' }).apply(dw) as tf.SymbolicTensor;
    const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(mp) as tf.SymbolicTensor;
    const d = tf.layers.dense({ units: 10, name: 'd' }).apply(gap) as tf.SymbolicTensor;
    const sm = tf.layers.softmax({ name: 'sm' }).apply(d) as tf.SymbolicTensor;
    const { r, a } = expectSameAsTf(tf.model({ inputs: x, outputs: sm }));
    expect(a.byId.get('lr')!.kind).toBe('LeakyReLU');
    expect(a.byId.get('lr')!.params.alpha).toBeCloseTo(0.1);
    expect(a.byId.get('r6')!.kind).toBe('ReLU');
    expect(a.byId.get('r6')!.params.maxValue).toBe(6);
    expect(a.byId.get('sm')!.params.activation).toBe('softmax');
    expect(r.notes.find((n) => n.nodeId === 'lr')).toBeUndefined();
    expect(r.graph.edges.filter((e) => e.target === 'add').map((e) => [e.source, e.targetPort])).toEqual([['lr', 'in0'], ['r6', 'in1']]);
  });

  it('a layer shared by two inputs: one node per call, Keras total counts its weights once', () => {
    const a1 = tf.input({ shape: [12], name: 'left' });
    const a2 = tf.input({ shape: [12], name: 'right' });
    const shared = tf.layers.dense({ units: 7, name: 'shared' });
    const l = shared.apply(a1) as tf.SymbolicTensor;
    const rr = shared.apply(a2) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate({ name: 'cat' }).apply([l, rr]) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 1, name: 'out' }).apply(cat) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [a1, a2], outputs: out });
    const { r, a } = expectSameAsTf(model);
    expect(r.shared).toEqual([{ nodeId: 'shared_call2', sharesWith: 'shared' }]);
    expect(a.totals.params - kerasTotal(a, r.shared)).toBe(shared.countParams());
    expect(r.notes.find((n) => n.nodeId === 'shared_call2')!.message).toMatch(/shared layer 'shared'/);
  });

  it('a Sequential model used as a layer inside a functional model is inlined', () => {
    const inner = tf.sequential({ name: 'tower', layers: [
      tf.layers.dense({ units: 16, inputShape: [20], activation: 'relu', name: 'tower_d1' }),
      tf.layers.dropout({ rate: 0.25, name: 'tower_drop' }),
      tf.layers.dense({ units: 8, name: 'tower_d2' }),
    ] });
    const x = tf.input({ shape: [20], name: 'x' });
    const t = inner.apply(x) as tf.SymbolicTensor;
    const y = tf.layers.dense({ units: 3, name: 'head' }).apply(t) as tf.SymbolicTensor;
    const { r } = expectSameAsTf(tf.model({ inputs: x, outputs: y }));
    expect(r.graph.nodes.map((n) => n.id)).toEqual(['x', 'tower/tower_d1', 'tower/tower_drop', 'tower/tower_d2', 'head']);
  });

  it('a functional model with two outputs, called twice inside another model: each call inlined', () => {
    const i = tf.input({ shape: [6], name: 'enc_in' });
    const h = tf.layers.dense({ units: 5, name: 'enc_h' }).apply(i) as tf.SymbolicTensor;
    const mu = tf.layers.dense({ units: 2, name: 'enc_mu' }).apply(h) as tf.SymbolicTensor;
    const sd = tf.layers.dense({ units: 2, name: 'enc_sd' }).apply(h) as tf.SymbolicTensor;
    const encoder = tf.model({ inputs: i, outputs: [mu, sd], name: 'encoder' });
    const a = tf.input({ shape: [6], name: 'a' });
    const b = tf.input({ shape: [6], name: 'b' });
    const [amu, asd] = encoder.apply(a) as tf.SymbolicTensor[];
    const [bmu] = encoder.apply(b) as tf.SymbolicTensor[];
    const cat = tf.layers.concatenate({ name: 'cat' }).apply([amu, asd, bmu]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [a, b], outputs: cat });
    const doc = JSON.parse(JSON.stringify(model.toJSON(null, false)));
    const r = importKerasModel({ modelTopology: doc });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const an = analyze(r.graph);
    expect(an.problems).toEqual([]);
    expect(an.byId.get('cat')!.inputIds).toEqual(['encoder/enc_mu', 'encoder/enc_sd', 'encoder_call2/enc_mu']);
    expect(an.byId.get('cat')!.outputShape).toEqual(model.getLayer('cat').outputShape);
    // Each call is inlined with its own weights: the encoder counts twice here, once in TF.js.
    expect(an.totals.params).toBe(model.countParams() + encoder.countParams());
    expect(kerasTotal(an, r.shared)).toBe(model.countParams());
    expect(r.shared).toContainEqual({ nodeId: 'encoder_call2/enc_h', sharesWith: 'encoder/enc_h' });
    expect(r.notes.some((n) => /model 'encoder' is called 2 times/.test(n.message))).toBe(true);
  });

  it('inference no-ops (noise, alpha/gaussian dropout, masking) import as parameter-free layers, with notes', () => {
    const model = tf.sequential({ name: 'noisy', layers: [
      tf.layers.masking({ inputShape: [10, 4], name: 'mask' }),
      tf.layers.gaussianNoise({ stddev: 0.1, name: 'noise' }),
      tf.layers.lstm({ units: 5, name: 'rnn' }),
      tf.layers.alphaDropout({ rate: 0.1, name: 'adrop' }),
      tf.layers.gaussianDropout({ rate: 0.2, name: 'gdrop' }),
      tf.layers.dense({ units: 1, name: 'out' }),
    ] });
    const { r } = expectSameAsTf(model);
    expect(r.graph.nodes.map((n) => n.kind)).toEqual(['Input', 'Activation', 'Activation', 'LSTM', 'Dropout', 'Dropout', 'Dense']);
    expect(r.notes.map((n) => n.nodeId)).toEqual(['mask', 'noise', 'adrop', 'gdrop']);
  });

  it('a Sequential of recurrent layers (Bidirectional GRU, LSTM, Embedding, Conv1D)', () => {
    const model = tf.sequential({ name: 'seq', layers: [
      tf.layers.embedding({ inputDim: 500, outputDim: 16, inputLength: 40, name: 'emb' }),
      tf.layers.conv1d({ filters: 12, kernelSize: 5, name: 'conv' }),
      tf.layers.bidirectional({ layer: tf.layers.gru({ units: 9, returnSequences: true }) as tf.RNN, name: 'bigru' }),
      tf.layers.lstm({ units: 6, name: 'lstm' }),
      tf.layers.dense({ units: 2, activation: 'softmax', name: 'out' }),
    ] });
    const { r } = expectSameAsTf(model);
    expect(r.graph.nodes[0]).toMatchObject({ id: 'emb_input', kind: 'Input', params: { shape: [40] } });
  });
});

describe('import: Keras formats', () => {
  it('Keras 3 inbound nodes and batch_shape read the same as their Keras 2 twin', () => {
    const k2 = importKerasModel(fixture('keras2-functional.json'));
    const k3 = importKerasModel(fixture('keras3-functional.json'));
    if (!k2.ok || !k3.ok) throw new Error('import failed');
    const a2 = analyze(k2.graph);
    const a3 = analyze(k3.graph);
    expect(a3.problems).toEqual([]);
    expect(a3.nodes.map((n) => [n.name, n.kind, n.inputIds, n.outputShape, n.paramCount]))
      .toEqual(a2.nodes.map((n) => [n.name, n.kind, n.inputIds, n.outputShape, n.paramCount]));
    // 3·3·3·16 + 16 = 448; two 3·3·16·16 + 16 = 2,320; Dense 16·10 + 10 = 170 (Keras's own arithmetic).
    expect(a3.totals.params).toBe(448 + 2320 + 2320 + 170);
    expect(detectFormat(fixture('keras3-functional.json'))).toBe('keras');
  });

  it('Sequential in the {name, layers} form, batch_input_shape on the first layer', () => {
    const doc = { class_name: 'Sequential', config: { name: 'mlp', layers: [
      { class_name: 'Dense', config: { name: 'h', units: 4, batch_input_shape: [null, 3], activation: 'relu', use_bias: true } },
      { class_name: 'Dense', config: { name: 'o', units: 1, use_bias: false } },
    ] } };
    const r = importKerasModel(doc);
    if (!r.ok) throw new Error('import failed');
    const a = analyze(r.graph);
    expect(a.nodes.map((n) => [n.id, n.kind, n.paramCount])).toEqual([['h_input', 'Input', 0], ['h', 'Dense', 16], ['o', 'Dense', 4]]);
    expect(r.graph.name).toBe('mlp');
  });

  it('a class netloom lacks loads as a visible node; the rest still analyses', () => {
    const doc = fixture('keras2-functional.json');
    const layers = doc.config.layers;
    const i = layers.findIndex((l: { name: string }) => l.name === 'conv2');
    layers[i] = { ...layers[i], class_name: 'Conv3DMystery', config: { ...layers[i].config, secret: 1 } };
    const r = importKerasModel(doc);
    if (!r.ok) throw new Error('import failed');
    const node = r.graph.nodes.find((n) => n.id === 'conv2')!;
    expect(node.kind).toBe('Conv3DMystery');
    expect(node.params.secret).toBe(1);
    expect(r.notes.find((n) => n.nodeId === 'conv2')!.message).toMatch(/Keras class 'Conv3DMystery' has no netloom kind/);
    const a = analyze(r.graph);
    expect(a.byId.get('conv2')!.status).toBe('error');
    expect(a.problems.find((p) => p.nodeId === 'conv2')!.message).toBe(
      "Keras layer class 'Conv3DMystery' is not modelled by netloom (no kind computes its shape or weights); replace it with a supported layer or remove it",
    );
    expect(a.byId.get('conv1')!.paramCount).toBe(448);
    expect(a.byId.get('conv1')!.status).toBe('ok');
    // The graph still saves and loads as a netloom file, unknown node and all.
    const back = parseGraphText(serializeGraph(r.graph));
    expect(back.ok).toBe(true);
  });

  it('a grouped convolution imports with its groups and Keras 3\'s count; groups that do not divide the channels name the field', () => {
    const doc = fixture('keras3-functional.json');
    doc.config.layers[2].config.groups = 4;
    const r = importKerasModel(doc);
    if (!r.ok) throw new Error('import failed');
    const conv2 = r.graph.nodes.find((n) => n.id === 'conv2')!;
    expect(conv2.kind).toBe('Conv2D');
    expect(conv2.params.groups).toBe(4);
    const a = analyze(r.graph);
    // Keras 3: Conv2D(16, 3, groups=4) over 16 channels holds a (3, 3, 4, 16) kernel and 16 biases.
    expect(a.byId.get('conv2')!.paramCount).toBe(3 * 3 * 4 * 16 + 16);
    expect(a.byId.get('conv3')!.status).toBe('ok');
    doc.config.layers[2].config.groups = 3;
    const bad = importKerasModel(doc);
    if (!bad.ok) throw new Error('import failed');
    const e = analyze(bad.graph).byId.get('conv2')!;
    expect(e.status).toBe('error');
    expect(e.errors[0]).toMatchObject({ field: 'groups' });
    expect(e.errors[0].message).toMatch(/groups 3 must divide its 16 input channels; set groups to a divisor of 16/);
  });

  it('an open sequence length gets a size and a note; channels_first layers become channels_last', () => {
    const doc = JSON.parse(readFileSync(new URL('./fixtures/reference/ml5-dcgan-face.json', import.meta.url), 'utf8'));
    const r = importKerasModel(doc);
    if (!r.ok) throw new Error('import failed');
    const a = analyze(r.graph);
    expect(a.byId.get('reshape_2')!.outputShape).toEqual([null, 4, 4, 512]);
    expect(a.byId.get('conv2d_transpose_8')!.outputShape).toEqual([null, 64, 64, 3]);
    expect(r.notes.some((n) => n.nodeId === 'conv2d_transpose_5' && /channels_first/.test(n.message))).toBe(true);
    const tw = importKerasModel(JSON.parse(readFileSync(new URL('./fixtures/reference/twitch-sentiment-cnn-conv1d.json', import.meta.url), 'utf8')));
    if (!tw.ok) throw new Error('import failed');
    expect(tw.graph.nodes[0].params.shape).toEqual([100]);
    expect(tw.notes[0].message).toMatch(/open/);
  });

  it('broken topologies are refused with the layer, the field and the fix', () => {
    const doc = fixture('keras2-functional.json');
    doc.config.layers[1].inbound_nodes = [[['nowhere', 0, 0, {}]]];
    const r = importKerasModel(doc);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0].path).toBe('/config/layers/1/inbound_nodes');
    expect(r.problems[0].message).toMatch(/'conv1' is called on output 0\/0 of 'nowhere'.*check inbound_nodes/);
    expect(importKerasModel({ hello: 1 }).ok).toBe(false);
    const noShape = importKerasModel({ class_name: 'Sequential', config: [{ class_name: 'Dense', config: { name: 'd', units: 2 } }] });
    expect(noShape.ok ? '' : noShape.problems[0].message).toMatch(/'d' declares no input shape; give it batch_input_shape/);
  });
});
