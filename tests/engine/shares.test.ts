/**
 * Weight sharing: a node with `shares` uses another node's weights, counted
 * once at the owner. Expected counts are hand arithmetic written out.
 */
import { describe, expect, it } from 'vitest';
import { analyze, parseGraphText, serializeGraph } from '../../src/engine/index.ts';
import type { Graph, GraphNode } from '../../src/engine/types.ts';

const node = (id: string, kind: string, params: Record<string, unknown>, extra: Partial<GraphNode> = {}): GraphNode => ({ id, kind, name: id, params, ...extra });
const edge = (source: string, target: string, port = 0) => ({ id: `${source}>${target}:${port}`, source, target, targetPort: `in${port}` });

/** Two Inputs of 16 features, one Dense(8) called on both, then Concatenate: Keras counts 16·8 + 8 = 136. */
function twoTowers(shares?: string, units2 = 8): Graph {
  return {
    name: 'towers',
    nodes: [
      node('a', 'Input', { shape: [16] }),
      node('b', 'Input', { shape: [16] }),
      node('d1', 'Dense', { units: 8 }),
      node('d2', 'Dense', { units: units2 }, shares ? { shares } : {}),
      node('cat', 'Concatenate', {}),
    ],
    edges: [edge('a', 'd1'), edge('b', 'd2'), edge('d1', 'cat', 0), edge('d2', 'cat', 1)],
  };
}

/** Embedding(V=50, d=8) → Dense(50, no bias) tied to it: 50·8 = 400 once, where untied is 400 + 8·50 = 800. */
function tied(extra: Partial<GraphNode> = { shares: 'emb' }, useBias = false, units = 50): Graph {
  return {
    name: 'tied',
    nodes: [
      node('ids', 'Input', { shape: [12] }),
      node('emb', 'Embedding', { inputDim: 50, outputDim: 8 }),
      node('head', 'Dense', { units, useBias }, extra),
    ],
    edges: [edge('ids', 'emb'), edge('emb', 'head')],
  };
}

describe('shares', () => {
  it('counts a Dense used on two inputs once, and still counts its multiply-adds twice', () => {
    const own = analyze(twoTowers());
    const shared = analyze(twoTowers('d1'));
    expect(own.totals.params).toBe(2 * (16 * 8 + 8));
    expect(shared.totals.params).toBe(16 * 8 + 8);
    expect(shared.totals.trainable).toBe(136);
    expect(shared.totals.nonTrainable).toBe(0);
    expect(shared.totals.macs).toBe(2 * 16 * 8);
    const d2 = shared.byId.get('d2')!;
    expect(d2.status).toBe('ok');
    expect(d2.paramCount).toBe(0);
    expect(d2.shares).toBe('d1');
    expect(d2.formula).toBe("shares d1's 16·8 kernel + 8 bias (counted once there)");
    expect(d2.outputShape).toEqual([null, 8]);
    expect(shared.byId.get('d1')!.formula).toBe('16·8 + 8 = 136');
  });

  it('ties a Dense head without bias to the transposed Embedding: untying adds exactly V·d', () => {
    const a = analyze(tied());
    expect(a.problems).toEqual([]);
    expect(a.totals.params).toBe(50 * 8);
    const head = a.byId.get('head')!;
    expect(head.formula).toBe("shares emb's 50·8 embeddings, transposed (counted once there)");
    expect(head.macs).toBe(12 * 8 * 50);
    expect(analyze(tied({})).totals.params - a.totals.params).toBe(50 * 8);
  });

  it('a file without shares opens unchanged, and one with it round-trips exactly', () => {
    const text = serializeGraph(tied());
    expect(text).toContain('"shares": "emb"');
    const r = parseGraphText(text);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.graph.nodes[2].shares).toBe('emb');
    expect(serializeGraph(r.graph)).toBe(text);
    const plain = serializeGraph(twoTowers());
    expect(plain).not.toContain('shares');
    const p = parseGraphText(plain);
    expect(p.ok && 'shares' in p.graph.nodes[3]).toBe(false);
  });

  it('refuses a non-string shares in the file', () => {
    const doc = JSON.parse(serializeGraph(tied()));
    doc.nodes[2].shares = 3;
    const r = parseGraphText(JSON.stringify(doc));
    expect(r.ok).toBe(false);
  });

  const errorOf = (g: Graph, id: string) => {
    const r = analyze(g).byId.get(id)!;
    expect(r.status).toBe('error');
    expect(r.errors[0].field).toBe('shares');
    expect(r.errors[0].nodeId).toBe(id);
    return r.errors[0].message;
  };

  it('names the node, the field and the fix when the weights differ', () => {
    expect(errorOf(twoTowers('d1', 4), 'd2')).toMatch(/differ.*make the parameters and input features match, or remove shares/);
  });
  it('refuses an unknown owner, itself, a chain and another kind', () => {
    expect(errorOf(twoTowers('nope'), 'd2')).toMatch(/'nope', which is not a layer of this graph/);
    expect(errorOf(twoTowers('d2'), 'd2')).toMatch(/itself/);
    const chain = twoTowers('d1');
    chain.nodes.push(node('d3', 'Dense', { units: 8 }, { shares: 'd2' }));
    chain.edges.push(edge('b', 'd3'));
    expect(errorOf(chain, 'd3')).toMatch(/itself shares 'd1'; name the layer that owns the weights \('d1'\)/);
    expect(errorOf(twoTowers('cat'), 'd2')).toMatch(/Concatenate 'cat', but this is a Dense; share only with a layer of the same kind/);
    expect(errorOf(twoTowers('a'), 'd2')).toMatch(/an input has no weights to share; remove shares/);
  });
  it('refuses a tied head with a bias or the wrong size', () => {
    expect(errorOf(tied({ shares: 'emb' }, true), 'head')).toMatch(/set useBias to false/);
    expect(errorOf(tied({ shares: 'emb' }, false, 40), 'head')).toMatch(/needs kernel 8·50 .* set units to 50/);
  });
  it('refuses different parameters on one layer used twice', () => {
    const g = twoTowers('d1');
    g.nodes[3].params = { units: 8, activation: 'relu' };
    expect(errorOf(g, 'd2')).toMatch(/activation differs/);
  });

  it('shares within each copy of a block, and refuses naming across the block boundary', () => {
    const g: Graph = {
      name: 'blk',
      blocks: {
        pair: {
          params: {}, inputs: ['x', 'y'], output: 'cat',
          nodes: [node('p', 'Dense', { units: 4 }), node('q', 'Dense', { units: 4 }, { shares: 'p' }), node('cat', 'Concatenate', {})],
          edges: [edge('@x', 'p'), edge('@y', 'q'), edge('p', 'cat', 0), edge('q', 'cat', 1)],
        },
      },
      nodes: [node('a', 'Input', { shape: [6] }), node('b', 'Input', { shape: [6] }), node('u', 'Block', { block: 'pair', repeat: 1 })],
      edges: [edge('a', 'u', 0), edge('b', 'u', 1)],
    };
    const a = analyze(g);
    expect(a.problems).toEqual([]);
    expect(a.totals.params).toBe(6 * 4 + 4);
    const outside = structuredClone(g);
    outside.nodes.push(node('d', 'Dense', { units: 4 }, { shares: 'u/p' }));
    outside.edges.push(edge('a', 'd'));
    const r = analyze(outside).byId.get('d')!;
    expect(r.status).toBe('error');
    expect(r.errors.map((e) => e.message).join()).toMatch(/shares names 'u\/p', which is not a layer of this graph \(layers inside blocks cannot be named from outside\)/);
    const inside = structuredClone(g);
    inside.blocks!.pair.nodes[1].shares = 'a';
    const ar = analyze(inside);
    expect(ar.problems.some((p) => p.field === 'shares' && p.nodeId === 'u' && /in block 'pair', layer 'q': shares names 'a', which is not a layer of block 'pair'/.test(p.message))).toBe(true);
  });
});

describe('shares in the summary, memory, PyTorch view and diff', () => {
  it('lists the owner in --json layers and adds no parameter bytes or optimizer state', async () => {
    const { summaryJson, summaryText } = await import('../../src/engine/summary.ts');
    const { trainingMemory } = await import('../../src/engine/memory.ts');
    const { pytorchTotal } = await import('../../src/engine/conventions.ts');
    const a = analyze(twoTowers('d1'));
    const j = summaryJson(a);
    const d2 = j.layers.find((l) => l.id === 'd2')!;
    expect(d2.shares).toBe('d1');
    expect(d2.params).toBe(0);
    expect(j.totals.params).toBe(136);
    expect(j.totals.pytorchParams).toBe(136);
    expect(pytorchTotal(a)).toBe(136);
    expect(summaryText(a)).toContain("d2 uses d1's weights");
    // Adam: 4 B weight + 4 B gradient + 2 slots × 4 B per trainable value, for 136 values once.
    const m = trainingMemory(a, { batch: 1, optimizer: 'adam', dtype: 'fp32' });
    expect(m.total.params).toBe(136 * 4);
    expect(m.total.grads).toBe(136 * 4);
    expect(m.total.optimizer).toBe(136 * 2 * 4);
    expect(m.layers.find((l) => l.id === 'd2')!.params).toBe(0);
  });
});

describe('shares in the diff', () => {
  it('reports a changed owner, and sharing added, with the parameter delta', async () => {
    const { diffGraphs } = await import('../../src/engine/diff.ts');
    const d = diffGraphs(twoTowers(), twoTowers('d1'));
    const c = d.changed.find((x) => x.a.id === 'd2')!;
    expect(c.shares).toEqual({ a: null, b: 'd1' });
    expect(c.deltaParams).toBe(-(16 * 8 + 8));
    expect(diffGraphs(twoTowers('d1'), twoTowers('d1')).equivalent).toBe(true);
  });
});

describe('shareCandidates', () => {
  it('offers the layers whose weights fit, and none to a layer others share', async () => {
    const { shareCandidates } = await import('../../src/engine/analyze.ts');
    const g = twoTowers();
    g.nodes.push(node('d3', 'Dense', { units: 4 }));
    g.edges.push(edge('a', 'd3'));
    const a = analyze(g);
    expect(shareCandidates(a, 'd2')).toEqual([{ id: 'd1', name: 'd1' }]);
    expect(shareCandidates(a, 'd3')).toEqual([]);
    expect(shareCandidates(analyze(twoTowers('d1')), 'd1')).toEqual([]);
    expect(shareCandidates(analyze(twoTowers('d1')), 'd2')).toEqual([{ id: 'd1', name: 'd1' }]);
    expect(shareCandidates(analyze(tied({})), 'head')).toEqual([{ id: 'emb', name: 'emb' }]);
  });
});
