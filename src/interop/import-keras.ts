/**
 * Keras `model.to_json()` and TF.js Layers `model.json` → a netloom graph.
 *
 * Only the topology is read: parameter counts come from netloom's own
 * analysis of the imported graph, never from a `weightsManifest`. Sequential
 * (list and `{name, layers}` configs), Model / Functional, nested models
 * (inlined, their layers prefixed `outer/`), Keras 2 and Keras 3 inbound
 * nodes and shared layers (one node per call) are all read the same way.
 */
import { layeredLayout } from '../engine/layout.ts';
import type { Graph, GraphEdge, GraphNode, Problem } from '../engine/types.ts';
import { portName } from '../engine/types.ts';
import {
  declaredShape, endpointRefs, inboundCalls, isObj, modelConfigOf, type Json, type Obj, type TensorRef,
} from './keras-config.ts';
import { channelsFirst, mapLayer } from './keras-layers.ts';

/** Something the import changed or could not carry over, on the node it concerns. */
export interface ImportNote {
  nodeId?: string;
  message: string;
}

/** A node that repeats a shared Keras layer's call: Keras holds its weights once, netloom counts them per call. */
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

class Builder {
  nodes: GraphNode[] = [];
  edges: GraphEdge[] = [];
  notes: ImportNote[] = [];
  shared: SharedCall[] = [];
  private byId = new Map<string, GraphNode>();
  /** Nodes whose output Keras holds channels-first and netloom holds channels-last. */
  private flipped = new Set<string>();

  note(nodeId: string | undefined, message: string): void {
    this.notes.push(nodeId === undefined ? { message } : { nodeId, message });
  }

  private uniqueId(want: string): string {
    let id = want || 'layer';
    for (let k = 2; this.byId.has(id); k++) id = `${want}_${k}`;
    return id;
  }

  add(want: string, kind: string, params: Record<string, unknown>, inputs: string[]): string {
    const id = this.uniqueId(want);
    const node: GraphNode = { id, kind, name: id, params };
    this.nodes.push(node);
    this.byId.set(id, node);
    inputs.forEach((src, i) => this.edges.push({ id: `e${this.edges.length + 1}`, source: src, target: id, targetPort: portName(i) }));
    return id;
  }

  addInput(want: string, shape: (number | null)[], path: string): string {
    if (!shape.length) throw new ImportError({ path, message: `input '${want}' has no shape; give it a batch_input_shape such as [null, 28, 28, 1]` });
    const open = shape.some((d) => d === null);
    const fixed = shape.map((d, i) => d ?? (shape.length >= 3 && i < shape.length - 1 ? OPEN_AXIS_SIZE.image : OPEN_AXIS_SIZE.sequence));
    const id = this.add(want, 'Input', { shape: fixed }, []);
    if (open) this.note(id, `Keras leaves some input axes open (${JSON.stringify(shape)}); netloom needs fixed sizes and uses ${JSON.stringify(fixed)}: set the real size on this Input (parameter counts do not depend on it)`);
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
    if ((kind === 'BatchNormalization' || kind === 'LayerNormalization') && node.params.axis === 1) {
      node.params.axis = -1;
      this.note(id, 'axis 1 of a channels-first tensor imported as axis -1 (channels-last)');
      this.flipped.add(id);
    } else if (kind === 'Activation' || kind === 'Dropout') {
      this.flipped.add(id);
    } else if (kind === 'Flatten') {
      this.note(id, 'flattens a channels-first tensor held channels-last: the same count of values in another order');
    }
  }

  private flipAt(src: string): boolean {
    const n = this.byId.get(src)!;
    const key = n.kind === 'Reshape' ? 'targetShape' : n.kind === 'Input' ? 'shape' : null;
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
    if (!isObj(l) || typeof l.class_name !== 'string') throw new ImportError({ path: at, message: 'each layer needs a class_name and a config' });
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
  const put = (name: string, call: number, ids: string[]) => {
    const calls = made.get(name) ?? [];
    calls[call] = ids;
    made.set(name, calls);
  };
  const inputRefs = endpointRefs(config.input_layers);
  if (feed) inputRefs.forEach((r, i) => feed[i] !== undefined && put(r.layer, 0, [feed[i]]));
  const queue: Pending[] = [];
  config.layers.forEach((l, i) => {
    const at = `${path}/layers/${i}`;
    if (!isObj(l) || typeof l.class_name !== 'string') throw new ImportError({ path: at, message: 'each layer needs a class_name and a config' });
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
  let progress = true;
  while (queue.length && progress) {
    progress = false;
    for (let q = 0; q < queue.length; q++) {
      const p = queue[q];
      const ins = p.refs.map((r) => made.get(r.layer)?.[r.node]?.[r.tensor]);
      if (ins.some((x) => x === undefined)) continue;
      queue.splice(q--, 1);
      progress = true;
      buildCall(b, p, ins as string[], prefix, put);
    }
  }
  if (queue.length) {
    const p = queue[0];
    const missing = p.refs.find((r) => made.get(r.layer)?.[r.node]?.[r.tensor] === undefined)!;
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
  const refs = [...queue.flatMap((p) => p.refs), ...outputRefs];
  const used = new Map<string, Set<number>>();
  for (const r of refs) used.set(r.layer, (used.get(r.layer) ?? new Set()).add(r.node));
  for (const [layer, nodes] of used) {
    const count = callCount.get(layer) ?? 0;
    if (!count || Math.max(...nodes) < count || nodes.size > count) continue;
    const order = [...nodes].sort((a, b) => a - b);
    for (const r of refs) if (r.layer === layer) r.node = order.indexOf(r.node);
  }
}

function buildCall(b: Builder, p: Pending, ins: string[], prefix: string, put: (name: string, call: number, ids: string[]) => void): void {
  const cls = p.layer.class_name as string;
  const base = prefix + p.name;
  const want = p.call === 0 ? base : `${base}_call${p.call + 1}`;
  if (MODEL_CLASSES.has(cls)) {
    const first = b.nodes.length;
    put(p.name, p.call, importModel(b, p.layer, `${want}/`, ins, p.at));
    if (p.call > 0) {
      b.note(undefined, `model '${base}' is called ${p.call + 1} times: each call is inlined, so netloom counts its weights once per call (Keras once)`);
      for (const n of b.nodes.slice(first)) b.shared.push({ nodeId: n.id, sharesWith: `${base}/${n.id.slice(want.length + 1)}` });
    }
    return;
  }
  const cfg = isObj(p.layer.config) ? p.layer.config : {};
  const id = b.layer(want, cls, cfg, ins);
  if (p.call > 0) {
    b.shared.push({ nodeId: id, sharesWith: base });
    b.note(id, `call ${p.call + 1} of the shared layer '${base}': Keras holds its weights once, netloom counts them again for this node`);
  }
  put(p.name, p.call, [id]);
}

/** Imports a parsed Keras or TF.js Layers document (any wrapping `modelConfigOf` accepts). */
export function importKerasModel(doc: unknown, opts: { name?: string } = {}): ImportResult {
  const model = modelConfigOf(doc);
  if (!model) {
    return { ok: false, problems: [{ path: '/', message: 'not a Keras or TF.js Layers model: expected modelTopology, model_config or {class_name, config}' }] };
  }
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
  const name = (opts.name ?? (typeof meta?.name === 'string' ? meta.name : kerasName)).replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 100) || 'model';
  const title = typeof meta?.title === 'string' ? meta.title : kerasName;
  const description = typeof meta?.description === 'string' ? { description: meta.description } : {};
  const graph = layeredLayout({ name, title, ...description, nodes: b.nodes, edges: b.edges });
  return { ok: true, graph, notes: b.notes, shared: b.shared };
}

/** `userDefinedMetadata.netloom` of a model.json netloom wrote (see export-tfjs.ts), if any. */
function netloomMetadata(doc: unknown): Obj | null {
  if (!isObj(doc) || !isObj(doc.userDefinedMetadata)) return null;
  const m = doc.userDefinedMetadata.netloom;
  return isObj(m) ? m : null;
}

/** Gives back what the Keras topology could not carry: Window inputs, a Reshape's -1, display groups. */
function restore(nodes: GraphNode[], meta: Obj): void {
  const per = isObj(meta.nodes) ? meta.nodes : {};
  for (const n of nodes) {
    const m = per[n.name];
    if (!isObj(m)) continue;
    if (m.kind === 'Window' && n.kind === 'Input' && isObj(m.params)) {
      n.kind = 'Window';
      n.params = structuredClone(m.params) as Record<string, unknown>;
    } else if (n.kind === 'Reshape' && isObj(m.params) && Array.isArray(m.params.targetShape)) {
      n.params.targetShape = m.params.targetShape.slice();
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
