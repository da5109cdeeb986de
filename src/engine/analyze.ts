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
import { BLOCK_KIND, expandBlocks, hasBlocks, type BlockOrigin, type Expansion } from './blocks.ts';
import { buildStructure, type Structure } from './graph.ts';
import { evaluateExpression, fmt, shapeProduct, weightExpression } from './formula.ts';
import { LayerError, sizeOf } from './layer.ts';
import { getLayer, KIND, type AnyLayerSpec } from './layers/index.ts';
import { MAX_DIM, resolveParams, type ParamValue } from './params.ts';
import { portIndex, type Graph, type GraphNode, type Problem, type Shape, type WeightSpec } from './types.ts';

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
  /** Arithmetic text, e.g. `5·5·3·4 + 4 = 304`; empty for kinds without weights. Written on first read. */
  readonly formula: string;
  /** Multiply-accumulates per sample; null when they depend on an open length (an Input's `None`). */
  macs: number | null;
  /** Output elements per sample; null when the output has an open length. */
  activations: number | null;
  /** Short parameter text, e.g. `64 · 3×3 · same`. Written on first read. */
  readonly describe: string;
  group?: string;
  /**
   * For a node whose file sets `shares`: the owner's id. Its weights are the
   * owner's, counted there: this node's parameter counts are 0, its
   * multiply-adds still count, and its formula says whose weights it uses.
   */
  shares?: string;
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
  /** Null when some layer's depend on an open length. */
  macs: number | null;
  /** Null when some layer's output has an open length. */
  activations: number | null;
  /** fp32 bytes of all parameters. */
  paramBytes: number;
  /** fp32 bytes of every layer output for one sample; null with an open length. */
  activationBytes: number | null;
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
  /** Structure of the analysed (expanded) graph. */
  structure: Structure;
  /** For graphs with blocks: the expanded graph that `nodes` describe. */
  expanded?: Graph;
  /** For graphs with blocks: one result per use (nested ones too), with its subtotal. */
  blocks: BlockUseResult[];
  /** Expanded node id → where it comes from, for nodes inside blocks. */
  origin: Map<string, BlockOrigin>;
}

/** A block use seen as one layer: subtotals of its members, the shape it outputs. */
export interface BlockUseResult extends NodeResult {
  /** Always BLOCK_KIND: tell a use from a layer with `blockUseResult`. */
  kind: typeof BLOCK_KIND;
  block: string;
  repeat: number;
  parent?: string;
  members: string[];
  /** Parameters of each copy, in order. */
  copyParams: number[];
}

const BYTES_PER_FLOAT = 4;

/** Results by structure position; rides on the Analysis itself (not a WeakMap), so it dies young with it. */
const RESULTS = Symbol('netloom.resultsByPosition');
type WithResults = Analysis & { [RESULTS]?: NodeResult[] };

/**
 * The previous structure, when the edit touched no id, name, kind or edge
 * (the common case: a parameter edit). Only the node objects are refreshed.
 */
function reusableStructure(graph: Graph, previous: Analysis | undefined): Structure | null {
  if (!previous || previous.graph.edges !== graph.edges) return null;
  const s = previous.structure;
  const nodes = graph.nodes;
  if (s.nodes.length !== nodes.length) return null;
  let changed = false;
  for (let i = 0; i < nodes.length; i++) {
    const a = nodes[i];
    const b = s.nodes[i];
    if (a === b) continue;
    if (a.id !== b.id || a.name !== b.name || a.kind !== b.kind) return null;
    changed = true;
  }
  return changed ? { ...s, nodes: nodes.slice() } : s;
}

/** A previous result still holds when its node object is the same and its inputs are the same ok shapes. */
function stillValid(prev: NodeResult, s: Structure, p: number, resultAt: NodeResult[]): boolean {
  const start = s.portStart[p];
  const width = s.portStart[p + 1] - start;
  if (prev.inputIds.length !== width || prev.inputShapes.length !== width) return false;
  for (let k = 0; k < width; k++) {
    const q = s.sources[start + k];
    if (q < 0) return false;
    const up = resultAt[q];
    if (up.id !== prev.inputIds[k] || up.status !== 'ok') return false;
    const a = up.outputShape!;
    const b = prev.inputShapes[k];
    if (a !== b) {
      if (a.length !== b.length) return false;
      for (let d = 0; d < a.length; d++) if (a[d] !== b[d]) return false;
    }
  }
  return true;
}

/**
 * Analyses a graph. Graphs with blocks are expanded first; their results
 * describe the expanded layers, plus one subtotal result per block use.
 */
export function analyze(graph: Graph, previous?: Analysis): Analysis {
  if (!hasBlocks(graph)) return analyzeFlat(graph, previous?.expanded ? undefined : previous, NONE);
  const ex = expandBlocks(graph);
  const flat = reuseNodes(ex.graph, previous?.expanded);
  const inner = analyzeFlat(flat, previous?.expanded ? previous : undefined, ex.problems);
  return withBlocks(inner, graph, flat, ex);
}

/** Expanded nodes equal to the previous expansion's keep their objects, so their results are reused. */
function reuseNodes(flat: Graph, prev: Graph | undefined): Graph {
  if (!prev) return flat;
  const before = new Map(prev.nodes.map((n) => [n.id, n]));
  const same = (a: GraphNode, b: GraphNode) =>
    a.kind === b.kind && a.name === b.name && a.group === b.group && a.shares === b.shares && a.position === b.position &&
    (a.params === b.params || sameValue(a.params, b.params));
  const nodes = flat.nodes.map((n) => {
    const old = before.get(n.id);
    return old && same(n, old) ? old : n;
  });
  const edgesSame = flat.edges.length === prev.edges.length && flat.edges.every((e, i) => {
    const o = prev.edges[i];
    return e.id === o.id && e.source === o.source && e.target === o.target && e.targetPort === o.targetPort;
  });
  return { ...flat, nodes, edges: edgesSame ? prev.edges : flat.edges };
}

/**
 * Two JSON values with the same content (keys in the same order). Iterative,
 * so a value nested deeper than the stack allows is compared, not a crash.
 */
function sameValue(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object' || Array.isArray(x) !== Array.isArray(y)) return false;
    const kx = Object.keys(x);
    const ky = Object.keys(y);
    if (kx.length !== ky.length) return false;
    for (let i = 0; i < kx.length; i++) {
      if (kx[i] !== ky[i]) return false;
      stack.push([(x as Record<string, unknown>)[kx[i]], (y as Record<string, unknown>)[ky[i]]]);
    }
  }
  return true;
}

function withBlocks(inner: Analysis, graph: Graph, flat: Graph, ex: Expansion): Analysis {
  const flatById = inner.byId;
  const useResults: BlockUseResult[] = [];
  const useById = new Map<string, BlockUseResult>();
  const topInputs = new Map<string, string[]>();
  for (const e of graph.edges) {
    const list = topInputs.get(e.target) ?? [];
    list[portIndex(e.targetPort)] = e.source;
    topInputs.set(e.target, list);
  }
  // Expansion problems by the use they name: one pass, however many uses and problems there are.
  const problemsOf = new Map<string, Problem[]>();
  for (const p of ex.problems) {
    if (p.nodeId === undefined) continue;
    const list = problemsOf.get(p.nodeId);
    if (list) list.push(p);
    else problemsOf.set(p.nodeId, [p]);
  }
  for (const u of ex.uses) {
    const members = u.members.map((id) => flatById.get(id)).filter((r): r is NodeResult => !!r);
    const own = problemsOf.get(u.id) ?? [];
    const failed = flatById.get(u.id);
    const out = u.output ? flatById.get(u.output) : undefined;
    const copyParams = u.copies.map((c) => c.reduce((a, id) => a + (flatById.get(id)?.paramCount ?? 0), 0));
    const sum = (f: (r: NodeResult) => number) => members.reduce((a, r) => a + f(r), 0);
    const errors = [...own, ...(failed?.errors ?? [])];
    const memberErrors = members.some((m) => m.status === 'error');
    const status: NodeStatus = errors.length || memberErrors ? 'error' : members.some((m) => m.status === 'blocked') || failed?.status === 'blocked' ? 'blocked' : 'ok';
    let blockedBy: string[] = [];
    if (status === 'blocked') {
      // Members behind the same blocker share one list: read each list once.
      const inside = new Set(u.members);
      const lists = new Set<string[]>([failed?.blockedBy ?? NONE, ...members.map((m) => m.blockedBy)]);
      const ids = new Set<string>();
      for (const list of lists) for (const id of list) if (!inside.has(id)) ids.add(id);
      blockedBy = [...ids];
    }
    const paramCount = sum((r) => r.paramCount);
    const r: BlockUseResult = {
      id: u.id, name: u.name, kind: BLOCK_KIND, status, errors: errors.length ? errors : members.flatMap((m) => m.errors),
      blockedBy, params: { block: u.block, repeat: u.repeat }, inputIds: topInputs.get(u.id) ?? [],
      inputShapes: members[0]?.inputShapes ?? [], outputShape: status === 'ok' ? out?.outputShape ?? null : null,
      weights: [], paramCount, trainable: sum((x) => x.trainable), nonTrainable: sum((x) => x.nonTrainable),
      formula: paramCount ? useFormula(copyParams, members) : '', macs: sumOpen(members.map((x) => x.macs)), activations: sumOpen(members.map((x) => x.activations)),
      describe: u.repeat > 1 ? `${u.block} ×${u.repeat}` : u.block,
      block: u.block, repeat: u.repeat, ...(u.parent ? { parent: u.parent } : {}), members: u.members, copyParams,
    };
    useResults.push(r);
    useById.set(u.id, r);
  }
  const results = inner.nodes;
  let byId: Map<string, NodeResult> | undefined;
  const analysis = { ...inner, graph, expanded: flat, blocks: useResults, origin: ex.origin } as Omit<Analysis, 'byId'> as Analysis;
  delete (analysis as Partial<Analysis>).byId;
  Object.defineProperty(analysis, 'byId', {
    enumerable: true,
    get: () => (byId ??= new Map<string, NodeResult>([...results.map((x) => [x.id, x] as const), ...useById])),
  });
  Object.defineProperty(analysis, RESULTS, { value: (inner as WithResults)[RESULTS], enumerable: false });
  return analysis;
}

/** `75,008 + 70,400 ×2 = 215,808` for repeated copies; member counts for a single copy. */
function useFormula(copyParams: number[], members: NodeResult[]): string {
  const total = copyParams.reduce((a, b) => a + b, 0);
  const terms: string[] = [];
  const list = copyParams.length > 1 ? copyParams : members.filter((m) => m.paramCount).map((m) => m.paramCount);
  for (let i = 0; i < list.length;) {
    let j = i;
    while (j < list.length && list[j] === list[i]) j++;
    terms.push(j - i > 1 ? `${fmt(list[i])} ×${j - i}` : fmt(list[i]));
    i = j;
  }
  return terms.length > 1 || copyParams.length > 1 ? `${terms.join(' + ')} = ${fmt(total)}` : `${fmt(total)}`;
}

function analyzeFlat(graph: Graph, previous: Analysis | undefined, extra: Problem[]): Analysis {
  const kept = reusableStructure(graph, previous);
  const structure = kept ?? buildStructure(graph);
  const { nodes, index, portStart, sources, order } = structure;
  const prevResults = (previous as WithResults | undefined)?.[RESULTS];
  const prevNodes = previous?.structure.nodes;
  const prevIndex = previous?.structure.index;

  // Structural problems by position (usually there are none).
  let structural: Map<number, Problem[]> | null = null;
  const unplaced: Problem[] = [];
  for (const p of extra.length ? [...structure.problems, ...extra] : structure.problems) {
    const at = p.nodeId === undefined ? undefined : index.get(p.nodeId);
    if (at === undefined) {
      unplaced.push(p);
      continue;
    }
    structural ??= new Map();
    const list = structural.get(at);
    if (list) list.push(p);
    else structural.set(at, [p]);
  }

  const resultAt: NodeResult[] = new Array(nodes.length);
  const results: NodeResult[] = [];
  /** Positions in `results` of nodes that share another's weights (usually none). */
  let sharing: number[] | null = null;
  for (let o = 0; o < order.length; o++) {
    const p = order[o];
    const node = nodes[p];
    if (node.shares !== undefined) (sharing ??= []).push(results.length);
    const own = structural?.get(p);
    let result: NodeResult | undefined;
    if (!own && prevResults && prevNodes) {
      const q = kept ? p : prevIndex!.get(node.id);
      if (q !== undefined && prevNodes[q] === node && stillValid(prevResults[q], structure, p, resultAt)) {
        result = prevResults[q];
      }
    }
    if (!result) {
      const start = portStart[p];
      const width = portStart[p + 1] - start;
      const inputIds: string[] = new Array(width);
      const ups: (NodeResult | undefined)[] = new Array(width);
      for (let k = 0; k < width; k++) {
        const q = sources[start + k];
        inputIds[k] = q >= 0 ? nodes[q].id : '';
        ups[k] = q >= 0 ? resultAt[q] : undefined;
      }
      result = analyzeNode(node, inputIds, ups, own);
    }
    resultAt[p] = result;
    results.push(result);
  }
  // Nodes on or behind a cycle: the node the cycle message names is in error, the rest are blocked by it.
  const cycleHeads = structure.cyclic.filter((p) => structural?.has(p)).map((p) => nodes[p].id);
  for (const p of structure.cyclic) {
    const node = nodes[p];
    const spec = getLayer(node.kind);
    const r = emptyResult(node, [], spec ? resolveParams(spec.params, node.params).params : {}, spec);
    const own = structural?.get(p);
    if (own) {
      r.status = 'error';
      r.errors = own;
    } else {
      r.status = 'blocked';
      r.blockedBy = cycleHeads;
    }
    resultAt[p] = r;
    results.push(r);
  }

  // Sharing nodes: their own results stay in resultAt (what re-analysis reuses); the listed result counts no weights.
  const final = sharing ? resultAt.slice() : resultAt;
  if (sharing) {
    for (const at of sharing) {
      const base = results[at];
      const p = index.get(base.id)!;
      const shared = shareResult(nodes[p], base as Result, nodes, index, resultAt);
      results[at] = shared;
      final[p] = shared;
    }
  }

  const totals: Totals = { params: 0, trainable: 0, nonTrainable: 0, macs: 0, activations: 0, paramBytes: 0, activationBytes: 0 };
  const problems: Problem[] = unplaced;
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    totals.params += r.paramCount;
    totals.trainable += r.trainable;
    totals.nonTrainable += r.nonTrainable;
    totals.macs = totals.macs === null || r.macs === null ? null : totals.macs + r.macs;
    totals.activations = totals.activations === null || r.activations === null ? null : totals.activations + r.activations;
    for (let k = 0; k < r.errors.length; k++) problems.push(r.errors[k]);
  }
  totals.paramBytes = totals.params * BYTES_PER_FLOAT;
  totals.activationBytes = totals.activations === null ? null : totals.activations * BYTES_PER_FLOAT;

  const modelInputs: string[] = [];
  const outputs: string[] = [];
  for (let o = 0; o < order.length; o++) {
    const p = order[o];
    if (getLayer(nodes[p].kind)?.isModelInput) modelInputs.push(nodes[p].id);
    if (structure.consumerStart[p + 1] === structure.consumerStart[p]) outputs.push(nodes[p].id);
  }
  const analysis = {
    graph,
    nodes: results,
    inputs: modelInputs,
    outputs,
    groups: groupResults(nodes, final),
    totals,
    problems,
    structure,
    blocks: NONE,
    origin: NO_ORIGIN,
  } as Omit<Analysis, 'byId'> as Analysis;
  // Looking results up by id is for views and tests; built on first use, not per edit.
  let byId: Map<string, NodeResult> | undefined;
  Object.defineProperty(analysis, 'byId', {
    enumerable: true,
    get: () => (byId ??= new Map(results.map((r) => [r.id, r]))),
  });
  Object.defineProperty(analysis, RESULTS, { value: resultAt, enumerable: false });
  return analysis;
}

/** What a sharing rule compares: a layer's kind, resolved parameters and own weight shapes. */
export interface ShareSide {
  kind: string;
  name?: string;
  params: Record<string, ParamValue>;
  weights: readonly WeightSpec[];
}

/**
 * Why `me` cannot use `owner`'s weights, or null when it can: the same kind
 * with the same parameters and weight shapes (one layer called twice), or a
 * Dense without bias whose kernel (d, V) is an Embedding's (V, d) transposed.
 */
export function sharingProblem(me: ShareSide, owner: ShareSide): string | null {
  const name = owner.name ?? owner.kind;
  if (isTiedHead(me, owner)) {
    const V = owner.params.inputDim as number;
    const d = owner.params.outputDim as number;
    if (me.params.useBias !== false) return `a Dense tied to Embedding '${name}' has no bias of its own; set useBias to false or remove shares`;
    const kernel = me.weights[0]?.shape ?? [];
    if (kernel[0] !== d || kernel[1] !== V) {
      return `a Dense tied to Embedding '${name}' needs kernel ${d}·${V} (its ${V}·${d} matrix transposed) but has ${kernel.join('·')}; set units to ${V} and feed it ${d} features, or remove shares`;
    }
    return null;
  }
  if (owner.kind !== me.kind) {
    return `shares names ${owner.kind} '${name}', but this is a ${me.kind}; share only with a layer of the same kind (or tie a Dense without bias to an Embedding), or remove shares`;
  }
  const text = (w: readonly WeightSpec[]) => w.map((x) => `${x.name} ${x.shape.join('·')}`).join(', ');
  if (text(me.weights) !== text(owner.weights)) {
    return `shares names '${name}', whose weights (${text(owner.weights) || 'none'}) differ from this layer's (${text(me.weights) || 'none'}); make the parameters and input features match, or remove shares`;
  }
  const differ = Object.keys(me.params).filter((k) => !sameValue(me.params[k], owner.params[k]));
  if (differ.length) {
    return `shares names '${name}', one layer used twice, but ${differ.join(', ')} differ${differ.length === 1 ? 's' : ''}; give both the same values or remove shares`;
  }
  return null;
}

/**
 * The layers node `id` could share weights with, for the editor's select:
 * top-level layers with weights that share nothing themselves and pass
 * `sharingProblem`. Empty for a layer others share (no chains), an input,
 * or a layer inside a block.
 */
export function shareCandidates(a: Analysis, id: string): { id: string; name: string }[] {
  const r = a.byId.get(id);
  const spec = r && getLayer(r.kind);
  if (!r || !spec || spec.isModelInput || !spec.weights || r.status !== 'ok' || a.origin.has(id)) return [];
  if (a.nodes.some((n) => n.shares === id)) return [];
  const me: ShareSide = { kind: r.kind, params: r.params, weights: spec.weights(r.inputShapes, r.params as never) };
  const out: { id: string; name: string }[] = [];
  for (const c of a.nodes) {
    if (c.id === id || c.shares !== undefined || c.status !== 'ok' || a.origin.has(c.id) || !c.weights.length) continue;
    if (sharingProblem(me, { kind: c.kind, name: c.name, params: c.params, weights: c.weights }) === null) out.push({ id: c.id, name: c.name });
  }
  return out;
}

/** The Dense head tied to an Embedding: kernel (d, V) is the transpose of the embeddings (V, d). */
export function isTiedHead(node: { kind: string }, owner: { kind: string }): boolean {
  return node.kind === KIND.Dense && owner.kind === KIND.Embedding;
}

/**
 * A sharing node's listed result: the same shapes and multiply-adds, no
 * parameters of its own, and a formula naming the owner. Rules: the owner is
 * another layer of the same graph that itself shares nothing, of the same
 * kind with the same parameters and the same weight shapes; or the tied
 * head, a Dense without bias whose kernel is the owner Embedding's matrix
 * transposed. Anything else is an error on this node's `shares`.
 */
function shareResult(node: GraphNode, base: Result, nodes: GraphNode[], index: Map<string, number>, resultAt: NodeResult[]): NodeResult {
  const ownerId = node.shares!;
  const at = index.get(ownerId);
  const ownerNode = at === undefined ? undefined : nodes[at];
  const owner = at === undefined ? undefined : resultAt[at];
  const fail = (message: string): NodeResult => {
    const r = base.copy(node, ownerId);
    r.status = 'error';
    r.errors = [...(base.status === 'error' ? base.errors : []), problem(node, message, 'shares')];
    r.outputShape = null;
    r.paramCount = r.trainable = r.nonTrainable = r.macs = r.activations = 0;
    return r;
  };
  if (!ownerNode || !owner) return fail(`shares names '${ownerId}', which is not a layer of this graph; pick a layer with the same weights or remove shares`);
  if (getLayer(node.kind)?.isModelInput || getLayer(ownerNode.kind)?.isModelInput) {
    return fail(`an input has no weights to share; remove shares`);
  }
  if (ownerId === node.id) return fail(`shares names this layer itself; name another layer whose weights it should use, or remove shares`);
  if (ownerNode.shares !== undefined) {
    return fail(`shares names '${ownerNode.name}', which itself shares '${ownerNode.shares}'; name the layer that owns the weights ('${ownerNode.shares}') instead`);
  }
  if (base.status !== 'ok' || owner.status !== 'ok') {
    // Nothing to compare yet: the node's own (or the owner's) problem is the one to fix first.
    if (base.status !== 'ok') return base.copy(node, ownerId, base);
    const r = base.copy(node, ownerId, base);
    r.paramCount = r.trainable = r.nonTrainable = 0;
    return r;
  }
  const theirs = owner.weights;
  const why = sharingProblem({ kind: node.kind, params: base.params, weights: base.weights }, { kind: ownerNode.kind, name: ownerNode.name, params: owner.params, weights: theirs });
  if (why) return fail(why);
  const r = base.copy(node, ownerId, base);
  r.paramCount = r.trainable = r.nonTrainable = 0;
  // One weightless layer called twice (a Keras Dropout on two inputs) shares nothing to count.
  if (!theirs.length) return r;
  const terms = theirs.map((w) => `${w.shape.map(fmt).join('·')} ${w.name}`).join(' + ');
  r.setFormula(`shares ${ownerNode.name}'s ${terms}${isTiedHead(node, ownerNode) ? ', transposed' : ''} (counted once there)`);
  return r;
}

/** Shared by every result that has none; frozen so a stray push fails loudly instead of leaking. */
const NONE: never[] = Object.freeze([]) as unknown as never[];
const NO_ORIGIN: Map<string, BlockOrigin> = new Map();

/**
 * A node's result. Numbers and shapes are computed eagerly; the two texts
 * (arithmetic and parameter summary) are written on first read, because a
 * view shows them only for the nodes on screen and a 10,000-node re-analysis
 * should not format 10,000 strings nobody reads. `toJSON` includes them.
 */
class Result implements NodeResult {
  status: NodeStatus = 'ok';
  errors: Problem[] = NONE;
  blockedBy: string[] = NONE;
  inputShapes: Shape[] = NONE;
  outputShape: Shape | null = null;
  paramCount = 0;
  trainable = 0;
  nonTrainable = 0;
  macs: number | null = 0;
  activations: number | null = 0;
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly group: string | undefined;
  declare shares?: string;
  #spec: AnyLayerSpec | undefined;
  #weights: WeightInfo[] | undefined;
  #formula: string | undefined;
  #describe: string | undefined;

  constructor(node: GraphNode, spec: AnyLayerSpec | undefined, readonly inputIds: string[], readonly params: Record<string, ParamValue>) {
    this.id = node.id;
    this.name = node.name;
    this.kind = node.kind;
    this.group = node.group;
    this.#spec = spec;
  }

  /** Weight shapes and counts, derived again from the (pure) layer rule when first read. */
  get weights(): WeightInfo[] {
    if (this.#weights === undefined) {
      const spec = this.#spec;
      this.#weights = spec?.weights && this.status === 'ok' && this.paramCount > 0
        ? weightInfos(spec.weights(this.inputShapes, this.params))
        : NONE;
    }
    return this.#weights;
  }

  get formula(): string {
    if (this.#formula === undefined) {
      const spec = this.#spec;
      this.#formula = '';
      if (spec && this.status === 'ok' && this.paramCount > 0) {
        const expr = spec.formula?.(this.inputShapes, this.params) ?? weightExpression(this.weights);
        this.#formula = `${expr} = ${fmt(this.paramCount)}`;
      }
    }
    return this.#formula;
  }

  get describe(): string {
    if (this.#describe === undefined) {
      try {
        this.#describe = this.#spec?.describe?.(this.params) ?? '';
      } catch {
        this.#describe = '';
      }
    }
    return this.#describe;
  }

  /** A copy for a sharing node (numbers from `from` when given); texts are derived again. */
  copy(node: GraphNode, shares: string, from?: Result): Result {
    const r = new Result(node, this.#spec, this.inputIds, this.params);
    if (from) {
      r.status = from.status;
      r.errors = from.errors;
      r.blockedBy = from.blockedBy;
      r.inputShapes = from.inputShapes;
      r.outputShape = from.outputShape;
      r.paramCount = from.paramCount;
      r.trainable = from.trainable;
      r.nonTrainable = from.nonTrainable;
      r.macs = from.macs;
      r.activations = from.activations;
    } else r.inputShapes = this.inputShapes;
    r.shares = shares;
    return r;
  }

  /** The arithmetic text, set by the sharing rule; weights are then the owner's, so none are listed here. */
  setFormula(text: string): void {
    this.#formula = text;
    this.#weights = NONE;
  }

  toJSON(): Omit<NodeResult, never> {
    return { ...this, weights: this.weights, formula: this.formula, describe: this.describe };
  }
}

function weightInfos(specs: WeightSpec[]): WeightInfo[] {
  const out: WeightInfo[] = new Array(specs.length);
  for (let k = 0; k < specs.length; k++) {
    const w = specs[k];
    out[k] = { name: w.name, shape: w.shape, trainable: w.trainable, count: shapeProduct(w.shape) };
  }
  return out;
}

function emptyResult(node: GraphNode, inputIds: string[], params: Record<string, ParamValue>, spec?: AnyLayerSpec): Result {
  return new Result(node, spec, inputIds, params);
}

function problem(node: GraphNode, message: string, field?: string): Problem {
  return field ? { nodeId: node.id, field, message } : { nodeId: node.id, message };
}

/** Appends a problem, creating the list on the first one (most nodes have none). */
function add(list: Problem[] | null, node: GraphNode, message: string, field?: string): Problem[] {
  const out = list ?? [];
  out.push(problem(node, message, field));
  return out;
}

/**
 * One node, given its upstream results by port (`undefined` for a hole).
 * `ups` is read, never kept.
 */
function analyzeNode(
  node: GraphNode, inputIds: string[], ups: (NodeResult | undefined)[], structural: Problem[] | undefined,
): NodeResult {
  const spec = getLayer(node.kind);
  const { params, issues } = spec ? resolveParams(spec.params, node.params) : { params: {}, issues: NONE };
  const r = emptyResult(node, inputIds, params, spec);
  let errors: Problem[] | null = null;
  if (structural) (errors ??= []).push(...structural);
  for (let k = 0; k < issues.length; k++) errors = add(errors, node, issues[k].message, issues[k].field);
  if (!spec) {
    r.status = 'error';
    r.errors = errors ?? NONE;
    return r;
  }
  if (spec.check) for (const c of spec.check(params)) errors = add(errors, node, c.message, c.field);

  // Inputs: every port up to the arity's minimum (or the highest connected one) must be filled.
  const connected = inputIds.length;
  const needed = Math.max(spec.inputs.min, connected);
  // A merge short of its minimum says so once, naming every empty port (not one sentence per port).
  const empty: string[] = [];
  for (let i = 0; i < needed; i++) if (!inputIds[i]) empty.push(`in${i}`);
  if (empty.length && spec.inputs.min > 1 && connected < spec.inputs.min) {
    const has = inputIds.filter(Boolean).length;
    const ports = empty.length === 1 ? empty[0] : `${empty.slice(0, -1).join(', ')} and ${empty[empty.length - 1]}`;
    errors = add(errors, node, `${node.kind} needs at least ${spec.inputs.min} inputs but has ${has}; connect ${empty.length === 1 ? 'another branch' : 'a branch each'} to ${ports}`);
  } else {
    for (const port of empty) errors = add(errors, node, `has no input on port ${port}; connect a layer to it`);
  }
  let blocked = false;
  let complete = true;
  for (let k = 0; k < ups.length; k++) {
    const u = ups[k];
    if (!u) complete = false;
    else if (u.status !== 'ok') blocked = true;
  }
  if (complete && !blocked) {
    // Input shapes are shown (and remembered for re-analysis) whenever every input is known.
    const shapes: Shape[] = new Array(ups.length);
    for (let k = 0; k < ups.length; k++) shapes[k] = ups[k]!.outputShape!;
    r.inputShapes = shapes;
  }
  if (errors) {
    r.status = 'error';
    r.errors = errors;
    return r;
  }
  if (blocked) {
    const blockers = ups.filter((u): u is NodeResult => !!u && u.status !== 'ok');
    r.status = 'blocked';
    // Behind one blocked layer, share its list (lists are never changed): a long chain after a wide
    // failed merge would otherwise copy the whole list into every layer.
    r.blockedBy = blockers.length === 1 && blockers[0].status === 'blocked'
      ? blockers[0].blockedBy
      : [...new Set(blockers.flatMap((b) => (b.status === 'error' ? [b.id] : b.blockedBy)))];
    return r;
  }
  const shapes = r.inputShapes;
  try {
    const out = spec.inferShape(shapes, params);
    for (const d of out) {
      if (d !== null && (d > MAX_DIM || !Number.isSafeInteger(d))) {
        throw new LayerError(`output dimension ${d} exceeds ${fmt(MAX_DIM)}; use smaller sizes`);
      }
    }
    // Only the counts are kept; the weight list is rebuilt when someone reads it.
    let total = 0;
    let trainable = 0;
    if (spec.weights) {
      for (const w of spec.weights(shapes, params)) {
        const count = shapeProduct(w.shape);
        total += count;
        if (w.trainable) trainable += count;
      }
    }
    if (!Number.isSafeInteger(total)) throw new LayerError(`${total} parameters is beyond exact arithmetic; use smaller sizes`);
    r.outputShape = out;
    r.paramCount = total;
    r.trainable = trainable;
    r.nonTrainable = total - trainable;
    // An open length (an Input's None) leaves what scales with it unknown, never a wrong 0 or NaN.
    const outOpen = isOpen(out);
    const activations = outOpen ? null : sizeOf(out);
    const macs = !spec.macs ? 0 : outOpen || shapes.some(isOpen) ? null : spec.macs(shapes, out, params);
    r.activations = activations;
    r.macs = macs;
  } catch (e) {
    if (!(e instanceof LayerError)) throw e;
    r.errors = [problem(node, e.message, e.field)];
    r.status = 'error';
    r.outputShape = null;
    r.paramCount = r.trainable = r.nonTrainable = r.macs = r.activations = 0;
  }
  return r;
}

/** A sum in which one unknown (null) term leaves the sum unknown. */
const sumOpen = (xs: (number | null)[]): number | null => xs.reduce<number | null>((t, x) => (t === null || x === null ? null : t + x), 0);

/** A shape with an open length after the batch axis. */
export const isOpen = (s: Shape): boolean => s.some((d, i) => i > 0 && d === null);

/**
 * Combined rows for display groups. Identical members are written the way a
 * lecture writes twin towers: `11·11·3·48 ×2 + 48 ×2 = 34,848 + 96 = 34,944`.
 */
function groupResults(nodes: GraphNode[], resultAt: NodeResult[]): GroupResult[] {
  let groups: Map<string, NodeResult[]> | null = null;
  for (let p = 0; p < nodes.length; p++) {
    const n = nodes[p];
    if (!n.group) continue;
    const r = resultAt[p];
    if (!r || r.status !== 'ok') continue;
    groups ??= new Map();
    const list = groups.get(n.group);
    if (list) list.push(r);
    else groups.set(n.group, [r]);
  }
  const out: GroupResult[] = [];
  if (!groups) return out;
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
