/**
 * Code exports: the Keras Python script of every example (plain and
 * MirroredStrategy) passes `python3 -m py_compile`; golden files pin the full
 * text of two scripts; scripts are ASCII, user text only ever sits in escaped
 * string literals and identifiers come from layer kinds; the SVG diagram
 * shows each layer's shape and count and escapes names. tests/security/
 * runs the exports of hostile graphs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, fmt, GraphBuilder, parseGraphText, shapeText, type Graph } from '../../src/engine/index.ts';
import { jsStr, toTfjsCode } from '../../src/interop/export-js.ts';
import { pyStr, toKerasPython } from '../../src/interop/export-python.ts';
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
  it('every example compiles with python3 -m py_compile, with and without MirroredStrategy', () => {
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

  it('the script has one layer call per node, the functional model and its summary', () => {
    const g = loadExample('vgg16.json');
    const a = analyze(g);
    const py = toKerasPython(g, { distribute: true });
    expect(py).toMatch(/^from tensorflow import keras$/m);
    expect(py.match(/= layers\.\w+\(/g)!.length).toBe(a.nodes.length - a.inputs.length);
    expect(py).toMatch(/^ {4}model = keras\.Model\(inputs=input_1, outputs=dense_3, name="vgg16"\)$/m);
    expect(py).toMatch(/strategy = tf\.distribute\.MirroredStrategy\(\)\n.*\n {4}with strategy\.scope\(\):\n {8}model = build_model\(\)/);
    expect(py).toMatch(/^ {4}model\.summary\(\)$/m);
    expect(py).toContain(`netloom counts ${a.totals.params.toLocaleString('en-US')} parameters`);
  });

  it('user text stays inside escaped string literals; the script is ASCII under a fixed UTF-8 declaration', () => {
    const py = toKerasPython(hostileGraph());
    const lines = py.split('\n');
    // Every line is code netloom wrote or a comment: no line starts with the injected statement.
    expect(lines.some((l) => /^\s*(import os|os\.system)/.test(l))).toBe(false);
    expect(lines[0]).toBe('# -*- coding: utf-8 -*-');
    expect(py).toMatch(/^[\n\x20-\x7e]*$/);
    expect(py).toContain('name="in\\"put\\n"');
    expect(py).toContain('TITLE = "x\\"\\"\\"\\nos.system(\\"rm -rf /\\") # <script>alert(1)</script>\\u2028"');
    // The names are in no comment: comments are netloom's own text.
    expect(lines.filter((l) => /^\s*#/.test(l)).join('\n')).not.toMatch(/evil|script|put/);
    expect(py).toMatch(/^ {4}dense_1 = layers\.Dense\(/m);
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
