/** The editor's own entry points with hostile text: parameter names, byte-order marks and broken JSON. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadAnyModelText } from '../../src/interop/load.ts';
import { createEditorStore } from '../../src/store/editor.ts';

const lenet = readFileSync('examples/lenet5.json', 'utf8');

describe('editor entry points', () => {
  it('refuses parameter names an object inherits, leaving the layer as it was', () => {
    const store = createEditorStore();
    expect(store.getState().loadText(lenet, 'lenet5.json')).toBe(true);
    const conv = store.getState().graph.nodes.find((n) => n.kind === 'Conv2D')!;
    for (const field of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const before = store.getState().graph;
      expect(store.getState().setParam(conv.id, field, 5)).toMatch(/has no parameter/);
      expect(store.getState().graph).toBe(before);
    }
  });

  it('opens a file saved with a byte-order mark', () => {
    const r = loadAnyModelText(`\uFEFF${lenet}`);
    expect(r.ok).toBe(true);
  });

  it('says where broken JSON breaks without echoing its bytes', () => {
    const r = loadAnyModelText('{"name": "x",\n "nodes": [\u001b[2J\u001b]0;owned\u0007]}');
    expect(r.ok).toBe(false);
    const message = r.ok ? '' : r.problems[0].message;
    expect(message).toMatch(/line 2, column/);
    expect(message).not.toMatch(/[\u0000-\u001f\u007f]/);
  });
});
