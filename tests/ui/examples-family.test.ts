import { readdirSync } from 'node:fs';
import { expect, test } from 'vitest';
import { byFamily, familyOf, type ExampleInfo } from '../../src/ui/files/examples.ts';

const keys = readdirSync('examples').filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));

test('every example file has a family other than Other', () => {
  expect(keys.filter((k) => familyOf(k) === 'Other')).toEqual([]);
  expect(familyOf('resnet50')).toBe('ResNets, DenseNets and ConvNeXt');
  expect(familyOf('densenet121')).toBe('ResNets, DenseNets and ConvNeXt');
  expect(familyOf('mobilenetv2')).toBe('Mobile and efficient');
  expect(familyOf('convnext-tiny')).toBe('ResNets, DenseNets and ConvNeXt');
  expect(familyOf('inception-resnet-v2')).toBe('ResNets, DenseNets and ConvNeXt');
  expect(familyOf('inceptionv3')).toBe('Classic CNNs');
  expect(familyOf('vit-b16')).toBe('Transformers');
  expect(familyOf('transformer-text-classifier')).toBe('Transformers');
  expect(familyOf('jena-gru')).toBe('Recurrent and Jena weather');
  expect(familyOf('imdb-simplernn')).toBe('Text');
  expect(familyOf('lenet5')).toBe('Classic CNNs');
  expect(familyOf('receptive-field-3x3')).toBe('Teaching');
  expect(familyOf('something-new')).toBe('Other');
});

test('families come in menu order, smallest network first within one', () => {
  const info = (key: string, params: number) => ({ key, params, title: key, layers: 1 }) as unknown as ExampleInfo;
  const groups = byFamily([info('vgg16', 138_357_544), info('resnet50', 25_636_712), info('lenet5', 61_706), info('jena-gru', 2_145)]);
  expect(groups.map((g) => [g.family, g.examples.map((x) => x.key)])).toEqual([
    ['Classic CNNs', ['lenet5', 'vgg16']],
    ['ResNets, DenseNets and ConvNeXt', ['resnet50']],
    ['Recurrent and Jena weather', ['jena-gru']],
  ]);
});
