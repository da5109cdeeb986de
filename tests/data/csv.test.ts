/** CSV parsing: quoting rules, column choice, ordering, and errors that name the row and the column. */
import { describe, expect, it } from 'vitest';
import { DataError, parseCsv, readSeriesCsv } from '../../src/data/index.ts';

function errorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('expected a DataError');
}

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks; CRLF; a BOM; blank lines', () => {
    const t = parseCsv('\ufeffname,note\r\n"a, b","say ""hi"""\r\n\r\nc,"two\nlines"\n"",x\n');
    expect(t.header).toEqual(['name', 'note']);
    expect(t.records).toEqual([['a, b', 'say "hi"'], ['c', 'two\nlines'], ['', 'x']]);
    // spreadsheet rows: header is 1, the blank line 3 is skipped, the quoted line break spans 4–5
    expect(t.rowNumbers).toEqual([2, 4, 6]);
  });

  it('an unclosed quote names the row where it opened', () => {
    const e = errorOf(() => parseCsv('a,b\n1,2\n3,"4\n5,6\n'));
    expect(e.message).toMatch(/^row 3: a quoted field is never closed/);
    expect(e.where.row).toBe(3);
  });

  it('a stray quote inside a field names the row', () => {
    expect(errorOf(() => parseCsv('a,b\n1,x"y"\n')).message).toMatch(/^row 2: a quote in the middle of a field/);
  });
});

describe('readSeriesCsv', () => {
  const csv = 'date,temp,wind,kind\n2020-01-03,3,1.5,rain\n2020-01-01,1,2.5,sun\n2020-01-02,2,0.5,"fog, light"\n';

  it('keeps the chosen columns and sorts rows by the order column', () => {
    const s = readSeriesCsv(csv, { columns: ['wind', 'temp'], orderColumn: 'date' });
    expect(s.columns).toEqual(['wind', 'temp']);
    expect(s.rows).toEqual([[2.5, 1], [0.5, 2], [1.5, 3]]);
    expect(s.order).toEqual(['2020-01-01', '2020-01-02', '2020-01-03']);
    expect(s.orderColumn).toBe('date');
  });

  it('a ragged row names its row and the missing column', () => {
    const e = errorOf(() => readSeriesCsv('a,b,c\n1,2,3\n4,5\n', { columns: ['a'] }));
    expect(e.message).toBe('row 3: 2 cells but the header has 3 columns; add the missing cells (from column "c")');
    expect(e.where.row).toBe(3);
    expect(errorOf(() => readSeriesCsv('a,b\n1,2,3\n', { columns: ['a'] })).message).toMatch(/^row 2: 3 cells but the header has 2 columns; remove the extra cells/);
  });

  it('a non-numeric or empty cell names the row and the column', () => {
    const e = errorOf(() => readSeriesCsv('t,x,y\n1,2,3\n2,4,n/a\n', { columns: ['x', 'y'], orderColumn: 't' }));
    expect(e.message).toBe('row 3, column "y": "n/a" is not a number; fix the cell or leave the column out');
    expect(e.where).toEqual({ row: 3, column: 'y' });
    expect(errorOf(() => readSeriesCsv('x\n1\n\n""\n', {})).message).toMatch(/^row 4, column "x": the cell is empty/);
  });

  it('a bad order value names the row and the order column', () => {
    const e = errorOf(() => readSeriesCsv('d,x\n2020-01-01,1\nsoon,2\n', { orderColumn: 'd' }));
    expect(e.where).toEqual({ row: 3, column: 'd' });
  });

  it('too few rows, unknown columns and empty files are explained', () => {
    expect(errorOf(() => readSeriesCsv('x\n1\n', {})).message).toMatch(/only 1 data row, at least 2 are needed/);
    expect(errorOf(() => readSeriesCsv('x\n1\n2\n3\n', { minRows: 10, name: 'up.csv' })).message).toMatch(/^up\.csv: only 3 data rows, at least 10/);
    expect(errorOf(() => readSeriesCsv(csv, { columns: ['temperature'] })).message).toBe('columns: no column "temperature" in the header; the columns are "date", "temp", "wind", "kind"');
    expect(errorOf(() => readSeriesCsv('', {})).message).toMatch(/empty/);
  });

  it('picks one series by a column value', () => {
    const s = readSeriesCsv('sym,d,p\nA,Jan 1 2000,1\nB,Jan 1 2000,9\nA,Feb 1 2000,2\n', { columns: ['p'], orderColumn: 'd', where: { column: 'sym', equals: 'A' } });
    expect(s.rows).toEqual([[1], [2]]);
  });
});
