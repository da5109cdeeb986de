/**
 * Graph → trainable model, in one place. It goes through the compiler's
 * single entry point (`compile`), whose `flattenForCompile` expands reusable
 * blocks, so training sees exactly the model every other consumer builds.
 */
import type * as tfType from '@tensorflow/tfjs';
import { compile, flattenForCompile } from '../compile/compile.ts';
import { KIND } from '../engine/layers/index.ts';
import type { Graph, GraphNode } from '../engine/types.ts';
import { mulberry32 } from '../data/random.ts';
import { TrainError } from './train.ts';

type Tf = typeof tfType;

/**
 * Builds the graph's `tf.LayersModel`; throws `CompileError` naming each node
 * with a problem. The caller disposes it.
 *
 * With a seed, the initial weights are reproducible: TF.js initialisers draw
 * their own seed from `Math.random` when none is given, so `Math.random` is a
 * seeded generator while the (synchronous) build runs. Two runs of a variant
 * then differ only by what the user changed.
 */
export function buildModel(tf: Tf, graph: Graph, seed?: number): tfType.LayersModel {
  if (seed == null) return compile(tf, graph).model;
  const original = Math.random;
  Math.random = mulberry32(seed);
  try {
    return compile(tf, graph).model;
  } finally {
    Math.random = original;
  }
}

/** The Window settings a series run uses, read from the graph's one Window node. */
export interface GraphWindow {
  node: GraphNode;
  nSteps: number;
  horizon: number;
  stride: number;
  features: number;
}

/**
 * The graph's Window node: the model takes its windows, so the data is cut
 * with its nSteps, horizon and stride. Errors name the node and the fix.
 */
export function graphWindow(graph: Graph, featureCount?: number): GraphWindow {
  const windows = flattenForCompile(graph).graph.nodes.filter((n) => n.kind === KIND.Window);
  if (windows.length !== 1) {
    throw new TrainError('model', windows.length
      ? `the graph has ${windows.length} Window nodes (${windows.map((n) => n.id).join(', ')}); training on a series takes one, remove the others`
      : 'the graph has no Window node; add a Window as the model input to train on a series');
  }
  const node = windows[0];
  const p = node.params as Record<string, number>;
  if (featureCount != null && p.features !== featureCount) {
    throw new TrainError(node.id, `features is ${p.features} but the data has ${featureCount} feature column${featureCount === 1 ? '' : 's'}; set features to ${featureCount} or choose ${p.features} columns`);
  }
  return { node, nSteps: p.nSteps, horizon: p.horizon ?? 1, stride: p.stride ?? 1, features: p.features };
}
