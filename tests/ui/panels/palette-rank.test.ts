import { expect, test } from 'vitest';
import { LAYERS } from '../../../src/engine/index.ts';
import { labelWords, rankEntries } from '../../../src/ui/panels/palette-rank.ts';

const entries = LAYERS.map((l) => ({ item: l.kind, label: l.kind, doc: l.doc }));
const first = (q: string) => rankEntries(q, entries)[0]?.item;

test('an exact name comes first, whatever the palette order or the descriptions say', () => {
  expect(first('dense')).toBe('Dense');
  expect(first('Dense')).toBe('Dense');
  expect(first('add')).toBe('Add');
  expect(first('conv2d')).toBe('Conv2D');
  expect(first('lstm')).toBe('LSTM');
});

test('then a name prefix, then a word prefix, then a substring, then the description', () => {
  const list = [
    { item: 'doc', label: 'Zzz', doc: 'mentions pool here' },
    { item: 'sub', label: 'Spool', doc: '' },
    { item: 'word', label: 'MaxPooling2D', doc: '' },
    { item: 'prefix', label: 'PoolingLong', doc: '' },
    { item: 'none', label: 'Other', doc: 'nothing' },
  ];
  expect(rankEntries('pool', list).map((e) => e.item)).toEqual(['prefix', 'word', 'sub', 'doc']);
});

test('shorter names first within a tier: `conv` offers Conv1D before Conv2DTranspose', () => {
  const r = rankEntries('conv', entries).map((e) => e.item);
  expect(r.indexOf('Conv1D')).toBeLessThan(r.indexOf('Conv2DTranspose'));
  expect(r.indexOf('Conv2D')).toBeLessThan(r.indexOf('DepthwiseConv2D'));
  // DepthwiseConv2D matches by its word "Conv".
  expect(r).toContain('DepthwiseConv2D');
});

test('camel-case words and runs of words: `averagepool` and `poolin` match as a reader expects', () => {
  expect(labelWords('GlobalAveragePooling2D')).toEqual(['global', 'average', 'pooling2d']);
  expect(labelWords('LSTM')).toEqual(['lstm']);
  expect(first('averagepool')).toBe('AveragePooling1D');
  expect(rankEntries('poolin', entries).map((e) => e.item)).toContain('GlobalAveragePooling2D');
  expect(rankEntries('qqqq', entries)).toEqual([]);
});

test('an empty query keeps the palette order', () => {
  expect(rankEntries('', entries).map((e) => e.item)).toEqual(entries.map((e) => e.item));
});
