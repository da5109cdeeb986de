/** The editor driven headlessly through its store actions, as a user would. */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, test } from 'vitest';
import { buildStructure, connectionProblem, LIMITS, parseGraphText, serializeGraph, type Graph } from '../../src/engine/index.ts';
import { createRecovery, startAutosave, type KeyValue } from '../../src/store/autosave.ts';
import { createEditorStore, type EditorStore } from '../../src/store/editor.ts';
import { portsOf } from '../../src/store/ops.ts';
import { decodeShare, encodeShare } from '../../src/store/share.ts';

let store: EditorStore;
const s = () => store.getState();
beforeEach(() => {
  store = createEditorStore();
});

function memoryStorage(): KeyValue & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k),
    get length() { return map.size; }, key: (i) => [...map.keys()][i] ?? null,
  };
}

/** Input(28×28×1) → Conv2D → MaxPooling2D → Flatten → Dense(10), through actions only. */
function buildMnistNet() {
  const ids = ['Input', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense'].map((k, i) => s().addNode(k, { x: 0, y: i * 100 })!);
  for (let i = 1; i < ids.length; i++) expect(s().connect(ids[i - 1], ids[i], 'in0')).toBeNull();
  expect(s().setParam(ids[4], 'units', 10)).toBeNull();
  return ids;
}

const example = (name: string): Graph => {
  const r = parseGraphText(readFileSync(`examples/${name}.json`, 'utf8'));
  if (!r.ok) throw new Error(`${name} does not load`);
  return r.graph;
};

describe('building and editing', () => {
  test('a small CNN built by actions gets the Keras parameter counts', () => {
    const [, conv, , , dense] = buildMnistNet();
    // Conv2D defaults: 32 filters, 3×3, valid → 26×26×32, pool → 13×13×32 = 5408.
    expect(s().analysis.byId.get(conv)!.paramCount).toBe(3 * 3 * 1 * 32 + 32);
    expect(s().analysis.byId.get(dense)!.paramCount).toBe(5408 * 10 + 10);
    expect(s().analysis.problems).toEqual([]);
  });

  test('editing filters updates downstream counts and keeps untouched results identical', () => {
    const [input, conv, , , dense] = buildMnistNet();
    const before = s().analysis;
    expect(s().setParam(conv, 'filters', 64)).toBeNull();
    const after = s().analysis;
    expect(after.byId.get(conv)!.paramCount).toBe(9 * 64 + 64);
    expect(after.byId.get(dense)!.paramCount).toBe(13 * 13 * 64 * 10 + 10);
    expect(after.byId.get(input)).toBe(before.byId.get(input));
    expect(s().graph.nodes[0]).toBe(before.graph.nodes[0]);
  });

  test('invalid parameter values are refused with a reason and never applied', () => {
    const [, conv] = buildMnistNet();
    const graph = s().graph;
    expect(s().setParam(conv, 'filters', 0)).toMatch(/filters must be a whole number from 1/);
    expect(s().setParam(conv, 'kernelSize', [3])).toMatch(/kernelSize must be a list of 2/);
    expect(s().setParam(conv, 'padding', 'sideways')).toMatch(/'valid', 'same'/);
    expect(s().setParam(conv, 'bogus', 1)).toMatch(/no parameter 'bogus'/);
    expect(s().graph).toBe(graph);
  });

  test('renaming refuses empty and duplicate names', () => {
    const [input, conv] = buildMnistNet();
    expect(s().rename(conv, '  ')).toMatch(/cannot be empty/);
    expect(s().rename(conv, s().graph.nodes.find((n) => n.id === input)!.name)).toMatch(/already named/);
    expect(s().rename(conv, 'features')).toBeNull();
    expect(s().analysis.byId.get(conv)!.name).toBe('features');
  });
});

describe('connecting', () => {
  test('refuses a second input into a single-input layer, naming the fix', () => {
    const [input, conv, pool] = buildMnistNet();
    expect(s().connect(input, pool, 'in1')).toMatch(/takes at most 1 input/);
    expect(s().connect(input, pool, 'in0')).toMatch(/already connected/);
    expect(s().notice?.text).toMatch(/Connection refused/);
    expect(s().graph.edges.filter((e) => e.target === pool)).toHaveLength(1);
    expect(conv).toBeTruthy();
  });

  test('refuses cycles and edges into inputs', () => {
    const [input, conv, , flatten] = buildMnistNet();
    expect(s().connect(flatten, conv, 'in0')).toMatch(/cycle|already connected/);
    const add = s().addNode('Add', { x: 0, y: 0 })!;
    expect(s().connect(flatten, add, 'in0')).toBeNull();
    expect(s().connect(add, conv, 'in1')).toMatch(/at most 1/);
    expect(s().connect(conv, input, 'in0')).toMatch(/model input/);
    const d2 = s().addNode('Dense', { x: 0, y: 0 })!;
    expect(s().connect(add, d2, 'in0')).toBeNull();
    expect(s().connect(d2, add, 'in1')).toMatch(/cycle/);
  });

  test('a refusal is the engine\'s connection rule, in the words file validation uses', () => {
    const [input, conv, pool] = buildMnistNet();
    const reason = s().connect(conv, pool, 'in1');
    expect(reason).toBe('max_pooling2d (MaxPooling2D) takes at most 1 input, so nothing can enter port in1; join the branches with Add, Multiply or Concatenate first and connect that');
    expect(reason).toBe(connectionProblem(s().graph, conv, pool, 'in1')!.message);
    expect(s().notice?.text).toBe(`Connection refused: ${reason}.`);
    const file = buildStructure({ ...s().graph, edges: [...s().graph.edges, { id: 'x', source: conv, target: pool, targetPort: 'in1' }] });
    expect(file.problems.map((p) => p.message)).toEqual([`edge 'x': ${reason}`]);
    expect(s().connect(pool, input, 'in0')).toBe('input (Input) is a model input and takes no inputs; connect from it, not into it');
  });

  test('merge layers always offer one more free port, and ports close up on disconnect', () => {
    const a = s().addNode('Input', { x: 0, y: 0 })!;
    const b = s().addNode('Input', { x: 0, y: 0 })!;
    const c = s().addNode('Input', { x: 0, y: 0 })!;
    const add = s().addNode('Add', { x: 0, y: 0 })!;
    expect(portsOf(s().graph, add)).toEqual(['in0', 'in1']);
    expect(s().connect(a, add, 'in0')).toBeNull();
    expect(s().connect(b, add, 'in1')).toBeNull();
    expect(portsOf(s().graph, add)).toEqual(['in0', 'in1', 'in2']);
    expect(s().connect(c, add, 'in2')).toBeNull();
    expect(s().analysis.byId.get(add)!.status).toBe('ok');
    const first = s().graph.edges.find((e) => e.source === a)!;
    s().disconnect([first.id]);
    expect(s().graph.edges.filter((e) => e.target === add).map((e) => e.targetPort).sort()).toEqual(['in0', 'in1']);
  });
});

describe('history', () => {
  test('undo and redo step through every change, one step per drag', () => {
    const [, conv] = buildMnistNet();
    const built = s().graph;
    s().setParam(conv, 'filters', 8);
    const analysed = s().analysis;
    s().moveNodes(new Map([[conv, { x: 5, y: 5 }]]), false);
    expect(s().analysis).toBe(analysed); // a drag changes no number: the summary does not re-render
    s().moveNodes(new Map([[conv, { x: 50, y: 50 }]]), false);
    s().moveNodes(new Map([[conv, { x: 90, y: 90 }]]), true);
    s().undo();
    expect(s().graph.nodes.find((n) => n.id === conv)!.position).toEqual({ x: 0, y: 100 });
    s().undo();
    expect(s().graph).toBe(built);
    s().redo();
    expect(s().analysis.byId.get(conv)!.params.filters).toBe(8);
    s().redo();
    expect(s().graph.nodes.find((n) => n.id === conv)!.position).toEqual({ x: 90, y: 90 });
    // Undo all the way back to the empty document.
    for (let i = 0; i < 50; i++) s().undo();
    expect(s().graph.nodes).toEqual([]);
  });

  test('loading a file over unsaved work keeps it restorable and undoable', () => {
    buildMnistNet();
    const mine = s().graph;
    s().load(example('alexnet'), 'alexnet.json');
    expect(s().analysis.totals.params).toBe(62_378_344);
    expect(s().notice?.restorePrevious).toBe(true);
    s().restorePrevious();
    expect(s().graph).toBe(mine);
    s().undo();
    expect(s().graph.name).toBe('alexnet');
    s().undo();
    expect(s().graph).toBe(mine);
  });

  test('bringing back the previous network over edits to the opened one keeps those edits the same way', () => {
    buildMnistNet();
    const mine = s().graph;
    s().load(example('lenet5'), 'lenet5.json');
    s().setParam('dense_2', 'units', 7);
    const edited = s().graph;
    s().restorePrevious();
    expect(s().graph).toBe(mine);
    expect(s().previous).toBe(edited);
    expect(s().notice).toMatchObject({ restorePrevious: true });
    expect(s().notice!.text).toMatch(/The one it replaced is kept/);
    s().restorePrevious();
    expect(s().graph).toBe(edited);
  });

  test('malformed text leaves the graph untouched and says why', () => {
    buildMnistNet();
    const g = s().graph;
    expect(s().loadText('{"format": "netloom.graph", "version": 1, "nodes": 3}', 'bad.json')).toBe(false);
    expect(s().notice).toMatchObject({ kind: 'error' });
    expect(s().notice!.text).toMatch(/bad\.json.*unchanged/);
    expect(s().loadText('not json', 'x.json')).toBe(false);
    expect(s().graph).toBe(g);
  });
});

describe('selection, clipboard and delete', () => {
  test('copy then paste inserts fresh ids with the edges among them', () => {
    const [, conv, pool, flatten] = buildMnistNet();
    const text = s().copy([conv, pool])!;
    expect(JSON.parse(text).nodes).toHaveLength(2);
    const ids = s().paste(text)!;
    expect(ids).toHaveLength(2);
    expect(ids.some((id) => id === conv || id === pool)).toBe(false);
    expect(s().graph.edges.filter((e) => ids.includes(e.source) && ids.includes(e.target))).toHaveLength(1);
    expect(s().selection).toEqual(ids);
    expect(s().paste('{"hello": 1}')).toBeNull();
    expect(flatten).toBeTruthy();
  });

  test('duplicate and delete the selection', () => {
    const [, conv, pool] = buildMnistNet();
    const n = s().graph.nodes.length;
    const dup = s().duplicate([conv]);
    expect(s().graph.nodes).toHaveLength(n + 1);
    expect(s().analysis.byId.get(dup[0])!.kind).toBe('Conv2D');
    s().select([conv, pool]);
    s().deleteSelection();
    expect(s().graph.nodes.map((x) => x.id)).not.toContain(conv);
    expect(s().graph.edges.some((e) => e.source === conv || e.target === pool)).toBe(false);
    expect(s().selection).toEqual([]);
  });
});

describe('size limits', () => {
  const inputs = (n: number): Graph => ({
    name: 'wide', edges: [],
    nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, kind: 'Input', name: `n${i}`, params: { shape: [4] }, position: { x: 0, y: 0 } })),
  });

  test('duplicate and paste refuse to take the graph past LIMITS.nodes, naming the limit', () => {
    const half = LIMITS.nodes / 2 + 1;
    s().reset(inputs(half));
    const all = s().graph.nodes.map((n) => n.id);
    const graph = s().graph;
    expect(s().duplicate(all)).toEqual([]);
    expect(s().graph).toBe(graph);
    expect(s().notice).toMatchObject({ kind: 'error' });
    expect(s().notice!.text).toBe('Duplicate refused: the network would have 100,002 layers; a network holds at most 100,000. Your network is unchanged.');

    const text = s().copy(all)!;
    s().notify(null);
    expect(s().paste(text)).toBeNull();
    expect(s().graph).toBe(graph);
    expect(s().notice!.text).toMatch(/^Paste refused: the network would have 100,002 layers; a network holds at most 100,000\./);

    // Up to the limit itself is fine.
    expect(s().duplicate(all.slice(0, LIMITS.nodes - half))).toHaveLength(LIMITS.nodes - half);
    expect(s().graph.nodes).toHaveLength(LIMITS.nodes);
    expect(s().paste(s().copy(['n0'])!)).toBeNull();
    expect(s().graph.nodes).toHaveLength(LIMITS.nodes);
  });

  test('title and description are cut at LIMITS.title and LIMITS.description', () => {
    s().setMeta({ title: 't'.repeat(LIMITS.title + 10), description: 'd'.repeat(LIMITS.description + 10) });
    expect(s().graph.title).toHaveLength(LIMITS.title);
    expect(s().graph.description).toHaveLength(LIMITS.description);
  });
});

describe('autosave, restore and share links', () => {
  test('every change is autosaved and can be read back after a reload', () => {
    const storage = memoryStorage();
    const session = memoryStorage();
    const autosave = startAutosave(store, createRecovery(storage, { session, now: () => 1234 }));
    const [, conv] = buildMnistNet();
    s().setParam(conv, 'filters', 16);
    autosave.stop();
    const saved = createRecovery(storage, { session }).offer()!;
    expect(saved).toMatchObject({ at: 1234, dirty: true });
    expect(serializeGraph(saved.graph)).toBe(serializeGraph(s().graph));
    // A fresh editor (the reload) restores it with identical numbers.
    const reloaded = createEditorStore();
    reloaded.getState().load(saved.graph, 'autosave');
    expect(reloaded.getState().analysis.totals).toEqual(s().analysis.totals);
    for (const k of storage.map.keys()) storage.map.set(k, '{"graph": "not a graph"}');
    expect(createRecovery(storage, { session }).offer()).toBeNull();
  });

  test('share links round-trip byte-exactly and reject damaged data', async () => {
    const g = example('resnet50');
    const frag = await encodeShare(g);
    expect(frag).toMatch(/^g=[A-Za-z0-9_-]+$/);
    expect(frag.length).toBeLessThan(serializeGraph(g).length / 4);
    expect(await decodeShare(frag)).toBe(serializeGraph(g));
    await expect(decodeShare(frag.slice(0, frag.length / 2))).rejects.toThrow(/damaged/);
    await expect(decodeShare('g=<script>')).rejects.toThrow(/characters/);
  });

  test('a hostile name stays plain data', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const [, conv] = buildMnistNet();
    expect(s().rename(conv, hostile)).toBeNull();
    const text = serializeGraph(s().graph);
    expect(s().loadText(text, 'again.json')).toBe(true);
    expect(s().analysis.byId.get(conv)!.name).toBe(hostile);
  });
});

test('new layers get the names Keras would give them', async () => {
  const { baseName } = await import('../../src/store/ops.ts');
  expect(['MaxPooling2D', 'Conv2D', 'GlobalAveragePooling2D', 'SimpleRNN', 'Dense'].map(baseName))
    .toEqual(['max_pooling2d', 'conv2d', 'global_average_pooling2d', 'simple_rnn', 'dense']);
});

describe('blocks', () => {
  test('a block use is one node with its subtotal; repeat, undo and paste into another editor', () => {
    s().load(example('resnet50'), 'resnet50.json');
    const total = s().analysis.totals.params;
    const last = s().graph.nodes.find((n) => n.id === 'conv5_block')!;
    expect(last.kind).toBe('Block');
    const before = s().analysis.byId.get(last.id)!.paramCount;
    expect(s().setBlockParam(last.id, 'repeat', 0)).toMatch(/repeat must be a whole number/);
    expect(s().setBlockParam(last.id, 'repeat', 4)).toBeNull();
    // Two copies of the 2,048-channel bottleneck become four.
    expect(s().analysis.byId.get(last.id)!.paramCount).toBe(before * 2);
    expect(s().analysis.totals.params).toBe(total + before);
    s().undo();
    expect(s().analysis.totals.params).toBe(total);

    const use = s().addBlockUse('bottleneck', { x: 0, y: 0 })!;
    expect(s().addBlockUse('no_such_block', { x: 0, y: 0 })).toBeNull();
    expect(s().connect('conv2_block1', use, 'in0')).toBeNull();
    expect(s().connect('conv2_block', use, 'in1')).toMatch(/at most 1 input/);
    expect(s().setBlockParam(use, 'args.filters', 64)).toBeNull();
    // One bottleneck on 256 channels with 64 filters: the same subtotal as one copy of conv2_block.
    const conv2 = s().analysis.byId.get('conv2_block')!;
    expect(s().analysis.byId.get(use)).toMatchObject({ status: 'ok', paramCount: conv2.paramCount / 2 });
    expect(s().analysis.byId.get(use)!.outputShape).toEqual([null, 56, 56, 256]);

    const text = s().copy([use])!;
    const other = createEditorStore();
    const pasted = other.getState().paste(text)!;
    expect(other.getState().graph.blocks?.bottleneck).toBeDefined();
    expect(other.getState().analysis.byId.get(pasted[0])!.kind).toBe('Block');
  });
});
