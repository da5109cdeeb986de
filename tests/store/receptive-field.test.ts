/** Receptive fields against values published for AlexNet and VGG16. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { analyze, parseGraphText } from '../../src/engine/index.ts';
import { fieldText, receptiveField } from '../../src/store/receptive-field.ts';

const analysed = (name: string) => {
  const r = parseGraphText(readFileSync(`examples/${name}.json`, 'utf8'));
  if (!r.ok) throw new Error(name);
  return analyze(r.graph);
};

test('AlexNet: conv1 sees 11×11, pool1 19×19, conv5 163×163 (jump 16), fc6 the whole image', () => {
  const a = analysed('alexnet');
  expect(receptiveField(a, 'conv1')).toEqual({ size: [11, 11], jump: [4, 4] });
  expect(receptiveField(a, 'pool1')).toEqual({ size: [19, 19], jump: [8, 8] });
  expect(receptiveField(a, 'conv2')).toEqual({ size: [51, 51], jump: [8, 8] });
  expect(receptiveField(a, 'conv5')).toEqual({ size: [163, 163], jump: [16, 16] });
  expect(receptiveField(a, 'pool5')).toEqual({ size: [195, 195], jump: [32, 32] });
  expect(fieldText(receptiveField(a, 'conv5'))).toBe('163×163 /16');
  expect(fieldText(receptiveField(a, 'fc6'))).toBe('the whole input');
  expect(fieldText(receptiveField(a, 'nope'))).toBe('');
});

test('VGG16: block5_pool sees 212×212 with jump 32', () => {
  const a = analysed('vgg16');
  expect(receptiveField(a, 'block5_conv3')).toEqual({ size: [196, 196], jump: [16, 16] });
  expect(receptiveField(a, 'block5_pool')).toEqual({ size: [212, 212], jump: [32, 32] });
});
