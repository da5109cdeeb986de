/**
 * A Transformer encoder block in the app on real WebGPU (SwiftShader in
 * headless Chromium): opened from a file with one layer feeding the
 * attention's query and value, the inspector's cost-by-length table for the
 * attention node, a compile with the green check (netloom's own TF.js
 * MultiHeadAttention), a forward pass, and a few training steps on the
 * compiled model with a falling loss, all on `webgpu`.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyze, fmt, layeredLayout, parseGraphText, serializeGraph, type Graph } from '../../src/engine/index.ts';
import { vit } from '../../scripts/gallery/transformers.ts';
import { encoderBlock } from '../support/transformer.ts';
import { appSession, screenshot, watchPage } from './support/harness.ts';
import { openEditor, settle } from './support/editor-page.ts';

const session = appSession({ webgpu: true });

describe('a Transformer encoder block on WebGPU', () => {
  let page: Page;
  let seen: ReturnType<typeof watchPage>;
  const graph = layeredLayout(encoderBlock());
  const a = analyze(graph);

  beforeAll(async () => {
    page = await session.browser().newPage({ viewport: { width: 1400, height: 900 } });
    seen = watchPage(page);
    await openEditor(page, session.app().url);
    await page.setInputFiles('input[type=file]', { name: 'encoder.json', mimeType: 'application/json', buffer: Buffer.from(serializeGraph(graph)) });
    await page.waitForSelector('.react-flow__node[data-id="attention"]');
    await settle(page);
  });

  afterAll(async () => {
    await page?.close();
  });

  test('self-attention from one source, and the cost table by sequence length', async () => {
    expect(await page.locator('.react-flow__edge').count()).toBe(graph.edges.length);
    await page.locator('.react-flow__node[data-id="attention"]').click();
    const table = page.getByTestId('attention-cost');
    await table.waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t')[0])).toEqual(['128', '256', '512', '1024', '2048', '4096']);
    // L = 128, heads 2, key 16, d 32: projections 4·128·32·2·16, attention 2·128²·(16 + 16).
    const at128 = 4 * 128 * 32 * 2 * 16 + 2 * 128 * 128 * 32;
    expect(rows[0]).toContain(fmt(at128));
    await screenshot(page, 'attention-cost-inspector');
  });

  test('compiles with the green check, runs and trains on webgpu', async () => {
    await page.getByRole('tab', { name: /Compile/ }).click();
    await page.waitForSelector('[data-testid=compile-button]', { timeout: 60_000 });
    await page.click('[data-testid=compile-button]');
    const done = await page.waitForSelector('[data-testid=verify-status], .compile-problems[role=alert]', { timeout: 120_000 });
    expect(await done.textContent()).toContain(`verified: ${fmt(a.nodes.length)} layers, ${fmt(a.totals.params)} params`);
    expect(await done.getAttribute('data-ok')).toBe('true');
    await page.click('[data-testid=run-button]');
    const run = await page.waitForSelector('[data-testid=run-result]', { timeout: 120_000 });
    expect(await run.textContent()).toMatch(/^output \(2, 2\) · [0-9.]+ ms for a batch of 2 · webgpu$/);
    await screenshot(page, 'attention-compile-webgpu');

    const losses = await page.evaluate(async () => {
      const hooks = (window as unknown as { __netloom: { tf: () => typeof import('@tensorflow/tfjs'); model: () => import('@tensorflow/tfjs').LayersModel | null } }).__netloom;
      const tf = hooks.tf();
      const model = hooks.model()!;
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
      const x = tf.randomUniform([32, 16, 32], -1, 1, 'float32', 7);
      const label = tf.greater(x.slice([0, 0, 0], [32, 1, 1]).reshape([32]), x.slice([0, 15, 0], [32, 1, 1]).reshape([32]));
      const y = tf.oneHot(label.cast('int32'), 2).cast('float32');
      const h = await model.fit(x, y, { epochs: 6, batchSize: 16, shuffle: false, verbose: 0 });
      tf.dispose([x, label, y]);
      return { backend: tf.getBackend(), loss: h.history.loss as number[] };
    });
    expect(losses.backend).toBe('webgpu');
    expect(losses.loss.every(Number.isFinite)).toBe(true);
    expect(losses.loss[losses.loss.length - 1]).toBeLessThan(losses.loss[0]);
    expect(seen.errors).toEqual([]);
  }, 400_000);
});

/** Opens `graph` from a file, compiles it with the green check, and returns the page's losses of a few Adam steps on one batch. */
async function compileAndTrain(page: Page, graph: Graph, data: { input: number[]; classes: number; ids?: number; logits: boolean }): Promise<{ backend: string; loss: number[] }> {
  const a = analyze(graph);
  await page.setInputFiles('input[type=file]', { name: `${graph.name}.json`, mimeType: 'application/json', buffer: Buffer.from(serializeGraph(graph)) });
  await page.waitForSelector(`.react-flow__node[data-id="${graph.nodes[0].id}"]`, { timeout: 60_000 });
  await settle(page);
  await page.getByRole('tab', { name: /Compile/ }).click();
  await page.waitForSelector('[data-testid=compile-button]', { timeout: 60_000 });
  await page.click('[data-testid=compile-button]');
  const done = await page.waitForSelector('[data-testid=verify-status], .compile-problems[role=alert]', { timeout: 180_000 });
  expect(await done.textContent()).toContain(`verified: ${fmt(a.nodes.length)} layers, ${fmt(a.totals.params)} params`);
  expect(await done.getAttribute('data-ok')).toBe('true');
  return page.evaluate(async (d) => {
    const hooks = (window as unknown as { __netloom: { tf: () => typeof import('@tensorflow/tfjs'); model: () => import('@tensorflow/tfjs').LayersModel | null } }).__netloom;
    const tf = hooks.tf();
    const model = hooks.model()!;
    const batch = 8;
    const loss = d.logits
      ? (yTrue: import('@tensorflow/tfjs').Tensor, yPred: import('@tensorflow/tfjs').Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred as import('@tensorflow/tfjs').Tensor2D)
      : 'categoricalCrossentropy';
    model.compile({ optimizer: tf.train.adam(3e-3), loss });
    const x = d.ids ? tf.randomUniform([batch, ...d.input], 0, d.ids, 'int32', 3).toFloat() : tf.randomNormal([batch, ...d.input], 0, 1, 'float32', 3);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % d.classes), 'int32'), d.classes).toFloat();
    const losses: number[] = [];
    for (let i = 0; i < 8; i++) losses.push(Number(await model.trainOnBatch(x, y)));
    tf.dispose([x, y]);
    return { backend: tf.getBackend(), loss: losses };
  }, data);
}

describe('the Transformer examples on WebGPU: compile, verify, train', () => {
  let page: Page;
  let seen: ReturnType<typeof watchPage>;

  beforeAll(async () => {
    page = await session.browser().newPage({ viewport: { width: 1400, height: 900 } });
    seen = watchPage(page);
    await openEditor(page, session.app().url);
  });

  afterAll(async () => {
    await page?.close();
  });

  test('examples/transformer-text-classifier.json: 8 steps lower the loss', async () => {
    const loaded = parseGraphText(readFileSync(new URL('../../examples/transformer-text-classifier.json', import.meta.url), 'utf8'));
    if (!loaded.ok) throw new Error('the example does not load');
    const r = await compileAndTrain(page, loaded.graph, { input: [200], classes: 2, ids: 20000, logits: false });
    expect(r.backend).toBe('webgpu');
    expect(r.loss.every(Number.isFinite)).toBe(true);
    expect(r.loss[r.loss.length - 1]).toBeLessThan(r.loss[0]);
    expect(seen.errors).toEqual([]);
  }, 400_000);

  test('a small ViT (32×32, 8×8 patches, 2 layers): 8 steps lower the loss', async () => {
    const graph = layeredLayout(vit({ image: 32, patch: 8, channels: 3, d: 32, heads: 2, ff: 64, layers: 2, classes: 4 }, {
      name: 'vit-small', title: 'Small ViT', description: 'A small Vision Transformer.',
    }));
    const r = await compileAndTrain(page, graph, { input: [32, 32, 3], classes: 4, logits: true });
    expect(r.backend).toBe('webgpu');
    expect(r.loss.every(Number.isFinite)).toBe(true);
    expect(r.loss[r.loss.length - 1]).toBeLessThan(r.loss[0]);
    await screenshot(page, 'vit-small-compiled-webgpu');
    expect(seen.errors).toEqual([]);
  }, 400_000);
});
