/**
 * The compiler's one entry point: engine graph → `tf.LayersModel`, with the
 * analysis it was checked against. Everything that turns a graph into a TF.js
 * model goes through `compile`, so graph-level rewrites (block expansion) live
 * in exactly one place: `flattenForCompile`.
 *
 * Every problem is found before a single layer is built: the engine's own
 * errors, options TF.js cannot express (`tfUnsupported`) and an empty graph.
 * They come back together in one `CompileError`, each naming its node and fix.
 */
import type * as tfType from '@tensorflow/tfjs';
import { analyze, expandBlocks, hasBlocks, type Analysis, type Graph, type Problem } from '../engine/index.ts';
import { CompileError, tfUnsupported, toTfModel } from './to-tf.ts';

export { CompileError } from './to-tf.ts';

type Tf = typeof tfType;

export interface Compiled {
  model: tfType.LayersModel;
  /** The analysis of the graph that was built (after flattening), for verification. */
  analysis: Analysis;
}

/**
 * The graph TF.js sees: blocks expanded into their layers (named
 * `use/inner`), with the expansion's own problems. This is the single call
 * site for block expansion in the compiler, so every compiled model,
 * verification and run sees a flat graph.
 */
export function flattenForCompile(graph: Graph): { graph: Graph; problems: Problem[] } {
  if (!hasBlocks(graph)) return { graph, problems: [] };
  const expansion = expandBlocks(graph);
  return { graph: expansion.graph, problems: expansion.problems };
}

/** Every reason the analysed graph cannot be built in TF.js; empty when it can. */
export function compileProblems(analysis: Analysis): Problem[] {
  const problems = [...analysis.problems, ...tfUnsupported(analysis)];
  if (!problems.length && !analysis.outputs.length) {
    problems.push({ message: 'the graph has no layers to compile; add an Input (or a Window) and a layer fed by it' });
  }
  return problems;
}

/**
 * Builds the graph as a functional `tf.LayersModel`: Input and Window nodes
 * become model inputs (a Window as `[nSteps, features]`), nodes that feed
 * nothing become its outputs, and layer names are node names.
 *
 * Throws `CompileError` listing every problem before anything is built. The
 * caller owns the model and must `dispose()` it (a `ModelSession` does).
 */
export function compile(tf: Tf, graph: Graph): Compiled {
  const flat = flattenForCompile(graph);
  const analysis = analyze(flat.graph);
  const problems = [...flat.problems, ...compileProblems(analysis)];
  if (problems.length) throw new CompileError(problems);
  return { model: toTfModel(tf, flat.graph, analysis), analysis };
}
