/**
 * The canvas model keeps every React Flow node object identical unless its
 * own result, ports or selection changed, so an edit re-renders only the
 * nodes it affects (React Flow and the memoised node view compare by identity).
 */
import { expect, test } from 'vitest';
import { GraphBuilder } from '../../src/engine/index.ts';
import { createEditorStore } from '../../src/store/editor.ts';
import { FlowModel } from '../../src/ui/canvas/flow-model.ts';

function chainOf(n: number) {
  const b = new GraphBuilder('chain');
  let prev = b.add('Input', { shape: [8] }, [], 'input');
  for (let i = 0; i < n; i++) prev = b.add('Dense', { units: 8 }, [prev], `d${i}`);
  return b.build();
}

test('editing one layer replaces only it and the layers whose numbers it changes', () => {
  const store = createEditorStore(chainOf(200));
  const model = new FlowModel();
  const s = () => store.getState();
  const before = model.flowNodes(s().graph, s().analysis, new Set());
  // d150 gets 16 units: its own count and d151's input change; nothing else.
  expect(s().setParam('d150', 'units', 16)).toBeNull();
  const after = model.flowNodes(s().graph, s().analysis, new Set());
  const changed = after.filter((n, i) => n !== before[i]).map((n) => n.id);
  expect(changed).toEqual(['d150', 'd151']);
  expect(after[152].data.result.paramCount).toBe(16 * 8 + 8);
});

test('a drag replaces only the dragged node, selection only the selected one', () => {
  const store = createEditorStore(chainOf(50));
  const model = new FlowModel();
  const s = () => store.getState();
  const before = model.flowNodes(s().graph, s().analysis, new Set());
  s().moveNodes(new Map([['d10', { x: 500, y: 500 }]]), false);
  const moved = model.flowNodes(s().graph, s().analysis, new Set());
  expect(moved.filter((n, i) => n !== before[i]).map((n) => n.id)).toEqual(['d10']);
  expect(moved[11].position).toEqual({ x: 500, y: 500 });
  const selected = model.flowNodes(s().graph, s().analysis, new Set(['d20']));
  expect(selected.filter((n, i) => n !== moved[i]).map((n) => n.id)).toEqual(['d20']);
});
