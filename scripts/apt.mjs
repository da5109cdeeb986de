/**
 * Installing Debian's packages from the test set-up (Chromium, Python's venv),
 * which does so only where it can: as root on a machine with apt-get, as CI is.
 */
import { spawnSync } from 'node:child_process';

/** Root with apt-get: the set-up may install packages itself. */
export function canApt() {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * `apt-get update` then `apt-get install -y` of `packages`, quietly (errors go to
 * stderr). Returns null on success, else the first line of what failed.
 */
export function aptInstall(packages, env = process.env) {
  const opts = { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'ignore', 'inherit'], encoding: 'utf8' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...packages]]) {
    const r = spawnSync('apt-get', args, opts);
    if (r.status !== 0) return `apt-get ${args[0]} ${r.error ? `failed: ${r.error.message}` : `exited with ${r.status}`}`;
  }
  return null;
}
