/**
 * The one place where a graph becomes something to export: every exporter
 * (TF.js model.json, Python, JavaScript, SVG) starts here, so reusable
 * blocks are expanded into a flat graph once, for all of them.
 */
import { tfRefusals } from '../compile/tf-layers.ts';
import { analyze, type Analysis } from '../engine/analyze.ts';
import { expandBlocks, hasBlocks } from '../engine/blocks.ts';
import type { Graph, Problem } from '../engine/types.ts';

export class ExportError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.nodeId ?? p.edgeId ?? p.path ?? '/'}: ${p.message}`).join('\n'));
    this.name = 'ExportError';
  }
}

/**
 * The flat graph and its analysis; `strict` refuses graphs with problems
 * (code and model files must build), `tfjs` also what TF.js cannot build, as
 * the compiler does (model.json and the JavaScript are for TF.js).
 */
export function prepareExport(graph: Graph, opts: { strict?: boolean; tfjs?: boolean } = {}): { graph: Graph; analysis: Analysis } {
  // Block uses become their layers: Keras, TF.js and diagrams know layers only.
  const flat = hasBlocks(graph) ? expandBlocks(graph).graph : graph;
  const analysis = analyze(flat);
  if (opts.strict !== false && analysis.problems.length) throw new ExportError(analysis.problems);
  if (opts.strict !== false && !analysis.outputs.length) throw new ExportError([{ message: 'the graph has no layers to export; add an Input and a layer' }]);
  if (opts.tfjs) {
    const refused = tfRefusals(analysis);
    if (refused.length) throw new ExportError(refused);
  }
  return { graph: flat, analysis };
}
