/**
 * Every gallery builder (scripts/gallery) against its published reference
 * and against TF.js itself: the graph analyses without problems, its totals,
 * per-layer counts and shapes equal the reference's, it survives a save and a
 * load, and `tf.layers` builds the same model with the same output shape and
 * `countParams()` for every layer.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, evaluateExpression, fmt, parseGraphText, serializeGraph, type Analysis, type Graph } from '../../src/engine/index.ts';
import { CompileError, tfUnsupported, toTfModel } from '../../src/compile/to-tf.ts';
import { useFastInitializers } from '../support/fast-init.ts';
import { GALLERY } from '../../scripts/gallery/index.ts';
import { TABLE_1 } from '../../scripts/gallery/googlenet.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  // Shapes and counts do not depend on initial values; zeros spare TF.js's slow initialisers.
  useFastInitializers(tf);
});

const FILES = Object.keys(GALLERY);

/** One build and analysis per file, shared by the checks below. */
const built = new Map<string, { graph: Graph; analysis: Analysis }>();
function get(file: string) {
  let hit = built.get(file);
  if (!hit) {
    const graph = GALLERY[file].build();
    hit = { graph, analysis: analyze(graph) };
    built.set(file, hit);
  }
  return hit;
}
const byName = (a: Analysis, name: string) => a.nodes.find((n) => n.name === name);

const countOf = (ws: tf.LayerVariable[]) => ws.reduce((s, w) => s + w.shape.reduce<number>((x, y) => x * (y ?? 0), 1), 0);

/** Differences between the engine and the TF.js model built from the same graph (empty when they agree). */
function tfDiffs(graph: Graph, a: Analysis): string[] {
  const model = toTfModel(tf, graph, a);
  const diffs: string[] = [];
  try {
    if (model.layers.length !== a.nodes.length) diffs.push(`layers: tf ${model.layers.length} vs engine ${a.nodes.length}`);
    for (const r of a.nodes) {
      const layer = model.getLayer(r.name);
      const shape = JSON.stringify(layer.outputShape);
      if (shape !== JSON.stringify(r.outputShape)) diffs.push(`${r.name}: shape tf ${shape} vs engine ${JSON.stringify(r.outputShape)}`);
      if (layer.countParams() !== r.paramCount) diffs.push(`${r.name}: params tf ${layer.countParams()} vs engine ${r.paramCount}`);
      const trainable = countOf(layer.trainableWeights);
      if (trainable !== r.trainable) diffs.push(`${r.name}: trainable tf ${trainable} vs engine ${r.trainable}`);
    }
    if (model.countParams() !== a.totals.params) diffs.push(`total: tf ${model.countParams()} vs engine ${a.totals.params}`);
  } finally {
    model.dispose();
  }
  return diffs;
}

/**
 * What TF.js cannot build in the keras.applications files, as `kind:field` →
 * how many nodes, counted from the Keras sources: EfficientNet's one
 * Normalization; MobileNetV3's hard_swish Activations (the stem, two per block
 * that uses it, two at the top: 1 + 8·2 + 2 in Small, 1 + 9·2 + 2 in Large) and
 * its keepdims global pools (one per squeeze-and-excite, one at the top);
 * ConvNeXt's grouped 7×7 convolutions (one per block: 3 + 3 + 9 + 3) and the
 * Identity that stands for its prestem normalisation; GPT-2's output head tied
 * to the token embedding. Each must be refused on its node; the rest of the
 * gallery builds in TF.js.
 */
const TFJS_REFUSES: Record<string, Record<string, number>> = {
  'efficientnetb0.json': { 'Normalization:axis': 1 },
  'efficientnetb7.json': { 'Normalization:axis': 1 },
  'mobilenetv3small.json': { 'Activation:activation': 19, 'GlobalAveragePooling2D:keepdims': 10 },
  'mobilenetv3large.json': { 'Activation:activation': 21, 'GlobalAveragePooling2D:keepdims': 9 },
  'convnext-tiny.json': { 'Identity:': 1, 'Conv2D:groups': 18 },
  'gpt2-small.json': { 'Dense:shares': 1 },
};

describe('gallery: the contract', () => {
  it('has every file the gallery promises', () => {
    expect(FILES.sort()).toEqual([
      'bert-base.json', 'conv1d-gru.json', 'convnext-tiny.json', 'efficientnetb0.json', 'efficientnetb7.json', 'efficientnetv2s.json',
      'fcn-convolutionalization.json', 'googlenet.json', 'gpt2-small.json', 'imdb-conv1d.json', 'imdb-simplernn.json', 'inception-resnet-v2.json',
      'inceptionv3.json', 'jena-bidirectional-gru.json', 'jena-dense-baseline.json', 'jena-gru-dropout.json', 'jena-stacked-gru.json',
      'keras-bidirectional-lstm.json', 'keras-lstm.json', 'lenet5.json', 'mobilenetv2.json', 'mobilenetv3large.json', 'mobilenetv3small.json',
      'nasnetmobile.json', 'one-by-one-reduction.json', 'receptive-field-3x3.json', 'transformer-text-classifier.json', 'vgg19.json', 'vit-b16.json', 'xception.json',
      'yolo-v1-head.json',
    ]);
  });
});

describe.each(FILES)('gallery: %s', (file) => {
  const ref = GALLERY[file].reference;

  it('names itself after its file, has a title, a description of a few sentences and a layout', () => {
    const { graph } = get(file);
    expect(`${graph.name}.json`).toBe(file);
    expect(graph.title?.length).toBeGreaterThan(5);
    expect((graph.description ?? '').split(/\.\s/).length).toBeGreaterThanOrEqual(3);
    expect(graph.nodes.every((n) => n.position && Number.isFinite(n.position.x) && Number.isFinite(n.position.y))).toBe(true);
    expect(new Set(graph.nodes.map((n) => `${n.position!.x},${n.position!.y}`)).size).toBe(graph.nodes.length);
  });

  it('analyses without problems and equals its reference', () => {
    const { analysis: a } = get(file);
    expect(a.problems).toEqual([]);
    expect(a.totals.params, ref.source).toBe(ref.params);
    if (ref.trainable !== undefined) expect(a.totals.trainable).toBe(ref.trainable);
    if (ref.nonTrainable !== undefined) expect(a.totals.nonTrainable).toBe(ref.nonTrainable);
    for (const [name, count] of Object.entries(ref.layers ?? {})) expect(byName(a, name)?.paramCount, name).toBe(count);
    for (const [name, shape] of Object.entries(ref.shapes ?? {})) expect(byName(a, name)?.outputShape, name).toEqual(shape);
  });

  it('saves and loads back to the same graph', () => {
    const { graph, analysis } = get(file);
    const text = serializeGraph(graph);
    const loaded = parseGraphText(text);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(serializeGraph(loaded.graph)).toBe(text);
    expect(analyze(loaded.graph).totals).toEqual(analysis.totals);
  });

  const refused = TFJS_REFUSES[file];
  if (refused) {
    it('is refused by the TF.js compiler on each node TF.js has no layer or option for, and only there', () => {
      const { graph, analysis } = get(file);
      const counts: Record<string, number> = {};
      for (const p of tfUnsupported(analysis)) {
        const key = `${analysis.byId.get(p.nodeId ?? '')?.kind}:${p.field ?? ''}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      expect(counts).toEqual(refused);
      expect(() => toTfModel(tf, graph, analysis)).toThrow(CompileError);
    });
  } else {
    it('builds in TF.js with the same shapes and counts, layer by layer', () => {
      const { graph, analysis } = get(file);
      const diffs = tfDiffs(graph, analysis);
      expect(diffs, file).toEqual([]);
    }, 120_000);
  }
});

describe('gallery: what the references and descriptions claim', () => {
  it("LeNet-5's per-layer reference equals the weights manifest of the TF.js LeNet model it cites", () => {
    const model = JSON.parse(readFileSync(new URL('../interop/fixtures/reference/ts-lenet-tfjslayers075.json', import.meta.url), 'utf8'));
    const perLayer = new Map<string, number>();
    for (const group of model.weightsManifest) {
      for (const w of group.weights as { name: string; shape: number[] }[]) {
        const layer = w.name.split('/')[0];
        perLayer.set(layer, (perLayer.get(layer) ?? 0) + w.shape.reduce((x, y) => x * y, 1));
      }
    }
    expect(Object.values(GALLERY['lenet5.json'].reference.layers!)).toEqual([...perLayer.values()]);
    expect([...perLayer.values()].reduce((x, y) => x + y, 0)).toBe(GALLERY['lenet5.json'].reference.params);
  });

  it("GoogLeNet's modules have the filter counts of Table 1", () => {
    const { analysis: a } = get('googlenet.json');
    for (const [id, [c1, r3, c3, r5, c5, proj]] of Object.entries(TABLE_1)) {
      const filters = (suffix: string) => byName(a, `inception_${id}_${suffix}`)!.outputShape!.at(-1);
      expect([filters('1x1'), filters('3x3_reduce'), filters('3x3'), filters('5x5_reduce'), filters('5x5'), filters('pool_proj')], id)
        .toEqual([c1, r3, c3, r5, c5, proj]);
    }
  });

  it("GoogLeNet's description states inception 3a's 3×3 and 5×5 branch costs with and without the 1×1 reductions", () => {
    const { graph, analysis: a } = get('googlenet.json');
    const kernel = (name: string) => byName(a, name)!.weights.find((w) => w.name === 'kernel')!.count;
    const cin = byName(a, 'inception_3a_3x3_reduce')!.inputShapes[0].at(-1)!;
    const out = (name: string) => byName(a, name)!.outputShape!.at(-1)!;
    const with3 = kernel('inception_3a_3x3_reduce') + kernel('inception_3a_3x3');
    const with5 = kernel('inception_3a_5x5_reduce') + kernel('inception_3a_5x5');
    const without3 = 3 * 3 * cin * out('inception_3a_3x3');
    const without5 = 5 * 5 * cin * out('inception_3a_5x5');
    for (const n of [with3, with5, without3, without5, with3 + with5, without3 + without5]) expect(graph.description).toContain(fmt(n));
  });

  it('every worked arithmetic chain in a description adds up (`5·5·6·16 + 16 = 2,416`)', () => {
    /** The value of one side of an `=`, or null when it is words or symbols rather than arithmetic. */
    const value = (side: string): number | null => {
      let t = side.trim().replace(/[.,]$/, '').trim();
      const count = (c: string) => t.split(c).length - 1;
      while (t.startsWith('(') && count('(') > count(')')) t = t.slice(1).trim();
      while ((t.endsWith(')') && count(')') > count('(')) || t.endsWith('(')) t = t.slice(0, -1).trim();
      try {
        return /\d/.test(t) ? evaluateExpression(t) : null;
      } catch {
        return null;
      }
    };
    let checked = 0;
    const wrong: string[] = [];
    for (const file of FILES) {
      const text = get(file).graph.description ?? '';
      for (const chain of text.split(/[^0-9·×+()=,.\s/−-]|,\s|;|\.\s/)) {
        const values = chain.split('=').map(value).filter((v): v is number => v !== null);
        if (values.length < 2) continue;
        checked++;
        if (values.some((v) => v !== values[0])) wrong.push(`${file}: ${chain.trim()} (${values.join(' ≠ ')})`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(40);
  });

  it('the teaching pieces compare branches with equal outputs', () => {
    const shape = (file: string, name: string) => byName(get(file).analysis, name)!.outputShape;
    expect(shape('receptive-field-3x3.json', 'conv3x3_b')).toEqual(shape('receptive-field-3x3.json', 'conv5x5'));
    expect(shape('one-by-one-reduction.json', 'bottleneck_3x3')).toEqual(shape('one-by-one-reduction.json', 'direct_3x3'));
    const fcn = get('fcn-convolutionalization.json').analysis;
    const weights = (name: string) => byName(fcn, name)!.weights.find((w) => w.name === 'kernel')!.count;
    expect(weights('dense')).toBe(2_560);
    expect(weights('conv_4x4')).toBe(2_560);
    expect(shape('fcn-convolutionalization.json', 'upsample')!.slice(1, 3)).toEqual(byName(fcn, 'feature_map')!.outputShape!.slice(1, 3));
  });

  it('the Jena models read the same window as examples/jena-gru.json', () => {
    const jenaGru = parseGraphText(readFileSync(new URL('../../examples/jena-gru.json', import.meta.url), 'utf8'));
    if (!jenaGru.ok) throw new Error('examples/jena-gru.json does not load');
    const window = jenaGru.graph.nodes.find((n) => n.kind === 'Window')!;
    for (const file of ['jena-dense-baseline.json', 'jena-gru-dropout.json', 'jena-stacked-gru.json', 'jena-bidirectional-gru.json']) {
      const w = get(file).graph.nodes.find((n) => n.kind === 'Window');
      expect(w?.params, file).toEqual(window.params);
    }
  });
});
