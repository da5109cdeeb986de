/** Moving an edge's end: the rules of a new connection, one undoable step. */
import { expect, test } from 'vitest';
import { createEditorStore } from '../../src/store/editor.ts';

test('an edge moved to another layer keeps its id; undo puts it back; a refused move leaves it', () => {
  const ed = createEditorStore();
  const s = () => ed.getState();
  const input = s().addNode('Input', { x: 0, y: 0 })!;
  const a = s().addNode('Dense', { x: 0, y: 100 })!;
  const b = s().addNode('Dense', { x: 300, y: 100 })!;
  expect(s().connect(input, a, 'in0')).toBeNull();
  const [edge] = s().graph.edges;
  expect(s().reconnect(edge.id, input, b, 'in0')).toBeNull();
  expect(s().graph.edges).toEqual([{ id: edge.id, source: input, target: b, targetPort: 'in0' }]);
  s().undo();
  expect(s().graph.edges).toEqual([edge]);
  // Into itself is a cycle: refused, with the reason, and nothing moves.
  expect(s().reconnect(edge.id, a, a, 'in0')).toMatch(/./);
  expect(s().notice?.text).toMatch(/^Connection refused: .* The connection stays where it was\.$/);
  expect(s().graph.edges).toEqual([edge]);
});

test('an Add the edge leaves closes up its inputs', () => {
  const ed = createEditorStore();
  const s = () => ed.getState();
  const x = s().addNode('Input', { x: 0, y: 0 })!;
  const y = s().addNode('Input', { x: 300, y: 0 })!;
  const add = s().addNode('Add', { x: 0, y: 200 })!;
  const other = s().addNode('Dense', { x: 300, y: 200 })!;
  expect(s().connect(x, add, 'in0')).toBeNull();
  expect(s().connect(y, add, 'in1')).toBeNull();
  const first = s().graph.edges[0];
  expect(s().reconnect(first.id, x, other, 'in0')).toBeNull();
  expect(s().graph.edges.find((e) => e.target === add)).toMatchObject({ source: y, targetPort: 'in0' });
});
