/** Reusable blocks: expansion, subtotals, errors, file format version 2 and its migration from version 1. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  analyze, BLOCK_KIND, blockUse, blockUseResult, evaluateExpr, expandBlocks, GraphBuilder, isBlockUse, parseGraphText,
  serializeGraph, summaryJson, summaryText, type Analysis, type Graph,
} from '../../src/engine/index.ts';

/** A small residual network: one block (conv → BN → relu → conv, added to the input) used twice. */
function residual(repeat = 2): Graph {
  const b = new GraphBuilder('tiny-residual', { title: 'tiny', description: 'two residual blocks' });
  b.defineBlock('res', { params: { filters: 8, k: 3 } }, (bb, { x }) => {
    let y = bb.add('Conv2D', { filters: { $: 'filters' }, kernelSize: [{ $: 'k' }, { $: 'k' }], padding: 'same' }, [x], 'a_conv');
    y = bb.add('BatchNormalization', {}, [y], 'a_bn');
    y = bb.add('Activation', { activation: 'relu' }, [y], 'a_relu');
    y = bb.add('Conv2D', { filters: { $: 'filters' }, kernelSize: [{ $: 'k' }, { $: 'k' }], padding: 'same' }, [y], 'b_conv');
    return bb.add('Add', {}, [x, y], 'add');
  });
  const x = b.add('Input', { shape: [16, 16, 8] }, [], 'input');
  const s = b.use('res', { filters: 8 }, [x], 'stage', { repeat });
  b.chain(s, [['GlobalAveragePooling2D', {}, 'gap'], ['Dense', { units: 10 }, 'out']]);
  return b.build();
}

const byName = (a: Analysis, name: string) => {
  const r = a.nodes.find((n) => n.name === name);
  if (!r) throw new Error(`no layer ${name}`);
  return r;
};

describe('expansion', () => {
  it('gives every inner layer its shape, count and arithmetic, and each use its subtotal', () => {
    const a = analyze(residual());
    expect(a.problems).toEqual([]);
    // Copy k of use `stage` is named stage<k>_<inner>, its id stage/<k>/<inner>.
    const conv = byName(a, 'stage2_b_conv');
    expect(conv.id).toBe('stage/2/b_conv');
    expect(conv.outputShape).toEqual([null, 16, 16, 8]);
    expect(conv.paramCount).toBe(3 * 3 * 8 * 8 + 8);
    expect(conv.formula).toBe('3·3·8·8 + 8 = 584');
    const use = a.blocks.find((u) => u.id === 'stage')!;
    const members = use.members.map((id) => a.byId.get(id)!);
    expect(use.paramCount).toBe(members.reduce((s, m) => s + m.paramCount, 0));
    expect(use.copyParams).toHaveLength(2);
    expect(use.formula).toBe(`${(use.copyParams[0]).toLocaleString('en-US')} ×2 = ${use.paramCount.toLocaleString('en-US')}`);
    expect(a.byId.get('stage')).toBe(use);
    expect(use.outputShape).toEqual([null, 16, 16, 8]);
    // Copies chain: copy 2's first conv reads copy 1's output.
    expect(byName(a, 'stage2_a_conv').inputIds).toEqual(['stage/1/add']);
    expect(byName(a, 'gap').inputIds).toEqual(['stage/2/add']);
    expect(a.totals.params).toBe(use.paramCount + byName(a, 'out').paramCount);
  });

  it('editing the block definition once changes every use', () => {
    const g = residual(3);
    const before = analyze(g);
    const edited: Graph = structuredClone(g);
    edited.blocks!.res.params.k = 5;
    const after = analyze(edited, before);
    const convs = after.nodes.filter((n) => n.kind === 'Conv2D');
    expect(convs).toHaveLength(6);
    for (const c of convs) expect(c.params.kernelSize).toEqual([5, 5]);
    const use = after.blocks[0];
    expect(use.copyParams).toEqual([0, 1, 2].map(() => use.copyParams[0]));
    expect(use.paramCount - before.blocks[0].paramCount).toBe(6 * (25 - 9) * 8 * 8);
    expect(JSON.parse(JSON.stringify(after.nodes))).toEqual(JSON.parse(JSON.stringify(analyze(edited).nodes)));
  });

  it('re-analysis keeps the results of layers the edit did not reach', () => {
    const g = residual(2);
    const first = analyze(g);
    const edited: Graph = { ...g, nodes: g.nodes.map((n) => (n.id === 'out' ? { ...n, params: { ...n.params, units: 3 } } : n)) };
    const again = analyze(edited, first);
    expect(again.byId.get('stage/2/b_conv')).toBe(first.byId.get('stage/2/b_conv'));
    expect(again.byId.get('out')).not.toBe(first.byId.get('out'));
  });

  it('expands blocks used inside blocks and names layers by their path', () => {
    const b = new GraphBuilder('nested');
    b.defineBlock('unit', { params: { n: 4 } }, (bb, { x }) => bb.add('Dense', { units: { $: 'n' } }, [x], 'fc'));
    b.defineBlock('pair', { params: { width: 4 } }, (bb, { x }) => bb.use('unit', { n: { $: 'width * 2' } }, [x], 'inner', { repeat: 2 }));
    const x = b.add('Input', { shape: [3] }, [], 'in');
    b.use('pair', { width: 5 }, [x], 'outer');
    const a = analyze(b.build());
    expect(a.problems).toEqual([]);
    expect(a.nodes.map((n) => n.name)).toEqual(['in', 'outer_inner1_fc', 'outer_inner2_fc']);
    expect(a.nodes.map((n) => n.outputShape)).toEqual([[null, 3], [null, 10], [null, 10]]);
    expect(a.blocks.map((u) => [u.id, u.parent ?? null, u.paramCount])).toEqual([
      ['outer', null, 3 * 10 + 10 + 10 * 10 + 10],
      ['outer/inner', 'outer', 3 * 10 + 10 + 10 * 10 + 10],
    ]);
    expect(a.origin.get('outer/inner/2/fc')).toMatchObject({ use: 'outer', block: 'unit', copy: 2, inner: 'fc' });
  });
});

describe('summaries', () => {
  it('collapsed and expanded views of a file give the same totals and row sums', () => {
    for (const file of ['resnet50.json', 'densenet121.json']) {
      const loaded = parseGraphText(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));
      if (!loaded.ok) throw new Error(file);
      const a = analyze(loaded.graph);
      const collapsed = summaryJson(a);
      const expanded = summaryJson(a, { expand: true });
      expect(collapsed.view).toBe('collapsed');
      expect(expanded.view).toBe('expanded');
      expect(collapsed.totals).toEqual(expanded.totals);
      expect(collapsed.layers.length).toBeLessThan(expanded.layers.length);
      const sum = (s: typeof collapsed) => s.layers.reduce((t, l) => t + l.params, 0);
      expect(sum(collapsed)).toBe(collapsed.totals.params);
      expect(sum(expanded)).toBe(expanded.totals.params);
      expect(collapsed.layers.filter((l) => l.kind === 'Block').length).toBe(a.blocks.filter((u) => !u.parent).length);
    }
  });

  it('prints one row per use, or every layer with --expand', () => {
    const a = analyze(residual());
    const short = summaryText(a);
    const long = summaryText(a, { expand: true });
    expect(short).toMatch(/^stage \(res ×2\) +\(None, 16, 16, 8\)/m);
    expect(short).not.toContain('stage1_a_conv');
    expect(long).toContain('stage1_a_conv (Conv2D)');
    expect(short).toContain('gap (GlobalAveragePooling2D)');
    // In the collapsed table gap is connected to the use, not to a layer inside it.
    expect(short).toMatch(/gap \(GlobalAveragePooling2D\).*\bstage$/m);
  });
});

describe('problems name the use and the fix', () => {
  const withUse = (params: Record<string, unknown>, blocks?: Graph['blocks']): Analysis => {
    const g = residual();
    return analyze({
      ...g,
      ...(blocks ? { blocks } : {}),
      nodes: g.nodes.map((n) => (n.id === 'stage' ? { ...n, params: { ...n.params, ...params } } : n)),
    });
  };

  it('an unknown block, and everything after it is blocked', () => {
    const a = withUse({ block: 'resnet' });
    expect(a.problems).toEqual([{ nodeId: 'stage', field: 'block', message: "block 'resnet' is not defined in this file; defined: res" }]);
    expect(a.byId.get('stage')!.status).toBe('error');
    expect(a.byId.get('gap')!.status).toBe('blocked');
    expect(a.byId.get('gap')!.blockedBy).toEqual(['stage']);
  });

  it('an argument the block does not declare', () => {
    const a = withUse({ args: { filter: 3 } });
    expect(a.problems[0]).toMatchObject({ nodeId: 'stage', field: 'args.filter', message: "block 'res' has no parameter 'filter'; it declares filters, k" });
  });

  it('a bad expression names the layer in the block', () => {
    const g = residual();
    const blocks = structuredClone(g.blocks!);
    blocks.res.nodes[0].params.filters = { $: 'filters * width' };
    const a = withUse({}, blocks);
    expect(a.problems[0].nodeId).toBe('stage');
    expect(a.problems[0].message).toContain("in block 'res', layer 'a_conv': cannot read \"filters * width\": unknown name 'width' (known: filters, k, i)");
  });

  it('a block that uses itself', () => {
    const g = residual();
    const blocks = structuredClone(g.blocks!);
    blocks.res.nodes.push({ id: 'again', kind: 'Block', name: 'again', params: { block: 'res' } });
    blocks.res.edges.push({ id: 'loop', source: 'add', target: 'again', targetPort: 'in0' });
    const a = withUse({}, blocks);
    expect(a.problems.some((p) => p.nodeId === 'stage' && p.message.includes("block 'res' uses itself (res → res)"))).toBe(true);
  });

  it('an inner layer error marks the use in error and names the inner layer', () => {
    const a = withUse({ args: { k: 40 } });
    expect(a.byId.get('stage')!.status).toBe('ok');
    const bad = withUse({ args: { filters: 4 } });
    expect(bad.byId.get('stage')!.status).toBe('error');
    const err = bad.problems.find((p) => p.nodeId === 'stage/1/add')!;
    expect(err.message).toContain('Add');
  });

  it('evaluates expressions with the usual precedence and floor division', () => {
    expect(evaluateExpr('2 + 3 * 4', {})).toBe(14);
    expect(evaluateExpr('(2 + 3) * 4 // 3', {})).toBe(6);
    expect(evaluateExpr('c * 0.5 // 1', { c: 1024 })).toBe(512);
    expect(() => evaluateExpr('1 / 0', {})).toThrow(/division by zero/);
  });
});

describe('telling a use from a layer', () => {
  it('isBlockUse and blockUse read a use node; layers give null', () => {
    const g = residual(3);
    const stage = g.nodes.find((n) => n.id === 'stage')!;
    const gap = g.nodes.find((n) => n.id === 'gap')!;
    expect(isBlockUse(stage)).toBe(true);
    expect(isBlockUse(gap)).toBe(false);
    expect(stage.kind).toBe(BLOCK_KIND);
    expect(blockUse(gap)).toBeNull();
    expect(blockUse(stage)).toEqual({ node: stage, block: 'res', repeat: 3, repeatStart: 1, args: { filters: 8 } });
  });

  it('blockUse never refuses: defaults for what is absent, NaN for a count that is not a number', () => {
    const node = (params: Record<string, unknown>) => ({ id: 'u', kind: BLOCK_KIND, name: 'u', params });
    expect(blockUse(node({}))).toMatchObject({ block: '', repeat: 1, repeatStart: 1, args: {} });
    expect(blockUse(node({ block: 7, repeat: '3', repeatStart: null, args: [1] }))).toMatchObject({ block: '', repeat: NaN, repeatStart: 1, args: {} });
    expect(blockUse(node({ block: 'res', repeat: 0 }))).toMatchObject({ block: 'res', repeat: 0 });
  });

  it('blockUseResult gives an expanded use with its members; a layer, or a use that failed to expand, gives null', () => {
    const a = analyze(residual());
    const use = blockUseResult(a.byId.get('stage'));
    expect(use).not.toBeNull();
    expect(use!.kind).toBe(BLOCK_KIND);
    expect(use!.members.length).toBe(10);
    expect(blockUseResult(a.byId.get('gap'))).toBeNull();
    expect(blockUseResult(undefined)).toBeNull();
    const g = residual();
    g.nodes.find((n) => n.id === 'stage')!.params.block = 'nope';
    const failed = analyze(g).byId.get('stage')!;
    expect(isBlockUse(failed)).toBe(true);
    expect(blockUseResult(failed)).toBeNull();
  });

  it('an edge into a port the block does not declare gets the connection rule\'s message', () => {
    const g = residual(1);
    g.edges.push({ id: 'extra', source: 'input', target: 'stage', targetPort: 'in1' });
    const a = analyze(g);
    expect(a.problems.filter((p) => p.nodeId === 'stage').map((p) => p.message)).toEqual([
      'stage (block res) takes at most 1 input (x), so nothing can enter port in1; join the branches with Add, Multiply or Concatenate first and connect that',
    ]);
  });
});

describe('file format', () => {
  it('reads a version-1 file (migrating it) and writes version 2', () => {
    const v1 = {
      format: 'netloom.graph', version: 1, name: 'old',
      nodes: [
        { id: 'in', kind: 'Input', name: 'in', params: { shape: [4] } },
        { id: 'fc', kind: 'Dense', name: 'fc', params: { units: 2 } },
      ],
      edges: [{ id: 'e1', source: 'in', target: 'fc', targetPort: 'in0' }],
    };
    const loaded = parseGraphText(JSON.stringify(v1));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.migratedFrom).toBe(1);
    expect(analyze(loaded.graph).totals.params).toBe(10);
    const text = serializeGraph(loaded.graph);
    expect(JSON.parse(text).version).toBe(2);
    const again = parseGraphText(text);
    expect(again.ok).toBe(true);
    expect(again.ok && again.migratedFrom).toBeUndefined();
  });

  it('round-trips blocks byte for byte', () => {
    const text = serializeGraph(residual());
    const loaded = parseGraphText(text);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(serializeGraph(loaded.graph)).toBe(text);
    expect(analyze(loaded.graph).totals).toEqual(analyze(residual()).totals);
  });

  it('expandBlocks gives a flat graph that analyses like the blocked one', () => {
    const g = residual();
    const flat = expandBlocks(g).graph;
    expect(flat.blocks).toBeUndefined();
    expect(flat.nodes.some((n) => n.kind === 'Block')).toBe(false);
    expect(analyze(flat).totals).toEqual(analyze(g).totals);
  });
});
