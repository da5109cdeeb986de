/** Setting and clearing `shares` through the store: one undoable step each, and copies and deletions keep it sound. */
import { beforeEach, describe, expect, test } from 'vitest';
import { analyze } from '../../src/engine/index.ts';
import { createEditorStore, type EditorStore } from '../../src/store/editor.ts';

let store: EditorStore;
const s = () => store.getState();
beforeEach(() => {
  store = createEditorStore();
});

/** Two Inputs of 16 features, each into a Dense(8): 16·8 + 8 = 136 each, 272 in all, 136 shared. */
function twoDense() {
  const a = s().addNode('Input', { x: 0, y: 0 })!;
  const b = s().addNode('Input', { x: 200, y: 0 })!;
  expect(s().setParam(a, 'shape', [16])).toBeNull();
  expect(s().setParam(b, 'shape', [16])).toBeNull();
  const d1 = s().addNode('Dense', { x: 0, y: 100 })!;
  const d2 = s().addNode('Dense', { x: 200, y: 100 })!;
  expect(s().setParam(d1, 'units', 8)).toBeNull();
  expect(s().setParam(d2, 'units', 8)).toBeNull();
  expect(s().connect(a, d1, 'in0')).toBeNull();
  expect(s().connect(b, d2, 'in0')).toBeNull();
  return { d1, d2 };
}
const total = () => analyze(s().graph).totals.params;

describe('setShares', () => {
  test('sets, undoes, redoes and clears, each one step', () => {
    const { d1, d2 } = twoDense();
    expect(total()).toBe(272);
    expect(s().setShares(d2, d1)).toBeNull();
    expect(s().graph.nodes.find((n) => n.id === d2)!.shares).toBe(d1);
    expect(total()).toBe(136);
    s().undo();
    expect(s().graph.nodes.find((n) => n.id === d2)!.shares).toBeUndefined();
    expect(total()).toBe(272);
    s().redo();
    expect(total()).toBe(136);
    expect(s().setShares(d2, null)).toBeNull();
    expect('shares' in s().graph.nodes.find((n) => n.id === d2)!).toBe(false);
    expect(total()).toBe(272);
  });

  test('refuses itself and an unknown layer, naming the fix', () => {
    const { d2 } = twoDense();
    expect(s().setShares(d2, d2)).toMatch(/cannot share its own weights; pick another layer/);
    expect(s().setShares(d2, 'nope')).toMatch(/no layer 'nope'.*pick one from the list/);
  });

  test('deleting the owner gives the sharing layer weights of its own', () => {
    const { d1, d2 } = twoDense();
    s().setShares(d2, d1);
    s().deleteNodes([d1]);
    expect(s().graph.nodes.find((n) => n.id === d2)!.shares).toBeUndefined();
    expect(analyze(s().graph).problems).toEqual([]);
  });

  test('a duplicate keeps sharing the owner that stays in the graph', () => {
    const { d1, d2 } = twoDense();
    s().setShares(d2, d1);
    const [copy] = s().duplicate([d2]);
    expect(s().graph.nodes.find((n) => n.id === copy)!.shares).toBe(d1);
    const both = s().duplicate([d1, d2]);
    const nodes = both.map((id) => s().graph.nodes.find((n) => n.id === id)!);
    expect(nodes[1].shares).toBe(nodes[0].id);
  });
});
