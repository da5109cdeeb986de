/** The CLI on Keras / TF.js models: format detection, convert, exit codes. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { parseGraphText, serializeGraph } from '../../src/engine/index.ts';

const root = new URL('../../', import.meta.url).pathname;
const ref = (f: string) => join(root, 'tests/interop/fixtures/reference', f);
const tmp = mkdtempSync(join(tmpdir(), 'netloom-convert-'));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The model.json without its weightsManifest, written to a temp file. */
function stripped(file: string): string {
  const doc = JSON.parse(readFileSync(ref(file), 'utf8'));
  delete doc.weightsManifest;
  const p = join(tmp, file);
  writeFileSync(p, JSON.stringify(doc));
  return p;
}

describe('netloom summary on models', () => {
  it('reads a TF.js model.json (ResNet-50) and prints the Keras total', async () => {
    const r = await run('summary', stripped('ts-resnet50.json'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Total params: 25,636,712/);
    expect(r.out).toMatch(/Non-trainable params: 53,120/);
  });

  it('prints import notes on stderr, keeping --json output pure JSON', async () => {
    const r = await run('summary', stripped('twitch-sentiment-cnn-conv1d.json'), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).totals.params).toBe(2719251);
    expect(r.err).toMatch(/^note: embedding_1_input: Keras leaves the sequence length open \(\[null\]\); it stays open \(None\)/m);
  });

  it('reads a bare Keras model.to_json() file', async () => {
    const p = join(tmp, 'k3.json');
    writeFileSync(p, readFileSync(join(root, 'tests/interop/fixtures/keras3-functional.json')));
    const r = await run('validate', p);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/valid · 7 layers · 5,258 parameters/);
  });

  it('a model with a layer netloom lacks: exit 1, the node named, the rest counted', async () => {
    const doc = JSON.parse(readFileSync(ref('ts-lenet-keras222.json'), 'utf8'));
    doc.modelTopology.model_config.config.layers[6].class_name = 'Lambda';
    const p = join(tmp, 'lambda.json');
    writeFileSync(p, JSON.stringify(doc));
    const r = await run('summary', p, '--json');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^flatten_1: Keras layer class 'Lambda' is not modelled by netloom/m);
    expect(r.err).toMatch(/note: flatten_1: Keras class 'Lambda' has no netloom kind/);
    const j = JSON.parse(r.out);
    expect(j.layers.find((l: { name: string }) => l.name === 'Conv2D_2').params).toBe(2416);
  });

  it('a broken model topology: exit 1 with the path and the fix', async () => {
    const p = join(tmp, 'broken-model.json');
    writeFileSync(p, JSON.stringify({ modelTopology: { class_name: 'Model', config: { layers: 3 } } }));
    const r = await run('validate', p);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/a Model config needs a layers list/);
  });
});

describe('netloom convert', () => {
  it('model.json → netloom file: deterministic, loads back with the same total', async () => {
    const out = join(tmp, 'resnet50.netloom.json');
    const r = await run('convert', stripped('ts-resnet50.json'), '-o', out);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    const loaded = parseGraphText(text);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(serializeGraph(loaded.graph)).toBe(text);
    const v = await run('validate', out);
    expect(v.out).toMatch(/25,636,712 parameters/);
  });

  it('graph → tfjs, keras-py, tfjs-js and svg; the target follows --to or the extension', async () => {
    const src = join(root, 'examples/jena-gru.json');
    const mj = join(tmp, 'model.json');
    expect((await run('convert', src, '--to', 'tfjs', '-o', mj)).code).toBe(0);
    expect(JSON.parse(readFileSync(mj, 'utf8'))).toMatchObject({ format: 'layers-model', modelTopology: { class_name: 'Model' } });
    // The written model.json converts back: a full round trip through files.
    const back = join(tmp, 'back.netloom.json');
    expect((await run('convert', mj, '-o', back)).code).toBe(0);
    expect((await run('validate', back)).out).toMatch(/4,545 parameters/);
    expect((await run('convert', src, '-o', join(tmp, 'jena.py'), '--distribute')).code).toBe(0);
    expect(readFileSync(join(tmp, 'jena.py'), 'utf8')).toMatch(/MirroredStrategy/);
    expect((await run('convert', src, '--to=tfjs-js', '--out', join(tmp, 'jena.txt'))).code).toBe(0);
    expect(readFileSync(join(tmp, 'jena.txt'), 'utf8')).toMatch(/tf\.layers\.gru\(/);
    expect((await run('convert', src, '-o', join(tmp, 'jena.svg'))).code).toBe(0);
    expect(readFileSync(join(tmp, 'jena.svg'), 'utf8')).toMatch(/^<svg /);
  });

  it('convert to .py writes a training script (compile and fit); --distribute and the data flags are refused for other targets', async () => {
    const src = join(root, 'examples/jena-gru.json');
    const py = join(tmp, 'train.py');
    expect((await run('convert', src, '-o', py)).code).toBe(0);
    const script = readFileSync(py, 'utf8');
    expect(script).toMatch(/\.compile\(/);
    expect(script).toMatch(/\.fit\(/);
    for (const to of ['tfjs', 'tfjs-js', 'svg', 'netloom']) {
      const r = await run('convert', src, '--to', to, '-o', join(tmp, `x.${to}`), '--distribute');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--distribute: only the Keras Python script trains/);
      expect(existsSync(join(tmp, `x.${to}`))).toBe(false);
    }
    const d = await run('convert', src, '-o', join(tmp, 'y.js'), '--dataset', 'seattle-weather');
    expect(d.code).toBe(2);
    expect(d.err).toMatch(/--dataset: only the Keras Python script trains/);
  });

  it('bad usage exits 2; a graph with problems writes no code and exits 1', async () => {
    const src = join(root, 'examples/jena-gru.json');
    expect((await run('convert', src)).code).toBe(2);
    expect((await run('convert', src, '--to', 'onnx', '-o', join(tmp, 'x'))).err).toMatch(/unknown --to 'onnx'; use one of netloom, tfjs, keras-json, keras-py, tfjs-js, svg/);
    expect((await run('convert', src, '-o')).code).toBe(2);
    expect((await run('summary', src, '--to', 'tfjs')).code).toBe(2);
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({
      format: 'netloom.graph', version: 1, name: 'bad',
      nodes: [{ id: 'in', kind: 'Input', name: 'in', params: { shape: [3, 3, 1] } }, { id: 'conv3', kind: 'Conv2D', name: 'conv3', params: { kernelSize: [5, 5] } }],
      edges: [{ id: 'e1', source: 'in', target: 'conv3', targetPort: 'in0' }],
    }));
    const r = await run('convert', bad, '-o', join(tmp, 'bad.py'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^conv3: kernel 5×5 is larger/m);
    expect(existsSync(join(tmp, 'bad.py'))).toBe(false);
  });

  it('the installed bin converts a model.json', () => {
    const out = join(tmp, 'bin-lenet.netloom.json');
    const r = spawnSync('node', ['bin/netloom.js', 'convert', stripped('ts-lenet-tfjslayers075.json'), '-o', out], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const s = spawnSync('node', ['bin/netloom.js', 'summary', out, '--json'], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(s.stdout).totals.params).toBe(61706);
  });
});

describe('netloom convert --to keras-json', () => {
  it('keeps a TF2 GRU that model.json refuses, and reads back to the same counts', async () => {
    const graph = {
      format: 'netloom.graph', version: 2, name: 'tf2-gru',
      nodes: [
        { id: 'x', kind: 'Input', name: 'x', params: { shape: [20, 8] } },
        { id: 'gru', kind: 'GRU', name: 'gru', params: { units: 16, resetAfter: true } },
      ],
      edges: [{ id: 'e1', source: 'x', target: 'gru', targetPort: 'in0' }],
    };
    const src = join(tmp, 'tf2-gru.json');
    writeFileSync(src, JSON.stringify(graph));
    const refused = await run('convert', src, '--to', 'tfjs', '-o', join(tmp, 'tf2-gru.model.json'));
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/gru: TF\.js has no GRU with resetAfter true/);
    const out = join(tmp, 'tf2-gru.keras.json');
    expect((await run('convert', src, '--to', 'keras-json', '-o', out)).code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.class_name).toBe('Functional');
    expect(doc.config.layers[1].config.reset_after).toBe(true);
    const before = await run('summary', src, '--json');
    const after = await run('summary', out, '--json');
    expect(JSON.parse(after.out).totals.params).toBe(JSON.parse(before.out).totals.params);
  });
});
