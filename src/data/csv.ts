/**
 * CSV text → a numeric `Series`. Parsing follows RFC 4180 (quoted fields,
 * `""` for a quote inside quotes, commas and line breaks inside quotes, CRLF
 * or LF), the first record is the header. Every error names the row as a
 * spreadsheet shows it (the header is row 1) and the column by its header
 * name, so an uploaded file can be fixed where it is wrong.
 */
import { LIMITS } from '../engine/limits.ts';
import { DataError, type Series } from './types.ts';

/** A parsed CSV: header names and the data records as text, with their spreadsheet row numbers. */
export interface CsvTable {
  header: string[];
  records: string[][];
  /** rowNumbers[i] is the 1-based row of records[i] in the file (the header is row 1). */
  rowNumbers: number[];
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Splits CSV text into records. Blank lines are skipped; a quote left open is an error.
 * Text, columns and rows are checked against LIMITS as they are read, so an
 * oversized upload is refused before it costs time (a 50,000-column file froze the tab).
 */
export function parseCsv(text: string): CsvTable {
  if (text.length > LIMITS.csvChars) {
    throw new DataError(`the file has more than ${LIMITS.csvChars / 1024 / 1024} MB of text, the most netloom reads; keep only the rows and columns you need and upload again`, { row: 1 });
  }
  const out: string[][] = [];
  const rowNumbers: number[] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 0;
  let sawAny = false; // the record holds something, even an empty quoted field
  const endRecord = () => {
    record.push(field);
    if (sawAny || record.length > 1 || record[0] !== '') {
      if (out.length > LIMITS.csvRows) {
        throw new DataError(`row ${recordLine}: more than ${count(LIMITS.csvRows)} data rows, the most netloom reads; keep only the rows you need (e.g. a shorter date range) and upload again`, { row: recordLine });
      }
      out.push(record);
      rowNumbers.push(recordLine);
    }
    record = [];
    field = '';
    sawAny = false;
  };
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // spreadsheet exports start with a BOM
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"') {
      if (field.trim() !== '') {
        throw new DataError(`row ${line}: a quote in the middle of a field (${JSON.stringify(field)}…); put the whole field in quotes and double the inner quote ("")`, { row: line });
      }
      field = '';
      quoted = true;
      sawAny = true;
      quoteLine = line;
    } else if (ch === ',') {
      if (record.length + 1 >= LIMITS.csvColumns) {
        throw new DataError(`row ${recordLine}: more than ${count(LIMITS.csvColumns)} columns, the most netloom reads; keep only the columns you need (delete the others in a spreadsheet) and upload again`, { row: recordLine });
      }
      record.push(field);
      field = '';
      sawAny = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
  }
  if (quoted) throw new DataError(`row ${quoteLine}: a quoted field is never closed; add the closing quote (")`, { row: quoteLine });
  if (field !== '' || record.length || sawAny) endRecord();
  if (!out.length) throw new DataError('the file is empty; a CSV needs a header row and data rows', { row: 1 });
  const [header, ...records] = out;
  return { header: header.map((h) => h.trim()), records, rowNumbers: rowNumbers.slice(1) };
}

export interface SeriesOptions {
  /** Name for messages and records. */
  name?: string;
  /** Numeric columns to keep, by header name (default: every column except the order column and `where`'s). */
  columns?: string[];
  /** The date/order column: rows are sorted by it (numbers, or dates `Date.parse` reads). */
  orderColumn?: string;
  /** Keep only rows whose column equals a value (stocks.csv: `{ column: 'symbol', equals: 'MSFT' }`). */
  where?: { column: string; equals: string };
  /** Fewest data rows accepted (default 2). */
  minRows?: number;
}

/**
 * Reads the chosen numeric columns of CSV text. Errors: an unknown column
 * (lists the header), a ragged row (its cell count against the header's),
 * a non-numeric or empty cell (row and column), an order value that is
 * neither a number nor a date, too few rows.
 */
export function readSeriesCsv(text: string, opts: SeriesOptions = {}): Series {
  const { header, records, rowNumbers } = parseCsv(text);
  const name = opts.name ?? 'csv';
  const index = (col: string, field: string): number => {
    const i = header.indexOf(col);
    if (i < 0) throw new DataError(`${field}: no column "${col}" in the header; the columns are ${header.map((h) => `"${h}"`).join(', ')}`, { column: col, field });
    return i;
  };
  const orderIdx = opts.orderColumn != null ? index(opts.orderColumn, 'orderColumn') : -1;
  const whereIdx = opts.where ? index(opts.where.column, 'where') : -1;
  const columns = opts.columns ?? header.filter((_, i) => i !== orderIdx && i !== whereIdx);
  if (!columns.length) throw new DataError('columns: no numeric column chosen; choose at least one column to read', { field: 'columns' });
  const colIdx = columns.map((c) => index(c, 'columns'));

  const rows: number[][] = [];
  const order: string[] = [];
  const keys: number[] = [];
  for (let r = 0; r < records.length; r++) {
    const rec = records[r];
    const row = rowNumbers[r];
    if (rec.length !== header.length) {
      throw new DataError(
        `row ${row}: ${rec.length} cell${rec.length === 1 ? '' : 's'} but the header has ${header.length} columns; ` +
          `${rec.length < header.length ? `add the missing cells (from column "${header[rec.length]}")` : 'remove the extra cells or quote fields that contain commas'}`,
        { row },
      );
    }
    if (whereIdx >= 0 && rec[whereIdx].trim() !== opts.where!.equals) continue;
    const values = colIdx.map((ci, k) => {
      const cell = rec[ci].trim();
      const v = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(v)) {
        throw new DataError(
          `row ${row}, column "${columns[k]}": ${cell === '' ? 'the cell is empty' : `"${cell}" is not a number`}; fix the cell or leave the column out`,
          { row, column: columns[k] },
        );
      }
      return v;
    });
    if (orderIdx >= 0) {
      const cell = rec[orderIdx].trim();
      const key = orderKey(cell);
      if (Number.isNaN(key)) {
        throw new DataError(`row ${row}, column "${header[orderIdx]}": "${cell}" is neither a number nor a date; fix the cell or choose another order column`, { row, column: header[orderIdx] });
      }
      order.push(cell);
      keys.push(key);
    }
    rows.push(values);
  }
  const minRows = Math.max(1, opts.minRows ?? 2);
  if (rows.length < minRows) {
    const what = opts.where ? ` with ${opts.where.column} = "${opts.where.equals}"` : '';
    throw new DataError(`${name}: only ${rows.length} data row${rows.length === 1 ? '' : 's'}${what}, at least ${minRows} are needed; add rows or choose other settings`, { row: rowNumbers.at(-1) ?? 1 });
  }
  const series: Series = { name, columns, rows };
  if (orderIdx >= 0) {
    // A stable sort keeps files that are already in order exactly as they are.
    const perm = keys.map((_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
    series.rows = perm.map((i) => rows[i]);
    series.order = perm.map((i) => order[i]);
    series.orderColumn = header[orderIdx];
  }
  return series;
}

/** A sortable number for an order cell: the number itself, or a date's milliseconds; NaN when neither. */
export function orderKey(cell: string): number {
  if (cell === '') return NaN;
  const n = Number(cell);
  if (Number.isFinite(n)) return n;
  return Date.parse(cell);
}
