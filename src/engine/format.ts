/**
 * How numbers read wherever netloom shows them: the summary table, the CLI,
 * the canvas and the panels. One convention each, the summary table's (the
 * README documents it), so a count, a shape or a size reads the same in the
 * terminal and in the editor.
 */
import { fmt } from './formula.ts';

/** `98816` → `98,816`: counts with thousands separators, as Keras prints them. */
export { fmt };

/** `(None, 26, 26, 32)`, as Keras prints it; `(None,)` for rank 1; `?` when there is no shape. */
export function shapeText(s: readonly (number | null)[] | null | undefined): string {
  if (!s) return '?';
  return `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
}

/** What a count or size that depends on an open length (an Input's None) reads as. */
export const OPEN_TEXT = 'depends on the sequence length';

/** `98,816`, or OPEN_TEXT for a figure an open length leaves unknown (null). */
export const countText = (n: number | null): string => (n === null ? OPEN_TEXT : fmt(n));

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/**
 * `0 B`, `17.75 KB`, `64 MB`: binary units (1 KB = 1,024 B), two decimals
 * above bytes, none for whole values, so a limit reads as it is written.
 */
export function bytesText(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 || Number.isInteger(v) ? v : v.toFixed(2)} ${UNITS[i]}`;
}

/** `12.3%`: a fraction as a percentage with one decimal, no space before the sign. */
export function percentText(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/**
 * A part of a total, as the summary's Share column shows it: `12.3%`,
 * `<0.1%` for small non-zero shares, empty for none.
 */
export function shareText(share: number): string {
  if (!(share > 0)) return '';
  return share < 0.001 ? '<0.1%' : percentText(share);
}

/** A receptive field: input positions seen per spatial axis and the effective stride between outputs. */
export interface FieldText {
  size: readonly number[];
  stride: readonly number[];
}

const fieldNumber = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/**
 * `5×5 /1`: field, then effective stride (one number when every axis has the
 * same, as the summary's RF /stride column prints it); `the whole input` for
 * a layer that mixes every position; empty outside a spatial chain.
 */
export function receptiveFieldText(f: FieldText | 'whole' | null | undefined): string {
  if (!f) return '';
  if (f === 'whole') return 'the whole input';
  const stride = f.stride.every((s) => s === f.stride[0]) ? fieldNumber(f.stride[0]) : f.stride.map(fieldNumber).join('×');
  return `${f.size.map(fieldNumber).join('×')} /${stride}`;
}
