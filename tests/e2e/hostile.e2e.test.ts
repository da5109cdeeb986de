/**
 * Hostile and oversized input in the editor: blocks named after Object's own
 * members open with their problems on the node; a panel that throws keeps the
 * rest of the editor working and recovers when the network changes; bidi
 * overrides in names are shown, never obeyed; a 5,000-layer network opens
 * with only the nodes in view drawn and a bounded table and chart.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { GraphBuilder, layeredLayout, serializeGraph } from '../../src/engine/index.ts';
import { encodeShare } from '../../src/store/share.ts';
import { parallelChains } from '../support/wide-graphs.ts';
import { appSession, editorEachTest, screenshot, watchPage } from './support/harness.ts';
import { focusCanvas, openExample, settle, totalParams } from './support/editor-page.ts';

let context: BrowserContext;
let page: Page;
let seen: ReturnType<typeof watchPage>;

const session = appSession({ webgpu: false });
editorEachTest(session, (tab) => ({ context, page, seen } = tab));

/** Opens graph text through the files bar's Open, as a user picking a file would. */
async function openText(p: Page, name: string, text: string): Promise<void> {
  await p.locator('input[type=file]').first().setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  await settle(p);
}

/** A network whose blocks are named after members every object inherits. */
function hostileBlocks(): string {
  const b = new GraphBuilder('hostile-blocks', { title: 'Blocks named after Object members' });
  b.defineBlock('blk', { params: {} }, (bb, { x }) => bb.add('Dense', { units: 4 }, [x], 'fc'));
  const x = b.add('Input', { shape: [8] }, [], 'input');
  const u1 = b.use('blk', {}, [x], 'use_tostring');
  const u2 = b.use('blk', {}, [u1], 'use_proto');
  b.use('blk', {}, [u2], 'use_missing');
  const text = serializeGraph(layeredLayout(b.build(), { dx: 230, dy: 110 }));
  const doc = JSON.parse(text) as { blocks: Record<string, unknown>; nodes: { id: string; params: { block: string } }[] };
  const def = doc.blocks.blk;
  // Own properties, as JSON.parse makes them, including one named __proto__.
  doc.blocks = JSON.parse(`{"toString": ${JSON.stringify(def)}, "__proto__": ${JSON.stringify(def)}}`) as Record<string, unknown>;
  for (const n of doc.nodes) {
    if (n.id === 'use_tostring') n.params.block = 'toString';
    if (n.id === 'use_proto') n.params.block = '__proto__';
    if (n.id === 'use_missing') n.params.block = 'constructor';
  }
  return JSON.stringify(doc);
}

test('blocks named toString, __proto__ and constructor open; the undefined one shows its problem and the app stays usable', async () => {
  await openText(page, 'hostile-blocks.json', hostileBlocks());
  expect(await page.getByTestId('panel-error').count()).toBe(0);
  // Defined under those names, the blocks expand like any other; the use of an undefined one is an error on its node.
  await expect.poll(() => page.locator('.react-flow__node[data-id="use_tostring"] .layer-params').innerText()).toBe('36');
  expect(await page.locator('.react-flow__node[data-id="use_proto"] .layer-params').innerText()).toBe('20');
  const missing = page.getByTestId('node-use_missing');
  expect(await missing.getAttribute('class')).toContain('status-error');
  expect(await missing.locator('.layer-error').innerText()).toContain('constructor');
  // The row opens the block inspector rather than emptying the app.
  await page.locator('tr[data-row="use_missing"]').click();
  await settle(page);
  expect(await page.locator('.inspector').count()).toBeGreaterThan(0);
  expect(await page.getByTestId('panel-error').count()).toBe(0);
  await screenshot(page, 'hostile-blocks');
  // A valid example opens over it as usual.
  await openExample(page, 'alexnet');
  expect(await totalParams(page)).toBe('62,378,344');
  expect(seen.errors).toEqual([]);
});

test('a panel that throws shows its message in place, the rest keeps working, and it recovers when the network changes', async () => {
  await openExample(page, 'lenet5');
  const total = await totalParams(page);
  // Every number on screen goes through Number#toString: make it throw on demand.
  await page.evaluate(`(() => {
    const orig = Number.prototype.toString;
    Number.prototype.toString = function (...a) { if (window.__failDrawing) throw new Error('drawing failed on purpose'); return orig.apply(this, a); };
  })()`);
  await page.evaluate('window.__failDrawing = true');
  await focusCanvas(page);
  await page.keyboard.press('Control+z');
  await expect.poll(() => page.getByTestId('panel-error').count()).toBeGreaterThan(0);
  expect(await page.getByTestId('panel-error').first().innerText()).toContain('drawing failed on purpose');
  // The files bar and the shortcuts still work: the editor itself is alive.
  expect(await page.getByRole('button', { name: 'Examples ▾' }).isVisible()).toBe(true);
  await screenshot(page, 'panel-error');

  await page.evaluate('window.__failDrawing = false');
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => page.getByTestId('panel-error').count()).toBe(0);
  expect(await totalParams(page)).toBe(total);
});

test('bidi overrides in names and titles are shown as marks and stay inside their own cell', async () => {
  const b = new GraphBuilder('bidi', { title: 'Report \u202Efdp.exe' });
  const x = b.add('Input', { shape: [8] }, [], 'input');
  b.add('Dense', { units: 1 }, [x], 'dense_\u202E1_esned');
  const graph = layeredLayout(b.build(), { dx: 230, dy: 110 });
  await page.goto(`${session.app().url}#${await encodeShare(graph)}`);
  await page.waitForSelector('.react-flow__node');
  await settle(page);
  const row = page.locator('tr[data-row="dense_\u202E1_esned"]');
  expect(await row.locator('.layer-name').innerText()).toBe('dense_⟨U+202E⟩1_esned');
  // The next column reads as it is: the override did not leak.
  expect(await row.locator('td').nth(2).innerText()).toBe('9');
  expect(await page.locator('.graph-title').innerText()).toBe('Report ⟨U+202E⟩fdp.exe');
  expect(await page.locator('.react-flow__node .layer-name').last().innerText()).toBe('dense_⟨U+202E⟩1_esned');
  const isolation = await page.locator('.layer-name').first().evaluate((el) => getComputedStyle(el).unicodeBidi);
  expect(isolation).toBe('isolate');
  await screenshot(page, 'bidi-names');
});

test('a 5,000-layer network opens with only the nodes in view drawn, a bounded table and chart, and edits that show at once', async () => {
  const graph = parallelChains(50, 100);
  // The most nodes ever in the page, sampled every frame from the first paint.
  await page.addInitScript(`window.__most = 0; const t = () => { window.__most = Math.max(window.__most, document.querySelectorAll('.react-flow__node').length); requestAnimationFrame(t); }; requestAnimationFrame(t);`);
  await page.goto('about:blank');
  await page.goto(`${session.app().url}#${await encodeShare(graph)}`);
  await page.waitForSelector('.react-flow__node', { timeout: 60_000 });
  await settle(page);
  const most = (await page.evaluate('window.__most')) as number;
  expect(most).toBeGreaterThan(0);
  expect(most).toBeLessThan(300);
  // Opened at a readable zoom on the top of the network, not shrunk to fit 5,002 boxes.
  expect(await page.getByTestId('canvas').getAttribute('data-lod')).toBe('near');
  expect(await page.locator('[data-testid="node-input"]').isVisible()).toBe(true);

  expect(await page.locator('.summary-table tbody tr[data-row]').count()).toBe(200);
  await page.getByTestId('more-rows').click();
  expect(await page.locator('.summary-table tbody tr[data-row]').count()).toBe(400);
  expect(await page.locator('.param-chart .chart-row').count()).toBe(20);
  expect(await page.locator('.param-chart .chart-rest').count()).toBe(1);

  await page.locator('tr[data-row="d0_3"]').click();
  await page.locator('.inspector [data-field="units"] input').first().fill('17');
  await expect.poll(() => page.locator('tr[data-row="d0_3"] td').nth(2).innerText()).toBe('289');
  await screenshot(page, 'big-network');
  // Fit takes in every node, the ones never drawn yet included, down to the zoom floor for big networks.
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await settle(page);
  expect(await page.getByTestId('canvas').getAttribute('data-lod')).toBe('far');
  expect(await page.locator('.react-flow__node').count()).toBeGreaterThan(500);
  expect(seen.errors).toEqual([]);
});
