/**
 * Exports carry hostile text as data: a title that is a UTF-7 coding
 * declaration, names that close strings or comments, line separators, bidi
 * overrides and control characters never become code, markup or disguised
 * text. The Python script runs against a stub Keras that records every
 * `name=` it receives; the JavaScript runs on TF.js's CPU backend and against
 * a stub `tf`; model.json loads back; the SVG passes a strict XML parser.
 * A marker file is touched only if exported code ran user text.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze, GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { toTfjsCode } from '../../src/interop/export-js.ts';
import { kerasName, toKerasPython } from '../../src/interop/export-python.ts';
import { toSvg } from '../../src/interop/export-svg.ts';
import { toTfjsModelJson, toTfjsModelJsonText } from '../../src/interop/export-tfjs.ts';
import { loadAnyModelText } from '../../src/interop/load.ts';

const root = new URL('../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'netloom-exports-'));
// Inside the project (git-ignored), so node resolves '@tensorflow/tfjs' from its node_modules.
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
const inProject = mkdtempSync(join(root, 'node_modules/.cache/netloom-exports-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(inProject, { recursive: true, force: true });
});

/**
 * A fresh folder to run exported code in. Payloads touch `MARKER` there
 * (relative, as Keras names cannot hold '/'); the graph name's payload names
 * the same file by its absolute path.
 */
const workDir = () => mkdtempSync(join(tmp, 'run-'));
const markerIn = (dir: string) => join(dir, 'MARKER');

/** With `-*- coding: utf-7 -*-` on line 1, Python reads `+ACI-` as `"` and `+AAo-` as a newline. */
const utf7 = (m: string, indent = '') => `+ACI-)+AAo-${indent}import os+ADs-os.system(+ACI-touch ${m}+ACI-)+AAo-${indent}#`;
const UTF7_TITLE = '-*- coding: utf-7 -*-';
const BIDI = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C';

/** Names that try every way out of a string literal, a comment or markup. */
function hostileNames(m = 'MARKER'): string[] {
  return [
    utf7(m),
    utf7(m, '    '),
    `"); import os; os.system("touch ${m}"); ("`,
    `'); import os; os.system('touch ${m}'); ('`,
    `"""\nimport os\nos.system("touch ${m}")\n"""`,
    `a\nimport os; os.system("touch ${m}")\n#`,
    `b\rimport os; os.system("touch ${m}")\r#`,
    `c\u2028import os\u2029os.system("touch ${m}")\u0085#`,
    `*/ (await import("node:fs")).writeFileSync("${m}", "") /*`,
    `"}); (await import("node:fs")).writeFileSync("${m}", ""); ({"`,
    `\${(await import("node:fs")).writeFileSync("${m}", "")}`,
    '</script><script>alert(1)</script>',
    'tail backslash\\',
    `bidi ${BIDI} Report \u202Efdp.exe`,
    'nul\u0000 esc\u001b[31m del\u007f csi\u009b',
    'astral \u{1F600}\u{10FFFF} lone \uD800 and \uDFFF',
  ];
}

/**
 * Input → Bidirectional(GRU) → one Dense per remaining name; every name, the
 * graph name, the title and the description are hostile. `ascii` keeps only
 * the ASCII names: a UTF-7 declaration takes effect only when the rest of the
 * file decodes.
 */
function hostileGraph(dir: string, { title = UTF7_TITLE, ascii = false } = {}): Graph {
  const names = hostileNames().filter((n) => !ascii || /^[\x00-\x7f]*$/.test(n));
  const b = new GraphBuilder(utf7(markerIn(dir)), { title, description: `${names.join('\n')}\n${UTF7_TITLE}` });
  const i = b.add('Input', { shape: [3, 4] }, [], names[0]);
  let x = b.add('Bidirectional', { layer: 'GRU', units: 2 }, [i], names[1]);
  for (const n of names.slice(2)) x = b.add('Dense', { units: 2 }, [x], n);
  return b.build();
}

/** The reported attack: line 1 declares UTF-7, and a layer name closes its string on the line after. */
function utf7Graph(): Graph {
  const b = new GraphBuilder('utf7', { title: UTF7_TITLE });
  const i = b.add('Input', { shape: [4] }, [], 'in');
  b.add('Dense', { units: 2 }, [i], utf7('MARKER', '    '));
  return b.build();
}

/** Only printable ASCII and line feeds. */
const isAscii = (s: string) => /^[\n\x20-\x7e]*$/.test(s);
/** Bidi and control characters, what XML 1.0 forbids, and lone surrogates. */
const BAD_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A `keras` package that accepts any attribute and call, recording each
 * `name=` keyword in names.json, and a `numpy` made of the same stuff (the
 * scripts import both; a network with no data only builds and summarises).
 */
function pythonStub(dir: string): string {
  const stub = join(dir, 'stub');
  mkdirSync(join(stub, 'keras'), { recursive: true });
  mkdirSync(join(stub, 'numpy'), { recursive: true });
  writeFileSync(join(stub, 'keras', '__init__.py'), [
    'import json, os, types',
    '_RECORD = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "names.json")',
    'names = []',
    '',
    'class Anything:',
    '    def __getattr__(self, key):',
    '        if key.startswith("__"):',
    '            raise AttributeError(key)',
    '        return Anything()',
    '    def __call__(self, *args, **kwargs):',
    '        if "name" in kwargs:',
    '            names.append(kwargs["name"])',
    '            with open(_RECORD, "w", encoding="ascii") as f:',
    '                json.dump(names, f)',
    '        return Anything()',
    '    def __enter__(self):',
    '        return self',
    '    def __exit__(self, *exc):',
    '        return False',
    '',
    '# Scripts subclass keras.callbacks.Callback, so it must be a class.',
    'callbacks = types.SimpleNamespace(Callback=object, EarlyStopping=Anything())',
    '',
    'def __getattr__(key):',
    '    if key.startswith("__"):',
    '        raise AttributeError(key)',
    '    return Anything()',
    '',
  ].join('\n'));
  writeFileSync(join(stub, 'numpy', '__init__.py'), [
    'from keras import Anything',
    '',
    'def __getattr__(key):',
    '    if key.startswith("__"):',
    '        raise AttributeError(key)',
    '    return Anything()',
    '',
  ].join('\n'));
  return stub;
}

/** Runs `script` in `dir` with python3, seeing only PATH and the stub; returns the names the stub recorded. */
function runPython(dir: string, script: string): { status: number | null; stderr: string; names: string[] | null } {
  const stub = pythonStub(dir);
  const file = join(dir, 'model.py');
  writeFileSync(file, script);
  const r = spawnSync('python3', ['-s', '-B', file], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PYTHONPATH: stub } });
  const record = join(dir, 'names.json');
  return { status: r.status, stderr: r.stderr, names: existsSync(record) ? JSON.parse(readFileSync(record, 'utf8')) : null };
}

/** What Keras is given: every layer name in build order (Keras 3 refuses '/': it becomes '_'), then the model name. */
const kerasNames = (g: Graph) => [...analyze(g).nodes.map((r) => kerasName(r.name)), g.name];

describe('Keras Python export of hostile text', () => {
  const cases: [string, (dir: string) => Graph][] = [
    ['a UTF-7 declaration and a layer name that closes its string', () => utf7Graph()],
    ['ASCII hostile names', (dir) => hostileGraph(dir, { ascii: true })],
    ['all hostile names', (dir) => hostileGraph(dir)],
  ];
  for (const [label, make] of cases) {
    for (const distribute of [false, true]) {
      it(`${label}: runs to model.summary() without running user text, every name passed exactly${distribute ? ' (distributed)' : ''}`, () => {
        const dir = workDir();
        const g = make(dir);
        const py = toKerasPython(g, { distribute });
        const r = runPython(dir, py);
        expect(existsSync(markerIn(dir)), 'the script ran code from a name').toBe(false);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.names).toEqual(kerasNames(g));
        expect(py.split('\n')[0]).toBe('# -*- coding: utf-8 -*-');
        expect(isAscii(py)).toBe(true);
        // The title is data too: a string constant, never a comment.
        expect(py).toContain(`TITLE = ${JSON.stringify(g.title)}`);
        expect(py).not.toMatch(/^#.*coding: utf-7/m);
      });
    }
  }

  it('identifiers come from layer kinds, never from names', () => {
    const py = toKerasPython(hostileGraph(workDir()));
    // The model code: build_model() up to its return.
    const body = py.slice(py.indexOf('def build_model():'), py.indexOf('    return model\n'));
    const assigned = [...body.matchAll(/^ {4}(\w+) = /gm)].map((m) => m[1]);
    expect(assigned).toEqual(['input_1', 'bidirectional_1', ...Array.from({ length: 14 }, (_, k) => `dense_${k + 1}`), 'model']);
  });
});

describe('TF.js JavaScript export of hostile text', () => {
  /**
   * Writes the exported module and a runner into `dir`, runs it with node and returns the runner's `out`
   * (`body` calls buildModel and sets `out`); the module must run no code from a name.
   */
  function runExport(dir: string, code: string, imports: string[], body: string[]): unknown {
    writeFileSync(join(dir, 'export.mjs'), code);
    writeFileSync(join(dir, 'run.mjs'), [
      "import { writeFileSync } from 'node:fs';",
      ...imports,
      "import { buildModel } from './export.mjs';",
      ...body,
      "writeFileSync(new URL('./out.json', import.meta.url), JSON.stringify(out));",
      '',
    ].join('\n'));
    const r = spawnSync('node', [join(dir, 'run.mjs')], { cwd: dir, encoding: 'utf8' });
    expect(existsSync(markerIn(dir)), 'the module ran code from a name').toBe(false);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
  }

  it('builds on the CPU backend with a hostile model name and title, names exact', () => {
    // TF.js accepts only [A-Za-z0-9][-A-Za-z0-9._/]* as layer names; the model name and title may be anything.
    const layerNames = ['in/put.0', 'bi-gru_1', 'a.b/c-d_e', 'Z9'];
    const dir = mkdtempSync(join(inProject, 'js-'));
    const b = new GraphBuilder(utf7(markerIn(dir)), { title: hostileNames().join(' | '), description: UTF7_TITLE });
    let x = b.add('Input', { shape: [3, 4] }, [], layerNames[0]);
    x = b.add('Bidirectional', { layer: 'GRU', units: 2 }, [x], layerNames[1]);
    for (const n of layerNames.slice(2)) x = b.add('Dense', { units: 2 }, [x], n);
    const g = b.build();
    const code = toTfjsCode(g);
    expect(isAscii(code)).toBe(true);
    const result = runExport(dir, code, ["import * as tf from '@tensorflow/tfjs';"], [
      "await tf.setBackend('cpu');",
      'const m = buildModel();',
      'const out = { name: m.name, layers: m.layers.map((l) => l.name) };',
    ]);
    expect(result).toEqual({ name: g.name, layers: layerNames });
  }, 60_000);

  it('hostile layer names (which TF.js itself refuses) reach tf.layers exactly, as data', () => {
    // A stub '@tensorflow/tfjs' beside the module records every `name` it is given.
    const dir = workDir();
    const g = hostileGraph(dir);
    const code = toTfjsCode(g);
    expect(isAscii(code)).toBe(true);
    expect(code).not.toMatch(/`/);
    const pkg = join(dir, 'node_modules', '@tensorflow', 'tfjs');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs', type: 'module', exports: './index.js' }));
    writeFileSync(join(pkg, 'index.js'), [
      'export const names = [];',
      "const note = (args) => { if (args && typeof args === 'object' && 'name' in args) names.push(args.name); };",
      'const tensor = { apply: () => tensor };',
      'export const layers = new Proxy({}, { get: () => (args) => { note(args); return tensor; } });',
      'export function input(args) { note(args); return tensor; }',
      'export function model(args) { note(args); return { name: args.name }; }',
      '',
    ].join('\n'));
    const names = runExport(dir, code, ["import { names } from '@tensorflow/tfjs';"], [
      'buildModel();',
      'const out = names;',
    ]);
    // The wrapped GRU is named after its Bidirectional, and built first.
    const expected = analyze(g).nodes.flatMap((n) => (n.kind === 'Bidirectional' ? [`${n.name}_gru`, n.name] : [n.name]));
    expect(names).toEqual([...expected, g.name]);
  }, 60_000);
});

describe('TF.js model.json of hostile text', () => {
  it('is ASCII, parses to the same document and imports with the same names, title and description', () => {
    const g = hostileGraph(workDir());
    const text = toTfjsModelJsonText(g);
    expect(isAscii(text)).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    const doc = JSON.parse(text);
    expect(doc).toEqual(toTfjsModelJson(g));
    expect(doc.modelTopology.config.layers.map((l: { name: string }) => l.name)).toEqual(g.nodes.map((n) => n.name));
    const back = loadAnyModelText(text);
    if (!back.ok) throw new Error(JSON.stringify(back.problems));
    expect(back.graph.nodes.map((n) => n.name)).toEqual(g.nodes.map((n) => n.name));
    expect([back.graph.title, back.graph.description]).toEqual([g.title, g.description]);
  });
});

describe('SVG diagram of hostile text', () => {
  /** Parses `svg` with Python's expat (strict XML 1.0) and returns the text of every <title> and <text>. */
  function strictXmlTexts(svg: string): { status: number | null; stderr: string; texts: string[] } {
    const file = join(mkdtempSync(join(tmp, 'svg-')), 'diagram.svg');
    writeFileSync(file, svg);
    const r = spawnSync('python3', ['-c', [
      'import json, sys, xml.dom.minidom',
      'doc = xml.dom.minidom.parse(sys.argv[1])',
      'texts = ["".join(c.data for c in e.childNodes) for tag in ("title", "text") for e in doc.getElementsByTagName(tag)]',
      'print(json.dumps(texts))',
    ].join('\n'), file], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    return { status: r.status, stderr: r.stderr, texts: r.status === 0 ? JSON.parse(r.stdout) : [] };
  }

  it('is well-formed XML with only netloom\'s elements, and no bidi or control character survives', () => {
    const g = hostileGraph(workDir(), { title: 'Report \u202Efdp.exe' });
    const svg = toSvg(g);
    expect(svg).not.toMatch(BAD_TEXT);
    expect(svg).not.toMatch(/<script|\son\w+\s*=|javascript:|<!\[CDATA\[|<!DOCTYPE|<!ENTITY/i);
    const tags = new Set([...svg.matchAll(/<\/?([a-zA-Z]+)/g)].map((m) => m[1]));
    expect([...tags].sort()).toEqual(['g', 'path', 'rect', 'svg', 'text', 'title']);
    const parsed = strictXmlTexts(svg);
    expect(parsed.stderr).toBe('');
    expect(parsed.status).toBe(0);
    // The override shows as a visible code, so the title cannot read "Report exe.pdf".
    expect(parsed.texts[0]).toBe('Report <U+202E>fdp.exe');
    expect(parsed.texts.join('\n')).toContain('nul<U+0000> esc<U+001B>[31m del<U+007F> csi<U+009B>');
    expect(parsed.texts).toContain('</script><script>alert(1)</script> (Dense)');
  });

  it('the strict check can fail: a raw control character or an unescaped < is rejected', () => {
    const good = toSvg(new GraphBuilder('ok').build());
    expect(strictXmlTexts(good).status).toBe(0);
    expect(strictXmlTexts(good.replace('</svg>', '<text>\u0001</text></svg>')).status).not.toBe(0);
    expect(strictXmlTexts(good.replace('</svg>', '<text>a < b</text></svg>')).status).not.toBe(0);
  });
});
