/** Finding the browser for the browser tests: the order of places, and a refusal that says what to run. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without type declarations
import { ensureChromium, findChromium, INSTALL_COMMAND } from '../../scripts/chromium.mjs';

const find = findChromium as (env: Record<string, string | undefined>) => string | null;
const ensure = ensureChromium as (env: Record<string, string | undefined>, log?: (s: string) => void) => string;

const dir = mkdtempSync(join(tmpdir(), 'netloom-chromium-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeBinary(name: string): string {
  const p = join(dir, name);
  writeFileSync(p, '#!/bin/sh\n');
  chmodSync(p, 0o755);
  return p;
}

describe('findChromium', () => {
  it('takes NETLOOM_CHROMIUM first, then chromium or chromium-browser on PATH', () => {
    const onPath = fakeBinary('chromium-browser');
    const pinned = fakeBinary('my-chrome');
    expect(find({ PATH: dir })).toBe(onPath);
    expect(find({ PATH: dir, NETLOOM_CHROMIUM: pinned })).toBe(pinned);
  });

  it('does not accept a file that cannot be run', () => {
    const p = join(dir, 'not-executable');
    writeFileSync(p, '');
    expect(find({ PATH: '', NETLOOM_CHROMIUM: p })).toBeNull();
  });
});

describe('ensureChromium', () => {
  it('refuses a NETLOOM_CHROMIUM that is not there with the command to install the package', () => {
    expect(() => ensure({ PATH: dir, NETLOOM_CHROMIUM: join(dir, 'missing') }, () => undefined)).toThrow(INSTALL_COMMAND as string);
  });

  it('returns the browser it finds without installing anything', () => {
    const logged: string[] = [];
    const p = fakeBinary('chromium');
    expect(ensure({ PATH: dir }, (s) => logged.push(s))).toBe(p);
    expect(logged).toEqual([]);
  });
});
