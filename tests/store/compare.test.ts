/** Compare mode's store: the diff mapped to canvas nodes, rows for the panel, recomputed per analysis, and the counting conventions. */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, test } from 'vitest';
import { parseGraphText, type Graph } from '../../src/engine/index.ts';
import { costDelta, createCompareStore, paramsDelta, signed, valueText, type CompareState } from '../../src/store/compare.ts';
import { costText, torchOf, torchView } from '../../src/store/conventions.ts';
import { createEditorStore, type EditorStore } from '../../src/store/editor.ts';
import type { StoreApi } from 'zustand/vanilla';

const example = (name: string): Graph => {
  const r = parseGraphText(readFileSync(`examples/${name}.json`, 'utf8'));
  if (!r.ok) throw new Error(`${name} does not load`);
  return r.graph;
};

let ed: EditorStore;
let cmp: StoreApi<CompareState>;
const view = () => cmp.getState().view!;

beforeEach(() => {
  ed = createEditorStore();
  cmp = createCompareStore(ed);
});

/** Starts comparing with the last saved version, as the menu does. */
const compareWithSaved = () => {
  const saved = ed.getState().saved;
  cmp.getState().start({ graph: saved.graph, label: saved.source, from: 'saved' });
};

describe('texts', () => {
  test('deltas carry a sign, a real minus and the unit', () => {
    expect(signed(1792)).toBe('+1,792');
    expect(signed(-1792)).toBe('−1,792');
    expect(signed(0)).toBe('±0');
    expect(paramsDelta(1792)).toBe('+1,792 params');
    expect(costDelta(-1000, 'macs')).toBe('−1,000 MACs');
    expect(costDelta(-1000, 'flops')).toBe('−2,000 FLOPs');
    expect(costText(1234, 'macs')).toBe('1,234');
    expect(costText(1234, 'flops')).toBe('2 × 1,234 = 2,468');
  });

  test('parameter values read as the inspector writes them', () => {
    expect(valueText(64)).toBe('64');
    expect(valueText(1_000_000)).toBe('1,000,000');
    expect(valueText(0.5)).toBe('0.5');
    expect(valueText([3, 3])).toBe('3×3');
    expect(valueText('relu')).toBe('relu');
    expect(valueText(undefined)).toBe('—');
    expect(valueText([[1, 1], [2, 2]])).toBe('[[1,1],[2,2]]');
  });
});

describe('the last saved version', () => {
  test('is the document as opened, then as saved to a file; edits and undo do not move it', () => {
    const g = example('lenet5');
    ed.getState().load(g, 'lenet5.json');
    expect(ed.getState().saved).toMatchObject({ graph: g, source: 'lenet5.json', how: 'opened' });
    expect(ed.getState().setParam('conv2d', 'filters', 8)).toBeNull();
    expect(ed.getState().saved.graph).toBe(g);
    ed.getState().markSaved();
    const edited = ed.getState().graph;
    expect(ed.getState().saved).toMatchObject({ graph: edited, source: `${g.name}.netloom.json`, how: 'saved' });
    ed.getState().undo();
    expect(ed.getState().saved.graph).toBe(edited);
  });
});

describe('compare view', () => {
  test('an unchanged network is equivalent: no marks, no rows', () => {
    ed.getState().load(example('alexnet'), 'alexnet.json');
    compareWithSaved();
    expect(view().equivalent).toBe(true);
    expect(view().marks.size).toBe(0);
    expect(view().rows).toEqual([]);
  });

  test('an edited layer is changed with its delta, a new one added, and both follow every edit', () => {
    ed.getState().load(example('lenet5'), 'lenet5.json');
    compareWithSaved();
    // conv2d: 5·5·1·6 + 6 = 156 → 5·5·1·8 + 8 = 208.
    expect(ed.getState().setParam('conv2d', 'filters', 8)).toBeNull();
    const m = view().marks.get('conv2d')!;
    expect(m).toMatchObject({ status: 'changed', deltaParams: 52, detail: 'filters 6 → 8', upstream: false });
    // conv2d_1 sees 8 channels instead of 6: changed only by the layer above.
    expect(view().marks.get('conv2d_1')).toMatchObject({ status: 'changed', deltaParams: 5 * 5 * 2 * 16, upstream: true });
    const edited = view().rows.find((r) => r.id === 'conv2d')!;
    expect(edited).toMatchObject({ status: 'changed', canvasId: 'conv2d', cause: 'edit' });

    const id = ed.getState().addNode('Dropout', { x: 0, y: 900 })!;
    expect(view().marks.get(id)).toMatchObject({ status: 'added', deltaParams: 0 });
    expect(view().counts).toMatchObject({ added: 1 });
    expect(view().rows.find((r) => r.id === id)).toMatchObject({ status: 'added', canvasId: id });
  });

  test('a removed layer is listed with its negative delta but marks no node', () => {
    ed.getState().load(example('lenet5'), 'lenet5.json');
    compareWithSaved();
    ed.getState().deleteNodes(['dense_2']);
    const r = view().rows.find((x) => x.id === 'dense_2')!;
    expect(r).toMatchObject({ status: 'removed', canvasId: null, deltaParams: -(84 * 10 + 10) });
    expect(view().counts.removed).toBe(1);
    expect(view().marks.has('dense_2')).toBe(false);
    expect(view().totals.b.params - view().totals.a.params).toBe(-850);
  });

  test('layers inside a block use mark the use node; a new copy is added inside it', () => {
    ed.getState().load(example('resnet18'), 'resnet18.json');
    compareWithSaved();
    expect(ed.getState().setBlockParam('conv2_block', 'repeat', 3)).toBeNull();
    const m = view().marks.get('conv2_block')!;
    expect(m.status).toBe('changed');
    // One more basic block on 64 channels: two 3·3·64·64 convolutions and two batch norms.
    expect(m.deltaParams).toBe(2 * (3 * 3 * 64 * 64 + 4 * 64));
    const inside = view().rows.filter((r) => r.canvasId === 'conv2_block');
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.every((r) => r.within === 'conv2_block')).toBe(true);
    expect(inside.some((r) => r.status === 'added')).toBe(true);
    // A use added whole is added, though it stands for several layers.
    const use = ed.getState().addBlockUse('basic', { x: 0, y: 0 })!;
    expect(view().marks.get(use)).toMatchObject({ status: 'added' });
    expect(view().marks.get(use)!.detail).toMatch(/^\d+ new layers$/);
    // No flat id leaks onto the canvas: every mark names a node the canvas draws.
    const onCanvas = new Set(ed.getState().graph.nodes.map((n) => n.id));
    for (const id of view().marks.keys()) expect(onCanvas.has(id)).toBe(true);
  });

  test('recomputes once per analysis, not on a drag frame; unchanged marks keep their objects', () => {
    ed.getState().load(example('lenet5'), 'lenet5.json');
    compareWithSaved();
    ed.getState().setParam('dense', 'units', 100);
    const before = view();
    const mark = before.marks.get('dense');
    ed.getState().moveNodes(new Map([['dense', { x: 5, y: 5 }]]), false);
    expect(view()).toBe(before);
    ed.getState().setParam('conv2d', 'activation', 'relu');
    expect(view()).not.toBe(before);
    expect(view().marks.get('dense')).toBe(mark);
  });

  test('leaving compare mode clears the view; edits then compute nothing', () => {
    ed.getState().load(example('lenet5'), 'lenet5.json');
    compareWithSaved();
    cmp.getState().stop();
    ed.getState().setParam('dense', 'units', 100);
    expect(cmp.getState()).toMatchObject({ reference: null, view: null });
  });

  test('a different network compares layer by layer', () => {
    ed.getState().load(example('lenet5'), 'lenet5.json');
    cmp.getState().start({ graph: example('alexnet'), label: 'alexnet.json (example)', from: 'example' });
    const v = view();
    expect(v.equivalent).toBe(false);
    expect(v.counts.added + v.counts.changed + v.counts.removed).toBeGreaterThan(0);
    expect(v.totals.a.params).toBe(62_378_344);
  });
});

describe('PyTorch view', () => {
  test('BatchNormalization counts its statistics as buffers; a block use sums its layers', () => {
    ed.getState().load(example('resnet18'), 'resnet18.json');
    const a = ed.getState().analysis;
    const bn = torchOf(a, 'conv1_bn')!;
    expect(bn.count).toBe(128);
    expect(bn.formula).toBe('64 + 64 = 128');
    expect(bn.why).toMatch(/buffers/);
    expect(torchOf(a, 'conv1_conv')).toBeNull();
    const use = torchOf(a, 'conv2_block')!;
    expect(use).toBe(torchOf(a, 'conv2_block'));
    expect(use.formula).toMatch(/^[\d,]+ − [\d,]+ = [\d,]+$/);
    expect(torchView(a).total).toBeLessThan(a.totals.params);
  });
});
