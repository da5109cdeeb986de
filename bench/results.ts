/**
 * bench/results.json is shared by every bench: each merges its own sections
 * and targets and leaves the others' as they are, so benches can run alone
 * (`npx tsx bench/<name>.bench.ts`) or together (`npm run bench`).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

export type Json = Record<string, unknown>;
export const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** One named target: the measured value, the target text and whether it was met. */
export interface Target {
  id: string;
  bench: string;
  description: string;
  value: number | null;
  target: string;
  pass: boolean;
}

/** Merges `sections` key by key into the file's sections and replaces this bench's targets by id. */
export function mergeResults(sections: Record<string, Json>, targets: Target[]): void {
  let doc: Json = {};
  if (existsSync(RESULTS)) {
    try {
      const old: unknown = JSON.parse(readFileSync(RESULTS, 'utf8'));
      if (isObj(old)) doc = old;
      else console.warn('bench/results.json did not hold an object; starting it afresh');
    } catch {
      console.warn('bench/results.json was not valid JSON; starting it afresh');
    }
  }
  for (const [key, value] of Object.entries(sections)) {
    doc[key] = { ...(isObj(doc[key]) ? doc[key] : {}), ...value };
  }
  const ownIds = new Set(targets.map((t) => t.id));
  const others = Array.isArray(doc.targets) ? doc.targets.filter((t) => !(isObj(t) && ownIds.has(t.id as string))) : [];
  doc.targets = [...others, ...targets];
  const tmp = `${RESULTS}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`);
  renameSync(tmp, RESULTS);
}

/** Prints rows as an aligned table: the first column left, the rest right. */
export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? (cell ?? '').padEnd(widths[c]) : (cell ?? '').padStart(widths[c]))).join('  ');
  console.log(line(rows[0]));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
}
