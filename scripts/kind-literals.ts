/**
 * Counts string literals in `src/` outside `src/engine/layers/` that name a
 * layer kind (or `Block`): each one is knowledge about a kind kept outside
 * its own file. The category names in src/engine/layer.ts are not kinds, though
 * one of them is spelled like the Normalization kind. `npx tsx scripts/kind-literals.ts` prints them; the test in
 * tests/scripts keeps the count within the budget.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORIES } from '../src/engine/layer.ts';
import { KINDS } from '../src/engine/layers/index.ts';

export interface KindLiteral { file: string; line: number; text: string }

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function kindLiterals(root = ROOT): KindLiteral[] {
  const names = new Set([...KINDS, 'Block']);
  const out: KindLiteral[] = [];
  const src = join(root, 'src');
  const skip = join(src, 'engine', 'layers');
  const categories = join(src, 'engine', 'layer.ts');
  const walk = (dir: string) => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) { if (p !== skip) walk(p); continue; }
      if (!/\.(ts|tsx)$/.test(f)) continue;
      readFileSync(p, 'utf8').split('\n').forEach((text, i) => {
        for (const m of text.matchAll(/(['"`])([A-Za-z0-9]+)\1/g)) {
          if (p === categories && (CATEGORIES as readonly string[]).includes(m[2])) continue;
          if (names.has(m[2])) out.push({ file: relative(root, p), line: i + 1, text: m[0] });
        }
      });
    }
  };
  walk(src);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const found = kindLiterals();
  for (const k of found) console.log(`${k.file}:${k.line}  ${k.text}`);
  console.log(`${found.length} kind-name literals outside src/engine/layers/`);
}
