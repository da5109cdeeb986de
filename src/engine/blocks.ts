/**
 * Reusable blocks: a named subgraph defined once in the file and used by many
 * nodes of kind `Block`. Analysis, compilation and export see the expanded
 * (flat) graph; views keep the uses and show their subtotals.
 *
 * A use node's params: `{ block, repeat, repeatStart, args }`. `repeat: N`
 * chains N copies (copy k's first input is copy k-1's output), so a ResNet
 * stage or a DenseNet dense block is one node. Inner layers are named
 * `<use>_<inner>` (one copy) or `<use><k>_<inner>` (copy k, counting from
 * `repeatStart`): a use `conv2_block` repeated from 2 yields Keras's
 * `conv2_block2_1_conv`, `conv2_block3_1_conv`, …
 */
import type { BlockDef, Graph, GraphEdge, GraphNode, Problem } from './types.ts';
import { portIndex, portName } from './types.ts';

export const BLOCK_KIND = 'Block';
/** Nesting limit for blocks that use blocks. */
export const MAX_BLOCK_DEPTH = 8;
/** Most layers one file may expand to. */
export const MAX_EXPANDED_NODES = 200_000;

export interface BlockUseParams {
  block: string;
  repeat: number;
  repeatStart: number;
  args: Record<string, unknown>;
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
  for (const n of g.nodes) if (n.kind === BLOCK_KIND) return true;
  return false;
}

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
      bad(k, `${k} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)?.slice(0, 40)}`);
      return def;
    }
    return v;
  };
  const repeat = int('repeat', 1, 1, 1000);
  const repeatStart = int('repeatStart', 1, 0, 1_000_000);
  const args = raw.args ?? {};
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    bad('args', 'args must be an object of parameter: value');
  }
  for (const k of Object.keys(raw)) {
    if (!['block', 'repeat', 'repeatStart', 'args'].includes(k)) bad(k, `unknown field '${k.slice(0, 60)}' on a block use; known: block, repeat, repeatStart, args`);
  }
  return { params: { block, repeat, repeatStart, args: (typeof args === 'object' && args && !Array.isArray(args) ? args : {}) as Record<string, unknown> }, problems };
}

// ---------- expressions ----------

type Scope = Record<string, unknown>;

export class ExpressionError extends Error {}

/**
 * Evaluates a block value: literals pass through, lists and objects are
 * evaluated member by member, `{ "$": "expr" }` is computed. Expressions: numbers,
 * parameter names, `+ - * /`, `//` (floor division), `%`, parentheses.
 */
export function evaluateValue(v: unknown, scope: Scope): unknown {
  // Most values hold no expression: they are shared as they are (values are immutable).
  if (!hasExpression(v)) return v;
  if (Array.isArray(v)) return v.map((x) => evaluateValue(x, scope));
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$') {
      if (typeof o.$ !== 'string') throw new ExpressionError('an expression {"$": …} must hold a string, e.g. {"$": "filters * 4"}');
      return evaluateExpr(o.$, scope);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const x = evaluateValue(o[k], scope);
      if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
      else out[k] = x;
    }
    return out;
  }
  return v;
}

/** Whether a value holds an expression `{ "$": … }` anywhere (remembered per object: values are immutable). */
const EXPRESSIVE = new WeakMap<object, boolean>();
function hasExpression(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  const known = EXPRESSIVE.get(v);
  if (known !== undefined) return known;
  let found: boolean;
  if (Array.isArray(v)) found = v.some(hasExpression);
  else {
    const keys = Object.keys(v);
    found = (keys.length === 1 && keys[0] === '$') || keys.some((k) => hasExpression((v as Record<string, unknown>)[k]));
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
}

/** What an id in a scope resolves to as a source: the expanded id that carries its output. */
type Outputs = Map<string, string>;

/**
 * Expands every block use into its layers. Never throws on user input: a use
 * that cannot expand stays as one `Block` node carrying its problem, so the
 * analysis marks it in error and what follows it blocked.
 */
export function expandBlocks(graph: Graph): Expansion {
  const ctx: Ctx = { blocks: graph.blocks ?? {}, nodes: [], edges: [], origin: new Map(), uses: [], problems: [] };
  const outputs: Outputs = new Map();
  // Top level: ids and names are kept; edges into uses are rewired to the inner layers.
  expandScope(ctx, graph.nodes, graph.edges, {
    idPrefix: '', namePrefix: '', scope: {}, inputs: [], outputs, depth: 0, stack: [], uses: [],
  });
  const flat: Graph = { ...graph, nodes: ctx.nodes, edges: ctx.edges };
  delete flat.blocks;
  return { graph: flat, origin: ctx.origin, uses: ctx.uses, problems: ctx.problems };
}

interface Frame {
  /** Prefix of expanded ids (`use/k/`), empty at top level. */
  idPrefix: string;
  /** Prefix of layer names (`conv2_block2_`), empty at top level. */
  namePrefix: string;
  scope: Scope;
  /** For each block input (by port): the expanded source id, or '' for a hole. */
  inputs: { name: string; source: string }[];
  outputs: Outputs;
  depth: number;
  /** Block names being expanded, to refuse a block that uses itself. */
  stack: string[];
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
    if (n.kind === BLOCK_KIND) {
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
    ctx.nodes.push(node);
    f.outputs.set(n.id, id);
    if (f.idPrefix) {
      ctx.origin.set(id, { use: f.uses[0], block: f.block!, copy: f.copy!, inner: n.id, uses: f.uses });
    }
  }

  // Edges by target, so a use can find what feeds each of its ports.
  const into = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    const list = into.get(e.target);
    if (list) list.push(e);
    else into.set(e.target, [e]);
  }
  const sourceOf = (src: string): string | undefined => {
    if (src.startsWith('@')) {
      const inp = f.inputs.find((x) => x.name === src.slice(1));
      return inp ? inp.source || undefined : undefined;
    }
    return f.outputs.get(src);
  };

  // Pass 2: uses, repeatedly, as their sources become known (uses may feed uses).
  let remaining = pendingUses;
  while (remaining.length) {
    const next: GraphNode[] = [];
    for (const u of remaining) {
      const feeds = into.get(u.id) ?? [];
      const waiting = feeds.some((e) => !e.source.startsWith('@') && !f.outputs.has(e.source) && remaining.some((r) => r.id === e.source));
      if (waiting) next.push(u);
      else expandUse(ctx, u, feeds.map((e) => ({ port: portIndex(e.targetPort), source: sourceOf(e.source) ?? '' })), f);
    }
    if (next.length === remaining.length) {
      // Uses feeding each other in a circle: expand them anyway; the analysis reports the cycle.
      for (const u of next) expandUse(ctx, u, (into.get(u.id) ?? []).map((e) => ({ port: portIndex(e.targetPort), source: sourceOf(e.source) ?? e.source })), f);
      break;
    }
    remaining = next;
  }

  // Pass 3: edges between this scope's layers (edges into uses were consumed by the uses).
  const useIds = new Set(pendingUses.map((u) => u.id));
  for (const e of edges) {
    if (useIds.has(e.target)) continue;
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

function expandUse(ctx: Ctx, u: GraphNode, feeds: { port: number; source: string }[], f: Frame): void {
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
  const def = Object.prototype.hasOwnProperty.call(ctx.blocks, params.block) ? ctx.blocks[params.block] : undefined;
  if (!def) {
    const known = Object.keys(ctx.blocks);
    return fail(`block '${params.block.slice(0, 60)}' is not defined in this file; ${known.length ? `defined: ${known.join(', ')}` : 'add it to the file\'s blocks'}`, 'block');
  }
  if (f.stack.includes(params.block)) return fail(`block '${params.block}' uses itself (${[...f.stack, params.block].join(' → ')}); a block cannot contain itself`, 'block');
  if (f.depth >= MAX_BLOCK_DEPTH) return fail(`blocks are nested more than ${MAX_BLOCK_DEPTH} deep; flatten some of them`, 'block');
  for (const k of Object.keys(params.args)) {
    if (!Object.prototype.hasOwnProperty.call(def.params, k)) {
      return fail(`block '${params.block}' has no parameter '${k.slice(0, 60)}'; it declares ${Object.keys(def.params).join(', ') || 'none'}`, `args.${k}`);
    }
  }
  if (params.repeat > 1 && def.inputs.length !== 1) {
    return fail(`repeat ${params.repeat} chains copies output → input, so block '${params.block}' needs exactly one input (it has ${def.inputs.length}); set repeat to 1`, 'repeat');
  }
  if (ctx.nodes.length + params.repeat * def.nodes.length > MAX_EXPANDED_NODES) {
    return fail(`expanding ${params.repeat} copies would exceed ${MAX_EXPANDED_NODES.toLocaleString('en-US')} layers; lower repeat`, 'repeat');
  }
  for (const fd of feeds) {
    if (fd.port < 0 || fd.port >= def.inputs.length) {
      return fail(`block '${params.block}' has ${def.inputs.length} input${def.inputs.length === 1 ? '' : 's'} (${def.inputs.join(', ')}); connect to in0${def.inputs.length > 1 ? `…in${def.inputs.length - 1}` : ''}`);
    }
  }

  const scope: Scope = { ...def.params, ...params.args };
  const use: BlockUse = { id, name, block: params.block, repeat: params.repeat, ...(f.idPrefix ? { parent: f.uses[f.uses.length - 1] } : {}), members: [], copies: [], output: '' };
  ctx.uses.push(use);
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
      depth: f.depth + 1, stack: [...f.stack, params.block], uses: [...f.uses, id],
      block: params.block, copy: k,
    });
    const members = ctx.nodes.slice(before).map((n) => n.id);
    use.copies.push(members);
    use.members.push(...members);
    const out = outputs.get(def.output);
    if (!out) {
      ctx.problems.push({ nodeId: topUse, field: 'output', message: `block '${params.block}' names output '${def.output}', which is not one of its layers; set output to a layer id in the block` });
      prevOut = '';
    } else prevOut = out;
  }
  use.output = prevOut;
  f.outputs.set(u.id, prevOut || id);
}
