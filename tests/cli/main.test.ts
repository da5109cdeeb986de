/** The CLI contract: commands, JSON fields and exit codes. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { GraphBuilder, serializeGraph } from '../../src/engine/index.ts';

const root = new URL('../../', import.meta.url).pathname;

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmp = mkdtempSync(join(tmpdir(), 'netloom-cli-'));
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('netloom summary', () => {
  it('prints a Keras-style table with the arithmetic', async () => {
    const r = await run('summary', join(root, 'examples/jena-gru.json'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Layer \(type\)\s+Output Shape\s+Param #\s+(\S.*\s)?Arithmetic\s+(\S.*\s)?Connected to/);
    expect(r.out).toMatch(/\(GRU\)\s+\(None, 32\)\s+4,512\s+(\S+\s+)?3·\(32·\(14\+32\) \+ 32\) = 4,512/);
    expect(r.out).toMatch(/Total params: 4,545/);
  });

  it('--json has the documented fields', async () => {
    const r = await run('summary', join(root, 'examples/vgg16.json'), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['name', 'layers', 'totals']));
    expect(Object.keys(j.layers[1])).toEqual(expect.arrayContaining(['id', 'name', 'kind', 'outputShape', 'params', 'trainableParams', 'macs', 'formula']));
    expect(Object.keys(j.totals)).toEqual(expect.arrayContaining(['params', 'trainable', 'nonTrainable', 'macs']));
    expect(j.totals.params).toBe(138357544); // keras.applications VGG16 (shared/reference/README.md)
  });

  it('--expand lists the layers inside block uses; both views give the same totals', async () => {
    const file = join(root, 'examples/resnet101.json');
    const collapsed = JSON.parse((await run('summary', file, '--json')).out);
    const expanded = JSON.parse((await run('summary', file, '--json', '--expand')).out);
    expect(collapsed.totals.params).toBe(44707176); // keras.applications ResNet101 (shared/reference/README.md)
    expect(expanded.totals).toEqual(collapsed.totals);
    expect(collapsed.view).toBe('collapsed');
    expect(expanded.layers.map((l: { name: string }) => l.name)).toContain('conv4_block23_3_conv');
    expect(collapsed.layers.map((l: { name: string }) => l.name)).not.toContain('conv4_block23_3_conv');
    const stage = collapsed.layers.find((l: { name: string }) => l.name === 'conv4_block');
    expect(stage).toMatchObject({ kind: 'Block', block: 'bottleneck', repeat: 22 });
    const text = (await run('summary', file, '--expand')).out;
    expect(text).toMatch(/^conv4_block23_3_conv \(Conv2D\)/m);
  });
});

describe('exit codes', () => {
  const invalid = file('invalid.json', JSON.stringify({
    format: 'netloom.graph', version: 1, name: 'bad',
    nodes: [
      { id: 'in', kind: 'Input', name: 'in', params: { shape: [3, 3, 1] } },
      { id: 'conv3', kind: 'Conv2D', name: 'conv3', params: { kernelSize: [5, 5] } },
      { id: 'd', kind: 'Dense', name: 'd', params: { units: 0 } },
    ],
    edges: [{ id: 'e1', source: 'in', target: 'conv3', targetPort: 'in0' }, { id: 'e2', source: 'conv3', target: 'd', targetPort: 'in0' }],
  }));

  it('0 for a valid graph', async () => {
    const r = await run('validate', join(root, 'examples/alexnet.json'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/valid · \d+ layers · 62,378,344 parameters/);
  });

  it('1 for an invalid graph, one nodeId: message line per problem on stderr', async () => {
    const r = await run('validate', invalid);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toEqual([
      "conv3: kernel 5×5 is larger than its 3×3 input; use padding 'same' or a smaller kernel",
      'd: units must be a whole number from 1 to 2147483647, got 0',
    ]);
    const s = await run('summary', invalid, '--json');
    expect(s.code).toBe(1);
    expect(JSON.parse(s.out).layers.map((l: { status: string }) => l.status)).toEqual(['ok', 'error', 'error']);
  });

  it('1 for a schema-invalid graph, 2 for unreadable or unparseable input and bad usage', async () => {
    expect((await run('validate', file('schema.json', '{"format": "netloom.graph", "version": 1}'))).code).toBe(1);
    expect((await run('validate', file('broken.json', '{"format": "netl'))).code).toBe(2);
    expect((await run('validate', join(tmp, 'missing.json'))).code).toBe(2);
    expect((await run('summary', invalid, '--jsn'))).toMatchObject({ code: 2 });
    expect((await run('frobnicate', invalid))).toMatchObject({ code: 2 });
  });
});

describe('the installed bin', () => {
  it('runs from the repo root without a build step', () => {
    const out = execFileSync('node', ['bin/netloom.js', 'summary', 'examples/jena-gru.json', '--json'], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out).totals.params).toBe(4545); // Deep Learning with Python, Jena GRU
    const bad = spawnSync('node', ['bin/netloom.js', 'validate', 'package.json'], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/"format" is undefined/);
  });
});

describe('netloom summary with an open sequence length', () => {
  it('prints None and says what depends on the length; --json has null multiply-adds and Keras 3\'s counts', async () => {
    const b = new GraphBuilder('open');
    const x = b.add('Input', { shape: [null, 5] }, [], 'x');
    b.add('LSTM', { units: 8 }, [b.add('Dense', { units: 8 }, [x], 'dense')], 'lstm');
    const p = file('open.json', serializeGraph(b.build()));
    const t = await run('summary', p);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/dense \(Dense\)\s+\(None, None, 8\)\s+48/);
    expect(t.out).toMatch(/Multiply-adds per sample: depends on the sequence length/);
    expect(t.out).not.toMatch(/NaN/);
    const r = await run('summary', p, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    // Keras 3 on keras.Input((None, 5)): Dense(8) 5·8 + 8 = 48, then LSTM(8) 4·(8·(8+8) + 8) = 544.
    expect(j.totals.params).toBe(48 + 544);
    expect(j.totals.macs).toBeNull();
    expect(j.layers.find((l: { name: string }) => l.name === 'x').outputShape).toEqual([null, null, 5]);
    const f = await run('summary', p, '--flops');
    expect(f.out).toMatch(/FLOPs per sample \(2 × multiply-adds\): depends on the sequence length/);
    const m = await run('memory', p);
    expect(m.out).not.toMatch(/NaN/);
  });
});
