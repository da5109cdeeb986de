/** Receptive fields and effective strides: the notes' 3×3 story and published values for VGG16. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { analyze, parseGraphText, receptiveFields, receptiveText, summaryJson, type Analysis } from '../../src/engine/index.ts';

const load = (name: string): Analysis => {
  const r = parseGraphText(readFileSync(new URL(`../../examples/${name}.json`, import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(name);
  return analyze(r.graph);
};

test('two stacked 3×3 convolutions see what one 5×5 sees', () => {
  const f = receptiveFields(load('receptive-field-3x3'));
  expect(f.get('conv3x3_a')).toEqual({ size: [3, 3], stride: [1, 1] });
  expect(f.get('conv3x3_b')).toEqual(f.get('conv5x5'));
  expect(receptiveText(f.get('conv3x3_b'))).toBe('5×5 /1');
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
