/**
 * `summary --memory`: what training needs at a batch size, per layer and in
 * total, and the largest batch that fits common accelerators. The figures
 * and their rules are the engine's (memory.ts); this reads the flags and
 * lays the figures out, in the summary's units (bytesText: 1 KB = 1,024 B).
 */
import type { Analysis } from '../engine/analyze.ts';
import { blockUseResult } from '../engine/blocks.ts';
import { bytesText, fmt } from '../engine/format.ts';
import {
  GB, largestBatch, MEMORY_PRESETS_GB, memoryArithmetic, memoryOptionProblems, trainingMemory,
  type Dtype, type LayerMemory, type MemoryBytes, type MemoryOptions, type Optimizer, type TrainingMemory,
} from '../engine/memory.ts';
import { summaryRows, wrapCell, type SummaryJson, type SummaryOptions } from '../engine/summary.ts';
import { printableLine } from './terminal.ts';

/** What `--memory` alone means: a common batch, Keras's usual optimizer, full precision. */
export const MEMORY_DEFAULTS: MemoryOptions = { batch: 32, optimizer: 'adam', dtype: 'fp32' };

/** The flags that set up --memory, by the option each sets. */
export const MEMORY_FLAGS = { batch: '--batch', optimizer: '--optimizer', dtype: '--dtype' } as const;

const KEYS: (keyof MemoryBytes)[] = ['params', 'grads', 'optimizer', 'activations', 'peak', 'inference'];

/**
 * The options from the flags, defaults filled in, or the problems: each
 * names its flag and what it accepts. Batch text that is not a whole number
 * goes to the engine's check as the text, so the message quotes what was typed.
 */
export function memoryOptions(values: Map<string, string>): { options: MemoryOptions } | { errors: string[] } {
  const batch = values.get(MEMORY_FLAGS.batch);
  const raw = {
    batch: batch === undefined ? MEMORY_DEFAULTS.batch : /^[0-9]+$/.test(batch) ? Number(batch) : batch,
    optimizer: values.get(MEMORY_FLAGS.optimizer) ?? MEMORY_DEFAULTS.optimizer,
    dtype: values.get(MEMORY_FLAGS.dtype) ?? MEMORY_DEFAULTS.dtype,
  };
  const problems = memoryOptionProblems(raw);
  // The engine's messages say what each option accepts; the flag goes in front so the fix is on the command line.
  if (problems.length) return { errors: problems.map((p) => printableLine(`${MEMORY_FLAGS[p.field as keyof typeof MEMORY_FLAGS]}: ${p.message}`)) };
  return { options: { batch: raw.batch as number, optimizer: raw.optimizer as Optimizer, dtype: raw.dtype as Dtype } };
}

/** The six byte counts alone, in their documented order. */
const bytesOf = (m: MemoryBytes): MemoryBytes => ({
  params: m.params, grads: m.grads, optimizer: m.optimizer, activations: m.activations, peak: m.peak, inference: m.inference,
});

/** The largest batch for each preset, in GB as bytesText writes them. */
export function presetBatches(a: Analysis, o: MemoryOptions): { gb: number; batch: number }[] {
  return MEMORY_PRESETS_GB.map((gb) => ({ gb, batch: largestBatch(a, { optimizer: o.optimizer, dtype: o.dtype }, gb * GB) }));
}

/** A row's memory: a layer's own, or a block use's (its members' sums and own peak). */
function rowMemory(m: TrainingMemory): Map<string, LayerMemory> {
  return new Map([...m.layers, ...m.blocks].map((l) => [l.id, l]));
}

/**
 * The summary JSON with `memory` (bytes, in total) and each layer's own
 * `memory`; `memoryDetail` says at what settings, which phase sets the
 * peak, the largest batch per preset and the layers left out.
 */
export function withMemoryJson(j: SummaryJson, a: Analysis, o: MemoryOptions): SummaryJson & { memory: MemoryBytes; memoryDetail: unknown } {
  const m = trainingMemory(a, o);
  const rows = rowMemory(m);
  return {
    ...j,
    layers: j.layers.map((l) => {
      const r = rows.get(l.id);
      return r ? { ...l, memory: bytesOf(r) } : l;
    }),
    memory: bytesOf(m.total),
    memoryDetail: {
      ...m.options,
      phase: m.phase,
      largestBatch: presetBatches(a, o),
      ...(m.incomplete.length ? { incomplete: m.incomplete } : {}),
    },
  };
}

const HEADER = ['Layer (type)', 'Params', 'Grads', 'Optimizer', 'Activations', 'Peak', 'Inference', 'Kept for backward'];

/** Widest the name column gets; a longer name is cut with `…` (the table above shows it whole). */
const NAME_MAX = 48;

/**
 * The memory section printed under the summary: one row per summary row
 * (block uses collapsed unless expanded), the totals with their arithmetic,
 * and the largest batch per preset.
 */
export function memoryText(a: Analysis, o: MemoryOptions, view: SummaryOptions): string {
  const m = trainingMemory(a, o);
  const rows = rowMemory(m);
  const cut = (s: string) => (s.length > NAME_MAX ? `${s.slice(0, NAME_MAX - 1)}…` : s);
  const cells = summaryRows(a, view).map((r) => {
    const use = blockUseResult(r);
    const name = cut(printableLine(`${r.name} (${use ? (use.repeat > 1 ? `${use.block} ×${use.repeat}` : use.block) : r.kind})`));
    const l = rows.get(r.id);
    if (!l) return [name, ...KEYS.map(() => '?'), 'unknown size or in error'];
    return [name, ...KEYS.map((k) => bytesText(l[k])), printableLine(l.kept)];
  });
  const total = ['Total', ...KEYS.map((k) => bytesText(m.total[k])), ''];
  const widths = HEADER.map((h, i) => {
    let w = h.length;
    for (const c of [...cells, total]) if (c[i].length > w) w = c[i].length;
    return w;
  });
  // Sizes right-aligned so their magnitudes line up; names and rules left.
  const line = (c: string[]) => c.map((s, i) => (i === 0 || i === c.length - 1 ? s.padEnd(widths[i]) : s.padStart(widths[i]))).join('  ').trimEnd();
  const rule = '━'.repeat(widths.reduce((x, y) => x + y, 0) + 2 * (widths.length - 1));
  const arithmetic = memoryArithmetic(m);
  const out = [
    '',
    `Memory to train at batch ${fmt(o.batch)} (${o.optimizer}, ${o.dtype}):`,
    rule, line(HEADER), rule, ...cells.map(line), rule, line(total),
    // The arithmetic is long (the peak names both phases): wrapped at spaces, continued under itself.
    ...KEYS.map((k) => `  ${wrapCell(printableLine(arithmetic[k]), 96).join('\n      ')}`),
    `Peak: the ${m.phase} phase sets it; the peak and inference totals are the most held at once, not sums of the rows.`,
    `Largest batch that fits (${o.optimizer}, ${o.dtype}): ${presetBatches(a, o).map((p) => `${p.gb} GB ${fmt(p.batch)}`).join(' · ')}`,
  ];
  if (m.incomplete.length) out.push(`Left out (in error or of a size unknown before running): ${m.incomplete.map((id) => printableLine(a.byId.get(id)?.name ?? id)).join(', ')}`);
  return out.join('\n');
}
