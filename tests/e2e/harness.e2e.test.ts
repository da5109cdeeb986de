/** The harness itself: the app serves, Chromium starts, WebGPU has an adapter. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, screenshot, startApp, type RunningApp } from './support/harness.ts';

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

test('the page is a secure context with a WebGPU adapter (SwiftShader)', async () => {
  const page = await browser.newPage();
  await page.goto(app.url);
  const info = await page.evaluate(async () => {
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    const adapter = gpu ? await gpu.requestAdapter() : null;
    return { secure: window.isSecureContext, hasGpu: !!gpu, adapter: adapter !== null };
  });
  expect(info).toEqual({ secure: true, hasGpu: true, adapter: true });
  await page.waitForSelector('#root > *');
  await screenshot(page, 'harness-app');
  await page.close();
});
