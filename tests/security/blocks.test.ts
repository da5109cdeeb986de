/**
 * Block uses from untrusted files: a few kilobytes of nested `repeat`s must be
 * refused on the use, naming the limit and the fix, before any layer is made;
 * nesting as deep as a graph can express never overflows the stack.
 */
import { describe, expect, it } from 'vitest';
import {
  analyze, expandBlocks, LIMITS, parseGraphText, serializeGraph,
  type Analysis, type BlockDef, type Graph, type GraphEdge, type GraphNode,
} from '../../src/engine/index.ts';

const fmt = (n: number) => n.toLocaleString('en-US');

/** Block `name`: Dense(2) layers `count` in a chain on its input. */
function dense(count = 1): BlockDef {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (let i = 0; i < count; i++) {
    nodes.push({ id: `fc${i}`, kind: 'Dense', name: `fc${i}`, params: { units: 2 } });
    edges.push({ id: `e${i}`, source: i ? `fc${i - 1}` : '@x', target: `fc${i}`, targetPort: 'in0' });
  }
  return { params: {}, inputs: ['x'], output: `fc${count - 1}`, nodes, edges };
}

/** A block whose body is `width` chained uses of `inner`, each repeated `repeat` times. */
function usesOf(inner: string, width: number, repeat: number): BlockDef {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (let j = 0; j < width; j++) {
    nodes.push({ id: `u${j}`, kind: 'Block', name: `u${j}`, params: { block: inner, repeat } });
    edges.push({ id: `e${j}`, source: j ? `u${j - 1}` : '@x', target: `u${j}`, targetPort: 'in0' });
  }
  return { params: {}, inputs: ['x'], output: `u${width - 1}`, nodes, edges };
}

/** Input(3) → one use `top` of `block` (repeated `repeat` times). */
function network(blocks: Record<string, BlockDef>, block: string, repeat = 1): Graph {
  return {
    name: 'g',
    blocks,
    nodes: [
      { id: 'in', kind: 'Input', name: 'in', params: { shape: [3] } },
      { id: 'top', kind: 'Block', name: 'top', params: { block, repeat } },
    ],
    edges: [{ id: 'e', source: 'in', target: 'top', targetPort: 'in0' }],
  };
}

/** Blocks b0 (one Dense) … b`levels`, each b_k using b_(k-1) `width` times in a chain, each use repeated `repeat` times. */
function nested(levels: number, width: number, repeat: number): Graph {
  const blocks: Record<string, BlockDef> = { b0: dense() };
  for (let k = 1; k <= levels; k++) blocks[`b${k}`] = usesOf(`b${k - 1}`, width, repeat);
  return network(blocks, `b${levels}`);
}

/** Analyses `g` as a file would give it, timing it; never throws. */
function timed(g: Graph): { a: Analysis; seconds: number; bytes: number } {
  const text = serializeGraph(g);
  const loaded = parseGraphText(text);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems.slice(0, 3)));
  const t = performance.now();
  const a = analyze(loaded.graph);
  return { a, seconds: (performance.now() - t) / 1000, bytes: text.length };
}

const onTop = (a: Analysis) => a.problems.filter((p) => p.nodeId === 'top');

describe('nested repeats are refused before expanding', () => {
  it('repeat 1000 nested 7 deep, a 2 KB file, is refused on the use, naming the layer limit', () => {
    const { a, seconds, bytes } = timed(nested(7, 1, 1000));
    expect(bytes).toBeLessThan(4096);
    expect(seconds).toBeLessThan(5);
    expect(onTop(a)).toEqual([{
      nodeId: 'top', field: 'repeat',
      message: `block 'b7' expands to more than ${fmt(LIMITS.expandedNodes)} layers, the most a network may expand to; lower repeat or use fewer blocks inside it`,
    }]);
    // The use stays one node in error; nothing was expanded.
    expect(a.nodes.map((n) => n.id)).toEqual(['in', 'top']);
    expect(a.byId.get('top')!.status).toBe('error');
  });

  it('repeat 1000 nested 9 deep is refused on the use, naming the nesting limit', () => {
    const { a, seconds } = timed(nested(9, 1, 1000));
    expect(seconds).toBeLessThan(5);
    expect(onTop(a)).toEqual([{
      nodeId: 'top', field: 'block',
      message: `block 'b9' nests blocks 10 deep, more than the limit of ${LIMITS.blockDepth}; flatten some of them into their layers`,
    }]);
  });

  it('60 uses wide and 7 deep is refused on the use', () => {
    const { a, seconds, bytes } = timed(nested(7, 60, 1));
    expect(bytes).toBeLessThan(100_000);
    expect(seconds).toBeLessThan(5);
    expect(onTop(a).map((p) => p.message)).toEqual([
      `block 'b7' expands to more than ${fmt(LIMITS.expandedNodes)} layers, the most a network may expand to; lower repeat or use fewer blocks inside it`,
    ]);
  });

  it('repeat typed one digit at a time: each value answers at once, the one over the limit with the limit', () => {
    // A 300-layer block (30 copies of a 10-layer block) repeated 1, 10, 100, then 1000 times.
    const blocks = { unit: dense(10), mid: usesOf('unit', 1, 30) };
    let previous: Analysis | undefined;
    const t = performance.now();
    for (const repeat of [1, 10, 100, 1000]) {
      const a = analyze(network(blocks, 'mid', repeat), previous);
      previous = a;
      if (repeat < 1000) {
        expect(a.problems).toEqual([]);
        expect(a.blocks.find((b) => b.id === 'top')!.members).toHaveLength(300 * repeat);
      } else {
        expect(onTop(a)).toEqual([{
          nodeId: 'top', field: 'repeat',
          message: `1,000 copies of block 'mid' (300 layers each) expand to more than ${fmt(LIMITS.expandedNodes)} layers, the most a network may expand to; lower repeat`,
        }]);
      }
    }
    expect((performance.now() - t) / 1000).toBeLessThan(5);
    const over = analyze(network(blocks, 'mid', 5000));
    expect(onTop(over)[0].message).toBe(`repeat must be a whole number from 1 to ${LIMITS.repeat}, got 5000`);
  });

  it('edges count too: a body of 100,000 edges repeated 10 times is refused, naming the edge limit', () => {
    const body = dense(2);
    for (let i = 0; i < 100_000; i++) body.edges.push({ id: `x${i}`, source: 'fc0', target: 'fc1', targetPort: 'in0' });
    const a = analyze(network({ wide: body }, 'wide', 10));
    expect(onTop(a)).toEqual([{
      nodeId: 'top', field: 'repeat',
      message: `10 copies of block 'wide' (100,002 edges each) expand to more than ${fmt(LIMITS.expandedEdges)} edges, the most a network may expand to; lower repeat`,
    }]);
  });

  it('blocks that use each other are refused on the use, naming the cycle', () => {
    const g = network({ a: usesOf('b', 1, 1000), b: usesOf('a', 1, 1000) }, 'a');
    const { a, seconds } = timed(g);
    expect(seconds).toBeLessThan(5);
    expect(onTop(a)).toEqual([{ nodeId: 'top', field: 'block', message: "block 'a' uses itself (a → b → a); a block cannot contain itself" }]);
  });

  it('100,000 uses, each with a problem, are reported in seconds, all on their top-level use', () => {
    const bad: BlockDef = { ...dense(), nodes: [{ id: 'fc0', kind: 'Dense', name: 'fc0', params: { units: { $: 'nope' } } }] };
    const g = network({ bad, mid: usesOf('bad', 1000, 1) }, 'mid', 100);
    const t = performance.now();
    const a = analyze(g);
    // Linear work for 100,000 copies takes a few seconds; matching every problem to every use took minutes.
    expect((performance.now() - t) / 1000).toBeLessThan(20);
    expect(a.blocks).toHaveLength(1 + 100 * 1000);
    expect(onTop(a)).toHaveLength(100_000);
    expect(onTop(a)[0].message).toMatch(/^in block 'bad', layer 'fc0': cannot read "nope": unknown name 'nope'/);
  });
});

describe('depth of 100,000 wherever a graph can express it', () => {
  const deep = (levels: number, leaf: unknown) => {
    let v: unknown = leaf;
    for (let i = 0; i < levels; i++) v = [v];
    return v;
  };

  it('100,000 blocks each using the next are refused on the use, naming the nesting limit', () => {
    const blocks: Record<string, BlockDef> = { c0: dense() };
    for (let k = 1; k < 100_000; k++) blocks[`c${k}`] = usesOf(`c${k - 1}`, 1, 1);
    const t = performance.now();
    const g = network(blocks, 'c99999');
    const a = analyze(g);
    expect((performance.now() - t) / 1000).toBeLessThan(5);
    expect(a.byId.get('top')!.status).toBe('error');
    expect(expandBlocks(g).problems).toEqual([{
      nodeId: 'top', field: 'block',
      message: `block 'c99999' nests blocks 100,000 deep, more than the limit of ${LIMITS.blockDepth}; flatten some of them into their layers`,
    }]);
  });

  it('an argument or a repeat nested 100,000 deep is a problem of the use, not an exception', () => {
    const one: BlockDef = { ...dense(), params: { units: 2 }, nodes: [{ id: 'fc0', kind: 'Dense', name: 'fc0', params: { units: { $: 'units' } } }] };
    const mid: BlockDef = {
      params: {}, inputs: ['x'], output: 'u',
      nodes: [{ id: 'u', kind: 'Block', name: 'u', params: { block: 'one', args: { units: deep(100_000, { $: 'units' }) } } }],
      edges: [{ id: 'e', source: '@x', target: 'u', targetPort: 'in0' }],
    };
    const a = analyze(network({ one, mid }, 'mid'));
    expect(onTop(a)).toEqual([{
      nodeId: 'top', field: 'args',
      message: `in block 'mid', use 'u': a value is nested more than ${LIMITS.depth} levels deep; no block parameter needs that, so give a flat value`,
    }]);
    expect(a.byId.get('top')!.status).toBe('error');
    const g = network({ one }, 'one');
    g.nodes[1].params.repeat = deep(100_000, 2);
    expect(onTop(analyze(g))).toEqual([{ nodeId: 'top', field: 'repeat', message: `repeat must be a whole number from 1 to ${LIMITS.repeat}, got a list of 1` }]);
  });

  it('a layer parameter nested 100,000 deep inside a block is a problem, and re-analyses', () => {
    const body = dense();
    body.nodes[0].params.units = deep(100_000, 1);
    const g = network({ one: body }, 'one');
    const first = analyze(g);
    expect(onTop(first).map((p) => p.message)).toEqual([
      `in block 'one', layer 'fc0': a value is nested more than ${LIMITS.depth} levels deep; no block parameter needs that, so give a flat value; fix the block's expression or the use's args`,
    ]);
    const edited = { ...g, nodes: g.nodes.map((n) => (n.id === 'in' ? { ...n, params: { shape: [4] } } : n)) };
    expect(analyze(edited, first).problems).toEqual(first.problems);
  });

  it('20,000 uses listed after the uses they feed expand in seconds', () => {
    const nodes: GraphNode[] = [{ id: 'in', kind: 'Input', name: 'in', params: { shape: [3] } }];
    const edges: GraphEdge[] = [];
    const n = 20_000;
    for (let i = n - 1; i >= 0; i--) {
      nodes.push({ id: `u${i}`, kind: 'Block', name: `u${i}`, params: { block: 'one' } });
      edges.push({ id: `e${i}`, source: i ? `u${i - 1}` : 'in', target: `u${i}`, targetPort: 'in0' });
    }
    const t = performance.now();
    const a = analyze({ name: 'g', blocks: { one: dense() }, nodes, edges });
    expect((performance.now() - t) / 1000).toBeLessThan(5);
    expect(a.problems).toEqual([]);
    expect(a.byId.get(`u${n - 1}/fc0`)!.inputIds).toEqual([`u${n - 2}/fc0`]);
  });
});
