/**
 * Differential test against TF.js itself: hundreds of seeded random graphs (and
 * targeted ones for every kind and option) are built with `tf.layers`; every layer's output shape
 * and `countParams()` (trainable and not) must equal the engine's numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, serializeGraph, type Graph } from '../../src/engine/index.ts';
import { tfUnsupported, toTfModel } from '../../src/compile/to-tf.ts';
import { useFastInitializers } from '../support/fast-init.ts';
import { coverage, randomGraph, requiredCoverage, targetedGraph } from '../support/random-graphs.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  useFastInitializers(tf);
});

const sumCounts = (ws: tf.LayerVariable[]) => ws.reduce((a, w) => a + w.shape.reduce<number>((x, y) => x * (y ?? 0), 1), 0);

/** Returns human-readable mismatches between the engine and TF.js (empty when they agree). */
function compare(graph: Graph): string[] {
  const a = analyze(graph);
  if (a.problems.length) return a.problems.map((p) => `engine problem ${p.nodeId}: ${p.message}`);
  const model = toTfModel(tf, graph, a);
  const diffs: string[] = [];
  try {
    for (const r of a.nodes) {
      const layer = model.getLayer(r.name);
      const tfShape = JSON.stringify(layer.outputShape);
      const ours = JSON.stringify(r.outputShape);
      if (tfShape !== ours) diffs.push(`${r.name} (${r.kind}): shape tf ${tfShape} vs engine ${ours}`);
      const count = layer.countParams();
      if (count !== r.paramCount) diffs.push(`${r.name} (${r.kind}): params tf ${count} vs engine ${r.paramCount}`);
      const trainable = sumCounts(layer.trainableWeights);
      if (trainable !== r.trainable) diffs.push(`${r.name} (${r.kind}): trainable tf ${trainable} vs engine ${r.trainable}`);
    }
    if (model.countParams() !== a.totals.params) diffs.push(`total: tf ${model.countParams()} vs engine ${a.totals.params}`);
  } finally {
    model.dispose();
  }
  return diffs;
}

function expectParity(graph: Graph): void {
  const diffs = compare(graph);
  if (diffs.length) {
    // A failing case prints its graph so it can be opened and debugged.
    console.error(`Parity failure for ${graph.name}:\n${diffs.join('\n')}\n${serializeGraph(graph)}`);
  }
  expect(diffs, graph.name).toEqual([]);
}

// Every example file is compiled and verified layer by layer in compile.test.ts.

describe('parity with TF.js: seeded random graphs', () => {
  const SEEDS = 320;
  const graphs = Array.from({ length: SEEDS }, (_, i) => randomGraph(1000 + i));

  it('generates valid, varied graphs', () => {
    expect(graphs.every((g) => analyze(g).problems.length === 0)).toBe(true);
    const sizes = graphs.map((g) => g.nodes.length);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(8);
    expect(graphs.some((g) => analyze(g).outputs.length > 1)).toBe(true);
    expect(graphs.some((g) => analyze(g).inputs.length > 1)).toBe(true);
  });

  for (let chunk = 0; chunk < SEEDS; chunk += 40) {
    it(`random graphs ${chunk}–${chunk + 39}`, () => {
      for (const g of graphs.slice(chunk, chunk + 40)) expectParity(g);
    });
  }

  it('covers every kind and every enum/boolean value, with targeted graphs for what chance missed', () => {
    const seen = coverage(graphs);
    const missing = requiredCoverage().filter((item) => !seen.has(item));
    const unbuildable: string[] = [];
    for (const [i, item] of missing.entries()) {
      const g = targetedGraph(item, i + 1);
      if (!g) {
        unbuildable.push(item);
        continue;
      }
      expect(coverage([g]).has(item), item).toBe(true);
      expectParity(g);
    }
    expect(unbuildable).toEqual([]);
  });
});
