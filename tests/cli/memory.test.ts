/** `netloom summary --memory`: the JSON fields equal the engine's estimate, the text shows it, bad flags are usage errors. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { analyze, bytesText, parseGraphText } from '../../src/engine/index.ts';
import { GB, largestBatch, MEMORY_PRESETS_GB, memoryArithmetic, trainingMemory, type MemoryOptions } from '../../src/engine/memory.ts';

const root = new URL('../../', import.meta.url).pathname;
const example = (f: string) => join(root, 'examples', f);

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const analysisOf = (f: string) => {
  const r = parseGraphText(readFileSync(example(f), 'utf8'));
  if (!r.ok) throw new Error(`${f} does not load`);
  return analyze(r.graph);
};

const KEYS = ['params', 'grads', 'optimizer', 'activations', 'peak', 'inference'] as const;
const bytes = (m: Record<(typeof KEYS)[number], number>) => Object.fromEntries(KEYS.map((k) => [k, m[k]]));

describe('summary --memory --json', () => {
  it('carries the totals and each layer\'s memory, equal to trainingMemory()', async () => {
    const r = await run('summary', example('lenet5.json'), '--memory', '--batch', '32', '--optimizer', 'adam', '--dtype', 'fp32', '--json');
    expect(r).toMatchObject({ code: 0, err: '' });
    const j = JSON.parse(r.out);
    const a = analysisOf('lenet5.json');
    const m = trainingMemory(a, { batch: 32, optimizer: 'adam', dtype: 'fp32' });
    expect(Object.keys(j.memory)).toEqual([...KEYS]);
    expect(j.memory).toEqual(bytes(m.total));
    expect(j.layers).toHaveLength(m.layers.length);
    for (const l of j.layers) expect(l.memory).toEqual(bytes(m.layers.find((x) => x.id === l.id)!));
    expect(j.memoryDetail).toMatchObject({ batch: 32, optimizer: 'adam', dtype: 'fp32', phase: m.phase });
    expect(j.memoryDetail.largestBatch).toEqual(MEMORY_PRESETS_GB.map((gb) => ({ gb, batch: largestBatch(a, { optimizer: 'adam', dtype: 'fp32' }, gb * GB) })));
    // The rest of the summary is as without --memory.
    const plain = JSON.parse((await run('summary', example('lenet5.json'), '--json')).out);
    expect(j.totals).toEqual(plain.totals);
  });

  it('--memory alone is batch 32, adam, fp32; other settings change the figures', async () => {
    const a = analysisOf('jena-gru.json');
    const defaults = JSON.parse((await run('summary', example('jena-gru.json'), '--memory', '--json')).out);
    expect(defaults.memory).toEqual(bytes(trainingMemory(a, { batch: 32, optimizer: 'adam', dtype: 'fp32' }).total));
    const o: MemoryOptions = { batch: 8, optimizer: 'sgd', dtype: 'fp16' };
    const set = JSON.parse((await run('summary', example('jena-gru.json'), '--memory', '--batch=8', '--optimizer=sgd', '--dtype=fp16', '--json')).out);
    expect(set.memory).toEqual(bytes(trainingMemory(a, o).total));
    expect(set.memory.optimizer).toBe(0);
  });

  it('block uses: a collapsed row carries its block\'s memory, --expand every layer\'s', async () => {
    const a = analysisOf('resnet18.json');
    const m = trainingMemory(a, { batch: 32, optimizer: 'adam', dtype: 'fp32' });
    const collapsed = JSON.parse((await run('summary', example('resnet18.json'), '--memory', '--json')).out);
    const use = collapsed.layers.find((l: { kind: string }) => l.kind === 'Block');
    expect(use.memory).toEqual(bytes(m.blocks.find((b) => b.id === use.id)!));
    const expanded = JSON.parse((await run('summary', example('resnet18.json'), '--memory', '--expand', '--json')).out);
    expect(expanded.layers.every((l: { memory?: unknown }) => l.memory)).toBe(true);
    expect(expanded.memory).toEqual(collapsed.memory);
  });
});

describe('summary --memory text', () => {
  it('shows the per-layer table, the totals with their arithmetic and the largest batches', async () => {
    const r = await run('summary', example('lenet5.json'), '--memory');
    expect(r.code).toBe(0);
    const m = trainingMemory(analysisOf('lenet5.json'), { batch: 32, optimizer: 'adam', dtype: 'fp32' });
    expect(r.out).toMatch(/^Total params: 61,706/m);
    expect(r.out).toMatch(/^Memory to train at batch 32 \(adam, fp32\):$/m);
    expect(r.out).toMatch(/^Layer \(type\)\s+Params\s+Grads\s+Optimizer\s+Activations\s+Peak\s+Inference\s+Kept for backward$/m);
    const total = r.out.split('\n').find((l) => l.startsWith('Total  '))!;
    expect(total.split(/\s{2,}/).slice(1)).toEqual(KEYS.map((k) => bytesText(m.total[k])));
    // The arithmetic of each total, as the engine writes it (long ones wrap).
    const arithmetic = memoryArithmetic(m);
    const lines = r.out.split('\n');
    for (const k of ['params', 'grads', 'optimizer'] as const) expect(lines).toContain(`  ${arithmetic[k]}`);
    expect(arithmetic.params).toBe('params 61,706 × 4 B = 246,824 B');
    const peak = lines.findIndex((l) => l.startsWith('  peak '));
    expect(lines.slice(peak, peak + 4).join(' ').replace(/\s+/g, ' ')).toContain(arithmetic.peak);
    expect(r.out).toMatch(/^Largest batch that fits \(adam, fp32\): 8 GB [\d,]+ · 16 GB [\d,]+ · 24 GB [\d,]+ · 80 GB [\d,]+$/m);
  });
});

describe('memory flags', () => {
  const lenet = example('lenet5.json');

  it('a bad --batch, --optimizer or --dtype names the flag and what it accepts', async () => {
    const batch = await run('summary', lenet, '--memory', '--batch', '0');
    expect(batch).toMatchObject({ code: 2, out: '' });
    expect(batch.err).toMatch(/^--batch: .*got 0.*e\.g\. 32/);
    expect((await run('summary', lenet, '--memory', '--batch', 'lots')).err).toMatch(/^--batch: .*got lots/);
    expect((await run('summary', lenet, '--memory', '--batch', '1.5')).code).toBe(2);
    const opt = await run('summary', lenet, '--memory', '--optimizer', 'adamax');
    expect(opt.code).toBe(2);
    expect(opt.err).toMatch(/^--optimizer: .*adamax.*sgd, momentum, adam, adamw or rmsprop/);
    const dtype = await run('summary', lenet, '--memory', '--dtype', 'fp8');
    expect(dtype.code).toBe(2);
    expect(dtype.err).toMatch(/^--dtype: .*fp8.*fp32, fp16 or bf16/);
    expect((await run('summary', lenet, '--memory', '--batch')).err).toBe('--batch needs a value');
  });

  it('--batch, --optimizer or --dtype without --memory is a usage error saying to add it', async () => {
    const r = await run('summary', lenet, '--batch', '64');
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toMatch(/--batch .*add --memory/);
    expect((await run('summary', lenet, '--optimizer', 'sgd', '--dtype', 'fp16')).err).toMatch(/--optimizer, --dtype .*add --memory/);
    // Only summary takes them.
    expect((await run('validate', lenet, '--memory')).code).toBe(2);
  });

  it('a flag value from the command line cannot put escapes on the terminal', async () => {
    const r = await run('summary', lenet, '--memory', '--optimizer', 'x\u001b]0;title\u0007');
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/[\u0000-\u001f]/);
  });
});
