/**
 * The example graphs in examples/: each loads, saves back to the same bytes,
 * analyses without problems and reproduces the published parameter counts;
 * and the generator (scripts/build-examples.ts) still writes exactly them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, fmt, formulaValue, parseGraphText, serializeGraph, type Analysis, type Graph } from '../../src/engine/index.ts';
import { EXAMPLES, exampleText } from '../../scripts/build-examples.ts';

interface Reference {
  /** Where the figures come from. */
  source: string;
  total?: number;
  trainable?: number;
  nonTrainable?: number;
  /** Parameter count per layer name. */
  layers?: Record<string, number>;
  /** Parameter count per display group (both towers of one AlexNet layer). */
  groups?: Record<string, number>;
  /** Output shape per layer name, where the source states it. */
  shapes?: Record<string, (number | null)[]>;
}

const PUBLISHED = 'reference README, "Published parameter counts"';

/**
 * External facts, copied from their sources: never update them from engine output.
 * The parameter counts are those of ../shared/reference/README.md.
 */
const REFERENCES: Record<string, Reference> = {
  'alexnet.json': {
    source: `${PUBLISHED}: AlexNet, single tower as usually written in Keras`,
    total: 62_378_344,
    layers: {
      conv1: 34_944, conv2: 614_656, conv3: 885_120, conv4: 1_327_488, conv5: 884_992,
      fc6: 37_752_832, fc7: 16_781_312, fc8: 4_097_000,
    },
  },
  'alexnet-two-tower.json': {
    source: `${PUBLISHED}: original two-GPU AlexNet (conv2/4/5 see only their own tower)`,
    total: 60_965_224,
    groups: {
      conv1: 34_944, conv2: 307_456, conv3: 885_120, conv4: 663_936, conv5: 442_624,
      fc6: 37_752_832, fc7: 16_781_312,
    },
    layers: { fc8: 4_097_000 },
  },
  'vgg16.json': {
    source: `${PUBLISHED}: Keras Applications table and VGG16 per layer`,
    total: 138_357_544,
    layers: {
      block1_conv1: 1_792, block1_conv2: 36_928, block2_conv1: 73_856, block2_conv2: 147_584,
      block3_conv1: 295_168, block3_conv2: 590_080, block3_conv3: 590_080,
      block4_conv1: 1_180_160, block4_conv2: 2_359_808, block4_conv3: 2_359_808,
      block5_conv1: 2_359_808, block5_conv2: 2_359_808, block5_conv3: 2_359_808,
      fc1: 102_764_544, fc2: 16_781_312, predictions: 4_097_000,
    },
  },
  'resnet50.json': {
    source: `${PUBLISHED}: Keras Applications table`,
    total: 25_636_712,
    trainable: 25_583_592,
    nonTrainable: 53_120,
    // Layers inside block uses keep Keras's names: conv2_block2 is copy 2 of the use conv2_block.
    layers: { conv2_block1_0_conv: 16_640, conv2_block2_2_conv: 36_928, conv5_block3_3_bn: 8_192, predictions: 2_049_000 },
    shapes: { conv4_block6_out: [null, 14, 14, 1024] },
  },
  'resnet101.json': { source: `${PUBLISHED}: Keras Applications table`, total: 44_707_176 },
  'resnet152.json': { source: `${PUBLISHED}: Keras Applications table`, total: 60_419_944 },
  'resnet18.json': {
    source: 'torchvision.models.resnet18 documentation, num_params 11,689,512 (BatchNormalization statistics are buffers there, so they equal Keras\'s trainable count)',
    trainable: 11_689_512,
    layers: { conv1_conv: 9_408, predictions: 513_000 },
  },
  'resnet34.json': {
    source: 'torchvision.models.resnet34 documentation, num_params 21,797,672 (equal to Keras\'s trainable count)',
    trainable: 21_797_672,
  },
  'densenet121.json': {
    source: 'Keras Applications table (keras.io/api/applications): DenseNet121, 8,062,504 parameters (printed as 8.1M; exact figure of its model.summary())',
    total: 8_062_504,
  },
  'densenet201.json': {
    source: 'Keras Applications table (keras.io/api/applications): DenseNet201, 20,242,984 parameters (printed as 20.2M; exact figure of its model.summary())',
    total: 20_242_984,
  },
  'jena-gru.json': {
    source: `${PUBLISHED}: Deep Learning with Python, 1st ed., Jena GRU(32) on 14 features; ` +
      'input (lookback // step, 14) = (1440 // 6, 14) as in the book\'s generator',
    total: 4_545,
    layers: { gru_1: 4_512, dense_1: 33 },
    shapes: { window: [null, 240, 14] },
  },
  'lstm-split-sequence.json': {
    source: 'no parameter count is published in the reference README; the lecture notes\' ' +
      'split_sequence(sequence, n_steps=3) on a univariate series gives samples of 3 steps of 1 feature',
    shapes: { window: [null, 3, 1] },
  },
};

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
      const flatAt = (name: string) => nodeByName(a, name).activations;
      // Both conv5 towers (13×13×128 each) into 4096 units: the notes' 177M.
      expect(near((flatAt('conv5_1') + flatAt('conv5_2')) * units, LECTURE_FC6)).toBe(true);
      // After pool5 (6×6×128 each) fc6 has far fewer weights, and that is what the file holds.
      expect(nodeByName(a, 'pool5_1').outputShape).toEqual([null, 6, 6, 128]);
      expect(kernelWeights(a, fc6.members)).toBe((flatAt('pool5_1') + flatAt('pool5_2')) * units);
      expect(near(kernelWeights(a, fc6.members), LECTURE_FC6)).toBe(false);
    });
  });
});
