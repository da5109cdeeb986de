/**
 * Canvas groups from layer names and from wiring. Expected groupings are read
 * off the published architectures: ResNet-50 (He et al. 2015, Table 1) has a
 * stem (7×7 conv, max pool) and four stages of 3, 4, 6 and 3 bottleneck
 * blocks; Keras 2's resnet50.py names block `2a` layers `res2a_branch…` /
 * `bn2a_branch…` and leaves the ReLUs and Adds their default names. A
 * projection block has 12 layers (conv+BN+ReLU twice, conv+BN, the shortcut
 * conv+BN, the Add and the ReLU after it: 3 + 3 + 2 + 2 + 2 = 12), an
 * identity block 10 (no shortcut conv+BN).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, autoGroups, groupMembers, groupProblems, groupSelection, loadGraphDocument, serializeGraph, parseGraphText, setCollapsed, ungroup, visibleAs, type Graph } from '../../src/engine/index.ts';
import { loadAnyModelText } from '../../src/interop/load.ts';

const fixture = (f: string) => readFileSync(new URL(`../interop/fixtures/reference/${f}`, import.meta.url), 'utf8');

function imported(f: string): Graph {
  const r = loadAnyModelText(fixture(f), { name: f });
  if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 2)));
  return r.graph;
}

describe('autoGroups by Keras names', () => {
  const g = imported('ts-resnet50.json');
  const groups = autoGroups(g);
  const byTitle = new Map(groups.map((x) => [x.title, x]));
  const name = new Map(g.nodes.map((n) => [n.id, n.name]));

  it('reads ResNet-50 as its stem, four stages and 16 blocks', () => {
    expect(g.nodes.length).toBe(177);
    const stages = groups.filter((x) => !x.parent && x.title.startsWith('stage'));
    expect(stages.map((x) => x.title)).toEqual(['stage 2', 'stage 3', 'stage 4', 'stage 5']);
    const blocks = groups.filter((x) => x.parent);
    expect(blocks.length).toBe(16);
    const per = stages.map((s) => blocks.filter((b) => b.parent === s.id).length);
    expect(per).toEqual([3, 4, 6, 3]);
    expect(groups.length).toBe(1 + 4 + 16);
  });

  it('the stem is the input, the padded 7×7 convolution, its BN and ReLU, and the max pool', () => {
    expect(byTitle.get('stem')!.nodes.map((id) => name.get(id))).toEqual(['input_1', 'conv1_pad', 'conv1', 'bn_conv1', 'activation_1', 'max_pooling2d_1']);
  });

  it('a projection block has 12 layers, ending with its Add and the ReLU after it; an identity block 10', () => {
    const b2a = byTitle.get('res2a')!.nodes.map((id) => name.get(id));
    expect(b2a.length).toBe(12);
    expect(b2a).toContain('res2a_branch1');
    expect(b2a.slice(-2)).toEqual(['add_1', 'activation_4']);
    expect(byTitle.get('res2b')!.nodes.length).toBe(10);
    expect(byTitle.get('res5c')!.nodes.slice(-1).map((id) => name.get(id))).toEqual(['activation_49']);
    // The head stays outside every group: 6 + 4·12 + 12·10 = 174 of 177 layers grouped.
    const grouped = new Set(groups.flatMap((x) => x.nodes));
    expect(grouped.size).toBe(174);
    expect(g.nodes.filter((n) => !grouped.has(n.id)).map((n) => n.name)).toEqual(['avg_pool', 'flatten_1', 'fc1000']);
  });

  it('keras.applications names (conv2_block1_*), EfficientNet names (block3a_*) and scopes (transformer_layer_3/*)', () => {
    const b = new GraphBuilder('names');
    let x = b.add('Input', { shape: [8, 8, 4] }, [], 'input_1');
    x = b.add('Conv2D', { filters: 4, kernelSize: [3, 3], padding: 'same' }, [x], 'conv1_conv');
    for (const blk of ['conv2_block1', 'conv2_block2', 'conv3_block1']) {
      const a = b.add('Conv2D', { filters: 4, kernelSize: [1, 1] }, [x], `${blk}_1_conv`);
      const r = b.add('Activation', { activation: 'relu' }, [a], `${blk}_1_relu`);
      x = b.add('Add', {}, [x, r], `${blk}_add`);
    }
    const t = b.add('Dense', { units: 4 }, [x], 'transformer_layer_3/dense');
    b.add('Dense', { units: 4 }, [t], 'transformer_layer_3/out');
    const gs = autoGroups(b.build());
    expect(gs.map((y) => [y.title, y.nodes.length, y.parent ?? null])).toEqual([
      ['stem', 2, null],
      ['conv2', 0, null],
      ['conv2_block1', 3, 'conv2'],
      ['conv2_block2', 3, 'conv2'],
      ['conv3_block1', 3, null],
      ['transformer_layer_3', 2, null],
    ]);
    const e = new GraphBuilder('eff');
    let y = e.add('Input', { shape: [16] }, [], 'input_1');
    for (const blk of ['block1a', 'block2a', 'block2b']) {
      y = e.add('Dense', { units: 16 }, [y], `${blk}_expand`);
      y = e.add('Dense', { units: 16 }, [y], `${blk}_project`);
    }
    expect(autoGroups(e.build()).map((z) => z.title)).toEqual(['block2', 'block1a', 'block2a', 'block2b']);
  });
});

describe('autoGroups from wiring (default names only)', () => {
  it('each residual Add, the branches from its fork and the ReLU after it make one block', () => {
    const b = new GraphBuilder('wired');
    let x = b.add('Input', { shape: [16] }, [], 'input_1');
    for (let i = 0; i < 3; i++) {
      const d1 = b.add('Dense', { units: 16 }, [x], `dense_${2 * i + 1}`);
      const d2 = b.add('Dense', { units: 16 }, [d1], `dense_${2 * i + 2}`);
      const a = b.add('Add', {}, [x, d2], `add_${i + 1}`);
      x = b.add('Activation', { activation: 'relu' }, [a], `activation_${i + 1}`);
    }
    const g = b.build();
    const gs = autoGroups(g);
    const name = new Map(g.nodes.map((n) => [n.id, n.name]));
    expect(gs.map((y) => y.nodes.map((id) => name.get(id)))).toEqual([
      ['dense_1', 'dense_2', 'add_1', 'activation_1'],
      ['dense_3', 'dense_4', 'add_2', 'activation_2'],
      ['dense_5', 'dense_6', 'add_3', 'activation_3'],
    ]);
  });

  it('a plain chain has no groups', () => {
    expect(autoGroups(imported('ts-vgg16.json'))).toEqual([]);
  });
});

describe('collapsing, grouping a selection, the file', () => {
  const base = (): Graph => {
    const b = new GraphBuilder('g');
    const i = b.add('Input', { shape: [4] }, [], 'i');
    const a = b.add('Dense', { units: 4 }, [i], 'a');
    const c = b.add('Dense', { units: 4 }, [a], 'c');
    b.add('Dense', { units: 4 }, [c], 'd');
    return b.build();
  };

  it('a collapsed group stands for its nodes and its subgroups\' nodes; the outermost collapsed group wins', () => {
    const g = base();
    const [i, a, c, d] = g.nodes.map((n) => n.id);
    let groups = [{ id: 'outer', title: 'outer', nodes: [a] }, { id: 'inner', title: 'inner', nodes: [c], parent: 'outer' }];
    expect(groupMembers(groups).get('outer')?.sort()).toEqual([a, c].sort());
    expect(visibleAs(groups).size).toBe(0);
    groups = setCollapsed(groups, new Set(['inner']), true);
    expect([...visibleAs(groups)]).toEqual([[c, 'inner']]);
    groups = setCollapsed(groups, new Set(['outer']), true);
    expect(new Map(visibleAs(groups))).toEqual(new Map([[a, 'outer'], [c, 'outer']]));
    expect(visibleAs(groups).has(i) || visibleAs(groups).has(d)).toBe(false);
  });

  it('grouping a selection takes the nodes out of their group and nests the new group in it; ungroup gives them back', () => {
    const g = base();
    const [, a, c] = g.nodes.map((n) => n.id);
    const start = [{ id: 'group1', title: 'outer', nodes: [a, c] }];
    const { groups, id } = groupSelection(start, [c], 'mine');
    expect(id).toBe('group2');
    expect(groups).toEqual([{ id: 'group1', title: 'outer', nodes: [a] }, { id: 'group2', title: 'mine', nodes: [c], parent: 'group1' }]);
    expect(ungroup(groups, 'group2')).toEqual([{ id: 'group1', title: 'outer', nodes: [a, c] }]);
  });

  it('groups round-trip through the file exactly; a file without them still opens without them', () => {
    const g = base();
    const [, a, c] = g.nodes.map((n) => n.id);
    const withGroups: Graph = { ...g, groups: [{ id: 's', title: 'stage', nodes: [] }, { id: 'b', title: 'block', nodes: [a, c], parent: 's', collapsed: true }] };
    const text = serializeGraph(withGroups);
    const back = parseGraphText(text);
    expect(back.ok && back.graph.groups).toEqual(withGroups.groups);
    expect(back.ok && serializeGraph(back.graph)).toBe(text);
    const plain = parseGraphText(serializeGraph(g));
    expect(plain.ok && 'groups' in plain.graph).toBe(false);
  });

  it('a group naming a missing node, a node in two groups or a missing parent is refused with the group and the fix', () => {
    const g = base();
    const [, a] = g.nodes.map((n) => n.id);
    const doc = JSON.parse(serializeGraph(g));
    doc.groups = [{ id: 'x', title: 'x', nodes: [a, 'ghost'] }, { id: 'y', title: 'y', nodes: [a], parent: 'nope' }];
    const r = loadGraphDocument(doc);
    expect(r.ok).toBe(false);
    const msgs = r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
    expect(msgs).toEqual([
      "/groups/0/nodes/1: group 'x' lists node 'ghost', which is not in the graph; remove it from the group",
      `/groups/1/nodes/0: node '${a}' is in groups 'x' and 'y'; a node belongs to one group`,
      "/groups/1/parent: group 'y' sits in group 'nope', which does not exist; remove \"parent\" or add that group",
    ]);
    expect(groupProblems({ ...g, groups: [{ id: 'p', title: 'p', nodes: [], parent: 'q' }, { id: 'q', title: 'q', nodes: [], parent: 'p' }] }).map((p) => p.message)[0]).toMatch(/inside itself/);
  });
});
