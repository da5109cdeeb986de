/**
 * netloom graph → a Keras Python script (functional API, TensorFlow 2) that
 * rebuilds the model and prints `model.summary()`. With `distribute`, the
 * model is built inside `tf.distribute.MirroredStrategy().scope()` for
 * multi-GPU training once a model outgrows the browser.
 *
 * Keyword arguments are the Keras config names from `kerasLayerOf`; user text
 * (names, titles) only ever appears inside string literals or one-line
 * comments, so no name can break the script.
 */
import type { NodeResult } from '../engine/analyze.ts';
import type { Graph } from '../engine/types.ts';
import { kerasLayerOf } from './keras-export.ts';
import { prepareExport } from './prepare.ts';

const PY_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
  'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type',
  // names the script itself uses
  'tf', 'keras', 'layers', 'model', 'build_model', 'strategy', 'print',
]);

/** A Python string literal: JSON's escapes are valid Python escapes. */
export const pyStr = (s: string): string => JSON.stringify(s);

/** A Python literal for a config value: lists of numbers become tuples. */
export function pyValue(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'string') return pyStr(v);
  if (Array.isArray(v)) return v.length === 1 ? `(${pyValue(v[0])},)` : `(${v.map(pyValue).join(', ')})`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyStr(k)}: ${pyValue(x)}`).join(', ')}}`;
}

/** One line of comment text: line breaks and control characters become spaces. */
export const commentText = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();

/** Distinct Python identifiers for node names. */
export function identifiers(names: string[], keywords: Set<string>): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const n of names) {
    let base = n.replace(/[^A-Za-z0-9_]/g, '_') || 'x';
    if (/^[0-9]/.test(base)) base = `_${base}`;
    if (keywords.has(base)) base = `${base}_`;
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base}_${k}`;
    used.add(id);
    out.set(n, id);
  }
  return out;
}

/** Keyword arguments from a Keras config, leaving out the channels-last default netloom always uses. */
function kwargs(config: Record<string, unknown>): string[] {
  return Object.entries(config)
    .filter(([k, v]) => !(k === 'data_format' && v === 'channels_last'))
    .map(([k, v]) => `${k}=${pyValue(v)}`);
}

/** Keras 3 refuses '/' in layer names (it separates weight paths): use '_' there. */
export const kerasName = (name: string): string => name.replace(/\//g, '_');

function layerCall(r: NodeResult): string {
  const { className, config } = kerasLayerOf(r);
  if (className === 'Bidirectional') {
    const inner = config.layer as { class_name: string; config: Record<string, unknown> };
    const { name: _n, trainable: _t, ...cell } = inner.config;
    const rest = kwargs({ merge_mode: config.merge_mode });
    return `layers.Bidirectional(layers.${inner.class_name}(${kwargs(cell).join(', ')}), ${rest.join(', ')}, name=${pyStr(kerasName(r.name))})`;
  }
  return `layers.${className}(${[...kwargs(config), `name=${pyStr(kerasName(r.name))}`].join(', ')})`;
}

const list = (xs: string[]) => (xs.length === 1 ? xs[0] : `[${xs.join(', ')}]`);

export function toKerasPython(graph: Graph, opts: { distribute?: boolean } = {}): string {
  const { graph: flat, analysis } = prepareExport(graph);
  const ids = identifiers(analysis.nodes.map((r) => r.name), PY_KEYWORDS);
  const v = (nodeId: string) => ids.get(analysis.byId.get(nodeId)!.name)!;
  const title = commentText(flat.title ?? flat.name);
  const body: string[] = [];
  for (const r of analysis.nodes) {
    const p = r.params as Record<string, number>;
    if (r.kind === 'Input' || r.kind === 'Window') {
      const shape = r.outputShape!.slice(1);
      if (r.kind === 'Window') body.push(`    # Window: ${p.nSteps} rows × ${p.features} features per sample, target ${p.horizon} step(s) after the window, stride ${p.stride}`);
      body.push(`    ${v(r.id)} = keras.Input(shape=${pyValue(shape)}, name=${pyStr(kerasName(r.name))})`);
      continue;
    }
    if (r.kind === 'GRU' && p.resetAfter) body.push('    # reset_after=True: the TF2 Keras default (two bias rows per gate)');
    const args = r.inputIds.map(v);
    body.push(`    ${v(r.id)} = ${layerCall(r)}(${list(args)})`);
  }
  const ins = analysis.inputs.map(v);
  const outs = analysis.outputs.map(v);
  body.push(`    model = keras.Model(inputs=${list(ins)}, outputs=${list(outs)}, name=${pyStr(flat.name)})`);
  body.push('    return model');
  const t = analysis.totals;
  const main = opts.distribute
    ? [
      '    # One model replica per visible GPU; variables are mirrored and gradients summed across them.',
      '    strategy = tf.distribute.MirroredStrategy()',
      '    print("Replicas in sync:", strategy.num_replicas_in_sync)',
      '    with strategy.scope():',
      '        model = build_model()',
      '        # Compile here too, so optimizer state is created under the strategy.',
    ]
    : ['    model = build_model()'];
  return [
    `# ${title}`,
    `# Generated by netloom from the graph ${pyStr(flat.name)}: the Keras functional API (TensorFlow 2).`,
    `# netloom counts ${t.params.toLocaleString('en-US')} parameters (${t.trainable.toLocaleString('en-US')} trainable); model.summary() should agree.`,
    'import tensorflow as tf',
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    '',
    '',
    'def build_model():',
    ...body,
    '',
    '',
    'if __name__ == "__main__":',
    ...main,
    '    model.summary()',
    '',
  ].join('\n');
}
