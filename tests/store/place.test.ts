/** Adding layers from the palette by keyboard: where they go and what they are wired to. */
import { beforeEach, expect, test } from 'vitest';
import { createEditorStore, type EditorStore } from '../../src/store/editor.ts';
import { PLACE_GAP, placeNew } from '../../src/store/ops.ts';

let store: EditorStore;
const s = () => store.getState();
beforeEach(() => {
  store = createEditorStore();
});
const pos = (id: string) => s().graph.nodes.find((n) => n.id === id)!.position!;

test('the first layer goes where the view is; the next goes under the selected one and is wired from it', () => {
  const input = s().addBelow('Input', { x: 10, y: 20 })!;
  expect(pos(input)).toEqual({ x: 10, y: 20 });
  const dense = s().addBelow('Dense', { x: 500, y: 500 })!;
  // 20 + 90 (a node's height before it is measured) + 40.
  expect(pos(dense)).toEqual({ x: 10, y: 20 + 90 + PLACE_GAP });
  expect(s().graph.edges).toEqual([{ id: 'e1', source: input, target: dense, targetPort: 'in0' }]);
  expect(s().selection).toEqual([dense]);
  // Adding and wiring are one step.
  s().undo();
  expect(s().graph.nodes.map((n) => n.id)).toEqual([input]);
  expect(s().graph.edges).toEqual([]);
});

test('with nothing selected a layer goes under the lowest one and is not wired', () => {
  const a = s().addNode('Input', { x: 0, y: 0 })!;
  s().addNode('Dense', { x: 300, y: 400 });
  s().select([]);
  const c = s().addBelow('Dense', { x: 0, y: 0 })!;
  expect(pos(c)).toEqual({ x: 300, y: 400 + 90 + PLACE_GAP });
  expect(s().graph.edges).toEqual([]);
  expect(a).toBe('input');
});

test('a layer under the selected one moves down past any layer already there', () => {
  const a = s().addNode('Input', { x: 0, y: 0 })!;
  s().addNode('Dense', { x: 50, y: 120 });
  s().addNode('Dense', { x: -50, y: 250 });
  s().select([a]);
  const d = s().addBelow('Dropout', { x: 0, y: 0 })!;
  expect(pos(d)).toEqual({ x: 0, y: 250 + 90 + PLACE_GAP });
  const boxes = s().graph.nodes.filter((n) => n.id !== d).map((n) => n.position!);
  for (const b of boxes) expect(Math.abs(b.y - pos(d).y) >= 90 || Math.abs(b.x - pos(d).x) >= 200).toBe(true);
});

test('measured sizes are used: a tall selected layer pushes the new one lower', () => {
  const g = { name: 'g', nodes: [{ id: 'a', kind: 'Input', name: 'a', params: {}, position: { x: 0, y: 0 } }], edges: [] };
  expect(placeNew(g, 'a', { x: 0, y: 0 }, () => ({ width: 200, height: 300 }))).toEqual({ x: 0, y: 340 });
});

test('no wire when it would be refused: a second Input, or two layers selected', () => {
  const a = s().addBelow('Input', { x: 0, y: 0 })!;
  s().addBelow('Input', { x: 0, y: 0 });
  expect(s().graph.edges).toEqual([]);
  const b = s().addNode('Input', { x: 400, y: 0 })!;
  s().select([a, b]);
  s().addBelow('Add', { x: 0, y: 0 });
  expect(s().graph.edges).toEqual([]);
});

test('an unknown kind is refused with a notice and changes nothing', () => {
  expect(s().addBelow('Nope', { x: 0, y: 0 })).toBeNull();
  expect(s().notice?.text).toMatch(/Unknown layer kind 'Nope'/);
  expect(s().graph.nodes).toEqual([]);
});
