/** A merge layer short of inputs says so in one sentence, not one per empty port. */
import { expect, test } from 'vitest';
import { createEditorStore } from '../../src/store/editor.ts';

test('a new Add or Concatenate names both empty ports in one message', () => {
  const ed = createEditorStore();
  const add = ed.getState().addNode('Add', { x: 0, y: 0 })!;
  const cat = ed.getState().addNode('Concatenate', { x: 0, y: 200 })!;
  const messages = (id: string) => ed.getState().analysis.byId.get(id)!.errors.map((e) => e.message);
  expect(messages(add)).toEqual(['Add needs at least 2 inputs but has 0; connect a branch each to in0 and in1']);
  expect(messages(cat)).toEqual(['Concatenate needs at least 2 inputs but has 0; connect a branch each to in0 and in1']);
  const input = ed.getState().addNode('Input', { x: 0, y: -200 })!;
  expect(ed.getState().connect(input, add, 'in0')).toBeNull();
  expect(messages(add)).toEqual(['Add needs at least 2 inputs but has 1; connect another branch to in1']);
  // A single-input layer keeps its own sentence.
  const dense = ed.getState().addNode('Dense', { x: 0, y: 400 })!;
  expect(messages(dense)).toEqual(['has no input on port in0; connect a layer to it']);
});
