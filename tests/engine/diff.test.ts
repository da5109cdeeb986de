/** diffGraphs: which layers pair up (name, then id, then structure), what counts as changed, and the totals. */
import { describe, expect, it } from 'vitest';
import { analyze, diffGraphs, expandBlocks, GraphBuilder, type Graph } from '../../src/engine/index.ts';

/** input → conv → pool → flatten → dense, each layer's id and name given separately. */
function chain(names: { id: string; name: string }[], o: { filters?: number; kind?: string } = {}): Graph {
  const [inp, conv, pool, flat, dense] = names;
  const b = new GraphBuilder('chain');
  const x = b.add('Input', { shape: [16, 16, 3] }, [], inp.id, { name: inp.name });
  const c = b.add(o.kind ?? 'Conv2D', o.kind === 'DepthwiseConv2D' ? { kernelSize: [3, 3] } : { filters: o.filters ?? 8, kernelSize: [3, 3] }, [x], conv.id, { name: conv.name });
  const p = b.add('MaxPooling2D', { poolSize: [2, 2] }, [c], pool.id, { name: pool.name });
  const f = b.add('Flatten', {}, [p], flat.id, { name: flat.name });
  b.add('Dense', { units: 10 }, [f], dense.id, { name: dense.name });
  return b.build();
}

const same = (...ids: string[]) => ids.map((id) => ({ id, name: id }));

describe('matching', () => {
  it('pairs by name before id: a layer keeps its partner when ids are shuffled', () => {
    const a = chain(same('in', 'conv', 'pool', 'flat', 'fc'));
    // B gives the names new ids, and reuses A's conv id for the pool.
    const b = chain([{ id: 'i0', name: 'in' }, { id: 'n1', name: 'conv' }, { id: 'conv', name: 'pool' }, { id: 'n3', name: 'flat' }, { id: 'n4', name: 'fc' }]);
    const d = diffGraphs(a, b);
    expect(d.matched).toEqual({ name: 5, id: 0, structure: 0 });
    expect(d.equivalent).toBe(true);
  });

  it('then by id, for a renamed layer of the same kind', () => {
    const a = chain(same('in', 'conv', 'pool', 'flat', 'fc'));
    const b = chain([...same('in'), { id: 'conv', name: 'features' }, ...same('pool', 'flat', 'fc')]);
    const d = diffGraphs(a, b);
    expect(d.matched).toEqual({ name: 4, id: 1, structure: 0 });
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]).toMatchObject({ name: { a: 'conv', b: 'features' }, params: {}, deltaParams: 0, deltaMacs: 0 });
    // Its consumer is fed by the same layer under a new name: inputs are compared through the pairing.
    expect(d.changed[0].inputs).toBeUndefined();
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
  });

  it('then by structure: renamed layers with new ids pair when fed by paired layers', () => {
    const a = chain(same('in', 'conv', 'pool', 'flat', 'fc'));
    const b = chain([...same('in'), { id: 'k1', name: 'k1' }, { id: 'k2', name: 'k2' }, { id: 'k3', name: 'k3' }, { id: 'k4', name: 'k4' }]);
    const d = diffGraphs(a, b);
    expect(d.matched).toEqual({ name: 1, id: 0, structure: 4 });
    expect(d.changed.map((c) => [c.a.name, c.b.name])).toEqual([['conv', 'k1'], ['pool', 'k2'], ['flat', 'k3'], ['fc', 'k4']]);
    for (const c of d.changed) expect(Object.keys(c.params)).toEqual([]);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
  });

  it('an id is not paired across kinds; structure needs the same kind too', () => {
    const a = chain(same('in', 'conv', 'pool', 'flat', 'fc'));
    const b = chain([...same('in'), { id: 'conv', name: 'dw' }, ...same('pool', 'flat', 'fc')], { kind: 'DepthwiseConv2D' });
    const d = diffGraphs(a, b);
    expect(d.removed.map((l) => l.name)).toEqual(['conv']);
    expect(d.added.map((l) => l.name)).toEqual(['dw']);
    expect(d.matched.id).toBe(0);
  });
});

describe('changes', () => {
  it('a kind change under the same name: kind, parameters and counts', () => {
    const a = chain(same('in', 'conv', 'pool', 'flat', 'fc'));
    const b = chain(same('in', 'conv', 'pool', 'flat', 'fc'), { kind: 'DepthwiseConv2D' });
    const d = diffGraphs(a, b);
    const conv = d.changed.find((c) => c.a.name === 'conv')!;
    expect(conv.kind).toEqual({ a: 'Conv2D', b: 'DepthwiseConv2D' });
    expect(conv.params.filters).toEqual({ a: 8, b: undefined });
    expect(conv.params.depthMultiplier).toEqual({ a: undefined, b: 1 });
    expect(conv.shape).toEqual({ a: [null, 14, 14, 8], b: [null, 14, 14, 3] });
    const [ra, rb] = [analyze(a).byId.get('conv')!, analyze(b).byId.get('conv')!];
    expect(conv.deltaParams).toBe(rb.paramCount - ra.paramCount);
    expect(conv.deltaMacs).toBe(rb.macs! - ra.macs!);
  });

  it('a parameter change reaches the layers downstream as shape and count changes', () => {
    const d = diffGraphs(chain(same('in', 'conv', 'pool', 'flat', 'fc')), chain(same('in', 'conv', 'pool', 'flat', 'fc'), { filters: 16 }));
    expect(d.changed.map((c) => c.a.name)).toEqual(['conv', 'pool', 'flat', 'fc']);
    expect(d.changed[0].params).toEqual({ filters: { a: 8, b: 16 } });
    // The Dense layer reads a wider flatten: same settings and output, more weights.
    expect(d.changed[3]).toMatchObject({ params: {}, deltaParams: 7 * 7 * 8 * 10 });
    expect(d.changed[3].shape).toBeUndefined();
  });

  it('totals before and after are the analyses\' totals', () => {
    const ga = chain(same('in', 'conv', 'pool', 'flat', 'fc'));
    const gb = chain(same('in', 'conv', 'pool', 'flat', 'fc'), { filters: 16 });
    const d = diffGraphs(ga, gb);
    for (const [t, g] of [[d.totals.a, ga], [d.totals.b, gb]] as const) {
      const x = analyze(g).totals;
      expect(t).toEqual({ params: x.params, trainable: x.trainable, nonTrainable: x.nonTrainable, macs: x.macs, layers: 5 });
    }
    expect(d.changed.reduce((s, c) => s + c.deltaParams, 0)).toBe(d.totals.b.params - d.totals.a.params);
    expect(d.changed.reduce((s, c) => s + c.deltaMacs, 0)).toBe(d.totals.b.macs! - d.totals.a.macs!);
  });

  it('a block use and its expansion are equivalent', () => {
    const b = new GraphBuilder('blocks');
    b.defineBlock('unit', { params: { n: 4 } }, (bb, { x }) => bb.add('Dense', { units: { $: 'n' }, activation: 'relu' }, [x], 'fc'));
    const x = b.add('Input', { shape: [8] }, [], 'in');
    b.use('unit', { n: 6 }, [x], 'stack', { repeat: 3 });
    const g = b.build();
    const d = diffGraphs(g, expandBlocks(g).graph);
    expect(d.equivalent).toBe(true);
    expect(d.totals.a).toEqual(d.totals.b);
    expect(d.totals.a.layers).toBe(4);
  });
});
