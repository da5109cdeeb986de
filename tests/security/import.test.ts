/**
 * Hostile Keras and TF.js model.json documents: whatever an import accepts
 * must save and reopen as a netloom file (names, ids, titles and nesting
 * within the file limits, shortened with a note), what cannot fit is refused
 * with a reason before the work is done, and nothing costs quadratic time or
 * overflows the stack.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, LIMITS, parseGraphText, serializeGraph, summaryText, type Graph } from '../../src/engine/index.ts';
import { importKerasModel, type ImportNote } from '../../src/interop/import-keras.ts';
import { loadAnyModelText } from '../../src/interop/load.ts';

type Layer = Record<string, unknown>;
const input = (name = 'in', shape: unknown[] = [null, 3]): Layer => ({ class_name: 'InputLayer', config: { name, batch_input_shape: shape } });
const dense = (name: string, units = 2): Layer => ({ class_name: 'Dense', config: { name, units } });
const sequential = (layers: Layer[], name = 'm'): Layer => ({ class_name: 'Sequential', config: { name, layers } });
/** A functional chain: `names[0]` is the input, each later layer is a Dense called on the one before. */
function functional(names: string[], name = 'm'): Layer {
  const layers = names.map((n, i) => (i === 0
    ? { name: n, class_name: 'InputLayer', config: { name: n, batch_input_shape: [null, 3] }, inbound_nodes: [] }
    : { name: n, class_name: 'Dense', config: { name: n, units: i + 1 }, inbound_nodes: [[[names[i - 1], 0, 0, {}]]] }));
  return { class_name: 'Functional', config: { name, layers, input_layers: [[names[0], 0, 0]], output_layers: [[names[names.length - 1], 0, 0]] } };
}

function imported(doc: unknown): { graph: Graph; notes: ImportNote[] } {
  const r = importKerasModel(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r;
}

function refused(doc: unknown): string {
  const r = importKerasModel(doc);
  if (r.ok) throw new Error('imported');
  return r.problems[0].message;
}

/** The imported graph saves, its file reopens, and the reopened graph is the same network. */
function expectReopens(graph: Graph): Graph {
  const text = serializeGraph(graph);
  const back = parseGraphText(text);
  if (!back.ok) throw new Error(`the saved import does not reopen: ${JSON.stringify(back.problems.slice(0, 3))}`);
  expect(back.graph.nodes.map((n) => n.id)).toEqual(graph.nodes.map((n) => n.id));
  expect(analyze(back.graph).totals).toEqual(analyze(graph).totals);
  return back.graph;
}

const deep = (levels: number, leaf: unknown = 1) => {
  let v: unknown = leaf;
  for (let i = 0; i < levels; i++) v = { v };
  return v;
};

describe('an import fits the file limits, or says why not', () => {
  it('a 1,000-character model name becomes a title of the longest length, with a note', () => {
    const long = 'M'.repeat(1000);
    for (const doc of [sequential([input(), dense('d')], long), { modelTopology: sequential([input(), dense('d')], long), weightsManifest: [] }]) {
      const { graph, notes } = imported(doc);
      expect(graph.title).toBe('M'.repeat(LIMITS.title));
      expect(graph.name.length).toBeLessThanOrEqual(LIMITS.name);
      expect(notes.map((n) => n.message)).toContain(`the model name (1,000 characters) is longer than a title may be; shortened to its first ${LIMITS.title}`);
      expectReopens(graph);
    }
  });

  it('300-character layer names are shortened, stay unique, and keep their edges', () => {
    const stem = 'x'.repeat(250);
    const names = ['in', `${stem}_a`, `${stem}_b`, `${stem}_c`, 'short'];
    for (const doc of [functional(names), sequential([input(), ...names.slice(1).map((n) => dense(n))])]) {
      const { graph, notes } = imported(doc);
      const ids = graph.nodes.map((n) => n.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id.length).toBeLessThanOrEqual(Math.min(LIMITS.id, LIMITS.name));
      expect(ids.slice(-4)).toEqual([stem.slice(0, 192), `${stem.slice(0, 192)}_2`, `${stem.slice(0, 192)}_3`, 'short']);
      expect(notes.filter((n) => /is longer than 200 characters; shortened to/.test(n.message))).toHaveLength(3);
      // Each layer still reads the one before it.
      const a = analyze(expectReopens(graph));
      expect(a.problems).toEqual([]);
      for (let i = 1; i < a.nodes.length; i++) expect(a.nodes[i].inputIds).toEqual([a.nodes[i - 1].id]);
    }
  });

  it('ids grown long by nested model prefixes are shortened and unique', () => {
    let model: Layer = sequential([input('in', [null, 3]), dense('inner'), dense('inner2')], 'n'.repeat(40));
    for (let k = 0; k < 8; k++) model = sequential([input(`in${k}`, [null, 3]), model, dense(`after${k}`)], `${k}`.repeat(40));
    const { graph } = imported(model);
    const ids = graph.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.max(...ids.map((i) => i.length))).toBeLessThanOrEqual(LIMITS.id);
    expect(analyze(expectReopens(graph)).problems).toEqual([]);
  });

  it('a layer config nested 40 levels deep imports with the deep part dropped and a note', () => {
    const doc = sequential([input(), { class_name: 'Mystery', config: { name: 'odd', deep: deep(40) } }, { class_name: 'Reshape', config: { name: 'r', target_shape: [deep(40)] } }]);
    const { graph, notes } = imported(doc);
    expect(notes.some((n) => n.nodeId === 'odd' && n.message.startsWith(`parameter values nested more than ${LIMITS.depth - 4} levels deep (at deep/v/v`))).toBe(true);
    // The Reshape's target is read as a list of numbers or not at all: the default, with a note naming the key.
    expect(notes.some((n) => n.nodeId === 'r' && /^target_shape a list of 1 is not a value netloom reads; used \[-1\]/.test(n.message))).toBe(true);
    expectReopens(graph);
  });

  it('a model over the node limit is refused before any layer is built', () => {
    const layers = [input(), ...Array.from({ length: LIMITS.nodes + 1 }, (_, i) => dense(`d${i}`))];
    const t = performance.now();
    expect(refused(sequential(layers))).toBe(`the model has 100,002 layers, more than the ${LIMITS.nodes.toLocaleString('en-US')} a netloom graph may hold; split it into smaller models`);
    expect(performance.now() - t).toBeLessThan(5000);
    // The Input netloom adds for a first layer's declared shape is counted too.
    const exact = Array.from({ length: LIMITS.nodes }, (_, i) => (i ? dense(`d${i}`) : { class_name: 'Dense', config: { name: 'd0', units: 2, batch_input_shape: [null, 3] } }));
    expect(refused(sequential(exact))).toMatch(/^the model makes more than 100,000 layers/);
  });

  it('a nested model called so often that its copies pass the node limit is refused', () => {
    const inner = { ...functional(['i', ...Array.from({ length: 1000 }, (_, k) => `l${k}`)], 'tower'), name: 'tower' };
    const calls = 101;
    const layers: Layer[] = [{ name: 'x', class_name: 'InputLayer', config: { name: 'x', batch_input_shape: [null, 3] }, inbound_nodes: [] }];
    (inner as Layer).inbound_nodes = Array.from({ length: calls }, () => [['x', 0, 0, {}]]);
    layers.push(inner);
    const doc = { class_name: 'Functional', config: { name: 'm', layers, input_layers: [['x', 0, 0]], output_layers: [['tower', 0, 0]] } };
    expect(refused(doc)).toBe(`the model makes more than ${LIMITS.nodes.toLocaleString('en-US')} layers (each call of a shared layer or model counts), more than a netloom graph may hold; split it into smaller models`);
  });

  it('a merge called on more tensors than a node has ports is refused, naming the limit', () => {
    const n = LIMITS.ports + 1;
    const layers: Layer[] = [{ name: 'x', class_name: 'InputLayer', config: { name: 'x', batch_input_shape: [null, 3] }, inbound_nodes: [] }];
    layers.push({ name: 'cat', class_name: 'Concatenate', config: { name: 'cat' }, inbound_nodes: [Array.from({ length: n }, () => ['x', 0, 0, {}])] });
    const doc = { class_name: 'Functional', config: { name: 'm', layers, input_layers: [['x', 0, 0]], output_layers: [['cat', 0, 0]] } };
    expect(refused(doc)).toBe(`layer 'cat' is called on 10,001 tensors, more than the ${LIMITS.ports.toLocaleString('en-US')} inputs a netloom layer may take; merge them in stages`);
  });

  it('a class name longer than a kind may be is shortened with a note; an empty one is refused', () => {
    const { graph, notes } = imported(sequential([input(), { class_name: 'K'.repeat(150), config: { name: 'k' } }]));
    expect(graph.nodes[1].kind).toBe('K'.repeat(LIMITS.kind));
    expect(notes.some((n) => n.nodeId === 'k' && /Keras class name \(150 characters\) is longer than 100; shortened/.test(n.message))).toBe(true);
    expectReopens(graph);
    expect(refused(sequential([input(), { class_name: '', config: { name: 'e' } }]))).toBe('each layer needs a class_name and a config');
  });

  it('netloom metadata that does not fit (title, description, group) is shortened with notes', () => {
    const doc = {
      modelTopology: sequential([input('__proto__'), dense('d')]),
      userDefinedMetadata: { netloom: { title: 'T'.repeat(600), description: 'D'.repeat(LIMITS.description + 1), nodes: { d: { group: 'g'.repeat(300) } } } },
    };
    // A `__proto__` key as JSON.parse reads it: an own property, data like any other.
    const text = JSON.stringify(doc).replace('"nodes":{"d"', '"nodes":{"__proto__":{"group":"p"},"d"');
    const r = loadAnyModelText(text);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.graph.title).toHaveLength(LIMITS.title);
    expect(r.graph.description).toHaveLength(LIMITS.description);
    expect(r.graph.nodes.map((n) => n.group)).toEqual(['p', 'g'.repeat(LIMITS.name)]);
    expect(r.notes.map((n) => n.message)).toEqual(expect.arrayContaining([
      `the title (600 characters) is longer than a title may be; shortened to its first ${LIMITS.title}`,
      `the description (20,001 characters) is longer than a description may be; shortened to its first ${LIMITS.description.toLocaleString('en-US')}`,
      `display group (300 characters) is longer than ${LIMITS.name}; shortened`,
    ]));
    expectReopens(r.graph);
  });

  it('every reference model.json still imports and reopens unchanged', () => {
    const dir = new URL('../interop/fixtures/reference/', import.meta.url);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
      const { graph } = imported(JSON.parse(readFileSync(new URL(f, dir), 'utf8')));
      const back = expectReopens(graph);
      expect(serializeGraph(back)).toBe(serializeGraph(graph));
    }
  });
});

describe('names that are properties of every object', () => {
  it('layer classes, names and activations named constructor, toString or __proto__ import as data', () => {
    const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
    const layers: Layer[] = [input('__proto__')];
    for (const n of names) layers.push({ class_name: n, config: { name: `c_${n}` } });
    for (const n of names) layers.push({ class_name: 'Dense', config: { name: n, units: 2, activation: n } });
    const { graph, notes } = imported(sequential(layers, 'constructor'));
    expect(graph.nodes.map((n) => n.kind)).toEqual(['Input', ...names, ...names.map(() => 'Dense')]);
    expect(graph.nodes.slice(-5).map((n) => n.id)).toEqual(names.map((n) => (n === '__proto__' ? '__proto___2' : n)));
    expect(graph.nodes.slice(-5).map((n) => n.params.activation)).toEqual(names.map(() => 'linear'));
    expect(notes.filter((n) => /activation '.*' has no netloom equivalent/.test(n.message))).toHaveLength(5);
    const a = analyze(graph);
    expect(a.problems.find((p) => p.nodeId === 'c_constructor')!.message).toMatch(/^unknown kind 'constructor'/);
    expectReopens(graph);
  });
});

describe('nesting as deep as JSON allows', () => {
  const limit = `more than ${LIMITS.importDepth} levels deep`;

  it('models nested 100,000 deep are refused, naming the nesting limit', () => {
    let text = '{"class_name": "Dense", "config": {"name": "d", "units": 2}}';
    for (let i = 0; i < 100_000; i++) text = `{"class_name": "Sequential", "config": {"name": "s", "layers": [${text}]}}`;
    const r = loadAnyModelText(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0].message).toContain(limit);
  });

  it('a layer config nested 100,000 deep, or modelTopology wrapped 100,000 times, is refused', () => {
    const config = `{"class_name": "Sequential", "config": {"name": "m", "layers": [{"class_name": "Mystery", "config": {"name": "x", "batch_input_shape": [null, 3], "deep": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}}`;
    const wrapped = `${'{"modelTopology": '.repeat(100_000)}{"class_name": "Sequential", "config": []}${'}'.repeat(100_000)}`;
    for (const text of [config, wrapped]) {
      const r = loadAnyModelText(text);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.problems[0].message).toContain(limit);
    }
  });
});

describe('inputs that must not cost quadratic time', () => {
  it('20,000 layers all named d load, analyse and print a summary in seconds', () => {
    const layers = [input('d', [null, 4]), ...Array.from({ length: 20_000 }, () => dense('d', 4))];
    const text = JSON.stringify(sequential(layers));
    const t = performance.now();
    const r = loadAnyModelText(text);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const a = analyze(r.graph);
    const summary = summaryText(a);
    expect((performance.now() - t) / 1000).toBeLessThan(5);
    expect(r.graph.nodes.map((n) => n.id).slice(0, 3)).toEqual(['d', 'd_2', 'd_3']);
    expect(r.graph.nodes[20_000].id).toBe('d_20001');
    expect(a.problems).toEqual([]);
    expect(summary).toContain('Total params: 400,000');
  });

  it('names that collide with generated ones still get unique ids', () => {
    const { graph } = imported(sequential([input('d'), dense('d'), dense('d_2'), dense('d'), dense('')]));
    expect(graph.nodes.map((n) => n.id)).toEqual(['d', 'd_2', 'd_2_2', 'd_3', 'layer_4']);
  });

  it('a functional model of 20,000 layers listed last-first imports in seconds', () => {
    const names = ['in', ...Array.from({ length: 20_000 }, (_, i) => `l${i}`)];
    const doc = functional(names) as { config: { layers: Layer[] } };
    doc.config.layers.reverse();
    const t = performance.now();
    const { graph } = imported(doc);
    expect((performance.now() - t) / 1000).toBeLessThan(5);
    expect(graph.nodes.map((n) => n.id)).toEqual(names);
  });

  it('50,000 layers whose calls are renumbered import in seconds', () => {
    const names = ['in', ...Array.from({ length: 50_000 }, (_, i) => `l${i}`)];
    const doc = functional(names) as { config: { layers: Layer[] } };
    // tfjs-style numbering: every reference points at call 1 of a layer called once.
    for (const l of doc.config.layers) for (const call of (l.inbound_nodes as unknown[][][]) ?? []) for (const ref of call) ref[1] = 1;
    const t = performance.now();
    const { graph } = imported(doc);
    expect((performance.now() - t) / 1000).toBeLessThan(5);
    expect(graph.edges).toHaveLength(50_000);
  });
});
