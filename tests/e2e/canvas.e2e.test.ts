/**
 * The canvas in a real browser: a block use opens in place to list its inner
 * layers and closes again; zoomed far out, nodes draw as plain boxes and read
 * normally again once zoomed in. Each test saves a screenshot.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { GraphBuilder, layeredLayout } from '../../src/engine/index.ts';
import { encodeShare } from '../../src/store/share.ts';
import { appSession, editorEachTest, screenshot, watchPage } from './support/harness.ts';
import { nodeParams, openExample, settle } from './support/editor-page.ts';

let context: BrowserContext;
let page: Page;
let seen: ReturnType<typeof watchPage>;

const session = appSession({ webgpu: false });
editorEachTest(session, (tab) => ({ context, page, seen } = tab));

const lod = (p: Page) => p.getByTestId('canvas').getAttribute('data-lod');

/** Centres the canvas on a layer at a readable zoom through its summary row (a block's row centres its use). */
async function zoomTo(p: Page, row: string) {
  await p.locator(`tr[data-row="${row}"]`).click();
  await settle(p);
}

async function fitView(p: Page) {
  await p.getByRole('button', { name: 'Fit', exact: true }).click();
  await settle(p);
}

test('a block use opens in place to show its inner layers with shapes and counts, and closes again', async () => {
  await openExample(page, 'resnet18');
  // An example at its fit view is close enough to read: full detail.
  expect(await lod(page)).toBe('near');
  await zoomTo(page, 'conv2_block/1/1_conv');
  const node = page.locator('.react-flow__node[data-id="conv2_block"]');
  const subtotal = await nodeParams(page, 'conv2_block');
  const narrow = (await node.boundingBox())!;
  const toggle = page.getByTestId('block-toggle-conv2_block');
  const undo = page.getByRole('button', { name: 'Undo', exact: true });
  const undoBefore = await undo.isDisabled();
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  expect(await page.getByTestId('block-layers-conv2_block').count()).toBe(0);

  await toggle.click();
  const list = page.getByTestId('block-layers-conv2_block');
  await list.waitFor();
  expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  // The basic block's 7 layers, twice (repeat 2), under copy headings.
  expect(await list.locator('li[data-layer]').count()).toBe(14);
  expect(await list.locator('.block-copy').allInnerTexts()).toEqual(['copy 1', 'copy 2']);
  const first = list.locator('li[data-layer]').first();
  expect(await first.locator('.block-layer-name').innerText()).toBe('conv2_block1_1_conv');
  expect(await first.locator('.block-layer-shape').innerText()).toBe('(None, 56, 56, 64)');
  expect(await first.locator('.block-layer-params').innerText()).toBe('36,864'); // 3·3·64·64, no bias
  // The subtotal stays on the node, and the node grew to hold the list.
  expect(await nodeParams(page, 'conv2_block')).toBe(subtotal);
  const wide = (await node.boundingBox())!;
  expect(wide.height).toBeGreaterThan(narrow.height * 2);
  // Opening a block is a view, not an edit.
  expect(await undo.isDisabled()).toBe(undoBefore);
  await screenshot(page, 'block-expanded-in-place');

  await toggle.click();
  await expect.poll(() => page.getByTestId('block-layers-conv2_block').count()).toBe(0);
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  await expect.poll(async () => (await node.boundingBox())!.height).toBeLessThan(wide.height / 2);
  expect(seen.errors).toEqual([]);
});

test('zoomed far out the nodes are plain boxes; zoomed in they read again', async () => {
  const b = new GraphBuilder('wide', { title: 'A wide graph' });
  const x = b.add('Input', { shape: [16] }, [], 'input');
  const ends: string[] = [];
  for (let c = 0; c < 24; c++) {
    let prev = x;
    for (let i = 0; i < 12; i++) prev = b.add('Dense', { units: 16 }, [prev], `d${c}_${i}`);
    ends.push(prev);
  }
  b.add('Concatenate', {}, ends, 'join');
  const graph = layeredLayout(b.build(), { dx: 230, dy: 110 });
  await page.goto(`${session.app().url}#${await encodeShare(graph)}`);
  await page.waitForSelector('.react-flow__node[data-id="d6_6"]');
  await fitView(page);

  const kind = page.locator('.react-flow__node[data-id="d6_6"] .layer-kind');
  // 24 chains side by side: the fit view is far below the level-of-detail zoom.
  await expect.poll(() => lod(page)).toBe('far');
  expect(await kind.isVisible()).toBe(false);
  // Hidden, not removed: the node keeps its measured size and its edges their handles.
  expect(await kind.count()).toBe(1);
  expect(await page.locator('.react-flow__edge').count()).toBe(graph.edges.length);
  await screenshot(page, 'canvas-far-zoom');

  await zoomTo(page, 'd6_6');
  expect(await lod(page)).toBe('near');
  expect(await kind.isVisible()).toBe(true);
  expect(await kind.innerText()).toBe('Dense');

  await fitView(page);
  await expect.poll(() => lod(page)).toBe('far');
  expect(seen.errors).toEqual([]);
});
