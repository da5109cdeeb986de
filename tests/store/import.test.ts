/**
 * Importing Keras and TF.js models through `loadText`, the action the editor's
 * file picker, drop and share links all call: detection, naming, notes in the
 * notice, undo, unsaved work kept, and refusals that leave the graph as it is.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, test } from 'vitest';
import { parseGraphText, serializeGraph } from '../../src/engine/index.ts';
import { createEditorStore, importedName, notesText, type EditorStore } from '../../src/store/editor.ts';
import { decodeShare, encodeShare } from '../../src/store/share.ts';

let store: EditorStore;
const s = () => store.getState();
beforeEach(() => {
  store = createEditorStore();
});

const fixtureText = (name: string) => readFileSync(new URL(`../interop/fixtures/${name}`, import.meta.url), 'utf8');

/** A reference model.json without its weightsManifest: counts must come from the topology alone. */
function referenceWithoutManifest(name: string): string {
  const doc = JSON.parse(fixtureText(`reference/${name}`));
  delete doc.weightsManifest;
  return JSON.stringify(doc);
}

/** Input(8) → Dense(4), edited by hand so it is unsaved work. */
function unsavedWork() {
  const a = s().addNode('Input', { x: 0, y: 0 })!;
  const b = s().addNode('Dense', { x: 0, y: 100 })!;
  expect(s().connect(a, b, 'in0')).toBeNull();
  return s().graph;
}

describe('import through loadText', () => {
  test('a TF.js model.json (ResNet-50) opens with its Keras total, named after the file, undoable', () => {
    const before = s().graph;
    expect(s().loadText(referenceWithoutManifest('ts-resnet50.json'), 'ts-resnet50.json')).toBe(true);
    expect(s().graph.name).toBe('ts-resnet50');
    expect(s().graph.nodes.length).toBe(177);
    expect(s().analysis.problems).toEqual([]);
    expect(s().analysis.totals.params).toBe(25_636_712);
    expect(s().analysis.totals.trainable).toBe(25_583_592);
    expect(s().notice).toMatchObject({ kind: 'info' });
    expect(s().notice!.text).toBe('Imported ts-resnet50.json (TF.js model.json, 177 layers).');
    expect(s().dirty).toBe(false);
    s().undo();
    expect(s().graph).toBe(before);
  });

  test('a Keras model.to_json() document opens through the same call', () => {
    expect(s().loadText(fixtureText('keras2-functional.json'), 'keras2-functional.json')).toBe(true);
    expect(s().notice!.text).toMatch(/^Imported keras2-functional\.json \(Keras JSON, 7 layers\)\./);
    expect(s().graph.name).toBe('keras2-functional');
    // 3·3·3·16 + 16 = 448; two 3·3·16·16 + 16 = 2,320; Dense 16·10 + 10 = 170.
    expect(s().analysis.totals.params).toBe(448 + 2320 + 2320 + 170);
    expect(s().analysis.problems).toEqual([]);
  });

  test('Keras 3 inbound nodes give the same graph as Keras 2', () => {
    s().loadText(fixtureText('keras2-functional.json'), 'a.json');
    const k2 = s().analysis.nodes.map((n) => [n.name, n.kind, n.outputShape, n.paramCount]);
    s().loadText(fixtureText('keras3-functional.json'), 'b.json');
    expect(s().notice!.text).toMatch(/Keras JSON/);
    expect(s().analysis.nodes.map((n) => [n.name, n.kind, n.outputShape, n.paramCount])).toEqual(k2);
  });

  test('import notes reach the notice: each distinct note once, with the layers it concerns', () => {
    expect(s().loadText(referenceWithoutManifest('ml5-dcgan-face.json'), 'dcgan.json')).toBe(true);
    const text = s().notice!.text;
    expect(text).toMatch(/^Imported dcgan\.json \(TF\.js model\.json, 16 layers\)\. Import notes: /);
    expect(text).toMatch(/reshape_2: shape \[512,4,4\] \(channels-first\) imported as \[4,4,512\]/);
    expect(text).toMatch(/4 layers \(conv2d_transpose_5, conv2d_transpose_6, conv2d_transpose_7, …\): data_format channels_first imported as channels_last/);
    expect(text.match(/data_format channels_first/g)).toHaveLength(1);
    expect(s().analysis.totals.params).toBe(3_847_363);
  });

  test('an open input axis is noted on its Input', () => {
    s().loadText(referenceWithoutManifest('twitch-sentiment-cnn-conv1d.json'), 'twitch.json');
    expect(s().notice!.text).toMatch(/embedding_1_input: Keras leaves the sequence length open \(\[null\]\); it stays open \(None\)/);
    expect(s().analysis.totals.params).toBe(2_719_251);
  });

  test('a layer class netloom lacks loads as a marked node and the notice says so', () => {
    const doc = JSON.parse(fixtureText('keras2-functional.json'));
    const layer = doc.config.layers.find((l: { name: string }) => l.name === 'conv2');
    layer.class_name = 'Conv3DMystery';
    expect(s().loadText(JSON.stringify(doc), 'mystery.json')).toBe(true);
    expect(s().graph.nodes.find((n) => n.id === 'conv2')!.kind).toBe('Conv3DMystery');
    expect(s().notice!.text).toMatch(/conv2: Keras class 'Conv3DMystery' has no netloom kind/);
    expect(s().notice!.text).toMatch(/1 layer has a problem: see the marked nodes/);
  });

  test('importing over unsaved work keeps it restorable', () => {
    const mine = unsavedWork();
    expect(s().loadText(fixtureText('keras3-functional.json'), 'keras3-functional.json')).toBe(true);
    expect(s().notice).toMatchObject({ restorePrevious: true });
    expect(s().notice!.text).toMatch(/Imported keras3-functional\.json .*Your unsaved network is kept/);
    s().restorePrevious();
    expect(s().graph).toBe(mine);
  });

  test('a model whose names are longer than a file holds opens as a network that saves and shares', async () => {
    const long = 'n'.repeat(300);
    const doc = { class_name: 'Sequential', config: { name: 'M'.repeat(1000), layers: [
      { class_name: 'InputLayer', config: { name: long, batch_input_shape: [null, 3] } },
      { class_name: 'Dense', config: { name: long, units: 2 } },
    ] } };
    expect(s().loadText(JSON.stringify(doc), 'long.json')).toBe(true);
    expect(s().graph.nodes.map((n) => n.id)).toEqual(['n'.repeat(192), `${'n'.repeat(192)}_2`]);
    expect(s().notice!.text).toMatch(/shortened/);
    const saved = parseGraphText(serializeGraph(s().graph));
    expect(saved.ok && saved.graph.title).toBe('M'.repeat(500));
    const shared = parseGraphText(await decodeShare(await encodeShare(s().graph)));
    expect(shared.ok).toBe(true);
    expect(s().loadText(serializeGraph(s().graph), 'long.netloom.json')).toBe(true);
    expect(s().analysis.totals.params).toBe(8);
  });

  test('netloom graphs still open as before', () => {
    const text = readFileSync('examples/jena-gru.json', 'utf8');
    expect(s().loadText(text, 'jena-gru.json')).toBe(true);
    expect(s().notice!.text).toBe('Opened jena-gru.json.');
    expect(s().graph.name).toBe('jena-gru');
    expect(s().analysis.totals.params).toBe(4545);
  });
});

describe('malformed input leaves the graph untouched', () => {
  const cases: [string, string, RegExp][] = [
    ['truncated JSON', referenceWithoutManifest('ts-vgg16.json').slice(0, 5000), /not valid JSON/],
    ['a model.json whose layers are not a list', JSON.stringify({ modelTopology: { class_name: 'Model', config: { name: 'm', layers: 'oops' } } }), /layers/],
    ['a Keras document with a dangling inbound layer', JSON.stringify({
      class_name: 'Model',
      config: {
        name: 'm',
        layers: [{ name: 'd', class_name: 'Dense', config: { name: 'd', units: 2 }, inbound_nodes: [[['ghost', 0, 0, {}]]] }],
        input_layers: [['ghost', 0, 0]], output_layers: [['d', 0, 0]],
      },
    }), /ghost/],
    ['a JSON array', '[1, 2, 3]', /not a graph object/],
  ];
  for (const [what, text, why] of cases) {
    test(what, () => {
      const mine = unsavedWork();
      const history = s().history;
      expect(s().loadText(text, 'bad.json')).toBe(false);
      expect(s().graph).toBe(mine);
      expect(s().history).toBe(history);
      expect(s().dirty).toBe(true);
      expect(s().notice).toMatchObject({ kind: 'error' });
      expect(s().notice!.text).toMatch(/^Could not open bad\.json: /);
      expect(s().notice!.text).toMatch(why);
      expect(s().notice!.text).toMatch(/Your network is unchanged\.$/);
    });
  }
});

describe('helpers', () => {
  test('importedName: the file base name; a generic model.json keeps the topology name', () => {
    expect(importedName('ts-resnet50.json')).toBe('ts-resnet50');
    expect(importedName('dir/sub\\my graph.netloom.json')).toBe('my_graph');
    expect(importedName('model.json')).toBeUndefined();
    expect(importedName('the shared link')).toBeUndefined();
  });

  test('a generic model.json takes the name its topology carries', () => {
    s().loadText(fixtureText('keras2-functional.json'), 'model.json');
    expect(s().graph.name).toBe('twin');
  });

  test('notesText groups repeats and caps the list', () => {
    const notes = [
      { nodeId: 'a', message: 'x changed' }, { nodeId: 'b', message: 'x changed' },
      { message: 'whole model note' },
      ...['c', 'd', 'e', 'f'].map((id) => ({ nodeId: id, message: `${id} only` })),
    ];
    expect(notesText(notes, 3)).toBe('Import notes: 2 layers (a, b): x changed. whole model note. c: c only. (+3 more)');
  });
});

describe('title and description (setMeta, as the top bar edits them)', () => {
  test('set, kept as typed, one undo step each; the file name is made safe', () => {
    s().loadText(fixtureText('keras2-functional.json'), 'keras2-functional.json');
    const imported = s().graph;
    s().setMeta({ title: '<b>Twin</b> convs', description: 'line 1\n<script>x()</script>' });
    expect(s().graph.title).toBe('<b>Twin</b> convs');
    expect(s().graph.description).toBe('line 1\n<script>x()</script>');
    expect(s().dirty).toBe(true);
    s().setMeta({ name: ' my twin/v2 ' });
    expect(s().graph.name).toBe('my-twin-v2');
    expect(s().graph.nodes).toBe(imported.nodes);
    s().undo();
    s().undo();
    expect(s().graph).toBe(imported);
  });
});
