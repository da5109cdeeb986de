/**
 * netloom graph → a runnable Keras 3 training script (`import keras`, any
 * backend): the model through the functional API, the data the Data & train
 * tab chose (a CSV beside the script or a built-in dataset read from its npm
 * package), the same windows, chronological split and training-only
 * normalisation as src/data, fit with the tab's settings, evaluation against
 * the naive forecast and model.save(). With `distribute` it trains on every
 * device through keras.distribution.DataParallel (jax, also across hosts) or
 * tf.distribute (TensorFlow). python-training.ts holds the runtime.
 *
 * The script is safe by construction: it is pure ASCII under a fixed UTF-8
 * declaration (a title can no longer pick the source encoding, e.g. UTF-7),
 * user text (names, title, columns, file names) appears only as string
 * literals with everything outside printable ASCII escaped, never in comments
 * or the docstring, and every identifier is generated from the layer kind and
 * a counter. Keyword arguments are the Keras config names from `kerasLayerOf`,
 * renamed where Keras 3 renamed them.
 */
import type { NodeResult } from '../engine/analyze.ts';
import type { Graph } from '../engine/types.ts';
import { getLayer, KIND } from '../engine/layers/index.ts';
import { isWrappedLayer, snake } from '../engine/passport.ts';
import { specOfClass } from './keras-layers.ts';
import { kerasLayerOf } from './keras-export.ts';
import { prepareExport } from './prepare.ts';
import { DISTRIBUTED_DOC, ExportOptionError, pythonRuntime, safeFileName, trainingPlan, type KerasPythonOptions } from './python-training.ts';

export type { KerasPythonOptions, PythonData } from './python-training.ts';
export { dataFileName, ExportOptionError, safeFileName } from './python-training.ts';

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

/**
 * Keyword arguments from a Keras config, under Keras 3's names where it
 * renamed one (the kind's `keras3`), leaving out the channels-last default
 * netloom always uses. A wrapped layer is a constructor call.
 */
function kwargs(config: Record<string, unknown>, className: string): string[] {
  const renamed = specOfClass(className)?.keras.keras3 ?? {};
  return Object.entries(config)
    .filter(([k, v]) => !(k === 'data_format' && v === 'channels_last') && k !== 'trainable')
    .map(([k, v]) => `${ident(Object.hasOwn(renamed, k) ? renamed[k] : k)}=${isWrappedLayer(v) ? layerExpr(v.class_name, withoutName(v.config)) : pyValue(v)}`);
}

/** A wrapped layer takes its name from its wrapper in Keras 3 (`forward_…`, `backward_…`). */
const withoutName = ({ name: _n, ...rest }: Record<string, unknown>) => rest;

function layerExpr(className: string, config: Record<string, unknown>): string {
  // A custom class (keras_hub's PositionEmbedding, ClassToken) is defined in the script itself.
  const where = specOfClass(className)?.keras.custom ? '' : 'layers.';
  return `${where}${ident(className)}(${kwargs(config, className).join(', ')})`;
}

/** Keras 3 refuses '/' in layer names (it separates weight paths): use '_' there. */
export const kerasName = (name: string): string => name.replace(/\//g, '_');

function layerCall(r: NodeResult): string {
  const { className, config } = kerasLayerOf(r);
  const own: Record<string, unknown> = { ...config, name: kerasName(r.name) };
  for (const k of getLayer(r.kind)?.keras.callArgs ?? []) delete own[snake(k)];
  return layerExpr(className, own);
}

/**
 * The arguments a layer is called on: one tensor, a list (a merge), or for
 * named ports (MultiHeadAttention's query, value, key) each as its own
 * argument, then the call arguments that are set (`use_causal_mask=True`).
 */
function callArgs(r: NodeResult, v: (id: string) => string): string {
  const spec = getLayer(r.kind);
  const ins = r.inputIds.map(v);
  const args = spec?.inputs.names ? ins : [list(ins)];
  const { config } = kerasLayerOf(r);
  for (const k of spec?.keras.callArgs ?? []) {
    const key = snake(k);
    if (config[key] !== false && config[key] !== null && config[key] !== undefined) args.push(`${ident(key)}=${pyValue(config[key])}`);
  }
  return args.join(', ');
}

/** The Keras 3 classes of the custom layers the graph uses (each once, in palette order), for the top of the script. */
function customClasses(analysis: ReturnType<typeof prepareExport>['analysis']): string[] {
  const used = new Set(analysis.nodes.map((r) => r.kind));
  const out: string[] = [];
  for (const r of analysis.nodes) {
    const custom = getLayer(r.kind)?.keras.custom;
    if (custom && used.delete(r.kind)) out.push('', '', ...custom.python.replace(/\n+$/, '').split('\n'));
  }
  return out;
}

const list = (xs: string[]) => (xs.length === 1 ? xs[0] : `[${xs.join(', ')}]`);

/**
 * The Keras 3 construct for a Dense head tied to an Embedding (`shares`):
 * the Embedding is this subclass, called once on token ids and once with
 * `reverse=True` on features, which multiplies them by its matrix transposed.
 * One layer, one matrix: model.count_params() counts it once, as netloom does.
 */
export const REVERSIBLE_EMBEDDING = [
  '@keras.saving.register_keras_serializable(package="netloom")',
  'class ReversibleEmbedding(layers.Embedding):',
  '    """An Embedding that also maps features back onto the vocabulary with its matrix transposed (a tied output head)."""',
  '',
  '    def call(self, inputs, reverse=False):',
  '        if reverse:',
  '            return keras.ops.matmul(inputs, keras.ops.transpose(self.embeddings))',
  '        return super().call(inputs)',
  '',
  '',
  '    def compute_output_spec(self, inputs, reverse=False):',
  '        if reverse:',
  '            return keras.KerasTensor(tuple(inputs.shape)[:-1] + (self.input_dim,), dtype=self.compute_dtype)',
  '        return super().compute_output_spec(inputs)',
];

/** Owners some node `shares` (their layer object is called more than once), and the Embeddings a Dense head is tied to. */
function sharingOf(nodes: readonly NodeResult[]): { owners: Set<string>; tied: Set<string> } {
  const byId = new Map(nodes.map((r) => [r.id, r]));
  const owners = new Set<string>();
  const tied = new Set<string>();
  for (const r of nodes) {
    if (r.shares === undefined) continue;
    owners.add(r.shares);
    if (byId.get(r.shares)?.kind === KIND.Embedding && r.kind === KIND.Dense) tied.add(r.shares);
  }
  return { owners, tied };
}

/** The `build_model()` function: one line per layer, identifiers from kinds, names as escaped literals. */
function buildModelLines(flatName: string, analysis: ReturnType<typeof prepareExport>['analysis']): string[] {
  const ids = variableNames(analysis.nodes);
  const v = (nodeId: string) => ids.get(nodeId)!;
  const body: string[] = ['def build_model():'];
  // A layer that others share is one object called once per node (`name_n_layer`, never a user's name).
  const { owners, tied } = sharingOf(analysis.nodes);
  const layerVar = (nodeId: string) => `${v(nodeId)}_layer`;
  for (const r of analysis.nodes) {
    const p = r.params as Record<string, unknown>;
    if (getLayer(r.kind)?.isModelInput) {
      const shape = r.outputShape!.slice(1);
      if (r.kind === KIND.Window) body.push(`    # Window: ${Number(p.nSteps)} rows x ${Number(p.features)} features per sample, target ${Number(p.horizon)} step(s) after the window, stride ${Number(p.stride)}`);
      body.push(`    ${v(r.id)} = keras.Input(shape=${pyValue(shape)}, name=${pyStr(kerasName(r.name))})`);
      continue;
    }
    if (p.resetAfter) body.push('    # reset_after=True: the TF2 Keras default (two bias rows per gate)');
    if (p.recurrentActivation === 'hardSigmoid' || p.activation === 'hardSigmoid') {
      body.push('    # Keras 3 hard_sigmoid is relu6(x + 3) / 6 (slope 1/6); Keras 2 and TF.js use slope 0.2: same parameters, slightly different gates');
    }
    if (r.shares !== undefined) {
      if (tied.has(r.shares) && r.kind === KIND.Dense) {
        body.push('    # Dense head tied to the embedding: its kernel is the embedding matrix transposed (counted once there)');
        const call = `${layerVar(r.shares)}(${list(r.inputIds.map(v))}, reverse=True)`;
        const act = kerasLayerOf(r).config.activation;
        body.push(`    ${v(r.id)} = ${act && act !== 'linear' ? `layers.Activation(${pyValue(act)}, name=${pyStr(kerasName(r.name))})(${call})` : call}`);
      } else {
        body.push('    # the same layer object again: its weights are shared (counted once)');
        body.push(`    ${v(r.id)} = ${layerVar(r.shares)}(${callArgs(r, v)})`);
      }
      continue;
    }
    if (owners.has(r.id)) {
      const expr = tied.has(r.id) ? layerCall(r).replace(/^layers\.Embedding\(/, 'ReversibleEmbedding(') : layerCall(r);
      body.push(`    ${layerVar(r.id)} = ${expr}`);
      body.push(`    ${v(r.id)} = ${layerVar(r.id)}(${callArgs(r, v)})`);
      continue;
    }
    body.push(`    ${v(r.id)} = ${layerCall(r)}(${callArgs(r, v)})`);
  }
  body.push(`    model = keras.Model(inputs=${list(analysis.inputs.map(v))}, outputs=${list(analysis.outputs.map(v))}, name=${pyStr(flatName)})`);
  body.push('    return model');
  return body;
}

/** What the docstring says about the data, per task (netloom's words only). */
const DATA_NOTES: Record<string, string[]> = {
  series: [
    'Data: the CSV is cut into windows as split_sequence does (nSteps rows in,',
    'the target horizon rows after), split in time into train / validation /',
    'test, and normalised with the training rows\' mean and std only. The',
    'validation and test MAE are printed in the target\'s units beside the',
    'naive forecast "the next value = the last one".',
  ],
  images: [
    'Data: the digits are drawn into train / validation / test sets with',
    'netloom\'s seeded split, the same images the editor trains on; the',
    'validation and test accuracy are printed.',
  ],
  none: ['REASON below says what the network needs before this script can train it.'],
};

const docstring = (about: string, task: string, distribute: boolean): string[] => [
  '"""Trains a network drawn in netloom, with Keras 3 on any backend (KERAS_BACKEND=jax,',
  'tensorflow or torch).',
  '',
  `It trains on ${about}.`,
  '',
  '    python this_script.py                  # the settings chosen in netloom',
  '    python this_script.py --epochs 20 --batch-size 64 --data FILE --out model.keras',
  '    python this_script.py --summary-only   # build the model and print its summary',
  '',
  ...DATA_NOTES[task],
  'Lines starting with "netloom-" are for programs reading the output.',
  ...(distribute ? DISTRIBUTED_DOC.replaceAll('SCRIPT', 'this_script.py').split('\n').slice(0, -1) : []),
  '"""',
];

/** The Keras 3 training script for `graph` (see the module comment); throws ExportError for graphs that cannot build. */
export function toKerasPython(graph: Graph, opts: KerasPythonOptions = {}): string {
  const { graph: flat, analysis } = prepareExport(graph);
  const distribute = !!opts.distribute;
  const plan = trainingPlan(analysis, opts);
  const t = analysis.totals;
  const count = (n: number) => n.toLocaleString('en-US');
  return [
    // Fixed, so no text in the file can choose how Python decodes it.
    '# -*- coding: utf-8 -*-',
    ...docstring(plan.about, plan.task, distribute),
    `# Generated by netloom. netloom counts ${count(t.params)} parameters (${count(t.trainable)} trainable); model.summary() should agree.`,
    'import argparse',
    'import contextlib',
    'import csv',
    'import json',
    'import math',
    'import os',
    'import sys',
    'from datetime import datetime, timezone',
    'import importlib.util',
    '',
    '# Keras chooses its backend on import: KERAS_BACKEND, else ~/.keras/keras.json, else TensorFlow. When neither',
    '# names one that is installed, use the first installed of jax, tensorflow and torch.',
    'if "KERAS_BACKEND" not in os.environ:',
    '    _configured = None',
    '    try:',
    '        with open(os.path.expanduser(os.path.join("~", ".keras", "keras.json"))) as _file:',
    '            _configured = json.load(_file).get("backend")',
    '    except (OSError, ValueError, AttributeError):',
    '        pass',
    '    if not (isinstance(_configured, str) and importlib.util.find_spec(_configured) is not None):',
    '        for _backend in ("jax", "tensorflow", "torch"):',
    '            if importlib.util.find_spec(_backend) is not None:',
    '                os.environ["KERAS_BACKEND"] = _backend',
    '                break',
    '',
    'import numpy as np',
    'import keras',
    'from keras import layers',
    '',
    `TITLE = ${pyStr(flat.title ?? flat.name)}`,
    `NETLOOM_PARAMS = ${pyStr(count(t.params))}`,
    '# Where model.save() writes unless --out says otherwise.',
    `MODEL_FILE = ${pyStr(`${safeFileName(flat.name, 'model')}.keras`)}`,
    '# "series" (a Window over CSV rows), "images" (MNIST digits) or "none" (REASON says why).',
    `TASK = ${pyStr(plan.task)}`,
    `REASON = ${pyStr(plan.reason)}`,
    '# What the Data & train tab chose.',
    `DATA = ${pyValue(plan.data)}`,
    `WINDOW = ${pyValue(plan.window)}`,
    `SETTINGS = ${pyValue(plan.settings)}`,
    ...customClasses(analysis),
    '',
    '',
    ...(sharingOf(analysis.nodes).tied.size ? [...REVERSIBLE_EMBEDDING, '', ''] : []),
    ...buildModelLines(flat.name, analysis),
    '',
    '',
    pythonRuntime(distribute).replace(/^\n+/, '').replace(/\n+$/, ''),
    '',
  ].join('\n');
}

/** A file the export writes: the script, and the CSV it reads when the data is a CSV. */
export interface ExportedText {
  name: string;
  text: string;
}

/**
 * The script and, for CSV data, the CSV to write beside it (under the name
 * the script reads: `dataFileName(opts.data)`). `scriptName` is the script's
 * file name (default: the graph's name with .py).
 */
export function kerasPythonFiles(graph: Graph, opts: KerasPythonOptions = {}, scriptName?: string): ExportedText[] {
  const files: ExportedText[] = [{ name: scriptName ?? `${safeFileName(graph.name, 'network')}.py`, text: toKerasPython(graph, opts) }];
  if (opts.data?.kind === 'csv') {
    if (opts.data.text == null) throw new ExportOptionError('data: the CSV text is missing; pass the file\'s text to write it beside the script');
    files.push({ name: safeFileName(opts.data.fileName, 'data.csv'), text: opts.data.text });
  }
  return files;
}
