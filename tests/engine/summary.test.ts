/** The text summary's layout: long cells wrap inside their column, so the columns after them stay in line. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, parseGraphText, summaryText, wrapCell, COLUMN_MAX } from '../../src/engine/index.ts';

const load = (name: string) => {
  const r = parseGraphText(readFileSync(`examples/${name}.json`, 'utf8'));
  if (!r.ok) throw new Error(`${name} does not load`);
  return r.graph;
};

describe('wrapCell', () => {
  it('breaks after spaces and never exceeds the width', () => {
    const text = '131,328 + 1,024 + 590,080 + 1,024 + 525,312 + 263,168 + 4,096 ×2 = 1,520,128';
    const lines = wrapCell(text, 40);
    expect(lines.join(' ')).toBe(text);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(40);
    expect(lines.length).toBeGreaterThan(1);
  });

  it('cuts a word longer than the column', () => {
    expect(wrapCell('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});

describe('summaryText', () => {
  it('keeps every table line within the rule, and the RF column in line, when the arithmetic is long (ResNet-50)', () => {
    const text = summaryText(analyze(load('resnet50')));
    const lines = text.split('\n');
    const rules = lines.flatMap((l, i) => (l.startsWith('━') ? [i] : []));
    const width = lines[rules[0]].length;
    const header = lines[rules[0] + 1];
    const rfAt = header.indexOf('RF /stride');
    const table = lines.slice(rules[1] + 1, rules[2]);
    expect(table.some((l) => l.includes('conv4_block1'))).toBe(true);
    for (const l of table) {
      expect(l.length).toBeLessThanOrEqual(width);
      // A receptive field such as `131×131 /16` starts exactly under its header.
      const rf = /\d+×\d+ \/\d+/.exec(l);
      if (rf) expect(rf.index).toBe(rfAt);
    }
    expect(COLUMN_MAX).toBeGreaterThan(20);
  });
});
