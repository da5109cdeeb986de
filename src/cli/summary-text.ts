/**
 * What the CLI adds to the engine's summary table: the PyTorch count where
 * it differs from Keras's, and with `--flops` the cost as FLOPs. The table
 * itself stays the engine's (the editor and the README show the same one);
 * these lines go in beside its totals so the default layout is unchanged.
 */
import type { Analysis } from '../engine/analyze.ts';
import { flopsOf, pytorchCounts, pytorchTotal } from '../engine/conventions.ts';
import { countText, fmt } from '../engine/format.ts';
import { summaryRows, type SummaryOptions } from '../engine/summary.ts';
import { signed } from './diff.ts';

/** The label that says which convention a FLOPs figure follows. */
export const FLOPS_TOTAL = 'FLOPs per sample (2 × multiply-adds)';

const MACS_TOTAL = 'Multiply-adds per sample: ';
const ACTIVATIONS_TOTAL = 'Activations per sample: ';

/** `PyTorch would count N parameters (+d): why; why`, or null where both conventions agree. */
export function pytorchLine(a: Analysis): string | null {
  const counts = pytorchCounts(a);
  const total = pytorchTotal(a, counts);
  if (total === a.totals.params) return null;
  const why = [...new Set([...counts.values()].map((t) => t.why))];
  return `PyTorch would count ${fmt(total)} parameters (${signed(total - a.totals.params)}): ${why.join('; ')}`;
}

/** Lines of the table: the three rules and the row lines between the second and the third. */
function tableRules(lines: string[]): number[] {
  const rules: number[] = [];
  for (let i = 0; i < lines.length && rules.length < 3; i++) if (/^━+$/.test(lines[i])) rules.push(i);
  return rules;
}

/**
 * The table with a FLOPs column before Arithmetic and the multiply-add total
 * as FLOPs. A row's first line is the one with its parameter count (never
 * empty, never wrapped); the lines a long cell wraps onto get an empty cell.
 * If the rows cannot be told apart the table is left as it is and only the
 * total changes, so the figure is never put on the wrong layer.
 */
export function withFlops(text: string, a: Analysis, o: SummaryOptions): string {
  const lines = text.split('\n');
  const rules = tableRules(lines);
  if (rules.length < 3) return text;
  const header = lines[rules[0] + 1];
  const param = header.indexOf('Param #');
  const share = header.indexOf('Share');
  const at = header.indexOf('Arithmetic');
  const cells = summaryRows(a, o).map((r) => (r.macs === null ? 'None' : fmt(flopsOf(r.macs))));
  let width = 'FLOPs'.length;
  for (const c of cells) if (c.length > width) width = c.length;
  const insert = (line: string, cell: string) => `${line.padEnd(at).slice(0, at)}${cell.padEnd(width)}  ${line.slice(at)}`.trimEnd();
  const table = lines.slice();
  const columns = param >= 0 && share > param && at > share;
  let k = 0;
  if (columns) {
    for (let i = rules[1] + 1; i < rules[2]; i++) {
      const first = lines[i].slice(param, share).trim() !== '';
      table[i] = insert(lines[i], first ? cells[k++] ?? '' : '');
    }
  }
  const out = columns && k === cells.length ? table : lines;
  if (out === table) {
    out[rules[0] + 1] = insert(header, 'FLOPs');
    for (const i of rules) out[i] = '━'.repeat(lines[i].length + width + 2);
  }
  const total = out.findIndex((l, i) => i > rules[2] && l.startsWith(MACS_TOTAL));
  if (total >= 0) out[total] = `${FLOPS_TOTAL}: ${countText(flopsOf(a.totals.macs))}`;
  return out.join('\n');
}

/** The summary text as the CLI prints it: the PyTorch line under the totals, FLOPs when asked. */
export function cliSummaryText(text: string, a: Analysis, o: SummaryOptions & { flops?: boolean }): string {
  const withCost = o.flops ? withFlops(text, a, o) : text;
  const torch = pytorchLine(a);
  if (!torch) return withCost;
  const lines = withCost.split('\n');
  const rules = tableRules(lines);
  const after = lines.findIndex((l, i) => i > (rules[2] ?? -1) && l.startsWith(ACTIVATIONS_TOTAL));
  lines.splice(after >= 0 ? after + 1 : lines.length, 0, torch);
  return lines.join('\n');
}
