/**
 * The editor in a real browser: gestures on the canvas, the inspector, the
 * summary, files, links and autosave. Each test starts from a fresh profile
 * (empty localStorage) and saves a screenshot.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { appSession, screenshot, watchPage } from './support/harness.ts';
import {
  connectHandles, dragFromPalette, edgeCount, focusCanvas, nodeIds, nodeParams, openEditor, openExample, rowParams,
  setField, totalParams,
} from './support/editor-page.ts';

let context: BrowserContext;
let page: Page;
let seen: ReturnType<typeof watchPage>;

const session = appSession({ webgpu: false });
beforeEach(async () => {
  context = await session.browser().newContext({ viewport: { width: 1440, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.app().url });
  page = await context.newPage();
  seen = watchPage(page);
  await openEditor(page, session.app().url);
});
afterEach(async () => {
  await context?.close();
});

test('build Input → Conv2D → MaxPooling2D → Flatten → Dense(10) by dragging and connecting, then edit filters', async () => {
  const kinds = ['Input', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense'];
  const ids: string[] = [];
  for (const [i, kind] of kinds.entries()) ids.push(await dragFromPalette(page, kind, 380, 60 + i * 130));
  for (let i = 1; i < ids.length; i++) await connectHandles(page, ids[i - 1], ids[i]);
  await screenshot(page, 'build-mnist-cnn-wired');
  expect(await edgeCount(page)).toBe(4);

  await page.locator(`.react-flow__node[data-id="${ids[4]}"]`).click();
  await setField(page, 'units', '10');
  // 3·3·1·32 + 32 = 320; 13·13·32 = 5408 into Dense(10): 54,090.
  expect(await nodeParams(page, ids[1])).toBe('320');
  await expect.poll(() => nodeParams(page, ids[4])).toBe('54,090');
  expect(await totalParams(page)).toBe('54,410');

  await page.locator(`.react-flow__node[data-id="${ids[1]}"]`).click();
  await setField(page, 'filters', '64');
  await expect.poll(() => nodeParams(page, ids[1])).toBe('640');
  expect(await rowParams(page, ids[1])).toBe('640');
  expect(await rowParams(page, ids[4])).toBe('108,170');
  expect(await page.getByTestId('inspector-formula').innerText()).toBe('3·3·1·64 + 64 = 640');

  // An out-of-range value is shown on the field and not applied.
  await setField(page, 'filters', '0');
  await expect.poll(() => page.locator('.inspector [data-field="filters"] .field-problem').innerText()).toMatch(/filters must be a whole number from 1/);
  expect(await nodeParams(page, ids[1])).toBe('640');
  await screenshot(page, 'build-mnist-cnn');
  expect(seen.errors).toEqual([]);
});

test('the AlexNet example shows 62,378,344 parameters, and a table row centres its layer', async () => {
  await openExample(page, 'alexnet');
  expect(await totalParams(page)).toBe('62,378,344');
  expect(await rowParams(page, 'fc6')).toBe('37,752,832');
  await page.locator('tr[data-row="fc6"]').click();
  await expect.poll(() => page.locator('.react-flow__node[data-id="fc6"].selected').count()).toBe(1);
  expect(await page.locator('.inspector').innerText()).toContain('9216·4096 + 4096 = 37,752,832');
  await page.locator('tr[data-row="conv5"]').click();
  await expect.poll(() => page.getByTestId('receptive-field').innerText()).toBe('163×163 /16');
  // The table's teaching columns: share of the total and receptive field / effective stride.
  expect(await page.locator('tr[data-row="conv5"] td:nth-of-type(6)').innerText()).toBe('163×163 /16');
  expect(await page.locator('tr[data-row="fc6"] td:nth-of-type(5)').innerText()).toBe('60.5%');
  await screenshot(page, 'alexnet');
});

test('undo and redo with the keyboard', async () => {
  await openExample(page, 'alexnet');
  await page.locator('tr[data-row="conv1"]').click();
  await setField(page, 'filters', '48');
  await expect.poll(() => totalParams(page)).not.toBe('62,378,344');
  const edited = await totalParams(page);
  await focusCanvas(page);
  await page.keyboard.press('Control+z');
  await expect.poll(() => totalParams(page)).toBe('62,378,344');
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => totalParams(page)).toBe(edited);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z'); // back past the load: the empty new network
  await expect.poll(() => nodeIds(page)).toEqual([]);
  await screenshot(page, 'undo-redo');
});

test('reload warns about unsaved work, then offers to restore it', async () => {
  await openExample(page, 'jena-gru');
  await page.locator('tr[data-row="gru_1"]').click();
  await setField(page, 'units', '64');
  await expect.poll(() => rowParams(page, 'gru_1')).toBe('15,168');
  const total = await totalParams(page);
  await page.reload();
  await page.waitForSelector('.react-flow__pane');
  expect(seen.dialogs.some((d) => d.startsWith('beforeunload'))).toBe(true);
  await page.getByTestId('restore-offer').getByRole('button', { name: 'Restore' }).click();
  await expect.poll(() => totalParams(page)).toBe(total);
  expect(await rowParams(page, 'gru_1')).toBe('15,168');
  await screenshot(page, 'reload-restore');
});

test('a share link opens the same graph, beside the unsaved work it replaces', async () => {
  await openExample(page, 'lstm-split-sequence');
  await page.getByRole('button', { name: 'Share' }).click();
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toMatch(/#g=[A-Za-z0-9_-]+$/);

  // A fresh browser profile opens the link.
  const other = await session.browser().newContext({ viewport: { width: 1440, height: 900 } });
  const p2 = await other.newPage();
  await p2.goto(url);
  await p2.waitForSelector('.react-flow__node');
  expect(await totalParams(p2)).toBe('10,451');
  expect(p2.url()).not.toContain('#g=');
  await screenshot(p2, 'share-link-opened');
  await other.close();

  // Over unsaved work: the link loads, and the work can be brought back.
  await openExample(page, 'alexnet');
  await page.locator('tr[data-row="fc8"]').click();
  await setField(page, 'units', '10');
  const mine = await totalParams(page);
  await page.goto('about:blank');
  await page.goto(url);
  await page.waitForSelector('.react-flow__node');
  expect(await totalParams(page)).toBe('10,451');
  await page.getByRole('button', { name: 'Bring back my network' }).click();
  await expect.poll(() => totalParams(page)).toBe(mine);
  await screenshot(page, 'share-link-beside-work');
});

test('an illegal connection is refused with its reason', async () => {
  await openExample(page, 'alexnet');
  // AlexNet opens readable on its top layers; everything in view, so pool5 and fc8 can be wired too.
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await page.waitForTimeout(400);
  const before = await edgeCount(page);
  await connectHandles(page, 'conv2', 'conv1');
  await expect.poll(() => page.getByTestId('notice').innerText()).toMatch(/Connection refused: conv1's input in0 is already connected/);
  expect(await edgeCount(page)).toBe(before);

  // A cycle through a merge layer's free port.
  const add = await dragFromPalette(page, 'Add', 480, 300);
  await connectHandles(page, 'pool5', add, 'in0');
  await expect.poll(() => edgeCount(page)).toBe(before + 1);
  const flat = await page.locator('.react-flow__node[data-id="flatten"]').boundingBox();
  expect(flat).not.toBeNull();
  await connectHandles(page, 'fc8', add, 'in1');
  await expect.poll(() => edgeCount(page)).toBe(before + 2);
  await connectHandles(page, add, 'conv2', 'in0');
  await expect.poll(() => page.getByTestId('notice').innerText()).toMatch(/Connection refused: .*(already connected|cycle)/);
  expect(await edgeCount(page)).toBe(before + 2);
  await screenshot(page, 'illegal-connection');
});

test('a hostile name renders as text and runs nothing; a malformed file leaves the graph untouched', async () => {
  const hostile = '<img src=x onerror=alert(1)>';
  const doc = {
    format: 'netloom.graph', version: 1, name: 'hostile', title: hostile, description: hostile,
    nodes: [
      { id: 'in', kind: 'Input', name: hostile, params: { shape: [4] }, position: { x: 0, y: 0 } },
      { id: 'd', kind: 'Dense', name: 'dense', params: { units: 2, activation: 'linear', useBias: true }, position: { x: 0, y: 120 } },
    ],
    edges: [{ id: 'e1', source: 'in', target: 'd', targetPort: 'in0' }],
  };
  await page.setInputFiles('input[type=file]', { name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await page.waitForSelector('.react-flow__node[data-id="in"]');
  expect(await page.locator('.react-flow__node[data-id="in"] .layer-name').innerText()).toBe(hostile);
  expect(await page.locator('.doc-title').innerText()).toContain(hostile);
  expect(await page.locator('.graph-title').innerText()).toBe(hostile);
  expect(await page.locator('.graph-description').innerText()).toBe(hostile);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await totalParams(page)).toBe('10');

  await page.setInputFiles('input[type=file]', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "netloom.graph", "version": 1, "nodes": [') });
  await expect.poll(() => page.getByTestId('notice').innerText()).toMatch(/Could not open broken\.json: .*not valid JSON.*unchanged/);
  expect(await totalParams(page)).toBe('10');
  expect(await nodeIds(page)).toEqual(['in', 'd']);

  // A damaged link, typed into this tab: a message, and the graph stays.
  await page.evaluate(() => { location.hash = '#g=not-a-real-link'; });
  await expect.poll(() => page.getByTestId('notice').innerText()).toMatch(/Could not open the shared link: its data is damaged.*unchanged/);
  expect(await totalParams(page)).toBe('10');
  await page.waitForTimeout(300);
  expect(seen.dialogs).toEqual([]);
  expect(seen.errors).toEqual([]);
  await screenshot(page, 'hostile-name');
});

test('palette search and Enter, duplicate, auto-layout loaded on demand, drop a file, and the shortcut list', async () => {
  await page.getByRole('searchbox', { name: 'Search layers' }).fill('lstm');
  // The exact name first, then the names that contain it (the convolutional LSTMs).
  expect(await page.locator('.palette-item').allInnerTexts()).toEqual(['LSTM', 'ConvLSTM1D', 'ConvLSTM2D', 'ConvLSTM3D']);
  await page.keyboard.press('Enter');
  await expect.poll(() => nodeIds(page)).toEqual(['lstm']);

  await page.locator('.react-flow__node[data-id="lstm"]').click();
  await page.keyboard.press('Control+d');
  await expect.poll(() => nodeIds(page)).toEqual(['lstm', 'lstm_1']);

  // The layout worker (which loads elkjs inside it) is fetched only now; the two unconnected layers end up side by side.
  const elkLoaded = () => page.evaluate(() => performance.getEntriesByType('resource').some((r) => r.name.includes('elkjs') || r.name.includes('layout.worker')));
  expect(await elkLoaded()).toBe(false);
  await page.getByRole('button', { name: 'Layout', exact: true }).click();
  await expect.poll(elkLoaded, { timeout: 20_000 }).toBe(true);
  // The duplicate sat 40 px right of and below its original; laid out, the two line up in a row or a column.
  const box = async (id: string) => (await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())!;
  await expect.poll(async () => {
    const [a, b] = [await box('lstm'), await box('lstm_1')];
    return Math.round(a.x) === Math.round(b.x) || Math.round(a.y) === Math.round(b.y);
  }, { timeout: 20_000 }).toBe(true);

  // Dropping a graph file on the canvas opens it.
  const text = JSON.stringify({
    format: 'netloom.graph', version: 1, name: 'dropped',
    nodes: [{ id: 'x', kind: 'Input', name: 'x', params: { shape: [8] } }, { id: 'y', kind: 'Dense', name: 'y', params: { units: 4 } }],
    edges: [{ id: 'e1', source: 'x', target: 'y', targetPort: 'in0' }],
  });
  const dt = await page.evaluateHandle((t) => {
    const d = new DataTransfer();
    d.items.add(new File([t], 'dropped.json', { type: 'application/json' }));
    return d;
  }, text);
  await page.dispatchEvent('.react-flow__pane', 'drop', { dataTransfer: dt });
  await expect.poll(() => totalParams(page)).toBe('36');
  expect(await page.getByTestId('notice').innerText()).toMatch(/Opened dropped\.json\. Your unsaved network is kept/);

  await focusCanvas(page);
  await page.keyboard.press('?');
  expect(await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).innerText()).toContain('Undo');
  await screenshot(page, 'palette-layout-shortcuts');
  await page.keyboard.press('Escape');
  expect(await page.getByRole('dialog').count()).toBe(0);
  expect(seen.errors).toEqual([]);
});

test('a block use is one node with its subtotal; repeating it updates every count', async () => {
  await openExample(page, 'resnet50');
  expect(await totalParams(page)).toBe('25,636,712');
  const node = page.locator('.react-flow__node[data-id="conv4_block"]');
  expect(await node.locator('.layer-kind').innerText()).toBe('bottleneck ×5');
  // Five identical bottlenecks on 1,024 channels with 256 filters, 1,121,792 parameters each.
  expect(await nodeParams(page, 'conv4_block')).toBe('5,608,960');
  // Like a collapsed group, it says what goes in beside what comes out: the identity bottlenecks keep 14×14×1,024.
  expect(await node.getByTestId('block-in-conv4_block').innerText()).toBe('in (None, 14, 14, 1024)');
  expect(await node.locator('.layer-shape').innerText()).toBe('(None, 14, 14, 1024)');
  await node.click();
  await page.locator('.inspector [data-field="repeat"] input').fill('6');
  await expect.poll(() => nodeParams(page, 'conv4_block')).toBe('6,730,752');
  expect(await totalParams(page)).toBe('26,758,504');
  expect(await page.locator('.palette-item[data-kind="block:bottleneck"]').count()).toBe(1);
  await screenshot(page, 'resnet50-blocks');
});

test('copy in one tab and paste in another, as graph JSON through the clipboard', async () => {
  await openExample(page, 'alexnet');
  await page.locator('.react-flow__node[data-id="conv1"]').click();
  await page.locator('.react-flow__node[data-id="pool1"]').click({ modifiers: ['Shift'] });
  await expect.poll(() => page.locator('.react-flow__node.selected').count()).toBe(2);
  await page.keyboard.press('Control+c');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(JSON.parse(copied).nodes.map((n: { id: string }) => n.id)).toEqual(['conv1', 'pool1']);

  const other = await context.newPage();
  await openEditor(other, session.app().url);
  await focusCanvas(other);
  await other.keyboard.press('Control+v');
  await expect.poll(() => nodeIds(other)).toEqual(['conv1', 'pool1']);
  expect(await other.locator('.react-flow__edge').count()).toBe(1);
  // Pasted without its input, conv1 says what it needs; pool1 waits for it.
  expect(await other.locator('.react-flow__node[data-id="conv1"] .layer-error').innerText()).toMatch(/no input on port in0; connect a layer/);
  expect(await other.locator('.react-flow__node[data-id="pool1"] .layer-blocked').getAttribute('title')).toBe('blocked by conv1');
  await screenshot(other, 'paste-other-tab');
});
