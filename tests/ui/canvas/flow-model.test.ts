/**
 * Dragging lives in the canvas model until the drop: the document (graph,
 * analysis, history) does not change per frame, and only the dragged node's
 * flow object is replaced.
 */
import { expect, test } from 'vitest';
import { GraphBuilder, layeredLayout } from '../../../src/engine/index.ts';
import { createEditorStore } from '../../../src/store/editor.ts';
import { FlowModel } from '../../../src/ui/canvas/flow-model.ts';

function chainOf(n: number) {
  const b = new GraphBuilder('chain');
  let prev = b.add('Input', { shape: [8] }, [], 'input');
  for (let i = 0; i < n; i++) prev = b.add('Dense', { units: 8 }, [prev], `d${i}`);
  return layeredLayout(b.build(), { dx: 230, dy: 110 });
}

test('drag positions replace only the dragged node and leave the document alone until the drop', () => {
  const store = createEditorStore(chainOf(100));
  const s = () => store.getState();
  const model = new FlowModel();
  const graph = s().graph;
  const before = model.flowNodes(graph, s().analysis, new Set(['d40']));
  const start = before[41].position;

  for (let i = 1; i <= 5; i++) {
    model.dragging.set('d40', { x: start.x + i * 10, y: start.y + i * 5 });
    const frame = model.flowNodes(s().graph, s().analysis, new Set(['d40']));
    expect(frame.filter((n, k) => n !== before[k]).map((n) => n.id)).toEqual(['d40']);
    expect(frame[41].position).toEqual({ x: start.x + i * 10, y: start.y + i * 5 });
  }
  expect(s().graph).toBe(graph);

  // The drop: one move in the store, the override cleared, the node where it was dropped.
  const dropped = new Map(model.dragging);
  model.dragging.clear();
  s().moveNodes(dropped, true);
  expect(s().graph).not.toBe(graph);
  const after = model.flowNodes(s().graph, s().analysis, new Set(['d40']));
  expect(after[41].position).toEqual({ x: start.x + 50, y: start.y + 25 });
  expect(after.filter((n, k) => n !== before[k]).map((n) => n.id)).toEqual(['d40']);
  s().undo();
  expect(s().graph.nodes[41].position).toEqual(start);
});

test('ports come from the passport: a merge offers one more free port, a block use names its inputs', () => {
  const b = new GraphBuilder('ports');
  b.defineBlock('pair', { params: {}, inputs: ['left', 'right'] }, (bb, { left, right }) => bb.add('Add', {}, [left, right], 'sum'));
  const x = b.add('Input', { shape: [4] }, [], 'x');
  const y = b.add('Dense', { units: 4 }, [x], 'y');
  b.add('Dense', { units: 4 }, [x], 'z');
  b.add('Concatenate', {}, [x, y], 'cat');
  b.use('pair', {}, [x, y], 'p');
  const store = createEditorStore(b.build());
  const s = () => store.getState();
  const model = new FlowModel();
  const ports = (id: string) => model.flowNodes(s().graph, s().analysis, new Set()).find((n) => n.id === id)!.data.ports;
  expect(ports('x')).toEqual([]);
  expect(ports('y')).toEqual([{ id: 'in0', name: 'in0' }]);
  expect(ports('cat').map((p) => p.id)).toEqual(['in0', 'in1', 'in2']);
  expect(ports('p')).toEqual([{ id: 'in0', name: 'left' }, { id: 'in1', name: 'right' }]);
  // Unchanged ports keep their array, so the node does not re-render.
  const before = ports('cat');
  s().setParam('y', 'units', 8);
  expect(ports('cat')).toBe(before);
  expect(s().connect('z', 'cat', 'in2')).toBeNull();
  expect(ports('cat').map((p) => p.id)).toEqual(['in0', 'in1', 'in2', 'in3']);
});
