/**
 * Whole-graph analysis: per node its output shape, weights, parameter counts,
 * arithmetic, multiply-accumulates and activation size; plus totals.
 *
 * A node with a problem gets an error naming the fix; nodes downstream of it
 * are marked blocked. Analysis never throws on user input.
 *
 * Re-analysis is incremental: pass the previous result and every node whose
 * object and input shapes are unchanged keeps its previous result object
 * (so views memoised on it do not re-render).
 */
import { buildStructure, outputIds, type Structure } from './graph.ts';
import { evaluateExpression, fmt, shapeProduct, weightExpression } from './formula.ts';
import { LayerError, sizeOf } from './layer.ts';
import { getLayer } from './layers/index.ts';
import { MAX_DIM, resolveParams, type ParamValue } from './params.ts';
import type { Graph, GraphNode, Problem, Shape, WeightSpec } from './types.ts';

export type NodeStatus = 'ok' | 'error' | 'blocked';

export interface WeightInfo extends WeightSpec {
  count: number;
}

export interface NodeResult {
  id: string;
  name: string;
  kind: string;
  status: NodeStatus;
  /** This node's own problems (messages name the fix). */
  errors: Problem[];
  /** For blocked nodes: the upstream nodes in error that block it. */
  blockedBy: string[];
  /** Resolved parameters (defaults filled in). */
  params: Record<string, ParamValue>;
  inputIds: string[];
  inputShapes: Shape[];
  outputShape: Shape | null;
  weights: WeightInfo[];
  paramCount: number;
  trainable: number;
  nonTrainable: number;
  /** Arithmetic text, e.g. `5·5·3·4 + 4 = 304`; empty for kinds without weights. */
  formula: string;
  /** Multiply-accumulates per sample. */
  macs: number;
  /** Output elements per sample. */
  activations: number;
  /** Short parameter text, e.g. `64 · 3×3 · same`. */
  describe: string;
  group?: string;
}

export interface GroupResult {
  name: string;
  members: string[];
  kind: string;
  params: number;
  formula: string;
}

export interface Totals {
  params: number;
  trainable: number;
  nonTrainable: number;
  macs: number;
  activations: number;
  /** fp32 bytes of all parameters. */
  paramBytes: number;
  /** fp32 bytes of every layer output for one sample. */
  activationBytes: number;
}

export interface Analysis {
  graph: Graph;
  /** Results in topological order (nodes on cycles come last). */
  nodes: NodeResult[];
  byId: Map<string, NodeResult>;
  inputs: string[];
  outputs: string[];
  groups: GroupResult[];
  totals: Totals;
  /** Every problem: structural ones and per-node errors. */
  problems: Problem[];
  structure: Structure;
}

const BYTES_PER_FLOAT = 4;

interface CacheEntry {
  node: GraphNode;
  inputShapes: Shape[];
  inputIds: string[];
  result: NodeResult;
}
/** The per-node cache rides on the Analysis itself (not a WeakMap), so it dies young with it. */
const CACHE = Symbol('netloom.analysisCache');
type Cached = Analysis & { [CACHE]?: Map<string, CacheEntry> };

const sameShapes = (a: Shape[], b: Shape[]) =>
  a.length === b.length && a.every((s, i) => s.length === b[i].length && s.every((d, j) => d === b[i][j]));
const sameIds = (a: string[], b: string[]) => a.length === b.length && a.every((s, i) => s === b[i]);

export function analyze(graph: Graph, previous?: Analysis): Analysis {
  const structure = buildStructure(graph);
  const prevCache = (previous as Cached | undefined)?.[CACHE];
  const cache = new Map<string, CacheEntry>();
  const byId = new Map<string, NodeResult>();
  const structural = new Map<string, Problem[]>();
  for (const p of structure.problems) {
    if (p.nodeId && structure.byId.has(p.nodeId)) {
      const list = structural.get(p.nodeId) ?? [];
      list.push(p);
      structural.set(p.nodeId, list);
    }
  }

  const results: NodeResult[] = [];
  for (const id of structure.order) {
    const node = structure.byId.get(id)!;
    const slots = structure.inputs.get(id)!;
    const inputIds = slots.map((e) => e?.source ?? '');
    const ups = inputIds.map((s) => (s ? byId.get(s) : undefined));
    const inputShapes = ups.map((u) => u?.outputShape).filter((s): s is Shape => !!s);
    const own = structural.get(id);
    const prev = prevCache?.get(id);
    let result: NodeResult;
    if (!own && prev && prev.node === node && sameIds(prev.inputIds, inputIds) &&
      sameShapes(prev.inputShapes, inputShapes) && ups.every((u) => u && u.status === 'ok')) {
      result = prev.result;
    } else {
      result = analyzeNode(node, inputIds, ups, own ?? []);
    }
    cache.set(id, { node, inputShapes, inputIds, result });
    byId.set(id, result);
    results.push(result);
  }
  // Nodes on or behind a cycle: the node the cycle message names is in error, the rest are blocked by it.
  const cycleHeads = [...structure.cyclic].filter((id) => structural.has(id));
  for (const id of structure.cyclic) {
    const node = structure.byId.get(id)!;
    const spec = getLayer(node.kind);
    const r = emptyResult(node, [], spec ? resolveParams(spec.params, node.params).params : {});
    const own = structural.get(id);
    if (own) {
      r.status = 'error';
      r.errors = own;
    } else {
      r.status = 'blocked';
      r.blockedBy = cycleHeads;
    }
    byId.set(id, r);
    results.push(r);
  }

  const totals: Totals = { params: 0, trainable: 0, nonTrainable: 0, macs: 0, activations: 0, paramBytes: 0, activationBytes: 0 };
  for (const r of results) {
    totals.params += r.paramCount;
    totals.trainable += r.trainable;
    totals.nonTrainable += r.nonTrainable;
    totals.macs += r.macs;
    totals.activations += r.activations;
  }
  totals.paramBytes = totals.params * BYTES_PER_FLOAT;
  totals.activationBytes = totals.activations * BYTES_PER_FLOAT;

  const problems: Problem[] = [
    ...structure.problems.filter((p) => !p.nodeId || !structure.byId.has(p.nodeId)),
    ...results.flatMap((r) => r.errors),
  ];
  const analysis: Analysis = {
    graph,
    nodes: results,
    byId,
    inputs: structure.order.filter((id) => getLayer(structure.byId.get(id)!.kind)?.isModelInput),
    outputs: outputIds(structure),
    groups: groupResults(graph, byId),
    totals,
    problems,
    structure,
  };
  Object.defineProperty(analysis, CACHE, { value: cache, enumerable: false });
  return analysis;
}

function emptyResult(node: GraphNode, inputIds: string[], params: Record<string, ParamValue>): NodeResult {
  return {
    id: node.id, name: node.name, kind: node.kind, status: 'ok', errors: [], blockedBy: [], params,
    inputIds, inputShapes: [], outputShape: null, weights: [], paramCount: 0, trainable: 0, nonTrainable: 0,
    formula: '', macs: 0, activations: 0, describe: '', ...(node.group ? { group: node.group } : {}),
  };
}

function analyzeNode(
  node: GraphNode, inputIds: string[], ups: (NodeResult | undefined)[], structural: Problem[],
): NodeResult {
  const spec = getLayer(node.kind);
  const { params, issues } = spec ? resolveParams(spec.params, node.params) : { params: {}, issues: [] };
  const r = emptyResult(node, inputIds, params);
  const err = (message: string, field?: string) =>
    r.errors.push({ nodeId: node.id, ...(field ? { field } : {}), message });
  r.errors.push(...structural);
  for (const i of issues) err(i.message, i.field);
  if (!spec) {
    r.status = 'error';
    return r;
  }
  try {
    r.describe = spec.describe?.(params) ?? '';
  } catch {
    r.describe = '';
  }
  for (const c of spec.check?.(params) ?? []) err(c.message, c.field);

  // Inputs: every port up to the arity's minimum (or the highest connected one) must be filled.
  const connected = inputIds.length;
  const needed = Math.max(spec.inputs.min, connected);
  for (let i = 0; i < needed; i++) {
    if (!inputIds[i]) {
      err(spec.inputs.min > 1 && connected < spec.inputs.min
        ? `${node.kind} needs at least ${spec.inputs.min} inputs but has ${inputIds.filter(Boolean).length}; connect another branch to in${i}`
        : `has no input on port in${i}; connect a layer to it`);
    }
  }
  const blockers = ups.filter((u): u is NodeResult => !!u && u.status !== 'ok');
  if (r.errors.length) {
    r.status = 'error';
    return r;
  }
  if (blockers.length) {
    r.status = 'blocked';
    r.blockedBy = [...new Set(blockers.flatMap((b) => (b.status === 'error' ? [b.id] : b.blockedBy)))];
    return r;
  }
  const shapes = ups.map((u) => u!.outputShape!);
  r.inputShapes = shapes;
  try {
    const out = spec.inferShape(shapes, params);
    const big = out.find((d) => d !== null && (d > MAX_DIM || !Number.isSafeInteger(d)));
    if (big !== undefined) {
      throw new LayerError(`output dimension ${big} exceeds ${fmt(MAX_DIM)}; use smaller sizes`);
    }
    const weights: WeightInfo[] = (spec.weights?.(shapes, params) ?? []).map((w) => ({ name: w.name, shape: w.shape, trainable: w.trainable, count: shapeProduct(w.shape) }));
    let total = 0;
    let trainable = 0;
    for (const w of weights) {
      total += w.count;
      if (w.trainable) trainable += w.count;
    }
    if (!Number.isSafeInteger(total)) throw new LayerError(`${total} parameters is beyond exact arithmetic; use smaller sizes`);
    r.outputShape = out;
    r.weights = weights;
    r.paramCount = total;
    r.trainable = trainable;
    r.nonTrainable = total - trainable;
    r.activations = sizeOf(out);
    r.macs = spec.macs?.(shapes, out, params) ?? 0;
    if (weights.length) {
      const expr = spec.formula?.(shapes, params) ?? weightExpression(weights);
      r.formula = `${expr} = ${fmt(total)}`;
    }
  } catch (e) {
    if (!(e instanceof LayerError)) throw e;
    err(e.message, e.field);
    r.status = 'error';
    r.outputShape = null;
    r.weights = [];
    r.paramCount = r.trainable = r.nonTrainable = r.macs = r.activations = 0;
    r.formula = '';
  }
  return r;
}

/**
 * Combined rows for display groups. Identical members are written the way a
 * lecture writes twin towers: `11·11·3·48 ×2 + 48 ×2 = 34,848 + 96 = 34,944`.
 */
function groupResults(graph: Graph, byId: Map<string, NodeResult>): GroupResult[] {
  const groups = new Map<string, NodeResult[]>();
  for (const n of graph.nodes) {
    const r = byId.get(n.id);
    if (!n.group || !r || r.status !== 'ok') continue;
    const list = groups.get(n.group) ?? [];
    list.push(r);
    groups.set(n.group, list);
  }
  const out: GroupResult[] = [];
  for (const [name, members] of groups) {
    const params = members.reduce((a, m) => a + m.paramCount, 0);
    const first = members[0];
    const key = (m: NodeResult) => `${m.kind}:${m.weights.map((w) => w.shape.join('x')).join(',')}`;
    const identical = members.every((m) => key(m) === key(first));
    let formula = '';
    if (params > 0 && identical && members.length > 1) {
      const n = members.length;
      const terms = first.weights.map((w) => `${w.shape.join('·')} ×${n}`);
      const subs = first.weights.map((w) => fmt(w.count * n));
      formula = `${terms.join(' + ')}${subs.length > 1 ? ` = ${subs.join(' + ')}` : ''} = ${fmt(params)}`;
    } else if (params > 0) {
      formula = `${members.filter((m) => m.paramCount).map((m) => `(${m.formula.split(' = ')[0]})`).join(' + ')} = ${fmt(params)}`;
    }
    out.push({ name, members: members.map((m) => m.id), kind: identical ? first.kind : 'mixed', params, formula });
  }
  return out;
}

/** The expression part of a formula (before `=`) evaluates to the weight total. */
export function formulaValue(formula: string): number {
  return evaluateExpression(formula.split(' = ')[0]);
}
