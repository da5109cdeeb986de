/**
 * Untrusted graph files against the engine and the editor's graph edits:
 * names that are also properties of every JavaScript object, graphs as long as
 * the file limits allow, and shapes of graph that cost quadratic time if the
 * engine walks them naively.
 */
import { describe, expect, it } from 'vitest';
import {
  analyze, buildStructure, LIMITS, parseGraphText, receptiveFields, serializeGraph, summaryText,
  type Analysis, type Graph, type GraphEdge, type GraphNode,
} from '../../src/engine/index.ts';
import {
  arity, connect, connectionProblem, extractFragment, insertFragment, newBlockUse, portsOf, removeNodes,
} from '../../src/store/ops.ts';

const OBJECT_NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

/** A one-layer block: Dense(units) on its input `x`. */
const denseBlock = (units: number) => ({
  params: {}, inputs: ['x'], output: 'fc',
  nodes: [{ id: 'fc', kind: 'Dense', name: 'fc', params: { units } }],
  edges: [{ id: 'e', source: '@x', target: 'fc', targetPort: 'in0' }],
});

/**
 * A file text (not an object: a `__proto__` key must reach JSON.parse as text)
 * defining blocks under `defined`, using every name in OBJECT_NAMES, with nodes
 * whose kinds and parameter names are object property names too.
 */
function hostileFile(defined: string[]): string {
  const blocks = defined.map((n, i) => `${JSON.stringify(n)}: ${JSON.stringify(denseBlock(i + 2))}`).join(', ');
  const uses = OBJECT_NAMES.map((n) => ({ id: `u_${n}`, kind: 'Block', name: `u_${n}`, params: { block: n } }));
  const odd = ['constructor', '__proto__', 'toString'].map((k, i) => ({ id: `k${i}`, kind: k, name: `k${i}`, params: {} }));
  const nodes = [
    '{"id": "in", "kind": "Input", "name": "in", "params": {"shape": [3]}}',
    ...[...uses, ...odd].map((n) => JSON.stringify(n)),
    '{"id": "d", "kind": "Dense", "name": "d", "params": {"units": 2, "constructor": 1, "__proto__": {"units": 9}}}',
  ];
  const edges = [...OBJECT_NAMES.map((n) => `u_${n}`), 'k0', 'k1', 'k2', 'd']
    .map((t, i) => JSON.stringify({ id: `e${i}`, source: 'in', target: t, targetPort: 'in0' }));
  return `{"format": "netloom.graph", "version": 2, "name": "g", "blocks": {${blocks}}, "nodes": [${nodes.join(', ')}], "edges": [${edges.join(', ')}]}`;
}

function load(text: string): Graph {
  const r = parseGraphText(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.graph;
}

const messages = (a: Analysis, id: string) => a.problems.filter((p) => p.nodeId === id).map((p) => p.message);

describe('names that are properties of every object', () => {
  const defined = OBJECT_NAMES.filter((n) => n !== 'toString');

  it('blocks named __proto__, constructor, hasOwnProperty and valueOf are read as data and expand', () => {
    const g = load(hostileFile(defined));
    expect(Object.keys(g.blocks!)).toEqual(defined);
    expect(Object.hasOwn(g.blocks!, '__proto__')).toBe(true);
    const a = analyze(g);
    defined.forEach((n, i) => {
      expect(a.byId.get(`u_${n}`)!.status).toBe('ok');
      expect(a.byId.get(`u_${n}`)!.outputShape).toEqual([null, i + 2]);
    });
  });

  it('a use of an undefined toString, unknown kinds and parameters get problems, never an exception', () => {
    const a = analyze(load(hostileFile(defined)));
    expect(messages(a, 'u_toString')).toEqual([`block 'toString' is not defined in this file; defined: ${defined.join(', ')}`]);
    expect(messages(a, 'k0')[0]).toMatch(/^unknown kind 'constructor'/);
    expect(messages(a, 'k1')[0]).toMatch(/^unknown kind '__proto__'/);
    expect(messages(a, 'k2')[0]).toMatch(/^unknown kind 'toString'/);
    expect(messages(a, 'd')).toEqual([
      "unknown parameter 'constructor'; known: units, activation, useBias",
      "unknown parameter '__proto__'; known: units, activation, useBias",
    ]);
    expect(a.byId.get('d')!.params.units).toBe(2);
  });

  it('a block really named toString is used as defined', () => {
    const a = analyze(load(hostileFile(OBJECT_NAMES)));
    expect(a.problems.filter((p) => p.nodeId?.startsWith('u_'))).toEqual([]);
    expect(a.byId.get('u_toString')!.outputShape).toEqual([null, 2]);
  });

  it('the editor\'s graph edits answer for every node, and refuse what is not defined', () => {
    const g = load(hostileFile(defined));
    for (const n of g.nodes) {
      expect(() => arity(g, n), n.id).not.toThrow();
      expect(() => portsOf(g, n.id), n.id).not.toThrow();
      expect(() => connectionProblem(g, 'in', n.id, 'in0'), n.id).not.toThrow();
      expect(() => connect(g, 'in', n.id, 'in1'), n.id).not.toThrow();
    }
    const byId = (id: string) => g.nodes.find((n) => n.id === id)!;
    expect(arity(g, byId('u_toString'))).toBeNull();
    expect(arity(g, byId('u___proto__'))).toEqual({ min: 1, max: 1 });
    expect(arity(g, byId('k0'))).toBeNull();
    expect(connectionProblem(g, 'in', 'u_toString', 'in0')).toMatch(/unknown kind/);
    expect(newBlockUse(g, 'toString', { x: 0, y: 0 })).toBeNull();
    expect(newBlockUse(g, 'constructor', { x: 0, y: 0 })).toMatchObject({ kind: 'Block', params: { block: 'constructor' } });
    expect(newBlockUse({ ...g, blocks: undefined }, 'valueOf', { x: 0, y: 0 })).toBeNull();
  });

  it('copy and paste carries blocks named like object properties into a graph that lacks them', () => {
    const g = load(hostileFile(defined));
    const fragment = extractFragment(g, new Set(['u___proto__', 'u_constructor']));
    for (const blocks of [undefined, {}]) {
      const target: Graph = { name: 't', nodes: [], edges: [], ...(blocks ? { blocks } : {}) };
      const pasted = insertFragment(target, fragment, { x: 0, y: 0 }).graph;
      expect(Object.hasOwn(pasted.blocks!, '__proto__')).toBe(true);
      expect(Object.keys(pasted.blocks!)).toEqual(defined);
      expect(analyze(pasted).problems.filter((p) => p.field === 'block')).toEqual([]);
    }
    expect(() => removeNodes(g, new Set(['u_toString']))).not.toThrow();
  });

  it('saves and reopens with every block', () => {
    const g = load(hostileFile(OBJECT_NAMES));
    const again = load(serializeGraph(g));
    expect(Object.keys(again.blocks!)).toEqual(OBJECT_NAMES);
    expect(analyze(again).totals).toEqual(analyze(g).totals);
  });
});

/** Input(4) → `n` Dense(4) layers in a chain, listed in file order or reversed. */
function chain(n: number, reversed = false): Graph {
  const nodes: GraphNode[] = [{ id: 'n0', kind: 'Input', name: 'n0', params: { shape: [4] } }];
  const edges: GraphEdge[] = [];
  for (let i = 1; i <= n; i++) {
    nodes.push({ id: `n${i}`, kind: 'Dense', name: `n${i}`, params: { units: 4 } });
    edges.push({ id: `e${i}`, source: `n${i - 1}`, target: `n${i}`, targetPort: 'in0' });
  }
  if (reversed) nodes.reverse();
  return { name: 'chain', nodes, edges };
}

describe('graphs as long as a file may hold', () => {
  const longest = LIMITS.nodes - 1;

  it(`a chain of ${longest.toLocaleString('en-US')} layers analyses, in file order or reversed, and reopens`, () => {
    const g = chain(longest);
    const a = analyze(g);
    expect(a.problems).toEqual([]);
    expect(a.nodes.length).toBe(longest + 1);
    expect(a.totals.params).toBe(longest * 20);
    expect(receptiveFields(a).size).toBe(0);
    expect(summaryText(a)).toContain('Total params: 1,999,980');
    const reversed = analyze(chain(longest, true));
    expect(reversed.problems).toEqual([]);
    expect(reversed.nodes.map((r) => r.id)).toEqual(a.nodes.map((r) => r.id));
    expect(analyze(load(serializeGraph(g))).totals).toEqual(a.totals);
  });

  it('a cycle through every one of them is found and named', () => {
    const g = chain(longest);
    g.nodes[0] = { id: 'n0', kind: 'Dense', name: 'n0', params: { units: 4 } };
    g.edges.push({ id: 'back', source: `n${longest}`, target: 'n0', targetPort: 'in0' });
    const a = analyze(g);
    const cycle = a.problems.filter((p) => p.message.startsWith('cycle through'));
    expect(cycle).toHaveLength(1);
    expect(cycle[0].message).toContain(`n${longest} → n0; a network must flow one way`);
    expect(a.nodes.every((r) => r.status !== 'ok')).toBe(true);
  });
});

describe('shapes of graph that must not cost quadratic time', () => {
  const seconds = (f: () => void) => {
    const t = performance.now();
    f();
    return (performance.now() - t) / 1000;
  };

  it('100,000 nodes of one name, or of one unknown kind, are reported in seconds', () => {
    const same: Graph = { name: 'g', nodes: Array.from({ length: LIMITS.nodes }, (_, i) => ({ id: `n${i}`, kind: 'Dense', name: 'd', params: { units: 1 } })), edges: [] };
    let a: Analysis | undefined;
    expect(seconds(() => (a = analyze(same)))).toBeLessThan(5);
    const dup = a!.problems.filter((p) => p.field === 'name');
    expect(dup).toHaveLength(LIMITS.nodes - 1);
    expect(dup[0]).toMatchObject({ nodeId: 'n1', path: '/nodes/1/name', message: "name 'd' is already used by node 'n0'; layer names must be unique (Keras requires it)" });
    const unknown: Graph = { name: 'g', nodes: Array.from({ length: LIMITS.nodes }, (_, i) => ({ id: `n${i}`, kind: 'Dense2', name: `n${i}`, params: {} })), edges: [] };
    expect(seconds(() => (a = analyze(unknown)))).toBeLessThan(5);
    const kinds = a!.problems.filter((p) => p.field === 'kind');
    expect(kinds).toHaveLength(LIMITS.nodes);
    expect(kinds[LIMITS.nodes - 1]).toMatchObject({ path: `/nodes/${LIMITS.nodes - 1}/kind`, message: "unknown kind 'Dense2'; did you mean 'Dense'?" });
  });

  it('repeated ids keep file positions in their messages', () => {
    const g: Graph = { name: 'g', nodes: Array.from({ length: 50_000 }, (_, i) => ({ id: i % 2 ? 'twin' : `n${i}`, kind: 'Dense2', name: `x${i}`, params: {} })), edges: [] };
    let s: ReturnType<typeof buildStructure> | undefined;
    expect(seconds(() => (s = buildStructure(g)))).toBeLessThan(5);
    expect(s!.problems.find((p) => p.field === 'kind' && p.nodeId === 'n4')!.path).toBe('/nodes/4/kind');
    expect(s!.problems.filter((p) => p.message.startsWith('duplicate node id'))).toHaveLength(24_999);
  });

  it('a cycle through a node with 50,000 consumers is found in seconds', () => {
    const n = 50_000;
    const nodes: GraphNode[] = [{ id: 'hub', kind: 'Dense', name: 'hub', params: { units: 2 } }];
    const edges: GraphEdge[] = [];
    for (let i = 0; i < n; i++) {
      nodes.push({ id: `b${i}`, kind: 'Dense', name: `b${i}`, params: { units: 2 } });
      edges.push({ id: `e${i}`, source: 'hub', target: `b${i}`, targetPort: 'in0' });
    }
    edges.push({ id: 'back', source: `b${n - 1}`, target: 'hub', targetPort: 'in0' });
    let a: Analysis | undefined;
    expect(seconds(() => (a = analyze({ name: 'g', nodes, edges })))).toBeLessThan(5);
    expect(a!.problems.map((p) => p.message)).toEqual([`cycle through hub → b${n - 1} → hub; a network must flow one way, so remove one of these edges`]);
  });

  it('a merge tree of 4,096 failed branches does not copy its blockers into every layer after it', () => {
    // 64 Adds of 64 failed layers each, merged by one more Add: every layer after it is blocked by all 4,096.
    const nodes: GraphNode[] = [{ id: 'top', kind: 'Add', name: 'top', params: {} }];
    const edges: GraphEdge[] = [];
    for (let j = 0; j < 64; j++) {
      nodes.push({ id: `add${j}`, kind: 'Add', name: `add${j}`, params: {} });
      edges.push({ id: `a${j}`, source: `add${j}`, target: 'top', targetPort: `in${j}` });
      for (let i = 0; i < 64; i++) {
        nodes.push({ id: `bad${j}_${i}`, kind: 'Dense', name: `bad${j}_${i}`, params: { units: 0 } });
        edges.push({ id: `m${j}_${i}`, source: `bad${j}_${i}`, target: `add${j}`, targetPort: `in${i}` });
      }
    }
    const tail = 40_000;
    for (let i = 0; i < tail; i++) {
      nodes.push({ id: `t${i}`, kind: 'Dense', name: `t${i}`, params: { units: 2 } });
      edges.push({ id: `t${i}`, source: i ? `t${i - 1}` : 'top', target: `t${i}`, targetPort: 'in0' });
    }
    let a: Analysis | undefined;
    expect(seconds(() => (a = analyze({ name: 'g', nodes, edges })))).toBeLessThan(5);
    expect(a!.byId.get(`t${tail - 1}`)!.status).toBe('blocked');
    expect(a!.byId.get(`t${tail - 1}`)!.blockedBy).toHaveLength(64 * 64);
  });
});
