/**
 * Without WebGPU (Chromium started without its WebGPU switches) the panel
 * falls back to WebGL or CPU and says so on the badge with the reason; the
 * user can also pick a backend explicitly.
 */
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { appSession, screenshot, watchPage } from './support/harness.ts';

let page: Page;
let seen: ReturnType<typeof watchPage>;

const session = appSession({ webgpu: false });

beforeAll(async () => {
  page = await session.browser().newPage({ viewport: { width: 1400, height: 900 } });
  seen = watchPage(page);
  await page.goto(session.app().url);
  await page.waitForSelector('#root > *', { timeout: 60_000 });
});

const tfBackend = (p: Page) => p.evaluate(() => (window as { __netloom?: { backend?: () => string | null } }).__netloom?.backend?.() ?? null);

test('the badge names the fallback backend and why WebGPU was not used', async () => {
  await page.getByRole('button', { name: /Examples/ }).click();
  await page.click('[data-example="jena-gru"]', { timeout: 60_000 });
  await page.getByRole('tab', { name: /Compile/ }).click();
  await page.click('[data-testid=compile-button]', { timeout: 60_000 });
  const status = await page.waitForSelector('[data-testid=verify-status], .compile-problems[role=alert]', { timeout: 120_000 });
  expect(await status.getAttribute('data-ok')).toBe('true');

  const badge = page.locator('[data-testid=backend-badge]');
  const backend = await badge.getAttribute('data-backend');
  expect(['webgl', 'cpu']).toContain(backend);
  expect(await tfBackend(page)).toBe(backend);
  const text = (await badge.textContent()) ?? '';
  expect(text).toContain(backend!);
  // The reason is specific: no navigator.gpu, or no adapter behind it.
  expect(text).toMatch(/fallback: webgpu: (navigator\.gpu is missing|no WebGPU adapter)/);
  expect(await badge.isVisible()).toBe(true);
  await screenshot(page, 'compile-fallback-badge');
  expect(seen.errors).toEqual([]);
});

test('choosing CPU explicitly uses it without a fallback reason and drops the old model', async () => {
  await page.selectOption('[data-testid=backend-select]', 'cpu');
  const badge = page.locator('[data-testid=backend-badge]');
  await expect.poll(() => badge.getAttribute('data-backend')).toBe('cpu');
  expect(await badge.textContent()).not.toMatch(/fallback/);
  expect(await tfBackend(page)).toBe('cpu');
  // The model compiled on the previous backend is gone until the user compiles again.
  expect(await page.locator('[data-testid=verify-status]').count()).toBe(0);
  await page.click('[data-testid=compile-button]');
  const status = await page.waitForSelector('[data-testid=verify-status]', { timeout: 120_000 });
  expect(await status.getAttribute('data-ok')).toBe('true');
  await page.click('[data-testid=run-button]');
  const run = await page.waitForSelector('[data-testid=run-result]', { timeout: 120_000 });
  expect(await run.textContent()).toMatch(/^output \(2, 1\) · [0-9.]+ ms for a batch of 2 · cpu$/);
  expect(seen.errors).toEqual([]);
});
