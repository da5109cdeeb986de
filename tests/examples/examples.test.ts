/**
 * The example graphs in examples/: each loads, saves back to the same bytes,
 * analyses without problems and reproduces the published parameter counts;
 * and the generator (scripts/build-examples.ts) still writes exactly them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, fmt, formulaValue, parseGraphText, serializeGraph, type Analysis, type Graph } from '../../src/engine/index.ts';
import { EXAMPLES, exampleText } from '../../scripts/build-examples.ts';
import { REFERENCES } from '../../scripts/example-references.ts';
import { examplesTable, TABLE_PATH } from '../../scripts/examples-table.ts';

/**
 * The lecture notes' AlexNet exercise (../shared/seeds/003_8ba976a741d4fc31.txt,
 * "Exercise (of AlexNet)"): weight counts without biases, written rounded
 * (≈35k, ≈884k, …), so each must lie within one unit of the figure.
 */
const LECTURE_ALEXNET: Record<string, { figure: number; unit: number }> = {
  conv1: { figure: 35, unit: 1e3 }, // 11 × 11 × 3 × 48 ∗ 2 ≈ 35k
  conv2: { figure: 307, unit: 1e3 }, // 5 × 5 × 48 × 128 ∗ 2 ≈ 307k
  conv3: { figure: 884, unit: 1e3 }, // 3 × 3 × 128 ∗ 2 × 192 ∗ 2 ≈ 884k
  conv4: { figure: 663, unit: 1e3 }, // 3 × 3 × 192 × 192 ∗ 2 ≈ 663k
  conv5: { figure: 442, unit: 1e3 }, // 3 × 3 × 192 × 128 ∗ 2 ≈ 442k
  fc7: { figure: 16, unit: 1e6 }, // 2048 ∗ 2 × 2048 ∗ 2 ≈ 16M
  fc8: { figure: 4, unit: 1e6 }, // 2048 ∗ 2 × 1000 ≈ 4M
};
/** The exercise's fc6: 13 ∗ 13 ∗ 128 ∗ 2 × 2048 ∗ 2 ≈ 177M, which leaves out pool5. */
const LECTURE_FC6 = { figure: 177, unit: 1e6 };

const EXAMPLES_DIR = new URL('../../examples/', import.meta.url);
const readExample = (file: string): string => readFileSync(new URL(file, EXAMPLES_DIR), 'utf8');

function load(file: string): { text: string; graph: Graph; analysis: Analysis } {
  const text = readExample(file);
  const loaded = parseGraphText(text);
  if (!loaded.ok) throw new Error(`${file}: ${loaded.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return { text, graph: loaded.graph, analysis: analyze(loaded.graph) };
}

const nodeByName = (a: Analysis, name: string) => {
  const r = a.nodes.find((n) => n.name === name);
  if (!r) throw new Error(`no layer named ${name}`);
  return r;
};

/** Kernel weights (no biases) of a layer or of all members of a group. */
const kernelWeights = (a: Analysis, ids: string[]) =>
  ids.flatMap((id) => a.byId.get(id)!.weights).filter((w) => w.name === 'kernel').reduce((s, w) => s + w.count, 0);

describe('examples/', () => {
  it('README.md is the table `npm run examples:table` writes', () => {
    expect(readFileSync(TABLE_PATH, 'utf8')).toBe(examplesTable());
  });

  it('keeps the block-based files small enough to read (under 60 KB) with their stages as nodes', () => {
    for (const file of ['resnet50.json', 'resnet101.json', 'resnet152.json', 'densenet121.json', 'densenet201.json']) {
      const text = readExample(file);
      expect(text.length, file).toBeLessThan(60 * 1024);
      const { graph } = load(file);
      const uses = graph.nodes.filter((n) => n.kind === 'Block').map((n) => n.name);
      expect(uses.length, file).toBeGreaterThanOrEqual(4);
      expect(uses.some((n) => n.startsWith('conv4')), file).toBe(true);
    }
  });

  it('has a reference entry for every generated file and no other', () => {
    expect(Object.keys(REFERENCES).sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  describe.each(Object.keys(EXAMPLES))('%s', (file) => {
    const ref = REFERENCES[file];

    it('loads, and saving it gives back the same bytes', () => {
      const { text, graph } = load(file);
      expect(serializeGraph(graph)).toBe(text);
    });

    it('has a title and a description', () => {
      const { graph } = load(file);
      expect(graph.title?.trim()).toBeTruthy();
      expect(graph.description?.trim()).toBeTruthy();
    });

    it('is what scripts/build-examples.ts writes (run `npm run examples:build` after changing it)', () => {
      expect(exampleText(file)).toBe(readExample(file));
    });

    it('analyses without problems', () => {
      const { analysis } = load(file);
      expect(analysis.problems).toEqual([]);
      expect(analysis.nodes.every((n) => n.status === 'ok')).toBe(true);
    });

    it(`matches its reference (${ref.source})`, () => {
      const { analysis: a } = load(file);
      if (ref.total !== undefined) expect(a.totals.params).toBe(ref.total);
      if (ref.trainable !== undefined) expect(a.totals.trainable).toBe(ref.trainable);
      if (ref.nonTrainable !== undefined) expect(a.totals.nonTrainable).toBe(ref.nonTrainable);
      for (const [name, count] of Object.entries(ref.layers ?? {})) expect(nodeByName(a, name).paramCount, name).toBe(count);
      for (const [name, count] of Object.entries(ref.groups ?? {})) expect(a.groups.find((g) => g.name === name)?.params, `group ${name}`).toBe(count);
      for (const [name, shape] of Object.entries(ref.shapes ?? {})) expect(nodeByName(a, name).outputShape, name).toEqual(shape);
    });
  });

  describe('alexnet-two-tower.json against the lecture notes', () => {
    const { analysis: a } = load('alexnet-two-tower.json');
    const group = (name: string) => {
      const g = a.groups.find((x) => x.name === name);
      if (!g) throw new Error(`no group ${name}`);
      return g;
    };
    const near = (value: number, f: { figure: number; unit: number }) => Math.abs(value / f.unit - f.figure) < 1;

    it.each(Object.keys(LECTURE_ALEXNET))('%s: the weight count is the notes\' figure and the group row shows it', (name) => {
      const members = name === 'fc8' ? [nodeByName(a, 'fc8').id] : group(name).members;
      const weights = kernelWeights(a, members);
      expect(near(weights, LECTURE_ALEXNET[name]), `${fmt(weights)} weights`).toBe(true);
      if (name !== 'fc8') expect(group(name).formula).toContain(`= ${fmt(weights)} + `);
    });

    it('every group formula evaluates to its parameter count', () => {
      for (const g of a.groups.filter((x) => x.params > 0)) expect(formulaValue(g.formula), g.formula).toBe(g.params);
    });

    it("the notes' fc6 figure is conv5's output flattened, not pool5's", () => {
      const fc6 = group('fc6');
      const units = fc6.members.reduce((s, id) => s + (a.byId.get(id)!.outputShape![1] as number), 0);
      const flatAt = (name: string) => nodeByName(a, name).activations!;
      // Both conv5 towers (13×13×128 each) into 4096 units: the notes' 177M.
      expect(near((flatAt('conv5_1') + flatAt('conv5_2')) * units, LECTURE_FC6)).toBe(true);
      // After pool5 (6×6×128 each) fc6 has far fewer weights, and that is what the file holds.
      expect(nodeByName(a, 'pool5_1').outputShape).toEqual([null, 6, 6, 128]);
      expect(kernelWeights(a, fc6.members)).toBe((flatAt('pool5_1') + flatAt('pool5_2')) * units);
      expect(near(kernelWeights(a, fc6.members), LECTURE_FC6)).toBe(false);
    });
  });
});
