/** One convention per quantity, the summary table's: the CLI and every panel read them from format.ts. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  analyze, bytesText, fmt, parseGraphText, percentText, receptiveFieldText, receptiveFields, shapeText, shareText, summaryText,
} from '../../src/engine/index.ts';

describe('numbers', () => {
  it('have thousands separators and no decimals', () => {
    expect(fmt(0)).toBe('0');
    expect(fmt(999)).toBe('999');
    expect(fmt(98_816)).toBe('98,816');
    expect(fmt(25_636_712)).toBe('25,636,712');
    expect(fmt(-1234)).toBe('-1,234');
    expect(fmt(1234.6)).toBe('1,235');
    expect(fmt(Infinity)).toBe('Infinity');
  });
});

describe('shapes', () => {
  it('read as Keras prints them, batch first', () => {
    expect(shapeText([null, 26, 26, 32])).toBe('(None, 26, 26, 32)');
    expect(shapeText([2, 10])).toBe('(2, 10)');
    expect(shapeText([null])).toBe('(None,)');
    expect(shapeText([])).toBe('()');
    expect(shapeText(null)).toBe('?');
    expect(shapeText(undefined)).toBe('?');
  });
});

describe('bytes', () => {
  it('use binary units with two decimals, none for whole values', () => {
    expect(bytesText(0)).toBe('0 B');
    expect(bytesText(1023)).toBe('1023 B');
    expect(bytesText(1024)).toBe('1 KB');
    expect(bytesText(4545 * 4)).toBe('17.75 KB');
    expect(bytesText(3393 * 4)).toBe('13.25 KB');
    expect(bytesText(1536)).toBe('1.50 KB');
    expect(bytesText(64 * 1024 * 1024)).toBe('64 MB');
    expect(bytesText(600 * 1024 * 1024)).toBe('600 MB');
    expect(bytesText(1.5 * 1024 ** 3)).toBe('1.50 GB');
    expect(bytesText(2 * 1024 ** 5)).toBe('2048 TB');
  });
});

describe('shares', () => {
  it('are percentages with one decimal and no space; small ones <0.1%, none empty', () => {
    expect(percentText(0.2)).toBe('20.0%');
    expect(shareText(0.993)).toBe('99.3%');
    expect(shareText(0.123)).toBe('12.3%');
    expect(shareText(0.001)).toBe('0.1%');
    expect(shareText(0.0009)).toBe('<0.1%');
    expect(shareText(0)).toBe('');
    expect(shareText(NaN)).toBe('');
  });
});

describe('receptive fields', () => {
  it('read as field, then effective stride: one number when every axis has the same', () => {
    expect(receptiveFieldText({ size: [5, 5], stride: [1, 1] })).toBe('5×5 /1');
    expect(receptiveFieldText({ size: [11, 11], stride: [4, 4] })).toBe('11×11 /4');
    expect(receptiveFieldText({ size: [7, 3], stride: [2, 1] })).toBe('7×3 /2×1');
    expect(receptiveFieldText({ size: [1], stride: [1] })).toBe('1 /1');
    expect(receptiveFieldText({ size: [4], stride: [0.5] })).toBe('4 /0.50');
    expect(receptiveFieldText('whole')).toBe('the whole input');
    expect(receptiveFieldText(null)).toBe('');
    expect(receptiveFieldText(undefined)).toBe('');
  });

  it('are the summary table\'s RF /stride column', () => {
    const r = parseGraphText(readFileSync('examples/alexnet.json', 'utf8'));
    if (!r.ok) throw new Error('alexnet');
    const a = analyze(r.graph);
    const conv5 = receptiveFields(a).get('conv5');
    expect(receptiveFieldText(conv5)).toBe('163×163 /16');
    const row = summaryText(a).split('\n').find((l) => l.startsWith('conv5 '))!;
    expect(row).toContain(' 163×163 /16 ');
  });
});

describe('the summary table uses them', () => {
  it('prints totals, shares and sizes in these conventions', () => {
    const r = parseGraphText(readFileSync('examples/jena-gru.json', 'utf8'));
    if (!r.ok) throw new Error('jena-gru');
    const text = summaryText(analyze(r.graph));
    expect(text).toContain(`Total params: ${fmt(4545)} (${bytesText(4545 * 4)})`);
    expect(text).toContain(shareText(4512 / 4545));
    expect(text).toContain('Non-trainable params: 0 (0 B)');
  });
});
