/** CSV limits: an uploaded file too wide, too long or too large is refused before the work starts. */
import { describe, expect, it } from 'vitest';
import { DataError, parseCsv, readSeriesCsv } from '../../src/data/index.ts';
import { LIMITS } from '../../src/engine/limits.ts';

function errorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('expected a DataError');
}

const wide = (cols: number, rows: number) => {
  const header = Array.from({ length: cols }, (_, i) => `c${i}`).join(',');
  const row = Array.from({ length: cols }, (_, i) => String(i % 10)).join(',');
  return `${[header, ...Array.from({ length: rows }, () => row)].join('\n')}\n`;
};

describe('CSV limits', () => {
  it('a 50,000-column file is refused quickly, naming the limit and the fix', () => {
    const text = wide(50_000, 3);
    for (const read of [() => parseCsv(text), () => readSeriesCsv(text)]) {
      const t0 = performance.now();
      const e = errorOf(read);
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(e.message).toMatch(/^row 1: more than 1,000 columns, the most netloom reads; /);
      expect(e.message).toMatch(/keep only the columns you need/);
      expect(e.where).toEqual({ row: 1 });
    }
  });

  it('a data row wider than the limit names its row', () => {
    const text = `a,b\n1,2\n${Array.from({ length: LIMITS.csvColumns + 5 }, () => '1').join(',')}\n`;
    expect(errorOf(() => parseCsv(text)).message).toMatch(/^row 3: more than 1,000 columns/);
  });

  it('too many rows or too much text is refused with the limit', () => {
    const long = `x\n${'1\n'.repeat(LIMITS.csvRows + 1)}`;
    const e = errorOf(() => parseCsv(long));
    expect(e.message).toMatch(/^row 1000002: more than 1,000,000 data rows, the most netloom reads; /);
    expect(e.where).toEqual({ row: 1_000_002 });
    const huge = `x\n${'1'.repeat(LIMITS.csvChars)}\n`;
    const t0 = performance.now();
    expect(errorOf(() => parseCsv(huge)).message).toMatch(/^the file has more than 64 MB of text, the most netloom reads; /);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('a file at the limits still parses', () => {
    const t = parseCsv(wide(LIMITS.csvColumns, 2));
    expect(t.header).toHaveLength(1000);
    expect(t.records).toHaveLength(2);
    const s = readSeriesCsv('date,temp\n2020-01-02,2\n2020-01-01,1\n', { orderColumn: 'date' });
    expect(s.rows).toEqual([[1], [2]]);
  });
});
