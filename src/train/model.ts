/**
 * Graph → trainable model, in one place: the editor, tests and benches all
 * build models here, so a step before compiling (expanding reusable blocks
 * into a flat graph) is added once, for every caller.
 */
import type * as tfType from '@tensorflow/tfjs';
import { toTfModel } from '../compile/to-tf.ts';
import type { Graph } from '../engine/types.ts';

type Tf = typeof tfType;

export function buildModel(tf: Tf, graph: Graph): tfType.LayersModel {
  return toTfModel(tf, graph);
}
