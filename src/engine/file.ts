/**
 * The graph file: parse → migrate → validate (JSON Schema) → build, and a
 * deterministic writer (stable key and node order) so files diff cleanly and
 * load-then-save gives back the same bytes.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { getLayer } from './layers/index.ts';
import { LIMITS } from './limits.ts';
import { describe, type ParamSchemaMap } from './params.ts';
import { GRAPH_FORMAT, GRAPH_VERSION, graphJsonSchema } from './schema.ts';
import type { BlockDef, Graph, GraphEdge, GraphGroup, GraphNode, Problem } from './types.ts';
import { groupProblems } from './grouping.ts';

export type LoadResult =
  | { ok: true; graph: Graph; migratedFrom?: number }
  | { ok: false; stage: 'parse' | 'migrate' | 'validate'; problems: Problem[] };

const MAX_PROBLEMS = 200;

/** Numbered migrations: MIGRATIONS[n] turns a version-n document into version n+1. */
export const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {
  // Version 2 added optional reusable blocks; a version-1 graph is a version-2 graph without them.
  1: (doc) => ({ ...doc, version: 2 }),
};

let validator: ValidateFunction | null = null;
function getValidator(): ValidateFunction {
  if (!validator) {
    // strictNumbers: -1e999 parses to -Infinity, which JSON cannot write back.
    const ajv = new Ajv2020({ allErrors: true, strict: false, strictNumbers: true });
    validator = ajv.compile(graphJsonSchema());
  }
  return validator;
}

export function parseGraphText(text: string): LoadResult {
  let doc: unknown;
  try {
    doc = JSON.parse(withoutBom(text));
  } catch (e) {
    return { ok: false, stage: 'parse', problems: [{ path: '/', message: `not valid JSON (${jsonSyntaxMessage(withoutBom(text), e)}); check the file is a netloom graph saved as JSON` }] };
  }
  return loadGraphDocument(doc);
}

/** Text without a leading byte-order mark, which editors on Windows write and JSON.parse refuses. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Why JSON.parse refused `text`, as `unexpected … at line L, column C`. The
 * engine's own message quotes the text around the error, which from an
 * untrusted file may hold terminal control sequences; this one quotes at most
 * one printable ASCII character and names any other by its code point.
 */
export function jsonSyntaxMessage(text: string, error: unknown): string {
  if (error instanceof RangeError) return 'nesting is too deep';
  const at = jsonErrorOffset(text);
  if (at === null) return 'the text is not JSON';
  const before = text.slice(0, at);
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  let found = 'end of the text';
  if (at < text.length) {
    const cp = text.codePointAt(at)!;
    found = `character ${cp > 0x20 && cp < 0x7f ? `'${String.fromCodePoint(cp)}'` : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`}`;
  }
  return `unexpected ${found} at line ${line}, column ${column}`;
}

const JSON_ESCAPE = /(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** Offset of the first character where `text` stops being JSON, or null if it is JSON. Iterative: no stack to overflow. */
function jsonErrorOffset(text: string): number | null {
  const n = text.length;
  const closers: string[] = [];
  let state: 'value' | 'firstValue' | 'key' | 'firstKey' | 'after' = 'value';
  let i = 0;
  /** Offset just past the string starting at `i`, or the offset of its first bad character. */
  const string = (): { end: number; bad: boolean } => {
    for (let j = i + 1; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) return { end: j + 1, bad: false };
      if (c < 0x20) return { end: j, bad: true };
      if (c === 0x5c) {
        JSON_ESCAPE.lastIndex = j + 1;
        if (!JSON_ESCAPE.test(text)) return { end: j + 1, bad: true };
        j = JSON_ESCAPE.lastIndex - 1;
      }
    }
    return { end: n, bad: true };
  };
  // Offset just past the literal or number at `i`; -(offset + 1) of the first character that breaks it.
  const literal = (w: string): number => {
    for (let k = 0; k < w.length; k++) if (text[i + k] !== w[k]) return -(i + k) - 1;
    return i + w.length;
  };
  const digits = (j: number) => {
    while (j < n && text[j] >= '0' && text[j] <= '9') j++;
    return j;
  };
  const number = (): number => {
    let j = i;
    if (text[j] === '-') j++;
    if (text[j] === '0') j++;
    else if (text[j] >= '1' && text[j] <= '9') j = digits(j);
    else return -j - 1;
    if (text[j] === '.') {
      if (digits(j + 1) === j + 1) return -(j + 1) - 1;
      j = digits(j + 1);
    }
    if (text[j] === 'e' || text[j] === 'E') {
      j++;
      if (text[j] === '+' || text[j] === '-') j++;
      if (digits(j) === j) return -j - 1;
      j = digits(j);
    }
    return j;
  };
  for (;;) {
    while (i < n && ' \t\n\r'.includes(text[i])) i++;
    if (i >= n) return state === 'after' && !closers.length ? null : n;
    const c = text[i];
    if (state === 'after') {
      if (!closers.length) return i;
      if (c === closers[closers.length - 1]) {
        closers.pop();
        i++;
      } else if (c === ',') {
        state = closers[closers.length - 1] === '}' ? 'key' : 'value';
        i++;
      } else return i;
    } else if (state === 'key' || state === 'firstKey') {
      if (c === '}' && state === 'firstKey') {
        closers.pop();
        i++;
        state = 'after';
        continue;
      }
      if (c !== '"') return i;
      const s = string();
      if (s.bad) return s.end;
      i = s.end;
      while (i < n && ' \t\n\r'.includes(text[i])) i++;
      if (text[i] !== ':') return i;
      i++;
      state = 'value';
    } else {
      if (c === ']' && state === 'firstValue') {
        closers.pop();
        i++;
        state = 'after';
      } else if (c === '{' || c === '[') {
        closers.push(c === '{' ? '}' : ']');
        i++;
        state = c === '{' ? 'firstKey' : 'firstValue';
      } else if (c === '"') {
        const s = string();
        if (s.bad) return s.end;
        i = s.end;
        state = 'after';
      } else {
        const end = c === 't' || c === 'f' || c === 'n' ? literal(c === 't' ? 'true' : c === 'f' ? 'false' : 'null') : number();
        if (end < 0) return -end - 1;
        i = end;
        state = 'after';
      }
    }
  }
}

export function loadGraphDocument(doc: unknown): LoadResult {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return { ok: false, stage: 'validate', problems: [{ path: '/', message: `the file holds ${describe(doc)}, not a graph object; expected {"format": "${GRAPH_FORMAT}", "version": ${GRAPH_VERSION}, …}` }] };
  }
  // Counted before the depth walk and the schema, whose cost grows with the entries.
  const many = tooMany(doc as Record<string, unknown>);
  if (many) return { ok: false, stage: 'validate', problems: [many] };
  const deep = tooDeep(doc);
  if (deep) {
    return { ok: false, stage: 'validate', problems: [{ path: deep, message: `${deep} is nested more than ${MAX_DEPTH} levels deep; no graph field needs that, so remove the nested value` }] };
  }
  const migrated = migrate(doc as Record<string, unknown>);
  if (!migrated.ok) return migrated;
  const validate = getValidator();
  if (!validate(migrated.doc)) {
    const problems = schemaProblems(migrated.doc, validate.errors ?? []);
    if (problems.length) return { ok: false, stage: 'validate', problems };
  }
  const graph = buildGraph(migrated.doc);
  const grouping = groupProblems(graph);
  if (grouping.length) return { ok: false, stage: 'validate', problems: grouping };
  return { ok: true, graph, ...(migrated.from !== GRAPH_VERSION ? { migratedFrom: migrated.from } : {}) };
}

/** Deepest nesting a graph file may have (a node's pads param is 6 levels down). */
export const MAX_DEPTH = LIMITS.depth;

/** The first node or edge list, of the graph or of a block, longer than LIMITS allows. */
function tooMany(doc: Record<string, unknown>): Problem | null {
  const lists: [string, unknown, number][] = [['/nodes', doc.nodes, LIMITS.nodes], ['/edges', doc.edges, LIMITS.edges]];
  if (doc.blocks && typeof doc.blocks === 'object') {
    for (const [name, b] of Object.entries(doc.blocks)) {
      if (!b || typeof b !== 'object') continue;
      const at = `/blocks/${name.slice(0, 60)}`;
      lists.push([`${at}/nodes`, (b as Record<string, unknown>).nodes, LIMITS.nodes], [`${at}/edges`, (b as Record<string, unknown>).edges, LIMITS.edges]);
    }
  }
  for (const [path, list, limit] of lists) {
    if (Array.isArray(list) && list.length > limit) {
      return { path, message: `${path} has ${list.length.toLocaleString('en-US')} entries, more than the limit of ${limit.toLocaleString('en-US')}; split the graph into smaller files` };
    }
  }
  return null;
}

/** JSON path of the first value nested deeper than MAX_DEPTH, or null. Iterative: no stack to overflow. */
function tooDeep(doc: unknown): string | null {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: doc, depth: 0, path: '' }];
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) return path || '/';
    for (const [k, x] of Object.entries(v)) {
      if (x !== null && typeof x === 'object') stack.push({ v: x, depth: depth + 1, path: `${path}/${k.slice(0, 40)}` });
    }
  }
  return null;
}

function migrate(doc: Record<string, unknown>):
  | { ok: true; doc: Record<string, unknown>; from: number }
  | { ok: false; stage: 'migrate'; problems: Problem[] } {
  const fail = (path: string, message: string) => ({ ok: false as const, stage: 'migrate' as const, problems: [{ path, message }] });
  if (doc.format !== GRAPH_FORMAT) {
    return fail('/format', `"format" is ${describe(doc.format)}; a netloom graph file has "format": "${GRAPH_FORMAT}" (Keras or TF.js model.json files are imported, not opened)`);
  }
  const v = doc.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    return fail('/version', `"version" is ${describe(v)}; it must be a whole number (this netloom writes ${GRAPH_VERSION})`);
  }
  if (v > GRAPH_VERSION) {
    return fail('/version', `the file is version ${v}, written by a newer netloom; this one reads up to version ${GRAPH_VERSION}, so update netloom`);
  }
  let cur = doc;
  for (let n = v; n < GRAPH_VERSION; n++) cur = MIGRATIONS[n](cur);
  return { ok: true, doc: cur, from: v };
}

function nodeIdAt(doc: Record<string, unknown>, path: string): string | undefined {
  const m = /^\/nodes\/(\d+)/.exec(path);
  if (!m || !Array.isArray(doc.nodes)) return undefined;
  const n = doc.nodes[Number(m[1])] as Record<string, unknown> | undefined;
  return n && typeof n === 'object' && typeof n.id === 'string' && n.id.length <= 200 ? n.id : undefined;
}

function schemaProblems(doc: Record<string, unknown>, errors: ErrorObject[]): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // Parameter values are checked by the layer specs, whose messages name the fix.
    if (/^\/nodes\/\d+\/params\//.test(e.instancePath) || e.keyword === 'if') continue;
    if (e.schemaPath.includes('Params') || e.schemaPath.includes('/allOf/')) continue;
    const msg = schemaMessage(e);
    const key = `${e.instancePath}|${msg}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const nodeId = nodeIdAt(doc, e.instancePath);
    out.push({ path: e.instancePath || '/', ...(nodeId ? { nodeId } : {}), message: msg });
    if (out.length >= MAX_PROBLEMS) break;
  }
  return out;
}

function schemaMessage(e: ErrorObject): string {
  const where = e.instancePath || 'the file';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${where} is missing "${String(p.missingProperty)}"; add it`;
    case 'additionalProperties':
      return `${where} has an unknown field "${String(p.additionalProperty).slice(0, 60)}"; remove it`;
    case 'type':
      return `${where} must be ${String(p.type) === 'object' ? 'an object' : `of type ${String(p.type)}`}`;
    case 'const':
      return `${where} must be ${JSON.stringify(p.allowedValue)}`;
    case 'maxLength':
      return `${where} is longer than ${String(p.limit)} characters; shorten it`;
    case 'minLength':
      return `${where} must not be empty`;
    case 'maxItems':
      return `${where} has more than ${String(p.limit)} entries; split the graph`;
    case 'maximum':
    case 'minimum':
      return `${where} must be ${e.keyword === 'maximum' ? 'at most' : 'at least'} ${String(p.limit)}`;
    case 'pattern':
      return `${where} must look like in0, in1, …`;
    default:
      return `${where} ${e.message ?? 'is invalid'}`;
  }
}

function buildGraph(doc: Record<string, unknown>): Graph {
  const nodes = (doc.nodes as Record<string, unknown>[]).map((n): GraphNode => ({
    id: n.id as string,
    kind: n.kind as string,
    name: n.name as string,
    params: { ...(n.params as Record<string, unknown>) },
    ...(n.position ? { position: { x: (n.position as { x: number }).x, y: (n.position as { y: number }).y } } : {}),
    ...(typeof n.group === 'string' ? { group: n.group } : {}),
    ...(typeof n.shares === 'string' ? { shares: n.shares } : {}),
  }));
  const edges = (doc.edges as Record<string, unknown>[]).map((e): GraphEdge => ({
    id: e.id as string, source: e.source as string, target: e.target as string, targetPort: e.targetPort as string,
  }));
  return {
    name: doc.name as string,
    ...(typeof doc.title === 'string' ? { title: doc.title } : {}),
    ...(typeof doc.description === 'string' ? { description: doc.description } : {}),
    ...(doc.blocks && typeof doc.blocks === 'object' ? { blocks: buildBlocks(doc.blocks as Record<string, Record<string, unknown>>) } : {}),
    nodes,
    edges,
    ...(Array.isArray(doc.groups) ? { groups: buildGroups(doc.groups as Record<string, unknown>[]) } : {}),
  };
}

/** Canvas groups (optional): id, title, nodes, and parent / collapsed when present. */
function buildGroups(src: Record<string, unknown>[]): GraphGroup[] {
  return src.map((g) => ({
    id: g.id as string,
    title: g.title as string,
    nodes: [...(g.nodes as string[])],
    ...(typeof g.parent === 'string' ? { parent: g.parent } : {}),
    ...(g.collapsed === true ? { collapsed: true } : {}),
  }));
}

/** JSON copy without prototype tricks: `__proto__` keys stay plain data. */
function plainCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plainCopy);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: plainCopy(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

function buildBlocks(src: Record<string, Record<string, unknown>>): Record<string, BlockDef> {
  const out: Record<string, BlockDef> = {};
  for (const [name, b] of Object.entries(src)) {
    const def: BlockDef = {
      ...(typeof b.title === 'string' ? { title: b.title } : {}),
      ...(typeof b.description === 'string' ? { description: b.description } : {}),
      params: plainCopy(b.params) as Record<string, unknown>,
      inputs: [...(b.inputs as string[])],
      output: b.output as string,
      nodes: (b.nodes as Record<string, unknown>[]).map((n) => ({
        id: n.id as string, kind: n.kind as string, name: n.name as string,
        params: plainCopy(n.params) as Record<string, unknown>,
        ...(n.position ? { position: { x: (n.position as { x: number }).x, y: (n.position as { y: number }).y } } : {}),
        ...(typeof n.shares === 'string' ? { shares: n.shares } : {}),
      })),
      edges: (b.edges as Record<string, unknown>[]).map((e): GraphEdge => ({
        id: e.id as string, source: e.source as string, target: e.target as string, targetPort: e.targetPort as string,
      })),
    };
    Object.defineProperty(out, name, { value: def, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

// ---------- writing ----------

/** Params in the kind's declared order, every one explicit; unknown extras kept (nothing is lost). */
function canonicalParams(node: GraphNode): Record<string, unknown> {
  const spec = getLayer(node.kind);
  const out: Record<string, unknown> = {};
  const src = node.params ?? {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(src, k);
  if (spec) {
    for (const [k, s] of Object.entries(spec.params as ParamSchemaMap)) Object.defineProperty(out, k, { value: has(k) ? src[k] : s.default, enumerable: true, writable: true });
  }
  for (const k of Object.keys(src).sort()) {
    if (!has(k) || Object.prototype.hasOwnProperty.call(out, k)) continue;
    Object.defineProperty(out, k, { value: src[k], enumerable: true, writable: true });
  }
  return out;
}

export function graphToDocument(g: Graph): Record<string, unknown> {
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    name: g.name,
    ...(g.title !== undefined ? { title: g.title } : {}),
    ...(g.description !== undefined ? { description: g.description } : {}),
    ...(g.blocks && Object.keys(g.blocks).length ? { blocks: blocksToDocument(g.blocks) } : {}),
    nodes: g.nodes.map((n) => ({
      id: n.id,
      kind: n.kind,
      name: n.name,
      ...(n.group !== undefined ? { group: n.group } : {}),
      ...(n.shares !== undefined ? { shares: n.shares } : {}),
      params: canonicalParams(n),
      ...(n.position ? { position: { x: round2(n.position.x), y: round2(n.position.y) } } : {}),
    })),
    edges: g.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, targetPort: e.targetPort })),
    ...(g.groups?.length ? {
      groups: g.groups.map((x) => ({
        id: x.id, title: x.title, nodes: [...x.nodes],
        ...(x.parent !== undefined ? { parent: x.parent } : {}),
        ...(x.collapsed ? { collapsed: true } : {}),
      })),
    } : {}),
  };
}

function blocksToDocument(blocks: Record<string, BlockDef>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, b] of Object.entries(blocks)) {
    Object.defineProperty(out, name, {
      enumerable: true, writable: true, configurable: true,
      value: {
        ...(b.title !== undefined ? { title: b.title } : {}),
        ...(b.description !== undefined ? { description: b.description } : {}),
        params: b.params,
        inputs: b.inputs,
        output: b.output,
        nodes: b.nodes.map((n) => ({
          id: n.id, kind: n.kind, name: n.name, ...(n.shares !== undefined ? { shares: n.shares } : {}), params: canonicalParams(n),
          ...(n.position ? { position: { x: round2(n.position.x), y: round2(n.position.y) } } : {}),
        })),
        edges: b.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, targetPort: e.targetPort })),
      },
    });
  }
  return out;
}

const round2 = (v: number) => (Math.abs(v) < 1e12 ? Math.round(v * 100) / 100 : v);

/** Deterministic text: small objects and arrays on one line, the rest one entry per line. */
export function serializeGraph(g: Graph): string {
  return `${printJson(graphToDocument(g), '')}\n`;
}

const INLINE_WIDTH = 160;

export function printJson(v: unknown, indent: string): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  const inline = printInline(v);
  if (inline.length + indent.length <= INLINE_WIDTH && !inline.includes('\n')) return inline;
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    return `[\n${v.map((x) => inner + printJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v);
  if (!entries.length) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${printJson(x, inner)}`).join(',\n')}\n${indent}}`;
}

function printInline(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(printInline).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${printInline(x)}`).join(', ')}}`;
}
