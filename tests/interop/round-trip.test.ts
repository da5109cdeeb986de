/**
 * Round trips for every example (the folder is read when the tests run, so
 * new examples are covered as they are added):
 * - graph → TF.js model.json → graph keeps kinds, parameters and topology,
 *   and the analysis (shapes, counts per layer, totals) is the same;
 * - graph → model.json → `tf.loadLayersModel` → `countParams()` equals the
 *   engine's total, and every layer's count equals the engine's;
 * - the TF.js JavaScript export, run, builds a model with the same counts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfUnsupported } from '../../src/compile/to-tf.ts';
import { analyze, GraphBuilder, parseGraphText, type Analysis, type Graph } from '../../src/engine/index.ts';
import { toTfjsCode } from '../../src/interop/export-js.ts';
import { toKerasModelJson, toTfjsModelJson } from '../../src/interop/export-tfjs.ts';
import { importKerasModel } from '../../src/interop/import-keras.ts';
import { registerCustomLayers } from '../../src/compile/custom-layers.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const examplesDir = new URL('../../examples/', import.meta.url);
const exampleFiles = readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort();

function loadExample(file: string): Graph {
  const r = parseGraphText(readFileSync(new URL(file, examplesDir), 'utf8'));
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.problems)}`);
  return r.graph;
}

/** What must survive a round trip: per layer kind, resolved parameters, inputs in port order, shape and counts. */
function fingerprint(a: Analysis) {
  return {
    inputs: a.inputs.map((id) => a.byId.get(id)!.name),
    outputs: a.outputs.map((id) => a.byId.get(id)!.name),
    nodes: a.nodes.map((n) => ({
      name: n.name, kind: n.kind, params: n.params, inputs: n.inputIds.map((id) => a.byId.get(id)!.name), shape: n.outputShape, params_: n.paramCount, trainable: n.trainable, group: n.group,
    })),
    totals: a.totals,
  };
}

const ZERO = { class_name: 'Zeros', config: {} };
const ZERO_INIT = Object.fromEntries(
  ['kernel', 'recurrent', 'depthwise', 'pointwise', 'embeddings'].map((w) => [`${w}_initializer`, ZERO]),
);

/**
 * Initial values do not change counts, and zeros are far cheaper than
 * Glorot or orthogonal draws over VGG's 138 M weights.
 */
function zeroInitializers(topology: { config: Record<string, unknown> }) {
  const t = structuredClone(topology);
  for (const l of t.config.layers as { class_name: string; config: Record<string, unknown> }[]) {
    Object.assign(l.config, ZERO_INIT);
    if (l.class_name === 'SeparableConv2D') delete l.config.kernel_initializer; // it has depthwise and pointwise kernels only
    const inner = l.config.layer as { config: Record<string, unknown> } | undefined;
    if (inner) Object.assign(inner.config, ZERO_INIT);
  }
  return t;
}

describe('round trips of every example', () => {
  it('has examples', () => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(6);
  });

  describe.each(exampleFiles)('%s', (file) => {
    it('graph → model.json → graph keeps kinds, parameters, topology and the analysis (Keras JSON where TF.js refuses a node)', () => {
      const graph = loadExample(file);
      const refused = tfUnsupported(analyze(graph));
      let json;
      if (refused.length) {
        // model.json is for TF.js: it refuses, naming every node TF.js cannot build; the Keras JSON keeps them.
        const names = new Set(refused.map((p) => analyze(graph).byId.get(p.nodeId!)?.name ?? p.nodeId));
        expect(() => toTfjsModelJson(graph)).toThrow(new RegExp([...names].map((n) => `${n}: `).join('|')));
        // A tied head has no Keras layer list form either (the Python export writes it): refused by name there too.
        if (refused.some((p) => p.field === 'shares')) {
          expect(() => toKerasModelJson(graph)).toThrow(/shares|tied head/);
          return;
        }
        json = JSON.parse(JSON.stringify(toKerasModelJson(graph)));
      } else {
        json = JSON.parse(JSON.stringify(toTfjsModelJson(graph)));
        expect(json).toMatchObject({ format: 'layers-model', convertedBy: null, weightsManifest: [], modelTopology: { class_name: 'Model' } });
        expect(json.generatedBy).toMatch(/^netloom/);
      }
      const back = importKerasModel(json);
      if (!back.ok) throw new Error(JSON.stringify(back.problems));
      const before = analyze(graph);
      const after = analyze(back.graph);
      expect(after.problems).toEqual([]);
      expect(fingerprint(after)).toEqual(fingerprint(before));
      // model.json carries the title in its netloom metadata; a Keras JSON has none.
      if (!refused.length) expect(back.graph.title).toBe(graph.title);
    });

    it('graph → model.json → tf.loadLayersModel: countParams() and every layer equal the engine', async () => {
      const graph = loadExample(file);
      const a = analyze(graph);
      // Refused nodes are checked above; the rest is built from the model.json, netloom's own layers registered first.
      if (tfUnsupported(a).length) return;
      const json = toTfjsModelJson(graph);
      registerCustomLayers(tf);
      const model = await tf.loadLayersModel({
        load: async () => ({ modelTopology: zeroInitializers(json.modelTopology) as unknown as tf.io.ModelArtifacts['modelTopology'], weightSpecs: [], weightData: new ArrayBuffer(0) }),
      }, { strict: false });
      try {
        expect(model.countParams()).toBe(a.totals.params);
        for (const r of a.nodes) {
          const layer = model.getLayer(r.name);
          expect([r.name, layer.countParams(), layer.outputShape]).toEqual([r.name, r.paramCount, r.outputShape]);
        }
      } finally {
        model.dispose();
      }
    });

    it('the TF.js JavaScript export builds a model with the same counts', () => {
      const graph = loadExample(file);
      const a = analyze(graph);
      if (tfUnsupported(a).length) {
        expect(() => toTfjsCode(graph)).toThrow(/TF\.js|tied head/);
        return;
      }
      const code = toTfjsCode(graph);
      expect(code).toMatch(/^import \* as tf from '@tensorflow\/tfjs';$/m);
      const body = code.replace(/^import .*$/m, '').replace(/^export function/m, 'function');
      const model = new Function('tf', `${body}\nreturn buildModel();`)(zeroInitTf()) as tf.LayersModel;
      try {
        expect(model.countParams()).toBe(a.totals.params);
        for (const r of a.nodes) expect([r.name, model.getLayer(r.name).countParams()]).toEqual([r.name, r.paramCount]);
      } finally {
        model.dispose();
      }
    });
  });
});

/** `tf` whose layer factories start every weight at zero (fast; counts are unchanged). */
function zeroInitTf() {
  const zeros = { kernelInitializer: 'zeros', recurrentInitializer: 'zeros', depthwiseInitializer: 'zeros', pointwiseInitializer: 'zeros', embeddingsInitializer: 'zeros' };
  const layers = new Proxy(tf.layers, {
    get: (target, key) => {
      const f = (target as unknown as Record<string | symbol, unknown>)[key];
      // Classes pass through: netloom's own layers extend tf.layers.Layer.
      if (typeof f !== 'function' || key === 'Layer') return f;
      const { kernelInitializer: _k, ...separable } = zeros; // SeparableConv2D refuses a kernelInitializer
      return (args: Record<string, unknown>) => f({ ...(key === 'separableConv2d' ? separable : zeros), ...args });
    },
  });
  return { ...tf, layers };
}

describe('round trips of what TF.js cannot build', () => {
  it('a TF2 GRU (resetAfter true) is refused by model.json, as by the compiler, and keeps its second bias row through Keras JSON', () => {
    const b = new GraphBuilder('tf2-gru');
    const x = b.add('Input', { shape: [20, 8] }, [], 'x');
    const g = b.add('GRU', { units: 16, resetAfter: true, returnSequences: true }, [x], 'gru');
    b.add('Bidirectional', { layer: 'GRU', units: 4, resetAfter: true }, [g], 'bi');
    const graph = b.build();
    const before = analyze(graph);
    expect(tfUnsupported(before).map((p) => p.nodeId)).toEqual(['gru', 'bi']);
    // One refusal policy: model.json is for TF.js, which would build one bias row.
    expect(() => toTfjsModelJson(graph)).toThrow(/^gru: TF\.js has no GRU with resetAfter true.*\nbi: TF\.js has no GRU/s);
    const back = importKerasModel(JSON.parse(JSON.stringify(toKerasModelJson(graph))));
    if (!back.ok) throw new Error('import failed');
    expect(fingerprint(analyze(back.graph))).toEqual(fingerprint(before));
    // 3·(16·(8+16) + 2·16) = 1,248, as TF2 Keras prints it.
    expect(before.byId.get('gru')!.paramCount).toBe(3 * (16 * (8 + 16) + 2 * 16));
  });
});
