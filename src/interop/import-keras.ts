/**
 * Keras `model.to_json()` and TF.js Layers `model.json` → a netloom graph.
 *
 * Only the topology is read: parameter counts come from netloom's own
 * analysis of the imported graph, never from a `weightsManifest`. Sequential
 * (list and `{name, layers}` configs), Model / Functional, nested models
 * (inlined, their layers prefixed `outer/`), Keras 2 and Keras 3 inbound
 * nodes and shared layers (one node per call, each later call `shares` the
 * first's weights, so the totals are Keras's) are all read the same way.
 */
import { analyze } from '../engine/analyze.ts';
import { Sweep } from '../engine/graph.ts';
import { layeredLayout } from '../engine/layout.ts';
import { getLayer, KIND } from '../engine/layers/index.ts';
import { LIMITS } from '../engine/limits.ts';
import type { Graph, GraphEdge, GraphNode, Problem } from '../engine/types.ts';
import { portName } from '../engine/types.ts';
import {
  declaredShape, endpointRefs, inboundCalls, isObj, modelConfigOf, nestedTooDeep, type Json, type Obj, type TensorRef,
} from './keras-config.ts';
import { channelsFirst, mapLayer, specOfClass } from './keras-layers.ts';
import { snake } from '../engine/passport.ts';

/** Something the import changed or could not carry over, on the node it concerns. */
export interface ImportNote {
  nodeId?: string;
  message: string;
}

/** A node that repeats a shared Keras layer's call: it `shares` the first call's weights, counted once as in Keras. */
export interface SharedCall {
  nodeId: string;
  sharesWith: string;
}

export type ImportResult =
  | { ok: true; graph: Graph; notes: ImportNote[]; shared: SharedCall[] }
  | { ok: false; problems: Problem[] };

const MODEL_CLASSES = new Set(['Model', 'Functional', 'Sequential']);

/**
 * Length netloom gives an axis Keras leaves open (`None`): the engine needs
 * fixed sizes for shapes, while parameter counts never depend on it.
 */
export const OPEN_AXIS_SIZE = { sequence: 100, image: 224 } as const;

class ImportError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');
/** Longest id, and so name, an imported node may have: the file limits. */
const MAX_ID = Math.min(LIMITS.id, LIMITS.name);
/** Room a shortened id keeps for `_` and a suffix (a graph holds at most a six-digit count of nodes). */
const SUFFIX_ROOM = 8;
/** Containers a node's params may nest: the file's depth less the levels above params (document, nodes, node). */
const PARAMS_DEPTH = LIMITS.depth - 4;

const sizedNote = (shape: (number | null)[], fixed: number[]) =>
  `Keras leaves some input axes open (${JSON.stringify(shape)}); netloom uses ${JSON.stringify(fixed)} there: set the real size on this Input (parameter counts do not depend on it)`;

/**
 * Open sequence lengths stay open when every layer accepts them (a Dense,
 * LSTM or global pool does; a Flatten before a Dense needs the length): else
 * the inputs get sizes, with a note, as for open image axes.
 */
function keepOpenLengths(b: Builder): void {
  if (!b.openInputs.size) return;
  const errors = () => analyze({ name: 'import', nodes: b.nodes, edges: b.edges }).nodes.filter((r) => r.status === 'error').length;
  const open = errors();
  const inputs = [...b.openInputs].map(([id, o]) => ({ node: b.nodes.find((n) => n.id === id)!, ...o }));
  for (const x of inputs) x.node.params = { ...x.node.params, shape: x.fixed };
  const sized = errors();
  for (const x of inputs) {
    if (open <= sized) {
      x.node.params = { ...x.node.params, shape: x.shape };
      b.note(x.node.id, `Keras leaves the sequence length open (${JSON.stringify(x.shape)}); it stays open (None): parameter counts do not depend on it, multiply-adds and activation memory are shown as depending on it until you set a length`);
    } else b.note(x.node.id, sizedNote(x.shape, x.fixed));
  }
}

class Builder {
  nodes: GraphNode[] = [];
  edges: GraphEdge[] = [];
  notes: ImportNote[] = [];
  shared: SharedCall[] = [];
  private byId = new Map<string, GraphNode>();
  /** Per base id, the next suffix to try: many layers of one name cost one step each, not a scan. */
  private nextSuffix = new Map<string, number>();
  /** Per node id, the id the Keras names asked for (before suffixes and shortening). */
  private wanted = new Map<string, string>();
  /** Per wanted id, the first node made for it. */
  private firstFor = new Map<string, string>();
  /** Inputs imported with an open sequence length: Keras's shape and the sizes to fall back to. */
  openInputs = new Map<string, { shape: (number | null)[]; fixed: number[] }>();
  /** Nodes whose output Keras holds channels-first and netloom holds channels-last. */
  private flipped = new Set<string>();

  note(nodeId: string | undefined, message: string): void {
    this.notes.push(nodeId === undefined ? { message } : { nodeId, message });
  }

  /**
   * `want` if free, else `want_2`, `want_3`, …; cut to the file's id limit,
   * keeping room for a suffix, when the Keras names are longer.
   */
  private uniqueId(want: string): string {
    const id = want || 'layer';
    if (id.length <= MAX_ID && !this.byId.has(id)) return id;
    const base = id.length > MAX_ID - SUFFIX_ROOM ? id.slice(0, MAX_ID - SUFFIX_ROOM) : id;
    let out = base;
    if (base === id || this.byId.has(base)) {
      let k = this.nextSuffix.get(base) ?? 2;
      while (this.byId.has(`${base}_${k}`)) k++;
      this.nextSuffix.set(base, k + 1);
      out = `${base}_${k}`;
    }
    if (id.length > MAX_ID) {
      this.note(out, `Keras name '${id.slice(0, 40)}…' (${fmt(id.length)} characters) is longer than ${MAX_ID} characters; shortened to '${out.slice(0, 40)}…'`);
    }
    return out;
  }

  /** The node made first for a wanted id (shared calls name the node they share with by it). */
  idFor(want: string): string {
    return this.firstFor.get(want) ?? want;
  }

  /** The id the Keras names asked for when node `id` was made. */
  wantOf(id: string): string {
    return this.wanted.get(id) ?? id;
  }

  add(want: string, kind: string, params: Record<string, unknown>, inputs: string[]): string {
    if (this.nodes.length >= LIMITS.nodes) throw new ImportError({ path: '/', message: TOO_MANY_MADE });
    if (this.edges.length + inputs.length > LIMITS.edges) {
      throw new ImportError({ path: '/', message: `the model makes more than ${fmt(LIMITS.edges)} connections, more than a netloom graph may hold; split it into smaller models` });
    }
    const id = this.uniqueId(want);
    const node: GraphNode = { id, kind, name: id, params };
    this.nodes.push(node);
    this.byId.set(id, node);
    this.wanted.set(id, want);
    if (!this.firstFor.has(want)) this.firstFor.set(want, id);
    inputs.forEach((src, i) => this.edges.push({ id: `e${this.edges.length + 1}`, source: src, target: id, targetPort: portName(i) }));
    return id;
  }

  addInput(want: string, shape: (number | null)[], path: string): string {
    if (!shape.length) throw new ImportError({ path, message: `input '${want}' has no shape; give it a batch_input_shape such as [null, 28, 28, 1]` });
    const open = shape.some((d) => d === null);
    const fixed = shape.map((d, i) => d ?? (shape.length >= 3 && i < shape.length - 1 ? OPEN_AXIS_SIZE.image : OPEN_AXIS_SIZE.sequence));
    // A sequence's length ((None,) ids, (None, features)) stays open as in Keras, where the layers after it allow that (keepOpenLengths).
    const seq = shape.length <= 2 && shape[0] === null && shape.slice(1).every((d) => d !== null);
    const id = this.add(want, KIND.Input, { shape: seq ? shape : fixed }, []);
    if (seq) this.openInputs.set(id, { shape, fixed });
    else if (open) this.note(id, sizedNote(shape, fixed));
    return id;
  }

  layer(want: string, cls: string, cfg: Obj, inputs: string[]): string {
    const pending: string[] = [];
    const mapped = mapLayer(cls, cfg, (m) => pending.push(m));
    const id = mapped
      ? this.add(want, mapped.kind, mapped.params, inputs)
      : this.add(want, cls, structuredClone(cfg) as Record<string, unknown>, inputs);
    for (const m of pending) this.note(id, m);
    if (!mapped) this.note(id, `Keras class '${cls}' has no netloom kind yet, so this node cannot be analysed and the layers after it are blocked; replace it with a supported layer or remove it`);
    if (cfg.trainable === false) this.note(id, 'Keras marks this layer trainable: false; netloom has no per-layer trainable flag, so its weights count as trainable (the total is the same)');
    if (mapped) this.layout(id, mapped.kind, cfg, inputs);
    return id;
  }

  /**
   * netloom kinds are channels-last. A channels-first layer's input is turned
   * around at its source (a Reshape's target or an Input's shape), and
   * layers that keep the layout (normalisation over axis 1, activations)
   * follow it: the counts are those of Keras, the values are transposed.
   */
  private layout(id: string, kind: string, cfg: Obj, inputs: string[]): void {
    const node = this.byId.get(id)!;
    const src = inputs.length === 1 ? inputs[0] : null;
    const srcFlipped = src !== null && this.flipped.has(src);
    if (channelsFirst(cfg)) {
      if (src && !srcFlipped && !this.flipAt(src)) {
        this.note(id, `channels_first input from '${src}' could not be turned into channels_last; put a Reshape before this layer`);
        return;
      }
      this.note(id, 'data_format channels_first imported as channels_last (netloom shapes are channels-last; counts are unaffected)');
      this.flipped.add(id);
      return;
    }
    if (!srcFlipped) return;
    const layout = getLayer(kind)?.layout;
    if (layout === 'axis' && node.params.axis === 1) {
      node.params.axis = -1;
      this.note(id, 'axis 1 of a channels-first tensor imported as axis -1 (channels-last)');
      this.flipped.add(id);
    } else if (layout === 'follows') {
      this.flipped.add(id);
    } else if (layout === 'reorders') {
      this.note(id, 'reads a channels-first tensor held channels-last: the same count of values in another order');
    }
  }

  private flipAt(src: string): boolean {
    const n = this.byId.get(src)!;
    const layout = getLayer(n.kind)?.layout;
    const key = typeof layout === 'object' ? layout.sets : null;
    const shape = key ? (n.params[key] as number[]) : null;
    if (!key || !shape || shape.length < 2) return false;
    n.params[key] = [...shape.slice(1), shape[0]];
    this.note(src, `shape ${JSON.stringify(shape)} (channels-first) imported as ${JSON.stringify(n.params[key])} (channels-last)`);
    this.flipped.add(src);
    return true;
  }
}

const layerName = (l: Obj, i: number): string => {
  const cfg = isObj(l.config) ? l.config : {};
  const n = typeof l.name === 'string' ? l.name : typeof cfg.name === 'string' ? cfg.name : '';
  return n || `layer_${i}`;
};

/** Imports a model config (`{class_name, config}`) under `prefix`, fed by `feed` when nested; returns its output nodes. */
function importModel(b: Builder, model: Obj, prefix: string, feed: string[] | null, path: string): string[] {
  const cls = model.class_name;
  if (cls === 'Sequential') return importSequential(b, model.config, prefix, feed, `${path}/config`);
  if (typeof cls === 'string' && MODEL_CLASSES.has(cls)) return importFunctional(b, model.config, prefix, feed, `${path}/config`);
  throw new ImportError({ path: `${path}/class_name`, message: `model class '${String(cls)}' is not Sequential, Model or Functional; export the model with model.to_json()` });
}

function importSequential(b: Builder, config: Json | undefined, prefix: string, feed: string[] | null, path: string): string[] {
  const layers = Array.isArray(config) ? config : isObj(config) && Array.isArray(config.layers) ? config.layers : null;
  if (!layers) throw new ImportError({ path, message: 'a Sequential config needs a list of layers (config or config.layers)' });
  let cur: string | null = feed ? feed[0] : null;
  const buildShape = isObj(config) && Array.isArray(config.build_input_shape) ? declaredShape({ batch_input_shape: config.build_input_shape }) : null;
  layers.forEach((l, i) => {
    const at = `${path}${Array.isArray(config) ? '' : '/layers'}/${i}`;
    if (!isObj(l) || typeof l.class_name !== 'string' || !l.class_name) throw new ImportError({ path: at, message: 'each layer needs a class_name and a config' });
    const cfg = isObj(l.config) ? l.config : {};
    const name = prefix + layerName(l, i);
    if (l.class_name === 'InputLayer') {
      if (cur === null) cur = b.addInput(name, declaredShape(cfg) ?? [], at);
      return;
    }
    if (cur === null) {
      const shape = declaredShape(cfg) ?? buildShape;
      if (!shape) throw new ImportError({ path: at, message: `the first layer '${name}' declares no input shape; give it batch_input_shape (Keras: input_shape=...)` });
      cur = b.addInput(`${name}_input`, shape, at);
    }
    cur = MODEL_CLASSES.has(l.class_name)
      ? importModel(b, l, `${name}/`, [cur], at)[0]
      : b.layer(name, l.class_name, cfg, [cur]);
  });
  if (cur === null) throw new ImportError({ path, message: 'the Sequential model has no layers' });
  return [cur];
}

interface Pending {
  layer: Obj;
  name: string;
  call: number;
  refs: TensorRef[];
  at: string;
}

function importFunctional(b: Builder, config: Json | undefined, prefix: string, feed: string[] | null, path: string): string[] {
  if (!isObj(config) || !Array.isArray(config.layers)) throw new ImportError({ path, message: 'a Model config needs a layers list' });
  /** Per Keras layer name: per call (node index), the node ids of its output tensors. */
  const made = new Map<string, string[][]>();
  /** Tells the calls waiting for a layer's call that it is made (set once the queue is known). */
  let wake: ((name: string, call: number, ids: string[]) => void) | null = null;
  const put = (name: string, call: number, ids: string[]) => {
    const calls = made.get(name) ?? [];
    calls[call] = ids;
    made.set(name, calls);
    wake?.(name, call, ids);
  };
  const inputRefs = endpointRefs(config.input_layers);
  if (feed) inputRefs.forEach((r, i) => feed[i] !== undefined && put(r.layer, 0, [feed[i]]));
  const queue: Pending[] = [];
  config.layers.forEach((l, i) => {
    const at = `${path}/layers/${i}`;
    if (!isObj(l) || typeof l.class_name !== 'string' || !l.class_name) throw new ImportError({ path: at, message: 'each layer needs a class_name and a config' });
    const name = layerName(l, i);
    const calls = inboundCalls(l.inbound_nodes);
    if (l.class_name === 'InputLayer' || !calls.length) {
      if (made.has(name)) return; // fed by the outer model
      const cfg = isObj(l.config) ? l.config : {};
      if (l.class_name !== 'InputLayer' && !declaredShape(cfg)) return; // a layer never called: not part of the graph
      const input = b.addInput(prefix + name, declaredShape(cfg) ?? [], at);
      put(name, 0, l.class_name === 'InputLayer' ? [input] : [b.layer(prefix + name + '_layer', l.class_name, cfg, [input])]);
      return;
    }
    calls.forEach((refs, call) => queue.push({ layer: l, name, call, refs, at }));
  });

  const outputRefs = endpointRefs(config.output_layers);
  renumberCalls(config, queue, outputRefs);

  // Calls are built once all their inputs exist: shared layers may be listed before what feeds their later calls.
  // Each call counts the inputs it still waits for and is woken by the calls that make them, in the order
  // that passes over the list in file order would build them.
  const resolve = (r: TensorRef) => made.get(r.layer)?.[r.node]?.[r.tensor];
  const missing = new Int32Array(queue.length);
  const waiting = new Map<string, Map<number, { q: number; tensor: number }[]>>();
  const sweep = new Sweep();
  queue.forEach((p, q) => {
    for (const r of p.refs) {
      if (resolve(r) !== undefined) continue;
      missing[q]++;
      let calls = waiting.get(r.layer);
      if (!calls) waiting.set(r.layer, (calls = new Map()));
      const list = calls.get(r.node);
      if (list) list.push({ q, tensor: r.tensor });
      else calls.set(r.node, [{ q, tensor: r.tensor }]);
    }
    if (!missing[q]) sweep.ready(q);
  });
  wake = (name, call, ids) => {
    const calls = waiting.get(name);
    const list = calls?.get(call);
    if (!list) return;
    calls!.delete(call);
    for (const w of list) if (ids[w.tensor] !== undefined && --missing[w.q] === 0) sweep.ready(w.q);
  };
  const built = new Uint8Array(queue.length);
  for (let q = sweep.take(); q >= 0; q = sweep.take()) {
    built[q] = 1;
    const p = queue[q];
    buildCall(b, p, p.refs.map(resolve) as string[], prefix, put);
  }
  wake = null;
  const stuck = built.indexOf(0);
  if (stuck >= 0) {
    const p = queue[stuck];
    const missing = p.refs.find((r) => resolve(r) === undefined)!;
    throw new ImportError({
      path: `${p.at}/inbound_nodes`,
      message: `layer '${p.name}' is called on output ${missing.node}/${missing.tensor} of '${missing.layer}', which the model never produces (or the calls form a cycle); check inbound_nodes`,
    });
  }
  const outs = outputRefs.map((r) => made.get(r.layer)?.[r.node]?.[r.tensor]);
  if (!outs.length || outs.some((o) => o === undefined)) {
    throw new ImportError({ path: `${path}/output_layers`, message: 'output_layers names a layer output the model does not produce; check output_layers' });
  }
  return outs as string[];
}

/**
 * Keras numbers a layer's calls within the saved model; tfjs-layers keeps a
 * nested model's own numbering (its first call is its internal one, so the
 * outer call is referred to as 1 while listed first). Where references point
 * past a layer's listed calls, the referenced numbers are mapped in order
 * onto the calls that exist, as Keras's own renumbering does.
 */
function renumberCalls(config: Obj, queue: Pending[], outputRefs: TensorRef[]): void {
  const callCount = new Map<string, number>();
  (config.layers as Json[]).forEach((l, i) => {
    if (isObj(l)) callCount.set(layerName(l, i), Math.max(1, inboundCalls(l.inbound_nodes).length));
  });
  // References grouped by the layer they name, so each layer's are renumbered in one pass.
  const byLayer = new Map<string, TensorRef[]>();
  const add = (r: TensorRef) => {
    const list = byLayer.get(r.layer);
    if (list) list.push(r);
    else byLayer.set(r.layer, [r]);
  };
  for (const p of queue) for (const r of p.refs) add(r);
  for (const r of outputRefs) add(r);
  for (const [layer, refs] of byLayer) {
    const count = callCount.get(layer) ?? 0;
    if (!count) continue;
    const nodes = new Set<number>();
    let highest = -Infinity;
    for (const r of refs) {
      nodes.add(r.node);
      highest = Math.max(highest, r.node);
    }
    if (highest < count || nodes.size > count) continue;
    const rank = new Map<number, number>();
    [...nodes].sort((a, b) => a - b).forEach((n, i) => {
      if (!Number.isNaN(n) && !rank.has(n)) rank.set(n, i);
    });
    for (const r of refs) r.node = rank.get(r.node) ?? -1;
  }
}

/**
 * A layer's config with the call arguments its kind reads as parameters
 * (MultiHeadAttention's `use_causal_mask`), taken from that call's kwargs:
 * Keras 3's `{args, kwargs}`, or the fourth element Keras 2 and TF.js write.
 */
function withCallArgs(cls: string, cfg: Obj, inbound: Json | undefined, call: number): Obj {
  const names = specOfClass(cls)?.keras.callArgs;
  if (!names?.length || !Array.isArray(inbound)) return cfg;
  const node = inbound[call];
  const kwargs = isObj(node) ? node.kwargs : Array.isArray(node) && Array.isArray(node[0]) ? node[0][3] : undefined;
  if (!isObj(kwargs)) return cfg;
  const out: Obj = { ...cfg };
  for (const k of names) if (Object.hasOwn(kwargs, snake(k))) out[snake(k)] = kwargs[snake(k)];
  return out;
}

function buildCall(b: Builder, p: Pending, ins: string[], prefix: string, put: (name: string, call: number, ids: string[]) => void): void {
  const cls = p.layer.class_name as string;
  const base = prefix + p.name;
  const want = p.call === 0 ? base : `${base}_call${p.call + 1}`;
  if (ins.length > LIMITS.ports) {
    throw new ImportError({
      path: `${p.at}/inbound_nodes`,
      message: `layer '${p.name.slice(0, 60)}' is called on ${fmt(ins.length)} tensors, more than the ${fmt(LIMITS.ports)} inputs a netloom layer may take; merge them in stages`,
    });
  }
  if (MODEL_CLASSES.has(cls)) {
    const first = b.nodes.length;
    put(p.name, p.call, importModel(b, p.layer, `${want}/`, ins, p.at));
    if (p.call > 0) {
      b.note(undefined, `model '${base}' is called ${p.call + 1} times: each call is inlined, its layers sharing the first call's weights (counted once, as in Keras)`);
      // Named by wanted ids: the first call's nodes may not exist yet, or may have been renamed.
      for (const n of b.nodes.slice(first)) b.shared.push({ nodeId: n.id, sharesWith: `${base}/${b.wantOf(n.id).slice(want.length + 1)}` });
    }
    return;
  }
  const scalar = scalarOperation(p.layer, p.call, ins.length);
  if (scalar) {
    const id = b.layer(want, KIND.Rescaling, scalar.config, ins);
    b.note(id, `Keras 3 operation ${scalar.text} (no layer, no weights; MobileNetV3's hard_sigmoid is built of these) imported as a Rescaling`);
    put(p.name, p.call, [id]);
    return;
  }
  const cfg = withCallArgs(cls, isObj(p.layer.config) ? p.layer.config : {}, p.layer.inbound_nodes, p.call);
  const id = b.layer(want, cls, cfg, ins);
  if (p.call > 0) {
    b.shared.push({ nodeId: id, sharesWith: base });
    b.note(id, `call ${p.call + 1} of the shared layer '${base}': shares its weights, counted once there as in Keras`);
  }
  put(p.name, p.call, [id]);
}

/**
 * A Keras 3 operation between one tensor and a number (`x + 3.0`, `x * (1/6)`
 * in a Functional model's to_json(): class Add or Multiply, module
 * keras.src.ops.numpy, the number among the call's args), as the Rescaling
 * config that computes it; null for anything else.
 */
function scalarOperation(l: Obj, call: number, tensors: number): { config: Obj; text: string } | null {
  // The operations are named like the merge layers (class Add, Multiply), in another module.
  if (l.module !== 'keras.src.ops.numpy' || (l.class_name !== KIND.Add && l.class_name !== KIND.Multiply) || tensors !== 1) return null;
  const node = Array.isArray(l.inbound_nodes) ? l.inbound_nodes[call] : undefined;
  const args = isObj(node) && Array.isArray(node.args) ? node.args : [];
  const numbers = args.filter((a): a is number => typeof a === 'number' && Number.isFinite(a));
  if (numbers.length !== 1 || args.length !== 2) return null;
  const c = numbers[0];
  return l.class_name === KIND.Add
    ? { config: { scale: 1, offset: c }, text: `x + ${c}` }
    : { config: { scale: c, offset: 0 }, text: `x · ${c}` };
}

/**
 * Layers a model config lists (its own and its nested models'), and the
 * nodes importing it would make: each call of a shared layer or nested model
 * is one more copy. Counted up to one past the node limit, iteratively, from
 * the config alone.
 */
function layerCounts(model: Obj): { listed: number; made: number } {
  const cap = LIMITS.nodes + 1;
  const layersOf = (m: Obj): Json[] => (Array.isArray(m.config) ? m.config : isObj(m.config) && Array.isArray(m.config.layers) ? m.config.layers : []);
  const top = layersOf(model);
  let listed = top.length;
  let made = 0;
  const stack: { layers: Json[]; next: number; made: number; calls: number }[] = [{ layers: top, next: 0, made: 0, calls: 1 }];
  while (stack.length) {
    const f = stack[stack.length - 1];
    if (f.next < f.layers.length) {
      const l = f.layers[f.next++];
      const calls = isObj(l) && Array.isArray(l.inbound_nodes) ? Math.max(1, l.inbound_nodes.length) : 1;
      if (isObj(l) && typeof l.class_name === 'string' && MODEL_CLASSES.has(l.class_name)) {
        const inner = layersOf(l);
        listed += inner.length;
        stack.push({ layers: inner, next: 0, made: 0, calls });
      } else f.made = Math.min(cap, f.made + calls);
      continue;
    }
    stack.pop();
    const total = Math.min(cap, f.made * f.calls);
    if (stack.length) stack[stack.length - 1].made = Math.min(cap, stack[stack.length - 1].made + total);
    else made = total;
  }
  return { listed, made };
}

const TOO_MANY_MADE = `the model makes more than ${fmt(LIMITS.nodes)} layers (each call of a shared layer or model counts), more than a netloom graph may hold; split it into smaller models`;

/**
 * Imports a parsed Keras or TF.js Layers document (any wrapping `modelConfigOf`
 * accepts). What it gives can be saved and reopened: a document too deep or
 * too large for a netloom file is refused before the work, and names, titles
 * and values longer or deeper than a file holds are shortened, with a note.
 */
export function importKerasModel(doc: unknown, opts: { name?: string } = {}): ImportResult {
  const deep = nestedTooDeep(doc, LIMITS.importDepth);
  if (deep !== null) {
    const at = deep.length > 80 ? `${deep.slice(0, 80)}…` : deep || '/';
    return { ok: false, problems: [{ path: at, message: `the document is nested more than ${LIMITS.importDepth} levels deep (at ${at}); no Keras or TF.js model needs that, so it is not imported` }] };
  }
  const model = modelConfigOf(doc);
  if (!model) {
    return { ok: false, problems: [{ path: '/', message: 'not a Keras or TF.js Layers model: expected modelTopology, model_config or {class_name, config}' }] };
  }
  const counts = layerCounts(model);
  if (counts.listed > LIMITS.nodes) {
    return { ok: false, problems: [{ path: '/config/layers', message: `the model has ${fmt(counts.listed)} layers, more than the ${fmt(LIMITS.nodes)} a netloom graph may hold; split it into smaller models` }] };
  }
  if (counts.made > LIMITS.nodes) return { ok: false, problems: [{ path: '/config/layers', message: TOO_MANY_MADE }] };
  const b = new Builder();
  try {
    importModel(b, model, '', null, '');
  } catch (e) {
    if (e instanceof ImportError) return { ok: false, problems: [e.problem] };
    throw e;
  }
  const cfg = isObj(model.config) ? model.config : {};
  const kerasName = typeof cfg.name === 'string' ? cfg.name : 'model';
  const meta = netloomMetadata(doc);
  if (meta) restore(b.nodes, meta);
  fitNodes(b);
  keepOpenLengths(b);
  for (const s of b.shared) s.sharesWith = b.idFor(s.sharesWith);
  const byId = new Map(b.nodes.map((n) => [n.id, n]));
  for (const s of b.shared) {
    const n = byId.get(s.nodeId);
    if (n && byId.has(s.sharesWith) && s.sharesWith !== n.id) n.shares = s.sharesWith;
  }
  const name = (opts.name ?? (typeof meta?.name === 'string' ? meta.name : kerasName)).replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 100) || 'model';
  const metaTitle = typeof meta?.title === 'string';
  const title = fitText(b, metaTitle ? (meta!.title as string) : kerasName, LIMITS.title, metaTitle ? 'title' : 'model name', 'a title');
  const description = typeof meta?.description === 'string' ? { description: fitText(b, meta.description, LIMITS.description, 'description', 'a description') } : {};
  const graph = layeredLayout({ name, title, ...description, nodes: b.nodes, edges: b.edges });
  return { ok: true, graph, notes: b.notes, shared: b.shared };
}

/** `text` cut to `limit` characters, with a note when it was longer. */
function fitText(b: Builder, text: string, limit: number, what: string, as: string): string {
  if (text.length <= limit) return text;
  b.note(undefined, `the ${what} (${fmt(text.length)} characters) is longer than ${as} may be; shortened to its first ${fmt(limit)}`);
  return text.slice(0, limit);
}

/** Kinds, display groups and parameter values brought within what a netloom file holds, each change noted on its node. */
function fitNodes(b: Builder): void {
  for (const n of b.nodes) {
    if (n.kind.length > LIMITS.kind) {
      b.note(n.id, `Keras class name (${fmt(n.kind.length)} characters) is longer than ${LIMITS.kind}; shortened to its first ${LIMITS.kind}`);
      n.kind = n.kind.slice(0, LIMITS.kind);
    }
    if (n.group !== undefined && (n.group.length > LIMITS.name || !n.group)) {
      if (n.group) b.note(n.id, `display group (${fmt(n.group.length)} characters) is longer than ${LIMITS.name}; shortened`);
      if (n.group) n.group = n.group.slice(0, LIMITS.name);
      else delete n.group;
    }
    if (nestedTooDeep(n.params, PARAMS_DEPTH) !== null) {
      const { value, cut } = withinDepth(n.params, PARAMS_DEPTH);
      n.params = value;
      b.note(n.id, `parameter values nested more than ${PARAMS_DEPTH} levels deep (at ${cut.length > 60 ? `${cut.slice(0, 60)}…` : cut}) are dropped (set to null): a netloom file nests at most ${LIMITS.depth} levels`);
    }
  }
}

/**
 * A copy of `params` whose containers nested more than `max` levels below
 * it are replaced by null (iterative: no stack to overflow); `cut` is the
 * path of the first one replaced.
 */
function withinDepth(params: Record<string, unknown>, max: number): { value: Record<string, unknown>; cut: string } {
  let cut = '';
  const root: Record<string, unknown> = {};
  const stack: { src: object; dst: Record<string, unknown> | unknown[]; level: number; path: string }[] = [{ src: params, dst: root, level: 0, path: '' }];
  while (stack.length) {
    const { src, dst, level, path } = stack.pop()!;
    for (const [k, x] of Object.entries(src)) {
      let y: unknown = x;
      if (x !== null && typeof x === 'object') {
        if (level + 1 > max) {
          y = null;
          if (!cut) cut = path + k;
        } else {
          y = Array.isArray(x) ? [] : {};
          stack.push({ src: x, dst: y as Record<string, unknown> | unknown[], level: level + 1, path: `${path}${k}/` });
        }
      }
      if (Array.isArray(dst)) dst[Number(k)] = y;
      else Object.defineProperty(dst, k, { value: y, enumerable: true, writable: true, configurable: true });
    }
  }
  return { value: root, cut };
}

/** `userDefinedMetadata.netloom` of a model.json netloom wrote (see export-tfjs.ts), if any. */
function netloomMetadata(doc: unknown): Obj | null {
  if (!isObj(doc) || !isObj(doc.userDefinedMetadata)) return null;
  const m = doc.userDefinedMetadata.netloom;
  return isObj(m) ? m : null;
}

/**
 * Gives back what the Keras topology could not carry (export-tfjs.ts writes
 * it): a node's own kind and parameters where its Keras layer reads back as
 * something else (a Window, a Reshape's -1), and display groups.
 */
function restore(nodes: GraphNode[], meta: Obj): void {
  const per = isObj(meta.nodes) ? meta.nodes : {};
  for (const n of nodes) {
    // Own entries only: a layer named `constructor` or `__proto__` reads data, never Object's members.
    const m = Object.hasOwn(per, n.name) ? per[n.name] : undefined;
    if (!isObj(m)) continue;
    const kind = typeof m.kind === 'string' && getLayer(m.kind) ? m.kind : null;
    if (isObj(m.params) && (kind || !m.kind)) {
      n.params = { ...(kind ? {} : n.params), ...(structuredClone(m.params) as Record<string, unknown>) };
      if (kind) n.kind = kind;
    }
    if (typeof m.group === 'string') n.group = m.group;
  }
}

/** Which kind of document a parsed JSON file is. */
export type ModelFormat = 'netloom' | 'tfjs-layers' | 'keras' | 'unknown';

export function detectFormat(doc: unknown): ModelFormat {
  if (!isObj(doc)) return 'unknown';
  if (doc.format === 'netloom.graph') return 'netloom';
  if (isObj(doc.modelTopology)) return 'tfjs-layers';
  if (isObj(doc.model_config) || (typeof doc.class_name === 'string' && 'config' in doc)) return 'keras';
  return 'unknown';
}
