/**
 * netloom graph → a Keras Python script (functional API, TensorFlow 2) that
 * rebuilds the model and prints `model.summary()`. With `distribute`, the
 * model is built inside `tf.distribute.MirroredStrategy().scope()` for
 * multi-GPU training once a model outgrows the browser.
 *
 * The script is safe by construction: it is pure ASCII under a fixed UTF-8
 * declaration (a title can no longer pick the source encoding, e.g. UTF-7),
 * user text (names, title) appears only as string literals with everything
 * outside printable ASCII escaped, never in comments, and every identifier is
 * generated from the layer kind and a counter. Keyword arguments are the Keras
 * config names from `kerasLayerOf`.
 */
import type { NodeResult } from '../engine/analyze.ts';
import type { Graph } from '../engine/types.ts';
import { kerasLayerOf } from './keras-export.ts';
import { prepareExport } from './prepare.ts';

const hex = (c: number, width: number) => c.toString(16).padStart(width, '0');

/**
 * A Python string literal in printable ASCII. Escapes go by code point
 * (`\U0001f600`, not JSON's surrogate pair, which Python keeps as two
 * characters); a lone surrogate becomes `\ud800`, which Python accepts.
 */
export function pyStr(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x100) out += `\\x${hex(c, 2)}`;
    else if (c < 0x10000) out += `\\u${hex(c, 4)}`;
    else out += `\\U${hex(c, 8)}`;
  }
  return `${out}"`;
}

/** A Python literal for a config value: lists of numbers become tuples. */
export function pyValue(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : `float("${v}")`;
  if (typeof v === 'string') return pyStr(v);
  if (Array.isArray(v)) return v.length === 1 ? `(${pyValue(v[0])},)` : `(${v.map(pyValue).join(', ')})`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyStr(k)}: ${pyValue(x)}`).join(', ')}}`;
}

/**
 * `s` when it is a plain identifier; throws otherwise. Class names and keyword
 * names come from netloom's own tables, so this never fires: it keeps that true.
 */
export function ident(s: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) throw new Error(`not an identifier: ${JSON.stringify(s)}`);
  return s;
}

/**
 * Variable names for analysed nodes, by node id: the kind in snake case and a
 * counter per kind (`conv2d_1`, `max_pooling2d_2`), never the user's name.
 * The counter suffix keeps them clear of keywords and of the script's own names.
 */
export function variableNames(nodes: readonly NodeResult[]): Map<string, string> {
  const counts = new Map<string, number>();
  const out = new Map<string, string>();
  for (const r of nodes) {
    const base = r.kind
      .replace(/([a-z])([A-Z])/g, '$1_$2') // MaxPooling2D → Max_Pooling2D
      .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2') // Conv2DTranspose → Conv2D_Transpose
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')
      .replace(/^(?=[0-9]|$)/, 'x');
    const n = (counts.get(base) ?? 0) + 1;
    counts.set(base, n);
    out.set(r.id, `${base}_${n}`);
  }
  return out;
}

/** Keyword arguments from a Keras config, leaving out the channels-last default netloom always uses. */
function kwargs(config: Record<string, unknown>): string[] {
  return Object.entries(config)
    .filter(([k, v]) => !(k === 'data_format' && v === 'channels_last'))
    .map(([k, v]) => `${ident(k)}=${pyValue(v)}`);
}

/** Keras 3 refuses '/' in layer names (it separates weight paths): use '_' there. */
export const kerasName = (name: string): string => name.replace(/\//g, '_');

function layerCall(r: NodeResult): string {
  const { className, config } = kerasLayerOf(r);
  if (className === 'Bidirectional') {
    const inner = config.layer as { class_name: string; config: Record<string, unknown> };
    const { name: _n, trainable: _t, ...cell } = inner.config;
    const rest = kwargs({ merge_mode: config.merge_mode });
    return `layers.Bidirectional(layers.${ident(inner.class_name)}(${kwargs(cell).join(', ')}), ${rest.join(', ')}, name=${pyStr(kerasName(r.name))})`;
  }
  return `layers.${ident(className)}(${[...kwargs(config), `name=${pyStr(kerasName(r.name))}`].join(', ')})`;
}

const list = (xs: string[]) => (xs.length === 1 ? xs[0] : `[${xs.join(', ')}]`);

export function toKerasPython(graph: Graph, opts: { distribute?: boolean } = {}): string {
  const { graph: flat, analysis } = prepareExport(graph);
  const ids = variableNames(analysis.nodes);
  const v = (nodeId: string) => ids.get(nodeId)!;
  const body: string[] = [];
  for (const r of analysis.nodes) {
    const p = r.params as Record<string, number>;
    if (r.kind === 'Input' || r.kind === 'Window') {
      const shape = r.outputShape!.slice(1);
      if (r.kind === 'Window') body.push(`    # Window: ${Number(p.nSteps)} rows x ${Number(p.features)} features per sample, target ${Number(p.horizon)} step(s) after the window, stride ${Number(p.stride)}`);
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
    // Fixed, so no text in the file can choose how Python decodes it.
    '# -*- coding: utf-8 -*-',
    '# Generated by netloom: the Keras functional API (TensorFlow 2).',
    `# netloom counts ${t.params.toLocaleString('en-US')} parameters (${t.trainable.toLocaleString('en-US')} trainable); model.summary() should agree.`,
    'import tensorflow as tf',
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    '',
    `TITLE = ${pyStr(flat.title ?? flat.name)}`,
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
