/**
 * Finds the Chromium the browser tests drive, and installs Debian's when the
 * machine has none and can: `npm test` must pass on a fresh Debian machine.
 * Order: $NETLOOM_CHROMIUM, then `chromium` / `chromium-browser` on PATH, then
 * /usr/bin/chromium. Without one, as root with apt-get, it runs
 * `apt-get install chromium`; otherwise it stops with the command to run.
 *
 *   node scripts/chromium.mjs      prints the path (installing if it must), or exits 1 saying what to run
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptInstall, canApt } from './apt.mjs';

export const INSTALL_COMMAND = 'sudo apt-get update && sudo apt-get install -y chromium';

const executable = (p) => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first Chromium found, or null. */
export function findChromium(env = process.env) {
  if (env.NETLOOM_CHROMIUM) return executable(env.NETLOOM_CHROMIUM) ? env.NETLOOM_CHROMIUM : null;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const p = join(dir, name);
      if (executable(p)) return p;
    }
  }
  return executable('/usr/bin/chromium') ? '/usr/bin/chromium' : null;
}

/** Why no browser is available, as the message a person reads. */
function missing(reason) {
  return new Error(
    `The browser tests need Chromium and ${reason}.\n` +
    `Install Debian's package:  ${INSTALL_COMMAND}\n` +
    'or point NETLOOM_CHROMIUM at a Chromium or Chrome binary, then run npm test again.',
  );
}

/** The Chromium to use, installing Debian's package when root with apt-get. Throws with the command to run otherwise. */
export function ensureChromium(env = process.env, log = (s) => process.stderr.write(`${s}\n`)) {
  if (env.NETLOOM_CHROMIUM && !executable(env.NETLOOM_CHROMIUM)) {
    throw missing(`NETLOOM_CHROMIUM=${env.NETLOOM_CHROMIUM} is not an executable file`);
  }
  const found = findChromium(env);
  if (found) return found;
  if (!canApt()) throw missing('none is installed (installing it needs root and apt-get)');
  log('netloom: no Chromium found; installing Debian\'s chromium package (once)…');
  const failed = aptInstall(['chromium'], env);
  if (failed) throw missing(`apt-get could not install it (${failed})`);
  const now = findChromium(env);
  if (!now) throw missing('apt-get finished but no chromium binary appeared');
  return now;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.stdout.write(`${ensureChromium()}\n`);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
