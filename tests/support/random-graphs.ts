/**
 * Seeded random valid graphs for differential tests: every kind, every enum
 * and boolean parameter value, branches, merges, several inputs and outputs.
 * Candidates the engine rejects are discarded, so only valid graphs come out.
 */
import {
  analyze, defaultsOf, GraphBuilder, getLayer, LAYERS, type Graph, type ParamSchema, type Shape,
} from '../../src/engine/index.ts';

import { tfjsCannot } from '../../src/engine/layer.ts';
import { mulberry32, type Rng } from '../../src/data/random.ts';
import { TF_FACTORY } from '../../src/compile/tf-layers.ts';

export { mulberry32 };
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const between = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** What TF.js refuses of a kind's parameters (its passport's `tfjs.cannot`), or null. */
const tfRefusal = (kind: string, p: Record<string, unknown>) => {
  const spec = getLayer(kind);
  return spec ? tfjsCannot(spec, p) : null;
};

/** The defaults, and the defaults with one enum or boolean parameter changed: where a refusal may hide. */
function settings(schema: Record<string, ParamSchema>): Record<string, unknown>[] {
  const d = defaultsOf(schema) as Record<string, unknown>;
  const out = [d];
  for (const [k, s] of Object.entries(schema)) {
    for (const v of s.type === 'enum' ? s.values : s.type === 'bool' ? [true, false] : []) out.push({ ...d, [k]: v });
  }
  return out;
}

/**
 * Enum and boolean values TF.js cannot express, per kind and parameter, read
 * from the passports: each value is tried on the kind's defaults and their
 * one-parameter variations. Kept out of
 * differential graphs (the Keras 3 suite checks them).
 */
export const TF_EXCLUDED: Record<string, Record<string, unknown[]>> = Object.fromEntries(LAYERS.map((l) => {
  const out: Record<string, unknown[]> = {};
  for (const [k, s] of Object.entries(l.params) as [string, ParamSchema][]) {
    const values = s.type === 'enum' ? s.values : s.type === 'bool' ? [true, false] : [];
    const no = values.filter((v) => settings(l.params).some((base) => tfRefusal(l.kind, { ...base, [k]: v })?.field === k));
    if (no.length) out[k] = no;
  }
  return [l.kind, out];
}));

const INT_RANGES: Record<string, [number, number]> = {
  filters: [1, 12], units: [1, 12], kernelSize: [1, 4], strides: [1, 3], poolSize: [1, 3],
  dilationRate: [1, 2], depthMultiplier: [1, 2], inputDim: [5, 40], outputDim: [1, 8],
  size: [1, 3], n: [1, 4], nSteps: [2, 10], features: [1, 6], horizon: [1, 3], stride: [1, 3],
  groups: [1, 3], outputPadding: [0, 1],
};

function randomValue(r: Rng, kind: string, name: string, s: ParamSchema, rank: number, tfjs: boolean): unknown {
  const excluded = tfjs ? TF_EXCLUDED[kind]?.[name] ?? [] : [];
  const [lo, hi] = INT_RANGES[name] ?? [1, 4];
  switch (s.type) {
    case 'int':
      if (name === 'axis') return pick(r, [-1, -1, ...Array.from({ length: rank }, (_, i) => i + 1)]);
      return between(r, Math.max(s.min, lo), Math.min(s.max, hi));
    case 'float':
      if (name === 'epsilon') return pick(r, [0.001, 1e-5]);
      if (name === 'momentum') return pick(r, [0.99, 0.9]);
      return pick(r, [0, 0.1, 0.25, 0.5]);
    case 'bool':
      return excluded.includes(true) ? false : r() < 0.5;
    case 'enum':
      return pick(r, s.values.filter((v) => !excluded.includes(v)));
    case 'tuple':
      return Array.from({ length: s.length }, () => between(r, lo, hi));
    case 'optInt':
      return r() < 0.5 ? null : between(r, lo, hi);
    case 'optFloat':
      return r() < 0.5 ? null : pick(r, [0.5, 1, 6]);
    case 'optTuple':
      return r() < 0.5 ? null : Array.from({ length: s.length }, () => between(r, lo, hi));
    case 'pads':
      return Array.from({ length: s.axes }, () => [between(r, 0, 2), between(r, 0, 2)]);
    case 'list':
      // Axes after the batch, none to all (PReLU's sharedAxes).
      if (name === 'sharedAxes') return Array.from({ length: rank }, (_, i) => i + 1).filter(() => r() < 0.5);
      // Permute's dims: the axes after the batch, shuffled.
      if (name === 'dims') return Array.from({ length: rank }, (_, i) => i + 1).map((d) => [r(), d] as const).sort((a, b) => a[0] - b[0]).map(([, d]) => d);
      // Dropout's noiseShape: none, or a mask batch first of None and 1 (EfficientNet's None, 1, 1, 1).
      if (name === 'noiseShape') return r() < 0.5 ? null : [null, ...Array.from({ length: rank }, () => (r() < 0.5 ? null : 1))];
      return s.default;
  }
}

/**
 * Seeded random parameters for a kind fed `x`. With `tfjs` (the default),
 * only what TF.js can build; without, every value (for the Keras 3 suite).
 */
export function randomParams(r: Rng, kind: string, x: Shape | undefined, tfjs = true): Record<string, unknown> {
  const spec = getLayer(kind)!;
  const rank = x ? x.length - 1 : 0;
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(spec.params)) out[name] = randomValue(r, kind, name, s as ParamSchema, rank, tfjs);
  // What TF.js refuses goes back to the default, field by field, as its passport names them.
  for (let no = tfjs ? tfRefusal(kind, out) : null, n = 0; no && n < 8; no = tfRefusal(kind, out), n++) out[no.field] = defaultsOf(spec.params)[no.field];
  if (kind === 'Reshape' && x) {
    const n = x.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
    const divs = [1, 2, 3, 4].filter((d) => n % d === 0);
    const d = pick(r, divs);
    out.targetShape = pick(r, [[-1], [d, -1], [n / d, d], [-1, 1]]);
  }
  return out;
}

/** Kinds tf.layers has a layer for (TF_FACTORY): the differential graphs hold only these. */
const tfBuilds = (kind: string): boolean => (TF_FACTORY as Record<string, unknown>)[kind] !== null;

/** Single-input kinds that accept an input of the given rank (excluding batch), from their passports. */
const BY_RANK: Record<number, string[]> = Object.fromEntries([1, 2, 3, 4].map((rank) => [rank, LAYERS
  .filter((l) => !l.isModelInput && !l.inputs.variadic && l.inputs.min === 1 && tfBuilds(l.kind) && (!l.inputs.ranks || l.inputs.ranks.includes(rank)))
  .map((l) => l.kind)]));
/** The merges: kinds taking two inputs or more. */
const MERGES = LAYERS.filter((l) => l.inputs.min >= 2).map((l) => l.kind);
/** The element-wise merges, which broadcast (no axis to join on). */
const ELEMENTWISE = LAYERS.filter((l) => l.inputs.min >= 2 && !('axis' in l.params)).map((l) => l.kind);

function randomInput(r: Rng, b: GraphBuilder, name: string): { id: string; tokens: boolean } {
  const choice = pick(r, ['image', 'image', 'sequence', 'window', 'tokens', 'flat']);
  switch (choice) {
    case 'image':
      return { id: b.add('Input', { shape: [between(r, 6, 16), between(r, 6, 16), between(r, 1, 4)] }, [], name), tokens: false };
    case 'sequence':
      return { id: b.add('Input', { shape: [between(r, 4, 12), between(r, 1, 6)] }, [], name), tokens: false };
    case 'window':
      return { id: b.add('Window', randomParams(r, 'Window', undefined), [], name), tokens: false };
    case 'tokens':
      return { id: b.add('Input', { shape: [between(r, 4, 12)] }, [], name), tokens: true };
    default:
      return { id: b.add('Input', { shape: [between(r, 2, 20)] }, [], name), tokens: false };
  }
}

/** Tries a candidate node; keeps it only if the engine finds the whole graph valid. */
function tryAdd(b: GraphBuilder, kind: string, params: Record<string, unknown>, inputs: string[]): string | null {
  const before = { n: b.graph.nodes.length, e: b.graph.edges.length };
  const id = b.add(kind, params, inputs);
  const a = analyze(b.graph);
  if (a.problems.length === 0) return id;
  b.graph.nodes.length = before.n;
  b.graph.edges.length = before.e;
  return null;
}

export function randomGraph(seed: number): Graph {
  const r = mulberry32(seed);
  const b = new GraphBuilder(`random_${seed}`);
  const first = randomInput(r, b, 'in_a');
  let heads = [first.id];
  if (first.tokens) {
    const e = tryAdd(b, 'Embedding', randomParams(r, 'Embedding', undefined), [first.id]);
    if (e) heads = [e];
  }
  if (r() < 0.15 && b.graph.nodes[0].kind === 'Input' && !first.tokens) {
    // A second input of the same shape, merged in: several inputs per graph.
    const shape = (b.graph.nodes[0].params as { shape: number[] }).shape;
    const twin = b.add('Input', { shape: [...shape] }, [], 'in_b');
    const m = tryAdd(b, pick(r, MERGES), {}, [heads[0], twin]);
    if (m) heads = [m];
    else b.graph.nodes.pop();
  }
  const steps = between(r, 2, 7);
  for (let s = 0; s < steps; s++) {
    const x = heads[heads.length - 1];
    const shape = analyze(b.graph).byId.get(x)!.outputShape!;
    const rank = shape.length - 1;
    if (r() < 0.1 && rank >= 1) {
      // An element-wise merge that broadcasts: a 1 on the last axis (a one-unit Dense), or a
      // shorter shape lined up with the last axes (a global pool), as in squeeze-and-excite.
      const pool = rank === 3 ? 'GlobalAveragePooling2D' : rank === 2 ? 'GlobalAveragePooling1D' : null;
      const kindA = pool && r() < 0.5 ? pool : 'Dense';
      const a = tryAdd(b, kindA, kindA === 'Dense' ? { units: 1 } : {}, [x]);
      const merged = a ? tryAdd(b, pick(r, ELEMENTWISE), {}, pick(r, [[x, a], [a, x]])) : null;
      if (merged) heads[heads.length - 1] = merged;
      else if (a) heads.push(a);
      continue;
    }
    if (r() < 0.2 && rank >= 1) {
      // A branch and a merge.
      const kindA = pick(r, BY_RANK[rank] ?? BY_RANK[1]);
      const a = tryAdd(b, kindA, randomParams(r, kindA, shape), [x]);
      const kindB = pick(r, BY_RANK[rank] ?? BY_RANK[1]);
      const c = a ? tryAdd(b, kindB, randomParams(r, kindB, shape), [x]) : null;
      if (a && c) {
        const mk = pick(r, MERGES);
        const merged = tryAdd(b, mk, mk === 'Concatenate' ? { axis: pick(r, [-1, -1, rank]) } : {}, [a, c]);
        if (merged) heads.push(merged);
        else heads.push(a, c); // both stay as outputs: several outputs per graph
      } else if (a) heads.push(a);
      continue;
    }
    const kind = pick(r, BY_RANK[rank] ?? BY_RANK[1]);
    for (let attempt = 0; attempt < 4; attempt++) {
      const id = tryAdd(b, kind, randomParams(r, kind, shape), [x]);
      if (id) {
        heads[heads.length - 1] = id;
        break;
      }
    }
  }
  return b.graph;
}

/** Every kind and every enum/boolean value that appears across graphs, for coverage checks. */
export function coverage(graphs: Graph[]): Set<string> {
  const seen = new Set<string>();
  for (const g of graphs) {
    for (const n of g.nodes) {
      seen.add(n.kind);
      for (const [k, v] of Object.entries(n.params)) {
        if (typeof v === 'boolean' || typeof v === 'string') seen.add(`${n.kind}.${k}=${String(v)}`);
        if (v === null) seen.add(`${n.kind}.${k}=null`);
      }
    }
  }
  return seen;
}

/** What full coverage means: each kind, and each value of its enum and boolean params TF.js can express. */
export function requiredCoverage(): string[] {
  const out: string[] = [];
  for (const l of LAYERS) {
    if (!l.isModelInput && !tfBuilds(l.kind)) continue;
    out.push(l.kind);
    for (const [k, s] of Object.entries(l.params) as [string, ParamSchema][]) {
      const excluded = TF_EXCLUDED[l.kind]?.[k] ?? [];
      if (s.type === 'enum') for (const v of s.values) if (!excluded.includes(v)) out.push(`${l.kind}.${k}=${v}`);
      if (s.type === 'bool') for (const v of [true, false]) if (!excluded.includes(v)) out.push(`${l.kind}.${k}=${v}`);
    }
  }
  return out;
}

/** Input shapes that suit a kind, for targeted graphs. */
function inputFor(kind: string, r: Rng): number[] {
  for (const [rank, kinds] of Object.entries(BY_RANK)) {
    if (kinds.includes(kind)) {
      if (rank === '4') return [between(r, 4, 7), between(r, 4, 7), between(r, 4, 7), between(r, 1, 2)];
      if (rank === '3') return [between(r, 6, 12), between(r, 6, 12), between(r, 1, 3)];
      if (rank === '2') return [between(r, 4, 10), between(r, 1, 5)];
      return [between(r, 2, 12)];
    }
  }
  return [between(r, 4, 10), between(r, 1, 5)];
}

/**
 * A small graph exercising one required setting (`Kind` or `Kind.param=value`),
 * so that coverage of every kind and value is guaranteed, not left to chance.
 */
export function targetedGraph(item: string, seed: number): Graph | null {
  const [kind, setting] = item.split('.');
  const [param, raw] = setting ? setting.split('=') : [undefined, undefined];
  for (let attempt = 0; attempt < 50; attempt++) {
    const r = mulberry32(seed * 1000 + attempt);
    const b = new GraphBuilder(`targeted_${item.replace(/[^A-Za-z0-9]/g, '_')}`);
    const value = raw === undefined ? undefined : raw === 'true' ? true : raw === 'false' ? false : raw === 'null' ? null : raw;
    if (kind === 'Input' || kind === 'Window') {
      const id = kind === 'Input' ? b.add('Input', { shape: inputFor('Dense', r) }) : b.add('Window', randomParams(r, 'Window', undefined));
      b.add('Dense', { units: 2 }, [id]);
      return b.graph;
    }
    let x: string;
    let shape: Shape;
    if (kind === 'Embedding') {
      x = b.add('Input', { shape: [between(r, 3, 9)] });
      shape = [null, 4];
    } else {
      const dims = inputFor(kind, r);
      x = b.add('Input', { shape: dims });
      shape = [null, ...dims];
    }
    const params = randomParams(r, kind, shape);
    if (param) params[param] = value;
    for (let no = tfRefusal(kind, params), n = 0; no && no.field !== param && n < 8; no = tfRefusal(kind, params), n++) {
      params[no.field] = defaultsOf(getLayer(kind)!.params)[no.field];
    }
    const isMerge = MERGES.includes(kind);
    const inputs = isMerge ? [x, b.add('Activation', { activation: 'tanh' }, [x])] : [x];
    if (isMerge && kind === 'Concatenate') params.axis = pick(r, [-1, 1]);
    const id = tryAdd(b, kind, params, inputs);
    if (id) return b.graph;
  }
  return null;
}
