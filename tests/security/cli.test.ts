/**
 * The CLI on hostile files: terminal control sequences never reach the
 * terminal, nested or oversized inputs end with a message and an exit code
 * (never a stack trace), and files with a byte-order mark open.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { printable } from '../../src/cli/terminal.ts';

const root = new URL('../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'netloom-hostile-'));
const file = (name: string, text: string | Buffer) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The real command as a user runs it, with its wall time. */
function bin(...argv: string[]) {
  const t0 = performance.now();
  const r = spawnSync('node', ['bin/netloom.js', ...argv], { cwd: root, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: performance.now() - t0 };
}

/** Every C0 control but the newline, DEL, every C1 control, and the bidi controls. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Clear screen, window title, clipboard write, hidden text, an 8-bit CSI, DEL, a bidi override, NUL, CR. */
const H = '\x1b[2J\x1b]0;owned\x07\x1b]52;c;cm0gLXJmIH4=\x07\x1b[8mhidden\x9b31m\x7f\u202egnp.exe\u2066x\u2069\x00\r';

const hostileGraph = file('hostile.json', JSON.stringify({
  format: 'netloom.graph', version: 2, name: 'g', title: `T${H}`, description: `D${H}`,
  nodes: [
    { id: 'in', kind: 'Input', name: `in${H}`, params: { shape: [4] } },
    { id: 'd', kind: 'Dense', name: `d${H}`, params: { units: 3, activation: `relu${H}` } },
    { id: `k${H}`, kind: `Evil${H}`, name: `k${H}`, params: {} },
  ],
  edges: [{ id: 'e1', source: 'in', target: 'd', targetPort: 'in0' }, { id: 'e2', source: 'd', target: `k${H}`, targetPort: 'in0' }],
}));

const hostileKeras = file('hostile-keras.json', JSON.stringify({
  class_name: 'Sequential',
  config: {
    name: `m${H}`,
    layers: [
      { class_name: 'InputLayer', config: { name: `in${H}`, batch_input_shape: [null, 4] } },
      { class_name: `Lambda${H}`, config: { name: `f${H}` } },
      { class_name: 'Dense', config: { name: `d${H}`, units: 2, activation: `relu${H}` } },
    ],
  },
}));

describe('terminal control sequences in files', () => {
  it('printable() shows controls as visible escapes and leaves ordinary text alone', () => {
    expect(printable('a\x1b[2Jb\x07\x7f\x9b\tc')).toBe('a\\x1b[2Jb\\x07\\x7f\\x9b\\x09c');
    expect(printable('evil\u202egnp.exe\u2066')).toBe('evil<U+202E>gnp.exe<U+2066>');
    const plain = 'Layer (type)  Output Shape ━━ 3·(32·(14+32) + 32) = 4,512 µ ≤ 你好\nnext line';
    expect(printable(plain)).toBe(plain);
  });

  const commands: [string, string[]][] = [
    ['summary', ['summary', hostileGraph]],
    ['summary --expand', ['summary', hostileGraph, '--expand']],
    ['summary --json', ['summary', hostileGraph, '--json']],
    ['validate', ['validate', hostileGraph]],
    ['convert to a graph file', ['convert', hostileGraph, '-o', join(tmp, `out${H}.netloom.json`)]],
    ['convert to Python', ['convert', hostileGraph, '-o', join(tmp, 'out.py')]],
    ['summary of a Keras model', ['summary', hostileKeras]],
    ['summary --json of a Keras model', ['summary', hostileKeras, '--json']],
    ['validate a Keras model', ['validate', hostileKeras]],
    ['convert a Keras model', ['convert', hostileKeras, '-o', join(tmp, 'k.netloom.json')]],
    ['a missing file named with controls', ['validate', join(tmp, `missing${H}.json`)]],
    ['an unknown command', [`frob${H}`, hostileGraph]],
    ['an unknown option', ['summary', hostileGraph, `--x${H}`]],
    ['an unknown target', ['convert', hostileGraph, '--to', `onnx${H}`, '-o', join(tmp, 'x')]],
  ];
  for (const [what, argv] of commands) {
    it(`${what}: no control character reaches stdout or stderr`, async () => {
      const r = await run(...argv);
      expect(r.out + r.err).not.toMatch(UNSAFE);
      expect(r.out + r.err).toMatch(/\\x1b\[2J|<U\+202E>/);
    });
  }

  it('summary --json stays valid JSON that reads back the exact names', async () => {
    for (const f of [hostileGraph, hostileKeras]) {
      const r = await run('summary', f, '--json');
      expect(r.out).not.toMatch(UNSAFE);
      const j = JSON.parse(r.out);
      expect(j.layers.some((l: { name: string }) => l.name.endsWith(H))).toBe(true);
    }
  });

  it('parse errors of files full of control bytes echo none of them', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37) % 256;
    for (const text of [bytes, Buffer.from(`{"a": ${H}}`), Buffer.concat([Buffer.from('{"name": "'), bytes])]) {
      const p = file('garbage.json', text);
      const r = await run('summary', p);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/not valid JSON \(.*line \d+, column \d+\)/);
      expect(r.out + r.err).not.toMatch(UNSAFE);
      expect(r.err).not.toContain('owned');
    }
  });

  it('the installed bin prints no escape byte either', () => {
    for (const argv of [['summary', hostileGraph], ['summary', hostileGraph, '--json'], ['validate', hostileKeras]]) {
      const r = bin(...argv);
      expect(r.code).toBe(1);
      expect(r.out + r.err).not.toMatch(UNSAFE);
    }
  });

  it('each problem stays on one line', async () => {
    const p = file('newline.json', JSON.stringify({
      format: 'netloom.graph', version: 2, name: 'g',
      nodes: [{ id: 'k', kind: 'Evil\nd: fake problem', name: 'k', params: {} }], edges: [],
    }));
    const r = await run('validate', p);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^k: unknown kind 'Evil\\nd: fake problem'/);
  });
});

describe('nested and oversized inputs', () => {
  const dense = { id: 'fc', kind: 'Dense', name: 'fc', params: { units: 2 } };
  /** Block b0 holds a layer; each b(k) uses b(k−1) `width` times in a chain, each use repeated `repeat` times. */
  function nestedBlocks(levels: number, width: number, repeat: number): string {
    const blocks: Record<string, unknown> = { b0: { params: {}, inputs: ['x'], output: 'fc', nodes: [dense], edges: [{ id: 'e', source: '@x', target: 'fc', targetPort: 'in0' }] } };
    for (let k = 1; k < levels; k++) {
      const nodes = Array.from({ length: width }, (_, w) => ({ id: `u${w}`, kind: 'Block', name: `u${w}`, params: { block: `b${k - 1}`, repeat, args: {} } }));
      const edges = nodes.map((n, w) => ({ id: `e${w}`, source: w ? `u${w - 1}` : '@x', target: n.id, targetPort: 'in0' }));
      blocks[`b${k}`] = { params: {}, inputs: ['x'], output: `u${width - 1}`, nodes, edges };
    }
    return JSON.stringify({
      format: 'netloom.graph', version: 2, name: 'nested', blocks,
      nodes: [{ id: 'in', kind: 'Input', name: 'in', params: { shape: [4] } }, { id: 'top', kind: 'Block', name: 'top', params: { block: `b${levels - 1}`, repeat, args: {} } }],
      edges: [{ id: 'e', source: 'in', target: 'top', targetPort: 'in0' }],
    });
  }

  const deepKeras = () => {
    const open = '{"class_name": "Sequential", "config": {"name": "s", "batch_input_shape": [null, 4], "layers": [';
    return `${open.repeat(3000)}{"class_name": "Dense", "config": {"name": "d", "units": 1}}${']}}'.repeat(3000)}`;
  };

  const cases: [string, () => string][] = [
    ['blocks nested 8 deep, each use repeated 1000 times', () => nestedBlocks(8, 1, 1000)],
    ['blocks nested 7 deep, 60 uses wide', () => nestedBlocks(7, 60, 1)],
    ['a Keras model nested 3,000 deep', deepKeras],
  ];
  for (const [what, make] of cases) {
    it(`${what}: exit 1 with a message, no stack trace, in under 5 s`, () => {
      const text = make();
      const r = bin('summary', file('nested.json', text));
      expect(r.err).not.toMatch(/^\s+at /m);
      // The nesting, or the limit it runs into, by name or by number.
      expect(r.err).toMatch(/nested|limit|more than [\d,]+/i);
      expect(r.code).toBe(1);
      expect(r.ms).toBeLessThan(5000);
    }, 70_000);
  }

  it('a Keras model of 20,000 layers all named d: summary in under 5 s with the Keras total', () => {
    const layers: unknown[] = [{ class_name: 'InputLayer', config: { name: 'd', batch_input_shape: [null, 4] } }];
    for (let i = 0; i < 20_000; i++) layers.push({ class_name: 'Dense', config: { name: 'd', units: 1 } });
    const p = file('same-names.json', JSON.stringify({ class_name: 'Sequential', config: { name: 'same', layers }, keras_version: '2.15.0', backend: 'tensorflow' }));
    const r = bin('summary', p);
    expect(r.err).not.toMatch(/^\s+at /m);
    expect([0, 1]).toContain(r.code);
    expect(r.out).toMatch(/^Total params: 40,003 /m); // 4·1 + 1, then 1·1 + 1 for each of the other 19,999
    expect(r.ms).toBeLessThan(5000);
  }, 70_000);

  it('a file over the size limit is refused before it is read, naming the limit', async () => {
    const p = join(tmp, 'huge.json');
    writeFileSync(p, '');
    truncateSync(p, 600 * 1024 * 1024); // sparse: no disk space used
    const r = await run('summary', p);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${p}: the file is 600 MB, more than the 64 MB netloom reads; check it is a graph or model JSON file (a model's weights belong in its .bin files)`);
  });

  it('an unexpected failure prints one line naming the stage, exit 2', async () => {
    const err: string[] = [];
    const code = await main(['summary', join(root, 'examples/jena-gru.json')], { out: () => { throw new Error('stdout\x1b[2J closed'); }, err: (s) => err.push(s) });
    expect(code).toBe(2);
    expect(err).toEqual([`${join(root, 'examples/jena-gru.json')}: internal error while printing the summary: stdout\\x1b[2J closed; please report it`]);
  });
});

describe('a stack overflow inside the engine', () => {
  const overflow = () => { throw new RangeError('Maximum call stack size exceeded'); };
  async function mainWith(module: string, name: string) {
    vi.resetModules();
    vi.doMock(module, async (original) => ({ ...(await original<object>()), [name]: overflow }));
    try {
      const { main: mocked } = await import('../../src/cli/main.ts');
      const err: string[] = [];
      const code = await mocked(['summary', join(root, 'examples/jena-gru.json')], { out: () => {}, err: (s) => err.push(s) });
      return { code, err };
    } finally {
      vi.doUnmock(module);
      vi.resetModules();
    }
  }

  it('while analysing: one line saying the blocks nest too deeply, exit 1', async () => {
    const r = await mainWith('../../src/engine/analyze.ts', 'analyze');
    expect(r).toEqual({ code: 1, err: [expect.stringMatching(/jena-gru\.json: blocks are nested too deeply to expand \(at most 8 levels and 200,000 layers once expanded\)/)] });
  });

  it('while loading: one line saying the model nests too deeply, exit 1', async () => {
    const r = await mainWith('../../src/interop/load.ts', 'loadAnyModelText');
    expect(r).toEqual({ code: 1, err: [expect.stringMatching(/jena-gru\.json: the model is nested too deeply to load/)] });
  });
});

describe('byte-order marks', () => {
  it('graph and Keras files saved with a BOM open', async () => {
    const g = file('bom.json', `\ufeff${readFileSync(join(root, 'examples/jena-gru.json'), 'utf8')}`);
    const r = await run('validate', g);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/valid · \d+ layers · 4,545 parameters/);
    const k = file('bom-keras.json', `\ufeff${readFileSync(join(root, 'tests/interop/fixtures/keras3-functional.json'), 'utf8')}`);
    expect((await run('validate', k)).out).toMatch(/valid · 7 layers · 5,258 parameters/);
  });
});
