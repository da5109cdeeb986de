/**
 * One entry point for every file a user may open: a netloom graph, a TF.js
 * Layers `model.json` or a Keras `model.to_json()` document. The format is
 * detected from the content, never from the file name, so the editor's file
 * picker, drag-and-drop and the CLI accept the same files.
 */
import { jsonSyntaxMessage, loadGraphDocument, withoutBom, type LoadResult } from '../engine/file.ts';
import type { Graph, Problem } from '../engine/types.ts';
import { detectFormat, importKerasModel, type ImportNote, type ModelFormat, type SharedCall } from './import-keras.ts';

export type AnyLoadResult =
  | { ok: true; graph: Graph; format: Exclude<ModelFormat, 'unknown'>; notes: ImportNote[]; shared: SharedCall[]; migratedFrom?: number }
  | { ok: false; stage: Extract<LoadResult, { ok: false }>['stage']; problems: Problem[] };

/** Parses `text` and loads it as whichever format it is; `name` names an imported graph (e.g. the file's base name). */
export function loadAnyModelText(text: string, opts: { name?: string } = {}): AnyLoadResult {
  let doc: unknown;
  const body = withoutBom(text);
  try {
    doc = JSON.parse(body);
  } catch (e) {
    // netloom's own message (line and column): the engine's would quote the file's bytes.
    const msg = jsonSyntaxMessage(body, e);
    return { ok: false, stage: 'parse', problems: [{ path: '/', message: `not valid JSON (${msg}); open a netloom graph, a TF.js model.json or a Keras model.to_json() file` }] };
  }
  return loadAnyModel(doc, opts);
}

export function loadAnyModel(doc: unknown, opts: { name?: string } = {}): AnyLoadResult {
  const format = detectFormat(doc);
  if (format === 'tfjs-layers' || format === 'keras') {
    const r = importKerasModel(doc, opts);
    if (!r.ok) return { ok: false, stage: 'validate', problems: r.problems };
    return { ok: true, graph: r.graph, format, notes: r.notes, shared: r.shared };
  }
  // Anything else goes through the graph loader, whose messages say what a netloom file needs.
  const r = loadGraphDocument(doc);
  if (!r.ok) return r;
  return { ok: true, graph: r.graph, format: 'netloom', notes: [], shared: [], ...(r.migratedFrom !== undefined ? { migratedFrom: r.migratedFrom } : {}) };
}

/**
 * The total Keras reports for an imported model. Each later call of a shared
 * layer is its own node that `shares` the first call's weights, so this is
 * the analysis's total; a call whose sharing does not hold (an error on its
 * `shares`) would count its weights again, and is taken off here.
 */
export function kerasTotal(analysis: { totals: { params: number }; byId: Map<string, { paramCount: number }> }, shared: SharedCall[]): number {
  return shared.reduce((t, s) => t - (analysis.byId.get(s.nodeId)?.paramCount ?? 0), analysis.totals.params);
}
