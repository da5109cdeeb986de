/**
 * `npm run bench`: runs the engine bench (bench/run.ts), then every
 * bench/*.bench.ts in name order, each in its own process so one bench's heap
 * and JIT state do not colour the next one's timings. Every bench prints its
 * table and merges its figures into bench/results.json.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = ['run.ts', ...readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()]
  .filter((f) => !only.length || only.some((o) => f.startsWith(o)));
let failed = 0;
for (const f of files) {
  console.log(`\n=== bench/${f} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${f}`], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench/${f} exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
