/**
 * The import corpus: real TF.js Layers model.json files from public projects
 * (copied from the shared reference with their README, which cites each
 * file's repository, path and commit). With the weightsManifest removed,
 * netloom's own analysis must give the README's total and, per layer, the
 * sum of that layer's weights in the original manifest.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { analyze } from '../../src/engine/index.ts';
import { importKerasModel } from '../../src/interop/import-keras.ts';

const dir = new URL('./fixtures/reference/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

/** `| file | … | total params |` rows of the README table. */
function publishedTotals(): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of readFileSync(join(dir, 'README.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !cells[1].endsWith('.json')) continue;
    out.set(cells[1], Number(cells[cells.length - 2].replace(/,/g, '')));
  }
  return out;
}

interface ManifestWeight { name: string; shape: number[] }

/** Per layer name (the manifest name's first segment), the sum of its weights' sizes. */
function manifestCounts(doc: { weightsManifest: { weights: ManifestWeight[] }[] }): Map<string, number> {
  const per = new Map<string, number>();
  for (const group of doc.weightsManifest) {
    for (const w of group.weights) {
      const layer = w.name.split('/')[0];
      per.set(layer, (per.get(layer) ?? 0) + w.shape.reduce((a, b) => a * b, 1));
    }
  }
  return per;
}

function stripped(text: string): { doc: Record<string, unknown>; manifest: Map<string, number> } {
  const doc = JSON.parse(text);
  const manifest = manifestCounts(doc);
  delete doc.weightsManifest;
  return { doc, manifest };
}

/** Zero initial weights: TF.js then builds even VGG's 138 M weights quickly; counts do not depend on them. */
function zeroInitializers(topology: unknown): unknown {
  const zero = { class_name: 'Zeros', config: {} };
  const visit = (l: { class_name?: string; config?: Record<string, unknown> }) => {
    if (!l?.config || typeof l.config !== 'object') return;
    for (const k of ['kernel', 'recurrent', 'depthwise', 'pointwise', 'embeddings']) {
      if (k === 'kernel' && l.class_name === 'SeparableConv2D') continue;
      if (`${k}_initializer` in l.config) l.config[`${k}_initializer`] = zero;
    }
    visit(l.config.layer as typeof l);
    visit(l.config.backward_layer as typeof l);
  };
  const t = structuredClone(topology) as { model_config?: { config: unknown } };
  const cfg = (t.model_config ?? (t as { config: unknown })).config;
  for (const l of (Array.isArray(cfg) ? cfg : (cfg as { layers: unknown[] }).layers) as Parameters<typeof visit>[0][]) visit(l);
  return t;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const totals = publishedTotals();
const tmp = mkdtempSync(join(tmpdir(), 'netloom-ref-'));

describe('reference models', () => {
  it('the README lists every fixture', () => {
    expect(files.length).toBe(11);
    expect([...totals.keys()].sort()).toEqual(files);
  });

  describe.each(files)('%s', (file) => {
    const { doc, manifest } = stripped(readFileSync(join(dir, file), 'utf8'));

    it('imports without problems; totals equal the README and every layer equals its manifest weights', () => {
      const r = importKerasModel(doc);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      const a = analyze(r.graph);
      expect(a.problems).toEqual([]);
      expect(a.totals.params).toBe(totals.get(file));
      const ours = new Map(a.nodes.map((n) => [n.name, n.paramCount]));
      for (const [layer, count] of manifest) expect([layer, ours.get(layer)]).toEqual([layer, count]);
      for (const n of a.nodes) if (!manifest.has(n.name)) expect([n.name, n.paramCount]).toEqual([n.name, 0]);
      // Imported graphs are laid out: every node has a position, no two share one.
      const spots = new Set(r.graph.nodes.map((n) => `${n.position?.x},${n.position?.y}`));
      expect(spots.size).toBe(r.graph.nodes.length);
    });

    it('TF.js loading the same topology counts what netloom counts, layer by layer', async () => {
      const r = importKerasModel(doc);
      if (!r.ok) throw new Error('import failed');
      const a = analyze(r.graph);
      const model = await tf.loadLayersModel({
        load: async () => ({ modelTopology: zeroInitializers(doc.modelTopology) as tf.io.ModelArtifacts['modelTopology'], weightSpecs: [], weightData: new ArrayBuffer(0) }),
      }, { strict: false });
      try {
        expect(model.countParams()).toBe(a.totals.params);
        for (const layer of model.layers) {
          expect([layer.name, layer.countParams()]).toEqual([layer.name, a.nodes.find((n) => n.name === layer.name)?.paramCount]);
        }
      } finally {
        model.dispose();
      }
    });

    it('npx netloom summary FILE --json gives the same totals and layers', async () => {
      const path = join(tmp, file);
      writeFileSync(path, JSON.stringify(doc));
      const out: string[] = [];
      const code = await main(['summary', path, '--json'], { out: (s) => out.push(s), err: () => {} });
      expect(code).toBe(0);
      const j = JSON.parse(out.join('\n'));
      expect(j.totals.params).toBe(totals.get(file));
      const byName = new Map<string, number>(j.layers.map((l: { name: string; params: number }) => [l.name, l.params]));
      for (const [layer, count] of manifest) expect([layer, byName.get(layer)]).toEqual([layer, count]);
    });
  });

  it('per-layer shapes match what Keras prints for LeNet (tensorspace, Keras 2.2.2)', () => {
    const { doc } = stripped(readFileSync(join(dir, 'ts-lenet-keras222.json'), 'utf8'));
    const r = importKerasModel(doc);
    if (!r.ok) throw new Error('import failed');
    const a = analyze(r.graph);
    expect(a.nodes.map((n) => [n.name, n.outputShape])).toEqual([
      ['input_1', [null, 28, 28]],
      ['reshape_1', [null, 28, 28, 1]],
      ['Conv2D_1', [null, 24, 24, 6]],
      ['MaxPooling2D_1', [null, 12, 12, 6]],
      ['Conv2D_2', [null, 8, 8, 16]],
      ['MaxPooling2D_2', [null, 4, 4, 16]],
      ['flatten_1', [null, 256]],
      ['Dense_1', [null, 120]],
      ['Dense_2', [null, 84]],
      ['Softmax', [null, 10]],
    ]);
  });
});
