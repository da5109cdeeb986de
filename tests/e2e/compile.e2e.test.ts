/**
 * Compile in the app on real WebGPU (SwiftShader in headless Chromium): open
 * LeNet-5 and the Jena GRU from the example menu, compile them in the
 * "Compile & run" tab, check that TF.js runs on `webgpu`, that the
 * verification shows the green check with the engine's own layer and
 * parameter counts, and that a forward pass gives the engine's output shape.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analyze, fmt, parseGraphText } from '../../src/engine/index.ts';
import { appSession, screenshot, watchPage } from './support/harness.ts';


const session = appSession({ webgpu: true });

/** What the panel must show for an example, computed by the engine in Node. */
function expected(key: string) {
  const loaded = parseGraphText(readFileSync(new URL(`../../examples/${key}.json`, import.meta.url), 'utf8'));
  if (!loaded.ok) throw new Error(`examples/${key}.json does not load`);
  const a = analyze(loaded.graph);
  const outputs = a.outputs.map((id) => `(${[2, ...a.byId.get(id)!.outputShape!.slice(1)].join(', ')})`);
  return { verified: `verified: ${fmt(a.nodes.length)} layers, ${fmt(a.totals.params)} params`, output: `output ${outputs.join(', ')}` };
}

async function openExample(page: Page, key: string): Promise<void> {
  await page.getByRole('button', { name: /Examples/ }).click();
  await page.click(`[data-example="${key}"]`, { timeout: 60_000 });
}

async function openCompileTab(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /Compile/ }).click();
  await page.waitForSelector('[data-testid=compile-button]', { timeout: 60_000 });
}

/** Compiles and waits for the verification (or a failure, which then fails the test with its text). */
async function compileInPanel(page: Page): Promise<{ ok: string | null; text: string }> {
  await page.click('[data-testid=compile-button]');
  const done = await page.waitForSelector('[data-testid=verify-status], .compile-problems[role=alert]', { timeout: 120_000 });
  return { ok: await done.getAttribute('data-ok'), text: (await done.textContent()) ?? '' };
}

const tfBackend = (page: Page) => page.evaluate(() => (window as { __netloom?: { backend?: () => string | null } }).__netloom?.backend?.() ?? null);
const liveTensors = (page: Page) => page.evaluate(() => (window as { __netloom?: { memory?: () => { numTensors: number } | null } }).__netloom?.memory?.()?.numTensors ?? null);

describe('compile and run on WebGPU in the app', () => {
  let page: Page;
  let seen: ReturnType<typeof watchPage>;

  beforeAll(async () => {
    page = await session.browser().newPage({ viewport: { width: 1400, height: 900 } });
    seen = watchPage(page);
    await page.goto(session.app().url);
    await page.waitForSelector('#root > *', { timeout: 60_000 });
  });

  afterAll(async () => {
    await page?.close();
  });

  test('LeNet-5: webgpu backend, green check, forward pass', async () => {
    const want = expected('lenet5');
    await openExample(page, 'lenet5');
    await openCompileTab(page);
    // TF.js is not loaded before the first compile.
    expect(await page.textContent('[data-testid=backend-badge]')).toMatch(/not started/);

    const result = await compileInPanel(page);
    expect(result.text).toContain(want.verified);
    expect(result.ok).toBe('true');
    expect(await tfBackend(page)).toBe('webgpu');
    const badge = page.locator('[data-testid=backend-badge]');
    await expect.poll(() => badge.getAttribute('data-backend')).toBe('webgpu');
    expect(await badge.textContent()).not.toMatch(/fallback/);
    await expect.poll(() => badge.isVisible()).toBe(true);

    await page.click('[data-testid=run-button]');
    const run = await page.waitForSelector('[data-testid=run-result]', { timeout: 120_000 });
    expect(await run.textContent()).toMatch(new RegExp(`^${want.output.replace(/[()]/g, '\\$&')} · [0-9.]+ ms for a batch of 2 · webgpu$`));
    expect(await page.textContent('[data-testid=memory-status]')).toMatch(/tf\.memory\(\): [1-9][0-9,]* tensors · /);
    await screenshot(page, 'compile-lenet5-webgpu');

    // A layer dragged aside: a new graph, the same network, so the compiled model and its check stay.
    const tensors = await liveTensors(page);
    const node = page.locator('.react-flow__node').nth(1);
    const at = (await node.boundingBox())!;
    await page.mouse.move(at.x + at.width / 2, at.y + 10);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(at.x + at.width / 2 + 12 * i, at.y + 10);
    await page.mouse.up();
    await expect.poll(async () => Math.round((await node.boundingBox())!.x - at.x)).toBeGreaterThan(60);
    await page.waitForTimeout(300);
    expect(await page.locator('[data-testid=verify-status]').getAttribute('data-ok')).toBe('true');
    expect(await liveTensors(page)).toBe(tensors);
    expect(seen.errors).toEqual([]);
  });

  test('Jena GRU: webgpu backend, green check, forward pass; the LeNet model was disposed', async () => {
    const want = expected('jena-gru');
    const lenetTensors = await liveTensors(page);
    await openExample(page, 'jena-gru');
    await openCompileTab(page);
    // Loading another graph disposed the LeNet-5 weights: no tensors are left alive.
    await expect.poll(() => liveTensors(page)).toBe(0);
    expect(lenetTensors).toBeGreaterThan(0);

    const result = await compileInPanel(page);
    expect(result.text).toContain(want.verified);
    expect(result.ok).toBe('true');
    expect(await tfBackend(page)).toBe('webgpu');

    // A GRU over 240 steps is thousands of small kernels, each run on the CPU by SwiftShader: this pass takes 30 to 80 s here.
    await page.click('[data-testid=run-button]');
    const run = await page.waitForSelector('[data-testid=run-result]', { timeout: 280_000 });
    expect(await run.textContent()).toMatch(new RegExp(`^${want.output.replace(/[()]/g, '\\$&')} · [0-9.]+ ms for a batch of 2 · webgpu$`));
    await screenshot(page, 'compile-jena-gru-webgpu');
    expect(seen.errors).toEqual([]);
    expect(seen.dialogs).toEqual([]);
  }, 420_000);
});
