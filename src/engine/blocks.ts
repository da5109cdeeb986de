/**
 * Reusable blocks: a named subgraph defined once in the file and used by many
 * block-use nodes (kind BLOCK_KIND; `isBlockUse` and `blockUse` read them).
 * Analysis, compilation and export see the expanded (flat) graph; views keep
 * the uses and show their subtotals.
 *
 * A use node's params: `{ block, repeat, repeatStart, args }`. `repeat: N`
 * chains N copies (copy k's first input is copy k-1's output), so a ResNet
 * stage or a DenseNet dense block is one node. Inner layers are named
 * `<use>_<inner>` (one copy) or `<use><k>_<inner>` (copy k, counting from
 * `repeatStart`): a use `conv2_block` repeated from 2 yields Keras's
 * `conv2_block2_1_conv`, `conv2_block3_1_conv`, …
 */
import type { BlockUseResult, NodeResult } from './analyze.ts';
import { fmt } from './format.ts';
import { blockInputs, portProblem, Sweep } from './graph.ts';
import { LIMITS } from './limits.ts';
import { describe } from './params.ts';
import type { BlockDef, Graph, GraphEdge, GraphNode, Problem } from './types.ts';
import { portIndex, portName } from './types.ts';

/** The kind of a block-use node; the only place the word is written. */
export const BLOCK_KIND = 'Block';
/** Nesting limit for blocks that use blocks. */
export const MAX_BLOCK_DEPTH = LIMITS.blockDepth;
/** Most layers one file may expand to. */
export const MAX_EXPANDED_NODES = LIMITS.expandedNodes;

export interface BlockUseParams {
  block: string;
  repeat: number;
  repeatStart: number;
  args: Record<string, unknown>;
}

/** A graph node that uses a block. */
export type BlockUseNode = GraphNode & { readonly kind: typeof BLOCK_KIND };

/**
 * Whether a node (or an analysis result) is a block use, by its kind: the
 * one test for it, so no caller compares kinds or casts.
 */
export function isBlockUse<T extends { readonly kind: string }>(x: T): x is T & { readonly kind: typeof BLOCK_KIND } {
  return x.kind === BLOCK_KIND;
}

/**
 * A use node's params as the editor reads them: never refuses, defaults for
 * what is absent, numbers as written (`NaN` when a count is not a number).
 * `useParams` is what checks them.
 */
export interface BlockUseView {
  node: BlockUseNode;
  /** The block it names ('' when its params name none). */
  block: string;
  repeat: number;
  repeatStart: number;
  args: Readonly<Record<string, unknown>>;
}

/** The block use a node is, or null for a layer. */
export function blockUse(n: GraphNode): BlockUseView | null {
  if (!isBlockUse(n)) return null;
  const raw: Record<string, unknown> = n.params ?? {};
  const count = (v: unknown, def: number) => (v === undefined || v === null ? def : typeof v === 'number' ? v : NaN);
  return {
    node: n,
    block: typeof raw.block === 'string' ? raw.block : '',
    repeat: count(raw.repeat, 1),
    repeatStart: count(raw.repeatStart, 1),
    args: isRecord(raw.args) ? raw.args : {},
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The analysis result of a use that expanded, with its members and subtotal;
 * null for a layer and for a use that could not expand (that one stays a
 * single node in error: `isBlockUse` still says it is a use).
 */
export function blockUseResult(r: NodeResult | undefined): BlockUseResult | null {
  return r && isBlockUseResult(r) ? r : null;
}

function isBlockUseResult(r: NodeResult): r is BlockUseResult {
  return isBlockUse(r) && 'members' in r && Array.isArray(r.members);
}

/** Where an expanded node comes from: the chain of uses (outermost first) and its id in the block body. */
export interface BlockOrigin {
  /** Top-level use node id. */
  use: string;
  /** Block name of the innermost use. */
  block: string;
  /** Copy number in the innermost use. */
  copy: number;
  /** Id inside the innermost block body. */
  inner: string;
  /** Ids of every use on the way, outermost first. */
  uses: string[];
}

export interface BlockUse {
  /** The use node's id in the graph it sits in (top level or, for nested uses, its expanded id). */
  id: string;
  name: string;
  block: string;
  repeat: number;
  /** Parent use id for nested uses. */
  parent?: string;
  /** Ids of every expanded layer inside this use, copies in order. */
  members: string[];
  /** Members per copy. */
  copies: string[][];
  /** Expanded id whose output is the use's output (empty when expansion failed). */
  output: string;
}

export interface Expansion {
  /** The flat graph: block uses replaced by their layers. */
  graph: Graph;
  /** Expanded node id → origin, for nodes that come from a block. */
  origin: Map<string, BlockOrigin>;
  /** Every use, nested ones included, in expansion order. */
  uses: BlockUse[];
  /** Problems of block definitions and uses, each naming the use node and the fix. */
  problems: Problem[];
}

export function hasBlocks(g: Graph): boolean {
  if (g.blocks && Object.keys(g.blocks).length) return true;
  for (const n of g.nodes) if (isBlockUse(n)) return true;
  return false;
}

const USE_FIELDS: ReadonlySet<string> = new Set(['block', 'repeat', 'repeatStart', 'args']);

/** Use-node params with defaults filled in; problems for anything malformed. */
export function useParams(n: GraphNode): { params: BlockUseParams; problems: Problem[] } {
  const raw = n.params ?? {};
  const problems: Problem[] = [];
  const bad = (field: string, message: string) => problems.push({ nodeId: n.id, field, message });
  const block = typeof raw.block === 'string' ? raw.block : '';
  if (!block) bad('block', 'block must name a block defined in the file; pick one from the file\'s blocks');
  const int = (k: string, def: number, min: number, max: number) => {
    const v = raw[k] ?? def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      bad(k, `${k} must be a whole number from ${min} to ${max}, got ${describe(v)}`);
      return def;
    }
    return v;
  };
  const repeat = int('repeat', 1, 1, LIMITS.repeat);
  const repeatStart = int('repeatStart', 1, 0, 1_000_000);
  const args = raw.args ?? {};
  if (!isRecord(args)) bad('args', 'args must be an object of parameter: value');
  for (const k of Object.keys(raw)) {
    if (!USE_FIELDS.has(k)) bad(k, `unknown field '${k.slice(0, 60)}' on a block use; known: block, repeat, repeatStart, args`);
  }
  return { params: { block, repeat, repeatStart, args: isRecord(args) ? args : {} }, problems };
}

// ---------- expressions ----------

type Scope = Record<string, unknown>;

/**
 * A block value that cannot be computed. Thrown once per failing layer copy,
 * so it keeps no stack trace: a file of 100,000 copies of one bad expression
 * must cost its messages, not 100,000 stack captures.
 */
export class ExpressionError extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'ExpressionError';
  }
}

/**
 * Evaluates a block value: literals pass through, lists and objects are
 * evaluated member by member, `{ "$": "expr" }` is computed. Expressions: numbers,
 * parameter names, `+ - * /`, `//` (floor division), `%`, parentheses.
 * A value nested deeper than a file may hold is refused: the walk recurses
 * only that far.
 */
export function evaluateValue(v: unknown, scope: Scope, depth = 0): unknown {
  // Most values hold no expression: they are shared as they are (values are immutable).
  if (!hasExpression(v, depth)) return v;
  if (depth >= LIMITS.depth) throw new ExpressionError(`a value is nested more than ${LIMITS.depth} levels deep; no block parameter needs that, so give a flat value`);
  if (Array.isArray(v)) return v.map((x) => evaluateValue(x, scope, depth + 1));
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$') {
      if (typeof o.$ !== 'string') throw new ExpressionError('an expression {"$": …} must hold a string, e.g. {"$": "filters * 4"}');
      return evaluateExpr(o.$, scope);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const x = evaluateValue(o[k], scope, depth + 1);
      if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
      else out[k] = x;
    }
    return out;
  }
  return v;
}

/**
 * Whether a value holds an expression `{ "$": … }` anywhere (remembered per
 * object: values are immutable). Past the depth limit the answer is yes, so
 * that evaluation reaches the limit and says so.
 */
const EXPRESSIVE = new WeakMap<object, boolean>();
function hasExpression(v: unknown, depth: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (depth >= LIMITS.depth) return true;
  const known = EXPRESSIVE.get(v);
  if (known !== undefined) return known;
  let found: boolean;
  if (Array.isArray(v)) found = v.some((x) => hasExpression(x, depth + 1));
  else {
    const keys = Object.keys(v);
    found = (keys.length === 1 && keys[0] === '$') || keys.some((k) => hasExpression((v as Record<string, unknown>)[k], depth + 1));
  }
  EXPRESSIVE.set(v, found);
  return found;
}

export function evaluateExpr(text: string, scope: Scope): unknown {
  const src = text.slice(0, 500);
  let i = 0;
  const ws = () => {
    while (src[i] === ' ') i++;
  };
  const fail = (what: string): never => {
    throw new ExpressionError(`cannot read "${src}": ${what} at position ${i + 1}`);
  };
  const num = (v: unknown, op: string): number => (typeof v === 'number' ? v : fail(`'${op}' needs numbers, got ${JSON.stringify(v)}`));
  const atom = (): unknown => {
    ws();
    const c = src[i];
    if (c === '(') {
      i++;
      const v = sum();
      ws();
      if (src[i] !== ')') fail("expected ')'");
      i++;
      return v;
    }
    if (c === '-') {
      i++;
      return -num(atom(), '-');
    }
    const m = /^(\d+(\.\d+)?|[A-Za-z_][A-Za-z0-9_]*)/.exec(src.slice(i));
    if (!m) return fail('expected a number or a parameter name');
    i += m[0].length;
    if (/^\d/.test(m[0])) return Number(m[0]);
    if (!Object.prototype.hasOwnProperty.call(scope, m[0])) {
      return fail(`unknown name '${m[0]}' (known: ${Object.keys(scope).join(', ') || 'none'})`);
    }
    return scope[m[0]];
  };
  const product = (): unknown => {
    let v = atom();
    for (;;) {
      ws();
      const two = src.slice(i, i + 2);
      if (two === '//') {
        i += 2;
        const d = num(atom(), '//');
        if (d === 0) fail('division by zero');
        v = Math.floor(num(v, '//') / d);
      } else if (src[i] === '*' || src[i] === '/' || src[i] === '%') {
        const op = src[i++];
        const b = num(atom(), op);
        const a = num(v, op);
        if (op !== '*' && b === 0) fail('division by zero');
        v = op === '*' ? a * b : op === '/' ? a / b : a % b;
      } else return v;
    }
  };
  const sum = (): unknown => {
    let v = product();
    for (;;) {
      ws();
      if (src[i] === '+' || src[i] === '-') {
        const op = src[i++];
        const b = num(product(), op);
        v = op === '+' ? num(v, op) + b : num(v, op) - b;
      } else return v;
    }
  };
  const v = sum();
  ws();
  if (i < src.length) fail(`unexpected '${src[i]}'`);
  if (typeof v === 'number' && !Number.isFinite(v)) fail('the result is not a finite number');
  return v;
}

// ---------- expansion ----------

interface Ctx {
  blocks: Record<string, BlockDef>;
  nodes: GraphNode[];
  edges: GraphEdge[];
  origin: Map<string, BlockOrigin>;
  uses: BlockUse[];
  problems: Problem[];
  /** What each block expands to, counted once per expansion, before any copy is made. */
  sizes: Map<string, BlockSize>;
}

/** What an id in a scope resolves to as a source: the expanded id that carries its output. */
type Outputs = Map<string, string>;

/**
 * The block a use names, when the file defines it: an own property only, so
 * a block called `toString` or `__proto__` is data, never Object's method.
 */
export function blockDef(blocks: Record<string, BlockDef> | undefined, name: unknown): BlockDef | undefined {
  return blocks && typeof name === 'string' && Object.hasOwn(blocks, name) ? blocks[name] : undefined;
}

/**
 * Expands every block use into its layers. Never throws on user input: a use
 * that cannot expand stays as one block-use node carrying its problem, so the
 * analysis marks it in error and what follows it blocked.
 */
export function expandBlocks(graph: Graph): Expansion {
  const ctx: Ctx = { blocks: graph.blocks ?? {}, nodes: [], edges: [], origin: new Map(), uses: [], problems: [], sizes: new Map() };
  const outputs: Outputs = new Map();
  // Top level: ids and names are kept; edges into uses are rewired to the inner layers.
  expandScope(ctx, graph.nodes, graph.edges, {
    idPrefix: '', namePrefix: '', scope: {}, inputs: [], outputs, depth: 0, uses: [],
  });
  const flat: Graph = { ...graph, nodes: ctx.nodes, edges: ctx.edges };
  delete flat.blocks;
  return { graph: flat, origin: ctx.origin, uses: ctx.uses, problems: ctx.problems };
}

// ---------- sizes, before expanding ----------

/** What one copy of a block expands to. */
interface BlockSize {
  /** Layers, counted up to one past the limit (beyond it, only "too many" matters). */
  nodes: number;
  /** Edges, counted the same way. */
  edges: number;
  /** Levels of blocks: 1 for a block that uses none. */
  depth: number;
  /** When its uses lead round to a block already on the way: the block it uses next on that way. */
  cycle: string | null;
}

/** A use inside a block body that will expand: it names a defined block and a valid repeat. */
interface InnerUse {
  id: string;
  block: string;
  repeat: number;
}

function innerUses(ctx: Ctx, def: BlockDef): InnerUse[] {
  const out: InnerUse[] = [];
  for (const n of def.nodes) {
    const use = blockUse(n);
    if (!use) continue;
    const inner = blockDef(ctx.blocks, use.block);
    const { repeat } = use;
    if (!inner || !Number.isInteger(repeat) || repeat < 1 || repeat > LIMITS.repeat) continue;
    if (repeat > 1 && inner.inputs.length !== 1) continue;
    out.push({ id: n.id, block: use.block, repeat });
  }
  return out;
}

/**
 * Layers, edges and nesting of one copy of block `root`, with those of every
 * block it uses: an iterative walk over the blocks (each counted once), so
 * neither a chain of 100,000 blocks nor repeats multiplying to billions of
 * layers costs more than reading the block bodies once.
 */
function sizeOf(ctx: Ctx, root: string): BlockSize {
  const known = ctx.sizes;
  const hit = known.get(root);
  if (hit) return hit;
  const maxNodes = LIMITS.expandedNodes + 1;
  const maxEdges = LIMITS.expandedEdges + 1;
  const stack: { name: string; uses: InnerUse[]; next: number; size: BlockSize }[] = [];
  const onStack = new Map<string, number>();
  const open = (name: string) => {
    const def = ctx.blocks[name];
    const uses = innerUses(ctx, def);
    // Uses that expand are replaced by their copies, and the edges into them rewired.
    let edges = def.edges.length;
    if (uses.length) {
      const into = new Set(uses.map((u) => u.id));
      for (const e of def.edges) if (into.has(e.target)) edges--;
    }
    onStack.set(name, stack.length);
    stack.push({ name, uses, next: 0, size: { nodes: Math.min(maxNodes, def.nodes.length - uses.length), edges: Math.min(maxEdges, edges), depth: 1, cycle: null } });
  };
  open(root);
  while (stack.length) {
    const f = stack[stack.length - 1];
    if (f.next < f.uses.length) {
      const u = f.uses[f.next];
      const inner = known.get(u.block);
      if (!inner && !onStack.has(u.block)) {
        open(u.block);
        continue;
      }
      const s = f.size;
      if (inner) {
        s.nodes = Math.min(maxNodes, s.nodes + u.repeat * inner.nodes);
        s.edges = Math.min(maxEdges, s.edges + u.repeat * inner.edges);
        s.depth = Math.max(s.depth, inner.depth + 1);
      }
      if (!s.cycle && (!inner || inner.cycle)) s.cycle = u.block;
      f.next++;
      continue;
    }
    stack.pop();
    onStack.delete(f.name);
    known.set(f.name, f.size);
  }
  return known.get(root)!;
}

/** `a → b → a`: the blocks from `start` round its cycle, at most a dozen of them. */
function cyclePath(ctx: Ctx, start: string): string[] {
  const path = [start];
  const seen = new Set(path);
  for (let at = ctx.sizes.get(start)?.cycle; at; at = ctx.sizes.get(at)?.cycle) {
    path.push(at);
    if (seen.has(at)) return path;
    if (path.length >= 12) return [...path, '…'];
    seen.add(at);
  }
  return path;
}


/** Why `repeat` copies of `block` (each `each` layers or edges) cannot join the `used` already expanded, or null. */
function overLimit(what: 'layers' | 'edges', limit: number, used: number, repeat: number, each: number, block: string): string | null {
  if (used + repeat * each <= limit) return null;
  if (each > limit) return `block '${block}' expands to more than ${fmt(limit)} ${what}, the most a network may expand to; lower repeat or use fewer blocks inside it`;
  if (repeat * each > limit) return `${fmt(repeat)} copies of block '${block}' (${fmt(each)} ${what} each) expand to more than ${fmt(limit)} ${what}, the most a network may expand to; lower repeat`;
  return `with this use of block '${block}' (${fmt(repeat * each)} ${what}) the network expands to more than ${fmt(limit)} ${what}, the most it may; lower repeat or use fewer blocks`;
}

// ---------- scopes and uses ----------

interface Frame {
  /** Prefix of expanded ids (`use/k/`), empty at top level. */
  idPrefix: string;
  /** Prefix of layer names (`conv2_block2_`), empty at top level. */
  namePrefix: string;
  scope: Scope;
  /** For each block input (by port): the expanded source id, or '' for a hole. */
  inputs: { name: string; source: string }[];
  outputs: Outputs;
  /** Levels of blocks above this scope; uses refuse to go past the limit before expanding, so the recursion stays this shallow. */
  depth: number;
  /** Use ids on the way (outermost first). */
  uses: string[];
  /** The block and copy this scope expands (absent at top level). */
  block?: string;
  copy?: number;
}

function expandScope(ctx: Ctx, nodes: GraphNode[], edges: GraphEdge[], f: Frame): void {
  // Pass 1: nodes. A use's output id is known once it is expanded; uses are expanded
  // in an order where their inputs are already resolved, so do ordinary nodes first.
  const pendingUses: GraphNode[] = [];
  for (const n of nodes) {
    if (isBlockUse(n)) {
      pendingUses.push(n);
      continue;
    }
    const id = f.idPrefix + n.id;
    let params = n.params;
    if (f.idPrefix) {
      try {
        params = evaluateValue(n.params, f.scope) as Record<string, unknown>;
      } catch (e) {
        ctx.problems.push({ nodeId: f.uses[0], field: 'args', message: `in block '${f.block}', layer '${n.id}': ${(e as Error).message}; fix the block's expression or the use's args` });
      }
    }
    const node: GraphNode = { id, kind: n.kind, name: f.namePrefix + n.name, params };
    if (!f.idPrefix) {
      if (n.position) node.position = n.position;
      if (n.group !== undefined) node.group = n.group;
    }
    if (n.shares !== undefined) {
      // Ids are local to the scope: a layer shares only with a layer of the same graph or the same block body (each copy within itself).
      const owner = nodes.find((m) => m.id === n.shares);
      if (owner && !isBlockUse(owner)) node.shares = f.idPrefix + n.shares;
      else {
        const what = owner ? `'${n.shares}', which is a block use, not a layer` : `'${n.shares}', which is not a layer ${f.idPrefix ? `of block '${f.block}'` : 'of this graph (layers inside blocks cannot be named from outside)'}`;
        const message = `${f.idPrefix ? `in block '${f.block}', layer '${n.id}': ` : ''}shares names ${what}; name a layer in the same ${f.idPrefix ? 'block definition' : 'graph'} or remove shares`;
        ctx.problems.push({ nodeId: f.idPrefix ? f.uses[0] : id, field: 'shares', message });
      }
    }
    ctx.nodes.push(node);
    f.outputs.set(n.id, id);
    if (f.idPrefix) {
      ctx.origin.set(id, { use: f.uses[0], block: f.block!, copy: f.copy!, inner: n.id, uses: f.uses });
    }
  }

  const sourceOf = (src: string): string | undefined => {
    if (src.startsWith('@')) {
      const inp = f.inputs.find((x) => x.name === src.slice(1));
      return inp ? inp.source || undefined : undefined;
    }
    return f.outputs.get(src);
  };

  // Pass 2: uses, as their sources become known (uses may feed uses), in the order that
  // passes over the list in file order would take them.
  const count = pendingUses.length;
  if (count) {
    // Edges by target, so a use can find what feeds each of its ports.
    const into = new Map<string, GraphEdge[]>();
    for (const e of edges) {
      const list = into.get(e.target);
      if (list) list.push(e);
      else into.set(e.target, [e]);
    }
    const feedsOf = (u: GraphNode, fallback: boolean) =>
      (into.get(u.id) ?? []).map((e): Feed => ({ port: portIndex(e.targetPort), name: e.targetPort, source: sourceOf(e.source) ?? (fallback ? e.source : '') }));
    const first = new Map<string, number>();
    for (let i = 0; i < count; i++) if (!first.has(pendingUses[i].id)) first.set(pendingUses[i].id, i);
    /** Per use: feeds from uses not expanded yet; per use id: the uses it feeds. */
    const waits = new Int32Array(count);
    const feeds = new Map<string, number[]>();
    for (let i = 0; i < count; i++) {
      for (const e of into.get(pendingUses[i].id) ?? []) {
        if (e.source.startsWith('@') || f.outputs.has(e.source) || !first.has(e.source)) continue;
        waits[i]++;
        const list = feeds.get(e.source);
        if (list) list.push(i);
        else feeds.set(e.source, [i]);
      }
    }
    const sweep = new Sweep();
    for (let i = 0; i < count; i++) if (!waits[i]) sweep.ready(i);
    const done = new Uint8Array(count);
    for (let i = sweep.take(); i >= 0; i = sweep.take()) {
      const u = pendingUses[i];
      done[i] = 1;
      expandUse(ctx, u, feedsOf(u, false), f);
      const woken = feeds.get(u.id);
      if (!woken) continue;
      feeds.delete(u.id);
      for (const j of woken) if (--waits[j] === 0) sweep.ready(j);
    }
    // Uses feeding each other in a circle: expand them anyway; the analysis reports the cycle.
    for (let i = 0; i < count; i++) if (!done[i]) expandUse(ctx, pendingUses[i], feedsOf(pendingUses[i], true), f);
  }

  // Pass 3: edges between this scope's layers (edges into uses were consumed by the uses).
  const useIds = count ? new Set(pendingUses.map((u) => u.id)) : null;
  for (const e of edges) {
    if (useIds?.has(e.target)) continue;
    const source = e.source.startsWith('@') ? sourceOf(e.source) : (f.outputs.get(e.source) ?? (f.idPrefix ? undefined : e.source));
    if (source === undefined) {
      if (e.source.startsWith('@') && !f.inputs.some((x) => x.name === e.source.slice(1))) {
        ctx.problems.push({ nodeId: f.uses[0], message: `block '${f.block}' edge '${e.id}' takes input '${e.source}', which the block does not declare; declare it in the block's inputs` });
      } else if (!e.source.startsWith('@')) {
        ctx.problems.push({ nodeId: f.uses[0], message: `block '${f.block}' edge '${e.id}' starts at '${e.source}', which is not a layer of the block; connect it to a layer or an input '@name'` });
      }
      continue; // an unconnected block input: the inner layer reports its missing input
    }
    ctx.edges.push({ id: f.idPrefix + e.id, source, target: f.idPrefix + e.target, targetPort: e.targetPort });
  }
}

/** An edge into a use: its port (index and name as written) and the expanded source ('' for none). */
interface Feed {
  port: number;
  name: string;
  source: string;
}

function expandUse(ctx: Ctx, u: GraphNode, feeds: Feed[], f: Frame): void {
  const id = f.idPrefix + u.id;
  const name = f.namePrefix + u.name;
  const topUse = f.uses[0] ?? id;
  const fail = (message: string, field?: string) => {
    ctx.problems.push({ nodeId: f.idPrefix ? topUse : id, ...(field ? { field } : {}), message: f.idPrefix ? `in block '${f.block}', use '${u.id}': ${message}` : message });
    // Keep the use as one node so the analysis marks it in error and everything after it blocked.
    ctx.nodes.push({ id, kind: BLOCK_KIND, name, params: u.params });
    for (const fd of feeds) if (fd.source && fd.port >= 0) ctx.edges.push({ id: `${id}<${fd.port}`, source: fd.source, target: id, targetPort: portName(fd.port) });
    f.outputs.set(u.id, id);
  };
  let args = u.params?.args;
  if (f.idPrefix && args !== undefined) {
    try {
      args = evaluateValue(args, f.scope);
    } catch (e) {
      return fail((e as Error).message, 'args');
    }
  }
  const { params, problems } = useParams({ ...u, params: { ...u.params, args } });
  if (problems.length) {
    const p = problems[0];
    return fail(p.message, p.field);
  }
  const def = blockDef(ctx.blocks, params.block);
  if (!def) {
    const known = Object.keys(ctx.blocks);
    return fail(`block '${params.block.slice(0, 60)}' is not defined in this file; ${known.length ? `defined: ${known.slice(0, 20).join(', ')}${known.length > 20 ? `, … (${fmt(known.length)} in all)` : ''}` : 'add it to the file\'s blocks'}`, 'block');
  }
  // Everything this use would make is counted before any of it is made.
  const size = sizeOf(ctx, params.block);
  if (size.cycle) {
    const path = cyclePath(ctx, params.block);
    return fail(`block '${path[path.length - 1] === '…' ? params.block : path[path.length - 1]}' uses itself (${path.join(' → ')}); a block cannot contain itself`, 'block');
  }
  if (f.depth + size.depth > LIMITS.blockDepth) {
    return fail(`block '${params.block}' nests blocks ${fmt(f.depth + size.depth)} deep, more than the limit of ${LIMITS.blockDepth}; flatten some of them into their layers`, 'block');
  }
  for (const k of Object.keys(params.args)) {
    if (!Object.prototype.hasOwnProperty.call(def.params, k)) {
      return fail(`block '${params.block}' has no parameter '${k.slice(0, 60)}'; it declares ${Object.keys(def.params).join(', ') || 'none'}`, `args.${k}`);
    }
  }
  if (params.repeat > 1 && def.inputs.length !== 1) {
    return fail(`repeat ${params.repeat} chains copies output → input, so block '${params.block}' needs exactly one input (it has ${def.inputs.length}); set repeat to 1`, 'repeat');
  }
  const tooMany = overLimit('layers', LIMITS.expandedNodes, ctx.nodes.length, params.repeat, size.nodes, params.block)
    ?? overLimit('edges', LIMITS.expandedEdges, ctx.edges.length, params.repeat, size.edges, params.block);
  if (tooMany) return fail(tooMany, 'repeat');
  const inputs = blockInputs(def);
  for (const fd of feeds) {
    const bad = portProblem(u, inputs, fd.name);
    if (bad) return fail(bad.message);
  }

  const scope: Scope = { ...def.params, ...params.args };
  const use: BlockUse = { id, name, block: params.block, repeat: params.repeat, ...(f.idPrefix ? { parent: f.uses[f.uses.length - 1] } : {}), members: [], copies: [], output: '' };
  ctx.uses.push(use);
  const uses = [...f.uses, id];
  let prevOut = '';
  for (let c = 0; c < params.repeat; c++) {
    const k = params.repeatStart + c;
    const copyPrefix = params.repeat > 1 ? `${id}/${k}/` : `${id}/`;
    const copyName = params.repeat > 1 ? `${name}${k}_` : `${name}_`;
    const inputs = def.inputs.map((inputName, port) => ({
      name: inputName,
      source: c > 0 && port === 0 ? prevOut : (feeds.find((fd) => fd.port === port)?.source ?? ''),
    }));
    const outputs: Outputs = new Map();
    const before = ctx.nodes.length;
    expandScope(ctx, def.nodes, def.edges, {
      idPrefix: copyPrefix, namePrefix: copyName, scope: { ...scope, i: k }, inputs, outputs,
      depth: f.depth + 1, uses, block: params.block, copy: k,
    });
    const members: string[] = new Array(ctx.nodes.length - before);
    for (let m = before; m < ctx.nodes.length; m++) {
      members[m - before] = ctx.nodes[m].id;
      use.members.push(ctx.nodes[m].id);
    }
    use.copies.push(members);
    const out = outputs.get(def.output);
    if (!out) {
      ctx.problems.push({ nodeId: topUse, field: 'output', message: `block '${params.block}' names output '${def.output}', which is not one of its layers; set output to a layer id in the block` });
      prevOut = '';
    } else prevOut = out;
  }
  use.output = prevOut;
  f.outputs.set(u.id, prevOut || id);
}
