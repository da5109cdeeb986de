/** Receptive fields and effective strides: the notes' 3×3 story and published values for VGG16. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { analyze, parseGraphText, receptiveFieldText, receptiveFields, summaryJson, type Analysis } from '../../src/engine/index.ts';
import { importKerasModel } from '../../src/interop/import-keras.ts';

const load = (name: string): Analysis => {
  const r = parseGraphText(readFileSync(new URL(`../../examples/${name}.json`, import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(name);
  return analyze(r.graph);
};

test('two stacked 3×3 convolutions see what one 5×5 sees', () => {
  const f = receptiveFields(load('receptive-field-3x3'));
  expect(f.get('conv3x3_a')).toEqual({ size: [3, 3], stride: [1, 1] });
  expect(f.get('conv3x3_b')).toEqual(f.get('conv5x5'));
  expect(receptiveFieldText(f.get('conv3x3_b'))).toBe('5×5 /1');
});

test('VGG16: block5_pool sees 212×212 with stride 32; the dense head has no spatial field', () => {
  const s = summaryJson(load('vgg16'));
  const row = (name: string) => s.layers.find((l) => l.name === name)!;
  expect([row('block5_conv3').receptiveField, row('block5_conv3').effectiveStride]).toEqual([[196, 196], [16, 16]]);
  expect([row('block5_pool').receptiveField, row('block5_pool').effectiveStride]).toEqual([[212, 212], [32, 32]]);
  expect(row('fc1').receptiveField).toBeUndefined();
  // Shares add up to the whole model.
  expect(s.layers.reduce((t, l) => t + l.share, 0)).toBeCloseTo(1, 10);
});

test('merges take the widest input: ResNet-50 after its last block', () => {
  const f = receptiveFields(load('resnet50'));
  const last = f.get('conv5_block/3/out')!;
  expect(last.stride).toEqual([32, 32]);
  expect(last.size[0]).toBeGreaterThan(224);
});

test('Darknet (YOLO backbone): the receptive field runs through every LeakyReLU to the last layer, as the Keras configs fold', () => {
  const text = readFileSync(new URL('../interop/fixtures/reference/ml5-darknet-tiny.json', import.meta.url), 'utf8');
  const imported = importKerasModel(JSON.parse(text));
  if (!imported.ok) throw new Error('import failed');
  const a = analyze(imported.graph);
  const fields = receptiveFields(a);
  // The same fold done independently over the file's own layer list.
  const doc = JSON.parse(text).modelTopology;
  const layers = (doc.model_config ?? doc).config.layers ?? (doc.model_config ?? doc).config;
  let rf = 1;
  let jump = 1;
  let checked = 0;
  for (const l of layers as { class_name: string; config: Record<string, number[] | number | string> }[]) {
    const c = l.config;
    const k = (v: unknown) => (Array.isArray(v) ? v[0] : (v as number));
    if (l.class_name === 'Conv2D') {
      rf += (k(c.kernel_size) - 1) * k(c.dilation_rate ?? 1) * jump;
      jump *= k(c.strides);
    } else if (l.class_name === 'MaxPooling2D') {
      rf += (k(c.pool_size) - 1) * jump;
      jump *= k(c.strides ?? c.pool_size);
    } else if (l.class_name === 'InputLayer') continue;
    const node = a.nodes.find((n) => n.name === c.name);
    if (!node || !node.outputShape || node.outputShape.length < 4) continue;
    expect(fields.get(node.id), `${node.name} (${node.kind})`).toEqual({ size: [rf, rf], stride: [jump, jump] });
    checked++;
  }
  expect(a.nodes.filter((n) => n.kind === 'LeakyReLU').every((n) => fields.has(n.id))).toBe(true);
  expect(checked).toBe(a.nodes.filter((n) => n.kind !== 'Input' && (n.outputShape?.length ?? 0) >= 4).length);
});
