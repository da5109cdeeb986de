/** `netloom diff A B`: text, JSON and exit codes on graphs, block uses and Keras / TF.js models. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { analyze, expandBlocks, GraphBuilder, parseGraphText, serializeGraph, type Graph, type GraphDiff } from '../../src/engine/index.ts';
import { toKerasModelJson, toTfjsModelJsonText } from '../../src/interop/export-tfjs.ts';

const root = new URL('../../', import.meta.url).pathname;
const example = (f: string) => join(root, 'examples', f);
const wide = join(root, 'tests/cli/fixtures/lenet5-wide.json');
const tmp = mkdtempSync(join(tmpdir(), 'netloom-diff-'));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

const graphOf = (path: string): Graph => {
  const r = parseGraphText(readFileSync(path, 'utf8'));
  if (!r.ok) throw new Error(`${path} does not load`);
  return r.graph;
};

/** Two convolutions of the input merged by Add; `branches` 3 adds a third. */
function merged(branches: number): Graph {
  const b = new GraphBuilder('merged');
  const x = b.add('Input', { shape: [16, 16, 3] }, [], 'input');
  const convs = Array.from({ length: branches }, (_, i) => b.add('Conv2D', { filters: 8, kernelSize: [3, 3], padding: 'same' }, [x], `c${i + 1}`));
  const sum = b.add('Add', {}, convs, 'sum');
  b.chain(sum, [['GlobalAveragePooling2D', {}, 'gap'], ['Dense', { units: 10 }, 'out']]);
  return b.build();
}

/** A small residual network: one block (conv → BN → relu → conv, added to its input) used twice. */
function residual(): Graph {
  const b = new GraphBuilder('tiny-residual');
  b.defineBlock('res', { params: { filters: 8 } }, (bb, { x }) => {
    let y = bb.add('Conv2D', { filters: { $: 'filters' }, kernelSize: [3, 3], padding: 'same' }, [x], 'a_conv');
    y = bb.add('BatchNormalization', {}, [y], 'a_bn');
    y = bb.add('Activation', { activation: 'relu' }, [y], 'a_relu');
    y = bb.add('Conv2D', { filters: { $: 'filters' }, kernelSize: [3, 3], padding: 'same' }, [y], 'b_conv');
    return bb.add('Add', {}, [x, y], 'add');
  });
  const x = b.add('Input', { shape: [16, 16, 8] }, [], 'input');
  const s = b.use('res', { filters: 8 }, [x], 'stage', { repeat: 2 });
  b.chain(s, [['GlobalAveragePooling2D', {}, 'gap'], ['Dense', { units: 10 }, 'out']]);
  return b.build();
}

describe('netloom diff', () => {
  it('identical files: exit 0, equivalent, both totals', async () => {
    const r = await run('diff', example('lenet5.json'), example('lenet5.json'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/lenet5\.json → .*lenet5\.json: equivalent: no layer added, removed or changed/);
    expect(r.out).toMatch(/^totals {3}params 61,706 · trainable 61,706 · mult-adds 416,520 · layers 9$/m);
    const j: GraphDiff = JSON.parse((await run('diff', example('lenet5.json'), example('lenet5.json'), '--json')).out);
    expect(j).toMatchObject({ added: [], removed: [], changed: [], equivalent: true });
    expect(j.totals.a).toEqual(j.totals.b);
  });

  it('one changed filter count: exit 1, the parameter change and the deltas', async () => {
    const r = await run('diff', example('lenet5.json'), wide);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/: 3 changed, 0 added, 0 removed$/m);
    expect(r.out).toMatch(/^changed {2}conv2d \(Conv2D\): filters 6 → 12; output \(None, 28, 28, 6\) → \(None, 28, 28, 12\);$/m);
    expect(r.out).toMatch(/params 156 → 312 \(\+156\); mult-adds 117,600 → 235,200 \(\+117,600\)/);
    // The next convolution reads twice the channels: no setting changed, its count did.
    expect(r.out).toMatch(/^changed {2}conv2d_1 \(Conv2D\): params 2,416 → 4,816 \(\+2,400\);/m);
    expect(r.out).toMatch(/^totals {3}params 61,706 → 64,262 \(\+2,556\)/m);
    // Entries wrap to 100 columns (the heading holds the paths as given).
    for (const l of r.out.split('\n').slice(1)) expect(l.length).toBeLessThanOrEqual(100);

    const j: GraphDiff = JSON.parse((await run('diff', example('lenet5.json'), wide, '--json')).out);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['added', 'removed', 'changed', 'totals', 'equivalent', 'matched']));
    const a = analyze(graphOf(example('lenet5.json')));
    const b = analyze(graphOf(wide));
    const conv = j.changed.find((c) => c.a.name === 'conv2d')!;
    expect(conv.params).toEqual({ filters: { a: 6, b: 12 } });
    expect(conv.deltaParams).toBe(b.byId.get('conv2d')!.paramCount - a.byId.get('conv2d')!.paramCount);
    expect(conv.deltaMacs).toBe(b.byId.get('conv2d')!.macs! - a.byId.get('conv2d')!.macs!);
    expect(j.totals.a).toMatchObject({ params: a.totals.params, trainable: a.totals.trainable, macs: a.totals.macs, layers: 9 });
    expect(j.totals.b.params - j.totals.a.params).toBe(b.totals.params - a.totals.params);
    expect(j.equivalent).toBe(false);
  });

  it('an added branch: listed as added, and the merge shows its new inputs', async () => {
    const two = file('two.json', serializeGraph(merged(2)));
    const three = file('three.json', serializeGraph(merged(3)));
    const r = await run('diff', two, three);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/: 1 changed, 1 added, 0 removed$/m);
    expect(r.out).toMatch(/^added {4}c3 \(Conv2D\): output \(None, 16, 16, 8\); params 224; mult-adds 55,296$/m);
    expect(r.out).toMatch(/^changed {2}sum \(Add\): inputs c1, c2 → c1, c2, c3$/m);
    const j: GraphDiff = JSON.parse((await run('diff', two, three, '--json')).out);
    expect(j.added.map((l) => l.name)).toEqual(['c3']);
    expect(j.changed).toHaveLength(1);
    expect(j.changed[0]).toMatchObject({ a: { name: 'sum' }, inputs: { a: ['c1', 'c2'], b: ['c1', 'c2', 'c3'] }, deltaParams: 0 });
    // Read the other way, the branch is removed.
    const back: GraphDiff = JSON.parse((await run('diff', three, two, '--json')).out);
    expect(back.removed.map((l) => l.name)).toEqual(['c3']);
  });

  it('a block use and its expansion are equivalent', async () => {
    const g = residual();
    const expanded = expandBlocks(g).graph;
    expect(expanded.nodes.some((n) => n.kind === 'Block')).toBe(false);
    const use = file('use.json', serializeGraph(g));
    const flat = file('flat.json', serializeGraph(expanded));
    const r = await run('diff', use, flat);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/equivalent: no layer added, removed or changed/);
    // A change inside the block shows on every copy it reaches.
    const edited = structuredClone(g);
    edited.blocks!.res.nodes.find((n) => n.id === 'b_conv')!.params.kernelSize = [5, 5];
    const j: GraphDiff = JSON.parse((await run('diff', flat, file('edited.json', serializeGraph(edited)), '--json')).out);
    expect(j.changed.map((c) => c.b.name)).toEqual(['stage1_b_conv', 'stage2_b_conv']);
    expect(j.changed[0].params).toEqual({ kernelSize: { a: [3, 3], b: [5, 5] } });
  });

  it('a Keras model.to_json() and a TF.js model.json of a graph are equivalent to it', async () => {
    const path = example('resnet18.json');
    const g = graphOf(path);
    const keras = file('resnet18-keras.json', JSON.stringify(toKerasModelJson(g)));
    const tfjs = file('resnet18-model.json', toTfjsModelJsonText(g));
    for (const other of [keras, tfjs]) {
      const r = await run('diff', path, other);
      expect(r.out).toMatch(/equivalent: no layer added, removed or changed/);
      expect(r.code).toBe(0);
    }
    expect((await run('diff', keras, tfjs)).code).toBe(0);
  });

  it('exit 2 for usage and files that cannot be compared; problems of a graph named by file', async () => {
    const lenet = example('lenet5.json');
    expect((await run('diff', lenet)).code).toBe(2);
    expect((await run('diff', lenet, lenet, lenet)).code).toBe(2);
    expect((await run('diff', lenet, lenet, '--expand'))).toMatchObject({ code: 2, err: expect.stringMatching(/unknown option --expand for diff; it takes --json/) });
    expect((await run('diff', lenet, join(tmp, 'missing.json'))).code).toBe(2);
    expect((await run('diff', file('broken.json', '{"format": "netl'), lenet)).code).toBe(2);
    // A file that is not a graph at all is trouble too, not a difference.
    const schema = await run('diff', lenet, file('schema.json', '{"format": "netloom.graph", "version": 1}'));
    expect(schema.code).toBe(2);
    expect(schema.out).toBe('');
    // A graph with an error still compares; its problem goes to stderr with the file's name.
    const bad = structuredClone(merged(2));
    bad.nodes.find((n) => n.id === 'out')!.params.units = 0;
    const badFile = file('bad-units.json', serializeGraph(bad));
    const r = await run('diff', file('good.json', serializeGraph(merged(2))), badFile);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^changed {2}out \(Dense\): units .*; output \(None, 10\) → \?; params 90 → 0 \(-90\)/m);
    expect(r.err).toBe(`${badFile}: out: units must be a whole number from 1 to 2147483647, got 0`);
  });

  it('names from the files cannot add lines or terminal escapes', async () => {
    const g = merged(2);
    const evil = structuredClone(g);
    evil.nodes.find((n) => n.id === 'c2')!.name = 'c2\nchanged  fake (Conv2D): \u001b[2Jcleared\u202e';
    const r = await run('diff', file('plain.json', serializeGraph(g)), file('evil.json', serializeGraph(evil)));
    expect(r.code).toBe(1);
    expect(r.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(r.out.split('\n').filter((l) => l.startsWith('changed  fake'))).toEqual([]);
    expect(r.out).toMatch(/c2\\nchanged {2}fake \(Conv2D\): \\x1b\[2Jcleared<U\+202E>/);
  });

  it('the installed bin exits 0 and 1 like diff(1)', () => {
    const same = spawnSync('node', ['bin/netloom.js', 'diff', 'examples/lenet5.json', 'examples/lenet5.json'], { cwd: root, encoding: 'utf8' });
    expect(same.status).toBe(0);
    const differ = spawnSync('node', ['bin/netloom.js', 'diff', 'examples/lenet5.json', 'tests/cli/fixtures/lenet5-wide.json', '--json'], { cwd: root, encoding: 'utf8' });
    expect(differ.status).toBe(1);
    expect(JSON.parse(differ.stdout).changed[0].params.filters).toEqual({ a: 6, b: 12 });
  });
});
