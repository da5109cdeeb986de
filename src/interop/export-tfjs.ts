/**
 * netloom graph → TF.js Layers-format `model.json` (a functional `Model`
 * topology), as `model.save()` writes it; `tf.loadLayersModel` reads it back.
 * What the Keras topology cannot say (Window inputs, a Reshape's -1, display
 * groups, title) travels in `userDefinedMetadata.netloom`, so importing the
 * file gives back the same graph. The file's text is ASCII (see `asciiJson`).
 */
import type { Graph } from '../engine/types.ts';
import { kerasLayerOf } from './keras-export.ts';
import { isWrappedLayer, snake } from '../engine/passport.ts';
import { getLayer } from '../engine/layers/index.ts';
import { mapLayer } from './keras-layers.ts';
import type { Obj } from './keras-config.ts';
import { ExportError, prepareExport } from './prepare.ts';
import { TIED_HEAD_TFJS } from '../compile/tf-layers.ts';

export const GENERATED_BY = 'netloom 0.1.0';

export interface WeightsManifestEntry {
  paths: string[];
  weights: { name: string; shape: number[]; dtype: 'float32' }[];
}

/** What `userDefinedMetadata.netloom` holds: per layer name, what Keras cannot carry. */
export interface NetloomMetadata {
  name: string;
  title?: string;
  description?: string;
  nodes: Record<string, { kind?: string; params?: Record<string, unknown>; group?: string }>;
}

export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: { class_name: 'Model'; config: Record<string, unknown>; keras_version: string; backend: string };
  weightsManifest: WeightsManifestEntry[];
  userDefinedMetadata: { netloom: NetloomMetadata };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * What reading the Keras layer back would lose: the kind, when it reads back
 * as another (a Window is an InputLayer), else the parameters it reads back
 * differently (a Reshape's -1 is written inferred).
 */
function lostInKeras(kind: string, params: Record<string, unknown>, className: string, config: Record<string, unknown>): NetloomMetadata['nodes'][string] {
  const back = mapLayer(className, config as Obj, () => {});
  if (!back || back.kind !== kind) return { kind, params: structuredClone(params) };
  const changed = Object.keys(params).filter((k) => !same(params[k], back.params[k]));
  return changed.length ? { params: Object.fromEntries(changed.map((k) => [k, structuredClone(params[k])])) } : {};
}

/** A functional model's Keras config: one layer per node, from its kind's codec, and netloom's extras per layer. */
function functionalConfig(flat: Graph, analysis: ReturnType<typeof prepareExport>['analysis']) {
  const nameOf = (id: string) => analysis.byId.get(id)!.name;
  const meta: NetloomMetadata = {
    name: flat.name,
    ...(flat.title !== undefined ? { title: flat.title } : {}),
    ...(flat.description !== undefined ? { description: flat.description } : {}),
    nodes: {},
  };
  // A node that `shares` another is one more call of the owner's layer: a layer with several inbound nodes,
  // and a reference to the node's output is [owner, call, 0]. Calls are numbered in the order listed here.
  const tied = analysis.nodes.find((r) => r.shares !== undefined && analysis.byId.get(r.shares)?.kind !== r.kind);
  if (tied) throw new ExportError([{ nodeId: tied.id, field: 'shares', message: TIED_HEAD_TFJS.replace('TF.js has', 'a Keras layer list has') }]);
  const callOf = new Map<string, [string, number]>();
  const calls = new Map<string, number>();
  for (const r of analysis.nodes) {
    const owner = r.shares ?? r.id;
    const k = calls.get(owner) ?? 0;
    calls.set(owner, k + 1);
    callOf.set(r.id, [nameOf(owner), k]);
  }
  const ref = (id: string) => [...callOf.get(id)!, 0];
  const inbound = new Map<string, unknown[][]>();
  for (const r of analysis.nodes) {
    const owner = r.shares ?? r.id;
    const list = inbound.get(owner) ?? [];
    if (r.inputIds.length) list[callOf.get(r.id)![1]] = r.inputIds.map((id) => [...ref(id), {}]);
    inbound.set(owner, list);
  }
  const layers = analysis.nodes.filter((r) => r.shares === undefined).map((r) => {
    const { className, config } = kerasLayerOf(r);
    const extra: NetloomMetadata['nodes'][string] = lostInKeras(r.kind, r.params, className, config);
    if (r.group !== undefined) extra.group = r.group;
    if (Object.keys(extra).length) meta.nodes[r.name] = extra;
    return {
      name: r.name,
      class_name: className,
      config: { name: r.name, ...(getLayer(r.kind)?.keras.noTrainable ? {} : { trainable: true }), ...config },
      inbound_nodes: inbound.get(r.id) ?? [],
    };
  });
  const config = {
    name: flat.name,
    layers,
    input_layers: analysis.inputs.map((id) => ref(id)),
    output_layers: analysis.outputs.map((id) => ref(id)),
  };
  return { config, meta };
}

/**
 * The model.json document. `weightsManifest` is empty for an untrained
 * graph; a trainer passes the manifest of the weights it saves beside it.
 * Like the compiler, it refuses what TF.js cannot build, naming the node.
 */
export function toTfjsModelJson(graph: Graph, opts: { weightsManifest?: WeightsManifestEntry[] } = {}): TfjsModelJson {
  const { graph: flat, analysis } = prepareExport(graph, { tfjs: true });
  const { config, meta } = functionalConfig(flat, analysis);
  return {
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: null,
    modelTopology: { class_name: 'Model', config, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
    weightsManifest: opts.weightsManifest ?? [],
    userDefinedMetadata: { netloom: meta },
  };
}

/**
 * The model as Keras (2 or 3) reads it with `keras.models.model_from_json`:
 * the same layers as model.json, without TF.js's refusals (a TF2 GRU with
 * resetAfter true is fine here). What Keras cannot carry is lost, as in any
 * Keras file: open the netloom graph file to keep it.
 */
export function toKerasModelJson(graph: Graph): { module: string; class_name: 'Functional'; config: Record<string, unknown>; keras_version: string; backend: string } {
  const { graph: flat, analysis } = prepareExport(graph);
  const { config } = functionalConfig(flat, analysis);
  keras3Calls(config.layers, analysis);
  // Keras 3 finds a class without a module only at the top of a layer list: name it for wrapped layers.
  for (const l of config.layers) {
    for (const v of Object.values(l.config)) {
      if (isWrappedLayer(v)) Object.assign(v, { module: 'keras.layers' });
    }
  }
  return { module: 'keras.src.models.functional', class_name: 'Functional', config, keras_version: '3', backend: 'netloom' };
}

/**
 * What only Keras 3's own form of a layer can say: a layer with named ports
 * (MultiHeadAttention) is called on them as positional arguments
 * (`mha(x, x)`), not on one list; its call arguments (`use_causal_mask`)
 * leave the config for the call's `kwargs`; and a custom class (keras_hub's
 * PositionEmbedding, ClassToken) carries the name it is registered under.
 */
function keras3Calls(layers: { name: string; class_name: string; config: Record<string, unknown>; inbound_nodes: unknown[] }[], analysis: ReturnType<typeof prepareExport>['analysis']): void {
  analysis.nodes.forEach((r, i) => {
    const spec = getLayer(r.kind);
    const l = layers[i];
    if (!spec || l.name !== r.name) return;
    // A module names the new-style lookup, which finds the class by its registered name first.
    if (spec.keras.custom) Object.assign(l, { module: spec.keras.custom.registeredName.split('>')[0], registered_name: spec.keras.custom.registeredName });
    if (!spec.inputs.names && !spec.keras.callArgs) return;
    const kwargs: Record<string, unknown> = {};
    for (const k of spec.keras.callArgs ?? []) {
      const key = snake(k);
      if (l.config[key] === true || (l.config[key] !== false && l.config[key] !== undefined && l.config[key] !== null)) kwargs[key] = l.config[key];
      delete l.config[key];
    }
    const tensor = (id: string) => {
      const src = analysis.byId.get(id)!;
      return { class_name: '__keras_tensor__', config: { shape: src.outputShape, dtype: 'float32', keras_history: [src.name, 0, 0] } };
    };
    l.inbound_nodes = [{ args: r.inputIds.map(tensor), kwargs }];
  });
}

/**
 * JSON text with every character outside printable ASCII written as `\uXXXX`.
 * JSON.parse gives back the same value, and a name holding a bidi override
 * (U+202E), a line separator or a control character cannot disguise the text
 * where the file is viewed. Outside strings JSON.stringify writes only ASCII,
 * so the whole text can be escaped at once.
 */
export const asciiJson = (json: string): string =>
  json.replace(/[^\n\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The text of model.json as it should be written to a file: ASCII, indented, ending in a newline. */
export function toTfjsModelJsonText(graph: Graph, opts: { weightsManifest?: WeightsManifestEntry[]; indent?: number } = {}): string {
  return `${asciiJson(JSON.stringify(toTfjsModelJson(graph, opts), null, opts.indent ?? 2))}\n`;
}
