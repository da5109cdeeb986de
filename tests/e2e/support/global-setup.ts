/**
 * Runs once before the browser tests: finds Chromium, or installs Debian's
 * when it can, or fails the run with the command to run. The path reaches the
 * test files through NETLOOM_CHROMIUM (forks inherit the environment).
 */
// @ts-expect-error: a plain ES module without type declarations
import { ensureChromium } from '../../../scripts/chromium.mjs';

export default function setup(): void {
  process.env.NETLOOM_CHROMIUM = (ensureChromium as () => string)();
}
