/**
 * A block use opened in place lists its inner layers from the analysis: each
 * with its shape and count, copies numbered, nested uses indented, and the
 * rows adding up to the subtotal on the node.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { analyze, GraphBuilder, parseGraphText, type BlockUseResult } from '../../../src/engine/index.ts';
import { innerLayers } from '../../../src/ui/canvas/block-layers.ts';

function example(file: string) {
  const loaded = parseGraphText(readFileSync(new URL(`../../../examples/${file}`, import.meta.url), 'utf8'));
  if (!loaded.ok) throw new Error(`examples/${file} does not load`);
  return analyze(loaded.graph);
}

test("a repeated ResNet-18 stage lists both copies' layers with Keras names, shapes and counts", () => {
  const a = example('resnet18.json');
  const rows = innerLayers(a, 'conv2_block');
  if (!rows) throw new Error('conv2_block is a block use');
  const use = a.byId.get('conv2_block') as BlockUseResult;
  expect(rows.map((r) => r.id)).toEqual(use.members);
  expect(rows.length).toBe(14); // 7 layers of the basic block, two copies
  expect(rows.map((r) => r.copy)).toEqual([...Array(7).fill(1), ...Array(7).fill(2)]);
  expect(rows[0]).toMatchObject({ name: 'conv2_block1_1_conv', kind: 'Conv2D', shape: '(None, 56, 56, 64)', paramCount: 3 * 3 * 64 * 64, depth: 0 });
  expect(rows[7].name).toBe('conv2_block2_1_conv');
  expect(rows.reduce((t, r) => t + r.paramCount, 0)).toBe(use.paramCount);
  expect(rows.every((r) => r.status === 'ok')).toBe(true);
});

test('a single use has no copy numbers; layers of a block used inside it are one level deeper', () => {
  const b = new GraphBuilder('nested');
  b.defineBlock('unit', { params: { n: 4 } }, (bb, { x }) => bb.add('Dense', { units: { $: 'n' } }, [x], 'fc'));
  b.defineBlock('pair', { params: { width: 4 } }, (bb, { x }) => {
    const y = bb.add('Dense', { units: 7 }, [x], 'head');
    return bb.use('unit', { n: { $: 'width * 2' } }, [y], 'inner', { repeat: 2 });
  });
  const x = b.add('Input', { shape: [3] }, [], 'in');
  b.use('pair', { width: 5 }, [x], 'outer');
  const rows = innerLayers(analyze(b.build()), 'outer');
  expect(rows?.map((r) => [r.name, r.shape, r.paramCount, r.depth, r.copy])).toEqual([
    ['outer_head', '(None, 7)', 3 * 7 + 7, 0, null],
    ['outer_inner1_fc', '(None, 10)', 7 * 10 + 10, 1, null],
    ['outer_inner2_fc', '(None, 10)', 10 * 10 + 10, 1, null],
  ]);
});

test('a layer that is not a block use, or an unknown id, has no inner layers', () => {
  const a = example('resnet18.json');
  const layer = a.graph.nodes.find((n) => n.kind !== 'Block');
  expect(layer).toBeDefined();
  expect(innerLayers(a, layer!.id)).toBeNull();
  expect(innerLayers(a, 'no-such-node')).toBeNull();
});

test('an inner layer in error shows its status instead of a shape', () => {
  const b = new GraphBuilder('broken');
  b.defineBlock('squeeze', { params: { k: 3 } }, (bb, { x }) => bb.add('Conv2D', { filters: 4, kernelSize: [{ $: 'k' }, { $: 'k' }] }, [x], 'conv'));
  const x = b.add('Input', { shape: [2, 2, 1] }, [], 'in');
  b.use('squeeze', { k: 5 }, [x], 'sq');
  const rows = innerLayers(analyze(b.build()), 'sq');
  expect(rows?.map((r) => [r.name, r.status, r.shape])).toEqual([['sq_conv', 'error', null]]);
});
