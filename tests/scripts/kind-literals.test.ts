/**
 * What a kind is lives in its own file under src/engine/layers/: the rest of
 * src/ reads it from the passport. This keeps string literals that name a
 * kind elsewhere within a small budget (each is listed when it is exceeded).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { kindLiterals } from '../../scripts/kind-literals.ts';

const BUDGET = 10;

it(`src/ names kinds in at most ${BUDGET} string literals outside src/engine/layers/`, () => {
  const found = kindLiterals();
  expect(found.length, found.map((k) => `${k.file}:${k.line} ${k.text}`).join('\n')).toBeLessThanOrEqual(BUDGET);
});

it('counts a quoted kind name and skips the layer files themselves', () => {
  const root = mkdtempSync(join(tmpdir(), 'netloom-literals-'));
  try {
    mkdirSync(join(root, 'src/engine/layers'), { recursive: true });
    mkdirSync(join(root, 'src/ui'), { recursive: true });
    writeFileSync(join(root, 'src/ui/a.ts'), "if (kind === 'Conv2D' || kind === \"Dense\") use(`Block`, 'Conv2Dx');\n");
    writeFileSync(join(root, 'src/engine/layers/dense.ts'), "kind: 'Dense'\n");
    expect(kindLiterals(root).map((k) => k.text)).toEqual(["'Conv2D'", '"Dense"', '`Block`']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
