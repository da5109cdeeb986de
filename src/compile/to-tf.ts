/**
 * Engine graph → `tf.LayersModel` through the functional API. Each node is
 * its Keras config handed to its kind's `tf.layers` factory (tf-layers.ts),
 * the same config model.json and the JavaScript export write; layer names
 * are node names. What TF.js cannot express is reported before building.
 *
 * The tf namespace is passed in, so the same code runs with `@tensorflow/tfjs`
 * in Node (CPU) and in the browser (WebGPU/WebGL).
 */
import type * as tfType from '@tensorflow/tfjs';
import { analyze, type Analysis, type NodeResult } from '../engine/analyze.ts';
import { getLayer } from '../engine/layers/index.ts';
import type { Graph, Problem } from '../engine/types.ts';
import { kerasLayerOf } from '../interop/keras-export.ts';
import { buildTfLayer, tfArgs, tfInputIds, tfRefusals } from './tf-layers.ts';

type Tf = typeof tfType;
type Sym = tfType.SymbolicTensor;

/** Options TF.js cannot express, per node; each message names the fix (the kinds' passports say which). */
export const tfUnsupported = tfRefusals;

/** The `tf.layers` layer for one analysed node (not for model inputs): its Keras config, through tf-layers.ts. */
export function makeLayer(tf: Tf, r: NodeResult): tfType.layers.Layer {
  const { config } = kerasLayerOf(r);
  return buildTfLayer(tf, r.kind, { ...tfArgs(r.kind, config), name: r.name });
}

export class CompileError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.nodeId ?? p.path ?? ''}: ${p.message}`).join('\n'));
    this.name = 'CompileError';
  }
}

/**
 * Builds the functional model. Throws `CompileError` (every problem, each
 * naming its node and fix) when the graph has errors or uses options TF.js
 * cannot express.
 */
export function toTfModel(tf: Tf, graph: Graph, analysis: Analysis = analyze(graph)): tfType.LayersModel {
  const problems = [...analysis.problems, ...tfUnsupported(analysis)];
  if (problems.length) throw new CompileError(problems);
  if (!analysis.outputs.length) throw new CompileError([{ message: 'the graph has no layers; add an Input and a layer' }]);
  const tensors = new Map<string, Sym>();
  // A node that `shares` another applies the owner's layer object: one TF.js layer, one set of weights, called per node.
  const layers = new Map<string, tfType.layers.Layer>();
  const layerOf = (id: string) => {
    let l = layers.get(id);
    if (!l) layers.set(id, (l = makeLayer(tf, analysis.byId.get(id)!)));
    return l;
  };
  for (const r of analysis.nodes) {
    if (getLayer(r.kind)?.isModelInput) {
      tensors.set(r.id, tf.input({ shape: r.outputShape!.slice(1) as number[], name: r.name, dtype: 'float32' }));
    } else {
      const ins = tfInputIds(r.kind, r.inputIds).map((id) => tensors.get(id)!);
      const out = layerOf(r.shares ?? r.id).apply(ins.length === 1 ? ins[0] : ins) as Sym;
      tensors.set(r.id, out);
    }
  }
  return tf.model({
    name: analysis.graph.name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'model',
    inputs: analysis.inputs.map((id) => tensors.get(id)!),
    outputs: analysis.outputs.map((id) => tensors.get(id)!),
  });
}
