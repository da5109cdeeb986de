/**
 * `netloom diff A B` as text: one line per changed, added and removed layer,
 * then the totals before and after. The comparison itself is the engine's
 * (diffGraphs); this only words it, with counts and shapes written as the
 * summary writes them, so a number reads the same in both commands.
 */
import type { DiffChange, DiffLayer, DiffTotals, GraphDiff } from '../engine/diff.ts';
import { countText, fmt, shapeText } from '../engine/format.ts';
import { printableLine } from './terminal.ts';

/** Names, kinds and values come from the files: each stays on its entry's line (`\\n` for a newline). */
const one = printableLine;

/** Lines wrap before this width, continuing under the layer's name. */
export const DIFF_WIDTH = 100;

/** Width of the `changed  ` / `added    ` label column. */
const LABEL = 9;

/** `+1,792`, `-156`, `0`: a delta always shows its direction. */
export function signed(n: number): string {
  return n > 0 ? `+${fmt(n)}` : fmt(n);
}

/**
 * A parameter value as a reader compares it: counts with separators, tuples
 * as `3×3` (as the canvas shows kernels), absent as `(unset)`; anything else
 * as JSON, so `null` and a string stay distinguishable.
 */
export function valueText(v: unknown): string {
  if (v === undefined) return '(unset)';
  if (typeof v === 'number') return Number.isInteger(v) ? fmt(v) : String(v);
  if (typeof v === 'string') return v === '' ? "''" : one(v);
  if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'number')) return v.map((x) => valueText(x)).join('×');
  return one(JSON.stringify(v) ?? String(v));
}

/** `before → after (+delta)`, or the one value when nothing changed. */
function fromTo(a: number | null, b: number | null): string {
  if (a === null || b === null) return a === b ? countText(a) : `${countText(a)} → ${countText(b)}`;
  return a === b ? fmt(a) : `${fmt(a)} → ${fmt(b)} (${signed(b - a)})`;
}

/**
 * `label` then `parts` joined by `sep`, wrapped before DIFF_WIDTH with
 * continuation lines indented past the label; a part longer than a line
 * stays whole rather than being cut inside a name or a shape.
 */
function wrapped(label: string, head: string, parts: string[], sep: string): string[] {
  const indent = ' '.repeat(LABEL);
  const lines: string[] = [];
  let cur = `${label.padEnd(LABEL)}${head}`;
  let fresh = head === '';
  for (let i = 0; i < parts.length; i++) {
    const piece = parts[i] + (i < parts.length - 1 ? sep.trimEnd() : '');
    const glue = fresh ? '' : ' ';
    if (!fresh && cur.length + glue.length + piece.length > DIFF_WIDTH) {
      lines.push(cur);
      cur = indent + piece;
    } else {
      cur += glue + piece;
    }
    fresh = false;
  }
  lines.push(cur);
  return lines;
}

const layerHead = (l: DiffLayer) => `${one(l.name)} (${one(l.kind)}):`;

/** What a whole layer brings or takes away. */
function layerParts(l: DiffLayer): string[] {
  return [`output ${shapeText(l.outputShape)}`, `params ${fmt(l.params)}`, `mult-adds ${countText(l.macs)}`];
}

/** Why a matched pair differs, in the order a reader checks: settings, then shape, wiring, cost. */
export function changeParts(c: DiffChange): string[] {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(c.params)) parts.push(`${one(k)} ${valueText(v.a)} → ${valueText(v.b)}`);
  if (c.shape) parts.push(`output ${shapeText(c.shape.a)} → ${shapeText(c.shape.b)}`);
  const names = (l: string[]) => l.map(one).join(', ') || '(none)';
  if (c.inputs) parts.push(`inputs ${names(c.inputs.a)} → ${names(c.inputs.b)}`);
  if (c.shares) parts.push(`shares ${c.shares.a ?? 'none'} → ${c.shares.b ?? 'none'}`);
  if (c.deltaParams) parts.push(`params ${fromTo(c.a.params, c.b.params)}`);
  if (c.deltaMacs) parts.push(`mult-adds ${fromTo(c.a.macs, c.b.macs)}`);
  return parts;
}

/** `conv2d (Conv2D):`, or both names and kinds where they differ. */
function changeHead(c: DiffChange): string {
  const name = c.name ? `${one(c.name.a)} → ${one(c.name.b)}` : one(c.b.name);
  const kind = c.kind ? `${one(c.kind.a)} → ${one(c.kind.b)}` : one(c.b.kind);
  return `${name} (${kind}):`;
}

/** Totals before and after: equal ones once, different ones with their delta. */
export function totalsParts(a: DiffTotals, b: DiffTotals): string[] {
  const parts = [`params ${fromTo(a.params, b.params)}`, `trainable ${fromTo(a.trainable, b.trainable)}`];
  if (a.nonTrainable || b.nonTrainable) parts.push(`non-trainable ${fromTo(a.nonTrainable, b.nonTrainable)}`);
  parts.push(`mult-adds ${fromTo(a.macs, b.macs)}`, `layers ${fromTo(a.layers, b.layers)}`);
  return parts;
}

/** How many pairs were found other than by name, which a reader may want to check. */
function matchedNote(d: GraphDiff): string {
  const other = [d.matched.id ? `${fmt(d.matched.id)} by id` : '', d.matched.structure ? `${fmt(d.matched.structure)} by structure` : ''].filter(Boolean);
  return other.length ? ` (layers matched by name, and ${other.join(' and ')})` : '';
}

/** The whole text: a heading line, one entry per difference, the totals. `from` and `to` name the two inputs. */
export function diffText(d: GraphDiff, fromFile: string, toFile: string): string {
  const [from, to] = [one(fromFile), one(toFile)];
  const out: string[] = [];
  if (d.equivalent) {
    out.push(`${from} → ${to}: equivalent: no layer added, removed or changed${matchedNote(d)}`);
  } else {
    out.push(`${from} → ${to}: ${fmt(d.changed.length)} changed, ${fmt(d.added.length)} added, ${fmt(d.removed.length)} removed${matchedNote(d)}`);
    for (const c of d.changed) out.push(...wrapped('changed', changeHead(c), changeParts(c), '; '));
    for (const l of d.added) out.push(...wrapped('added', layerHead(l), layerParts(l), '; '));
    for (const l of d.removed) out.push(...wrapped('removed', layerHead(l), layerParts(l), '; '));
  }
  out.push(...wrapped('totals', '', totalsParts(d.totals.a, d.totals.b), ' ·'));
  return out.join('\n');
}
