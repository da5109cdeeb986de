/**
 * Shared browser-test harness: start the app, launch Debian's Chromium through
 * playwright-core, save screenshots. Every `tests/e2e/*.e2e.test.ts` uses it.
 *
 * The app is served by vite's dev server on a free port of `localhost`, which
 * browsers treat as a secure context (WebGPU and CompressionStream need one).
 */
import { mkdir } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { openEditor } from './editor-page.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SCREENSHOTS = join(ROOT, 'tests/e2e/screenshots');

/** The browser the tests drive: found (or installed) by global-setup.ts before any test file starts. */
export const CHROMIUM = process.env.NETLOOM_CHROMIUM ?? '/usr/bin/chromium';

/** Asks the OS for a port nobody listens on. */
function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createNetServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, 'localhost', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export interface RunningApp {
  /** `http://localhost:<port>/`, ending with a slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the app with vite's dev server (the repository's vite.config.ts) on a
 * free port. Works on a clean clone after `npm ci`: nothing needs building.
 */
export async function startApp(): Promise<RunningApp> {
  const port = await freePort();
  const server: ViteDevServer = await createServer({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'error',
    clearScreen: false,
    server: { port, strictPort: true, host: 'localhost', hmr: false, watch: null },
    // NETLOOM_VITE_CACHE: a fresh dependency cache, to rehearse a clean clone.
    ...(process.env.NETLOOM_VITE_CACHE ? { cacheDir: process.env.NETLOOM_VITE_CACHE } : {}),
  });
  await server.listen();
  const url = `http://localhost:${port}/`;
  // Transform the entry once so the first page load in a test is not the one paying for it.
  await fetch(url).then((r) => r.text()).catch(() => undefined);
  return { url, close: () => server.close() };
}

export interface LaunchOptions {
  /** WebGPU through SwiftShader (software); on unless `false`. */
  webgpu?: boolean;
  /** Extra Chromium switches. */
  args?: string[];
}

/** Launches headless Chromium with the switches a sandbox-less CI machine needs. */
export function launchBrowser(opts: LaunchOptions = {}): Promise<Browser> {
  const args = [
    '--no-sandbox',
    '--disable-gpu-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    ...(opts.webgpu === false ? [] : ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader']),
    ...(opts.args ?? []),
  ];
  return chromium.launch({ executablePath: CHROMIUM, args, headless: true });
}

/** Saves a full-page PNG as `tests/e2e/screenshots/<name>.png` (ignored by git) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/**
 * Collects the page's uncaught errors and dialogs; a test asserts both stay
 * empty (a dialog from untrusted text would mean script ran). A `beforeunload`
 * dialog (the unsaved-work warning) is recorded and accepted.
 */
export function watchPage(page: Page): { errors: string[]; dialogs: string[] } {
  const seen = { errors: [] as string[], dialogs: [] as string[] };
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('dialog', (d) => {
    seen.dialogs.push(`${d.type()}: ${d.message()}`);
    // Leaving the page (reload with unsaved work) goes ahead; anything else is refused.
    void (d.type() === 'beforeunload' ? d.accept() : d.dismiss()).catch(() => undefined);
  });
  return seen;
}

/** One test's browser context, page and what the page reported. */
export interface EditorTab {
  context: BrowserContext;
  page: Page;
  seen: ReturnType<typeof watchPage>;
}

/**
 * A fresh context and page with the editor open before each test of the file
 * (so no test sees another's storage), closed after it; `use` receives them.
 */
export function editorEachTest(session: ReturnType<typeof appSession>, use: (tab: EditorTab) => void, viewport = { width: 1440, height: 900 }): void {
  let context: BrowserContext | undefined;
  beforeEach(async () => {
    context = await session.browser().newContext({ viewport });
    const page = await context.newPage();
    const seen = watchPage(page);
    use({ context, page, seen });
    await openEditor(page, session.app().url);
  });
  afterEach(async () => {
    await context?.close();
  });
}

/**
 * The app and one browser for a whole test file: started before its first test,
 * closed after its last. Read them through the getters inside tests and hooks.
 */
export function appSession(opts: { webgpu?: boolean } = {}): { app: () => RunningApp; browser: () => Browser } {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser(opts);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  const need = <T>(v: T | undefined, what: string): T => {
    if (!v) throw new Error(`${what} is not started yet; use it inside a test or hook`);
    return v;
  };
  return { app: () => need(app, 'the app'), browser: () => need(browser, 'the browser') };
}
