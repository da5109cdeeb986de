/**
 * The Python environment the exported Keras scripts are tested under: a
 * virtual environment in .venv-keras/ (git-ignored) with the exact versions
 * of python/requirements.txt (Keras 3 on the jax CPU backend). It is created
 * on first use and reinstalled only when the requirements file changes (its
 * SHA-256 is kept in the venv). Nothing is skipped silently: without a
 * usable python3, venv or pip it stops with the command that installs them.
 *
 *   node scripts/python-env.mjs     prints the venv's python (setting it up if needed), or exits 1 saying what to run
 *
 * NETLOOM_PYTHON picks the interpreter that creates the venv (default: the
 * first python3.x >= 3.10 on PATH); NETLOOM_KERAS_VENV moves the venv.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptInstall, canApt } from './apt.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REQUIREMENTS = join(ROOT, 'python', 'requirements.txt');
export const INSTALL_COMMAND = 'sudo apt-get update && sudo apt-get install -y python3 python3-venv python3-pip';
const MIN = [3, 10];
const STAMP = 'netloom-requirements.sha256';

/** The venv's folder (NETLOOM_KERAS_VENV, else .venv-keras/ in the project). */
export const venvDir = (env = process.env) => resolve(ROOT, env.NETLOOM_KERAS_VENV || '.venv-keras');

/** The venv's interpreter. */
export const venvPython = (dir = venvDir()) => join(dir, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');

/** Why the environment cannot be set up, with what to run. */
function problem(what, fix = INSTALL_COMMAND) {
  return new Error(`netloom's Keras tests need ${what}.\nInstall it:  ${fix}\nthen run again (or point NETLOOM_PYTHON at a Python 3.10+ interpreter).`);
}

const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', ...opts });

/** [major, minor] of an interpreter, or null when it does not run. */
function versionOf(python) {
  const r = run(python, ['-c', 'import sys; print(sys.version_info[0], sys.version_info[1])']);
  if (r.status !== 0 || r.error) return null;
  const [major, minor] = r.stdout.trim().split(' ').map(Number);
  return Number.isInteger(major) && Number.isInteger(minor) ? [major, minor] : null;
}

const atLeast = ([a, b], [c, d]) => a > c || (a === c && b >= d);

/** The interpreter that creates the venv: NETLOOM_PYTHON, else the first python3 / python3.1x that is 3.10 or newer. */
export function findPython(env = process.env) {
  if (env.NETLOOM_PYTHON) {
    const v = versionOf(env.NETLOOM_PYTHON);
    if (!v) throw problem(`NETLOOM_PYTHON=${env.NETLOOM_PYTHON} to run, and it does not`);
    if (!atLeast(v, MIN)) throw problem(`Python ${MIN.join('.')} or newer; NETLOOM_PYTHON is ${v.join('.')}`);
    return env.NETLOOM_PYTHON;
  }
  let older = null;
  for (const name of ['python3', 'python3.13', 'python3.12', 'python3.11', 'python3.10', 'python']) {
    const v = versionOf(name);
    if (v && atLeast(v, MIN)) return name;
    if (v) older ??= `${name} is ${v.join('.')}`;
  }
  throw problem(older ? `Python ${MIN.join('.')} or newer (${older})` : 'python3, and none is on PATH');
}

/** Installs Debian's Python packages when root with apt-get (as CI is); false when it cannot. */
function aptInstallPython(env, log) {
  if (env.NETLOOM_PYTHON || !canApt()) return false;
  log('netloom: installing Debian\'s python3, python3-venv and python3-pip (once)…');
  return aptInstall(['python3', 'python3-venv', 'python3-pip'], env) === null;
}

/** `python -m venv dir` with the first suitable interpreter; Debian's packages are installed first when missing and possible. */
function createVenv(dir, env, log) {
  let tried = false;
  for (;;) {
    let base;
    try {
      base = findPython(env);
    } catch (e) {
      if (!tried && aptInstallPython(env, log)) {
        tried = true;
        continue;
      }
      throw e;
    }
    log(`netloom: creating the Keras environment in ${dir} with ${base} (once)`);
    const r = run(base, ['-m', 'venv', dir]);
    if (r.status === 0) return;
    rmSync(dir, { recursive: true, force: true });
    // Debian splits venv (and ensurepip) into python3-venv.
    if (!tried && aptInstallPython(env, log)) {
      tried = true;
      continue;
    }
    throw problem(`the venv module of ${base} (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
  }
}

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Holds a lock folder while `fn` runs, so two test workers never install into the same venv at once. */
function withLock(dir, fn) {
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock older than the longest install is left over from a killed run.
      if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${lock}: another set-up has held it for 15 minutes; remove the folder if no set-up is running`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * The venv's python, creating the venv and installing python/requirements.txt
 * when missing or changed. Throws an Error whose message says what to install.
 * `log` receives progress lines (pip's own output goes to stderr).
 */
export function ensurePython({ env = process.env, log = (s) => process.stderr.write(`${s}\n`) } = {}) {
  const dir = venvDir(env);
  const python = venvPython(dir);
  const want = sha256(REQUIREMENTS);
  const stamp = join(dir, STAMP);
  const ready = () => existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === want;
  if (ready()) return python;
  return withLock(dir, () => {
    if (ready()) return python;
    const started = Date.now();
    if (!existsSync(python)) createVenv(dir, env, log);
    if (run(python, ['-m', 'pip', '--version']).status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw problem(`pip inside the virtual environment (python -m venv made one without it)`);
    }
    log(`netloom: installing ${REQUIREMENTS} into ${dir}`);
    // One retry per index: an unreachable index costs seconds, not minutes of back-off, and the others still answer.
    const pipEnv = { ...env, PIP_RETRIES: env.PIP_RETRIES ?? '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
    const pip = run(python, ['-m', 'pip', 'install', '--quiet', '-r', REQUIREMENTS], { env: pipEnv, stdio: ['ignore', 'inherit', 'inherit'] });
    if (pip.status !== 0) {
      throw problem(`the packages of ${REQUIREMENTS} (pip exited with ${pip.status}; its messages are above)`, `${python} -m pip install -r ${REQUIREMENTS}`);
    }
    const check = run(python, ['-c', 'import keras, jax; print(keras.__version__, jax.__version__)'], { env: { ...env, KERAS_BACKEND: 'jax' } });
    if (check.status !== 0) throw problem(`Keras and jax to import after the install (${check.stderr.trim().split('\n').pop()})`, `${python} -m pip install --force-reinstall -r ${REQUIREMENTS}`);
    writeFileSync(stamp, `${want}\n`);
    log(`netloom: Keras ${check.stdout.trim().replace(' ', ', jax ')} ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return python;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  try {
    process.stdout.write(`${ensurePython()}\n`);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
