/** `summary --flops` and the PyTorch line: the convention is always named, the JSON carries both counts. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, USAGE } from '../../src/cli/main.ts';

const root = new URL('../../', import.meta.url).pathname;
const example = (f: string) => join(root, 'examples', f);

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The table's lines between its second and third rules: header first. */
const table = (text: string) => {
  const lines = text.split('\n');
  const rules = lines.flatMap((l, i) => (/^━+$/.test(l) ? [i] : []));
  return { header: lines[rules[0] + 1], rows: lines.slice(rules[1] + 1, rules[2]), rules: rules.map((i) => lines[i]) };
};

describe('summary --flops', () => {
  it('a FLOPs column and total, labelled 2 × multiply-adds', async () => {
    const r = await run('summary', example('lenet5.json'), '--flops');
    expect(r.code).toBe(0);
    const j = JSON.parse((await run('summary', example('lenet5.json'), '--json')).out);
    const t = table(r.out);
    expect(t.header).toMatch(/Param #\s+Share\s+FLOPs\s+Arithmetic/);
    expect(r.out).toMatch(`FLOPs per sample (2 × multiply-adds): ${(2 * j.totals.macs).toLocaleString('en-US')}`);
    expect(r.out).not.toMatch(/Multiply-adds per sample/);
    const at = t.header.indexOf('FLOPs');
    j.layers.forEach((l: { flops: number; macs: number }, i: number) => {
      expect(l.flops).toBe(2 * l.macs);
      expect(t.rows[i].slice(at).split(/\s{2,}/)[0]).toBe(l.flops.toLocaleString('en-US'));
    });
    // The rules grow with the column: as wide as the widest line.
    const widest = Math.max(t.header.length, ...t.rows.map((l) => l.length));
    for (const rule of t.rules) expect(rule.length).toBe(widest);
  });

  it('rows that wrap keep their FLOPs on their first line', async () => {
    const r = await run('summary', example('resnet50.json'), '--flops');
    const j = JSON.parse((await run('summary', example('resnet50.json'), '--json')).out);
    const t = table(r.out);
    const at = t.header.indexOf('FLOPs');
    const param = t.header.indexOf('Param #');
    const first = t.rows.filter((l) => l.slice(param, param + 7).trim() !== '');
    expect(first).toHaveLength(j.layers.length);
    expect(t.rows.length).toBeGreaterThan(first.length); // some arithmetic wraps
    first.forEach((l, i) => expect(l.slice(at).split(/\s{2,}/)[0]).toBe(j.layers[i].flops.toLocaleString('en-US')));
    for (const l of t.rows.filter((x) => !first.includes(x))) expect(l.slice(at, at + 5).trim()).toBe('');
  });

  it('--json carries macs and flops whether or not --flops is given', async () => {
    const a = JSON.parse((await run('summary', example('lenet5.json'), '--json')).out);
    const b = JSON.parse((await run('summary', example('lenet5.json'), '--json', '--flops')).out);
    expect(b).toEqual(a);
    expect(a.totals.flops).toBe(2 * a.totals.macs);
  });

  it('the default summary still says multiply-adds', async () => {
    const r = await run('summary', example('lenet5.json'));
    expect(r.out).toMatch(/^Multiply-adds per sample: 416,520$/m);
    expect(table(r.out).header).not.toMatch(/FLOPs/);
  });

  it('the usage lists diff, --flops and --memory', () => {
    expect(USAGE).toMatch(/netloom diff A B \[--json\]/);
    expect(USAGE).toMatch(/--flops shows the cost as FLOPs \(2 × multiply-adds\)/);
    expect(USAGE).toMatch(/--memory \[--batch N\] \[--optimizer NAME\] \[--dtype fp32\|fp16\|bf16\]/);
  });
});

describe('the PyTorch view', () => {
  it('a line under the totals where PyTorch counts otherwise, with why', async () => {
    const r = await run('summary', example('resnet50.json'));
    const j = JSON.parse((await run('summary', example('resnet50.json'), '--json')).out);
    expect(j.totals.pytorchParams).toBe(25583592);
    const lines = r.out.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Activations per sample: '));
    expect(lines[at + 1]).toBe('PyTorch would count 25,583,592 parameters (-53,120): running_mean and running_var are buffers in PyTorch, not parameters');
    const gru = await run('summary', example('jena-gru.json'));
    expect(gru.out).toMatch(/^PyTorch would count 4,641 parameters \(\+96\): PyTorch keeps two bias vectors per gate block/m);
  });

  it('no line where both count the same', async () => {
    const r = await run('summary', example('lenet5.json'));
    expect(r.out).not.toMatch(/PyTorch/);
  });
});
