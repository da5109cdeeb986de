/** The CLI on a Keras 3 model whose Dense is called on two inputs: Keras's 153, the sharing row, and the diff of untying it. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

const root = new URL('../../', import.meta.url).pathname;
const fixture = join(root, 'tests/interop/fixtures/keras3-shared-dense.json');

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('netloom summary of shared layers', () => {
  it('--json totals 153 as Keras 3 count_params, and the second call names its owner', async () => {
    const r = await run('summary', fixture, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    // 16·8 + 8 = 136 once, 16·1 + 1 = 17.
    expect(j.totals.params).toBe(153);
    const call2 = j.layers.find((l: { id: string }) => l.id === 'shared_call2');
    expect(call2).toMatchObject({ params: 0, shares: 'shared', formula: "shares shared's 16·8 kernel + 8 bias (counted once there)" });
    expect(r.err).not.toMatch(/Keras counts/);
  });

  it('diff says which layer stopped sharing and by how many parameters', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'netloom-shares-'));
    const shared = join(tmp, 'shared.json');
    const conv = await run('convert', fixture, '--to', 'netloom', '--out', shared);
    expect(conv.code, conv.err).toBe(0);
    const doc = JSON.parse(readFileSync(shared, 'utf8'));
    delete doc.nodes.find((n: { id: string }) => n.id === 'shared_call2').shares;
    const untied = join(tmp, 'untied.json');
    writeFileSync(untied, JSON.stringify(doc));
    const d = await run('diff', shared, untied);
    expect(d.out).toMatch(/shares shared → none/);
    expect(d.out).toMatch(/\+136/);
  });
});
