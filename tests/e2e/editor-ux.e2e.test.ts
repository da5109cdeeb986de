/**
 * The editor as a new user meets it: searching the palette, adding layers
 * with the keyboard, errors on nodes, the side panel, the chart, overlays and
 * notices. Real mouse and keyboard in Chromium; each test saves a screenshot.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { appSession, editorEachTest, screenshot, watchPage } from './support/harness.ts';
import { connectHandles, edgeCount, focusCanvas, nodeIds, openExample, settle } from './support/editor-page.ts';

let context: BrowserContext;
let page: Page;
let seen: ReturnType<typeof watchPage>;

const session = appSession({ webgpu: false });
editorEachTest(session, (tab) => ({ context, page, seen } = tab));

const search = () => page.getByRole('searchbox', { name: 'Search layers' });
const kindOf = (id: string) => page.locator(`.react-flow__node[data-id="${id}"] .layer-node`).getAttribute('data-kind');
/** Clicks an empty corner of the canvas, which clears the selection. */
async function deselect() {
  const box = (await page.locator('.react-flow__pane').boundingBox())!;
  await page.mouse.click(box.x + box.width - 30, box.y + 30);
  await expect.poll(() => page.locator('.react-flow__node.selected').count()).toBe(0);
}
const boxOf = async (id: string) => (await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())!;

/** Types `q` into the palette search and presses Enter; returns the id of the layer it added. */
async function searchAndAdd(q: string): Promise<string> {
  const before = await nodeIds(page);
  await search().click();
  await search().fill('');
  await page.keyboard.type(q);
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await nodeIds(page)).length).toBe(before.length + 1);
  return (await nodeIds(page)).find((x) => !before.includes(x))!;
}

test('palette search: Enter adds the exact match, arrows move the highlighted choice', async () => {
  expect(await kindOf(await searchAndAdd('dense'))).toBe('Dense');
  expect(await kindOf(await searchAndAdd('add'))).toBe('Add');
  expect(await kindOf(await searchAndAdd('conv2d'))).toBe('Conv2D');

  await search().fill('');
  await search().click();
  await page.keyboard.type('pool');
  const names = await page.locator('#palette-matches .palette-item').allInnerTexts();
  // Word prefixes (MaxPooling1D, …) before the description matches; shorter names first.
  expect(names[0]).toBe('MaxPooling1D');
  expect(await page.locator('.palette-item.active').innerText()).toBe('MaxPooling1D');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  expect(await page.locator('.palette-item.active').innerText()).toBe(names[2]);
  await page.keyboard.press('ArrowUp');
  expect(await page.locator('.palette-item.active').innerText()).toBe(names[1]);
  await screenshot(page, 'ux-palette-search');
  const before = await nodeIds(page);
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await nodeIds(page)).length).toBe(before.length + 1);
  const added = (await nodeIds(page)).find((x) => !before.includes(x))!;
  expect(await kindOf(added)).toBe(names[1]);
  expect(seen.errors).toEqual([]);
});

test('added layers go under the selected one, wired to it, never on top of another', async () => {
  const input = await searchAndAdd('input');
  const dense = await searchAndAdd('dense');
  const drop = await searchAndAdd('dropout');
  await settle(page);
  // Each new layer is selected, so three Enters build a chain.
  expect(await edgeCount(page)).toBe(2);
  const [a, b, c] = [await boxOf(input), await boxOf(dense), await boxOf(drop)];
  expect(b.y).toBeGreaterThan(a.y + a.height);
  expect(c.y).toBeGreaterThan(b.y + b.height);
  expect(Math.round(b.x)).toBe(Math.round(a.x));

  // With the input selected again, a new layer skips past the ones already under it.
  await page.locator(`.react-flow__node[data-id="${input}"]`).click();
  const dense2 = await searchAndAdd('dense');
  await settle(page);
  const boxes = await Promise.all([input, dense, drop].map(boxOf));
  const d2 = await boxOf(dense2);
  for (const o of boxes) {
    const overlap = d2.x < o.x + o.width && d2.x + d2.width > o.x && d2.y < o.y + o.height && d2.y + d2.height > o.y;
    expect(overlap).toBe(false);
  }
  expect(await edgeCount(page)).toBe(3);
  await screenshot(page, 'ux-add-below');

  // One Ctrl+Z takes back the layer and its wire together.
  await page.locator(`.react-flow__node[data-id="${dense2}"]`).click();
  await page.keyboard.press('Control+z');
  await expect.poll(() => nodeIds(page)).toEqual([input, dense, drop]);
  expect(await edgeCount(page)).toBe(2);
  expect(seen.errors).toEqual([]);
});

test('an error is a "!" chip with its message in the tooltip and the inspector; the node keeps its size', async () => {
  const a = await searchAndAdd('input');
  await deselect();
  const b = await searchAndAdd('input');
  await deselect();
  const add = await searchAndAdd('add');
  await settle(page);
  const node = page.locator(`.react-flow__node[data-id="${add}"]`);
  const chip = node.locator('.layer-error');
  const message = 'Add needs at least 2 inputs but has 0; connect a branch each to in0 and in1';
  // Said once, for both empty ports.
  expect(await chip.getAttribute('title')).toBe(message);
  expect(await chip.innerText()).toContain('!');
  expect(await page.locator('.inspector .problems').innerText()).toBe(message);
  const withError = await node.boundingBox();
  const chipBox = (await chip.boundingBox())!;
  // The chip sits on the top-right corner, clear of the output handle at the bottom.
  expect(chipBox.width).toBeLessThan(24);
  expect(chipBox.y).toBeLessThan(withError!.y + 12);
  // A layer added under it waits on it: a grey chip in the same corner, the name of the layer to fix in its tooltip.
  const dense = await searchAndAdd('dense');
  await settle(page);
  const waiting = page.locator(`.react-flow__node[data-id="${dense}"]`);
  const addName = await node.locator('.layer-name').innerText();
  await expect.poll(() => waiting.locator('.layer-blocked').getAttribute('title')).toBe(`blocked by ${addName}`);
  const blockedSize = (await waiting.boundingBox())!;
  await screenshot(page, 'ux-error-chip');
  await chip.hover();

  await connectHandles(page, a, add, 'in0');
  await connectHandles(page, b, add, 'in1');
  await expect.poll(() => node.locator('.layer-error').count()).toBe(0);
  const fixed = await node.boundingBox();
  expect(fixed!.height).toBe(withError!.height);
  expect(fixed!.width).toBe(withError!.width);
  await expect.poll(() => waiting.locator('.layer-blocked').count()).toBe(0);
  const unblocked = (await waiting.boundingBox())!;
  expect([unblocked.width, unblocked.height]).toEqual([blockedSize.width, blockedSize.height]);
  await screenshot(page, 'ux-error-fixed');
  expect(seen.errors).toEqual([]);
});

test('the side panel resizes by its edge (mouse or keys) and remembers its width; the table keeps name and Param # in view', async () => {
  await openExample(page, 'mobilenetv2');
  const side = page.locator('aside.side');
  const before = (await side.boundingBox())!;
  expect(Math.round(before.width)).toBe(540);
  const edge = (await page.getByTestId('side-resizer').boundingBox())!;
  await page.mouse.move(edge.x + 3, edge.y + 300);
  await page.mouse.down();
  await page.mouse.move(edge.x - 197, edge.y + 300, { steps: 10 });
  await page.mouse.up();
  await expect.poll(async () => Math.round((await side.boundingBox())!.width)).toBe(740);
  // Keyboard: ← widens, → narrows, by 20 px.
  await page.getByTestId('side-resizer').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => Math.round((await side.boundingBox())!.width)).toBe(700);
  expect(await page.getByTestId('side-resizer').getAttribute('aria-valuenow')).toBe('700');
  await page.reload();
  await page.waitForSelector('.react-flow__pane');
  expect(Math.round((await page.locator('aside.side').boundingBox())!.width)).toBe(700);

  // Back to a narrow panel: the table scrolls sideways, name and Param # stay where they are.
  await page.getByTestId('side-resizer').focus();
  await page.keyboard.press('Home');
  await expect.poll(async () => Math.round((await page.locator('aside.side').boundingBox())!.width)).toBe(320);
  await openExample(page, 'mobilenetv2');
  const row = page.locator('tr[data-row="global_average_pooling2d"]');
  await row.scrollIntoViewIfNeeded();
  const name = row.locator('th.layer-cell');
  expect(await name.getAttribute('title')).toBe('global_average_pooling2d (GlobalAveragePooling2D)');
  // Ellipsized: the text is wider than its cell.
  expect(await name.locator('.layer-cell-text').evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
  const params = row.locator('td[data-col="params"]');
  const share = row.locator('td[data-col="cost"]');
  const [n0, p0] = [(await name.boundingBox())!, (await params.boundingBox())!];
  await page.locator('.table-wrap').evaluate((e) => { e.scrollLeft = e.scrollWidth; });
  await page.waitForTimeout(100);
  const [n1, p1, s1] = [(await name.boundingBox())!, (await params.boundingBox())!, (await share.boundingBox())!];
  expect(n1.x).toBe(n0.x);
  expect(Math.abs(p1.x - p0.x)).toBeLessThan(200);
  expect(p1.x).toBeGreaterThanOrEqual(n1.x + n1.width - 1);
  // The last column (multiply-adds) came into view right of the sticky ones.
  expect(s1.x).toBeGreaterThan(p1.x);
  const wrap = (await page.locator('.table-wrap').boundingBox())!;
  expect(s1.x + s1.width).toBeLessThanOrEqual(wrap.x + wrap.width + 1);
  await screenshot(page, 'ux-side-narrow-table');
  expect(seen.errors).toEqual([]);
});

test('the ResNet-50 parameter chart is six stage bars, with a log scale', async () => {
  await openExample(page, 'resnet50');
  const chart = page.getByTestId('param-chart');
  await chart.scrollIntoViewIfNeeded();
  expect(await chart.getAttribute('data-grouped')).toBe('true');
  expect(await chart.locator('.chart-row').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-bar')))).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'predictions']);
  const height = (await chart.locator('svg').boundingBox())!.height;
  expect(height).toBeLessThan(120);
  const width = (name: string) => chart.locator(`[data-bar="${name}"] rect`).evaluate((r) => Number(r.getAttribute('width')));
  const linear = await width('conv1');
  await screenshot(page, 'ux-chart-stages');
  await chart.getByTestId('chart-log').check();
  // 9,728 against conv4's 7,129,088: about 1 px on a linear scale, more than half the length on a log one.
  expect(linear).toBeLessThan(2);
  expect(await width('conv1')).toBeGreaterThan((await width('conv4')) / 2);
  await chart.locator('[data-bar="conv4"]').click();
  await expect.poll(() => page.locator('.react-flow__node.selected').count()).toBeGreaterThan(1);
  await screenshot(page, 'ux-chart-log');
  await chart.getByTestId('chart-group').uncheck();
  expect(await chart.locator('.chart-row').count()).toBe(20);
  expect(seen.errors).toEqual([]);
});

test('the overlay colours layers by parameters, multiply-adds, activation memory or share, with a legend and a log scale', async () => {
  await openExample(page, 'alexnet');
  const tint = (id: string) => page.locator(`.react-flow__node[data-id="${id}"] .layer-node`).getAttribute('data-tint');
  expect(await tint('fc6')).toBeNull();
  await page.getByRole('combobox', { name: 'Colour the layers by' }).selectOption('params');
  // fc6 holds the most parameters: the dark end; a pooling layer has none and no tint.
  await expect.poll(() => tint('fc6')).toBe('#fd8d3c');
  expect(await tint('pool1')).toBeNull();
  const legend = page.getByTestId('overlay-legend');
  expect(await legend.innerText()).toContain('37,752,832');
  const logConv1 = await tint('conv1');
  await page.getByRole('checkbox', { name: 'log', exact: true }).uncheck();
  // conv1's 34,944 is 0.09% of fc6's 37,752,832 on a linear scale: the light end, #ffffcc to the byte.
  await expect.poll(() => tint('conv1')).not.toBe(logConv1);
  expect(await tint('conv1')).toBe('#ffffcc');
  await screenshot(page, 'ux-overlay-params-linear');
  await page.getByRole('checkbox', { name: 'log', exact: true }).check();
  await page.getByRole('combobox', { name: 'Colour the layers by' }).selectOption('macs');
  await expect.poll(() => legend.innerText()).not.toContain('37,752,832');
  // By multiply-adds a convolution is the darkest, not fc6.
  const tints = await Promise.all(['conv1', 'conv2', 'conv3', 'conv4', 'conv5'].map(tint));
  expect(tints).toContain('#fd8d3c');
  expect(await tint('fc6')).not.toBe('#fd8d3c');
  await screenshot(page, 'ux-overlay-macs');
  // Activation memory: conv1's output, 55·55·96 fp32 values, is the largest tensor (larger than the 227·227·3 input).
  await page.getByRole('combobox', { name: 'Colour the layers by' }).selectOption('memory');
  await expect.poll(() => tint('conv1')).toBe('#fd8d3c');
  expect(await legend.innerText()).toMatch(/MB/);
  expect(await tint('fc6')).not.toBe('#fd8d3c');
  await screenshot(page, 'ux-overlay-memory');
  // Share of the parameters: fc6 again holds the most, and the legend speaks in percent.
  await page.getByRole('combobox', { name: 'Colour the layers by' }).selectOption('share');
  await expect.poll(() => tint('fc6')).toBe('#fd8d3c');
  expect(await legend.innerText()).toMatch(/%/);
  expect(await tint('pool1')).toBeNull();
  await screenshot(page, 'ux-overlay-share');
  expect(seen.errors).toEqual([]);
});

test('a notice floats over the canvas without moving it, fades after a few seconds; an error stays until dismissed', async () => {
  const workspaceTop = async () => (await page.locator('.workspace').boundingBox())!.y;
  const top = await workspaceTop();
  await openExample(page, 'alexnet');
  const notice = page.getByTestId('notice');
  expect(await notice.innerText()).toContain('Opened alexnet.json.');
  expect(await workspaceTop()).toBe(top);
  // It covers the canvas, not the palette or the side panel.
  const [n, canvas] = [(await notice.boundingBox())!, (await page.getByTestId('canvas').boundingBox())!];
  expect(n.x).toBeGreaterThanOrEqual(canvas.x);
  expect(n.x + n.width).toBeLessThanOrEqual(canvas.x + canvas.width);
  await screenshot(page, 'ux-notice-overlay');
  // It waits while the pointer rests on it (the Examples menu left it there), and fades once it leaves.
  await page.mouse.move(700, 600);
  await expect.poll(() => notice.count(), { timeout: 12_000 }).toBe(0);

  // A refused connection is an error: it stays. AlexNet opens on its top at a readable zoom: Fit brings fc8 into view.
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await settle(page);
  await connectHandles(page, 'fc8', 'conv2', 'in0');
  await expect.poll(() => notice.count()).toBe(1);
  expect(await notice.innerText()).toMatch(/Connection refused/);
  expect(await workspaceTop()).toBe(top);
  await page.waitForTimeout(7_000);
  expect(await notice.count()).toBe(1);
  await screenshot(page, 'ux-notice-error');
  // The files bar's menus open over a notice, not under it.
  await page.getByRole('button', { name: 'Examples ▾' }).click();
  const item = page.locator('[data-example="lenet5"]');
  await item.waitFor();
  const b = (await item.boundingBox())!;
  expect(await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('[data-example]')?.getAttribute('data-example') ?? null, [b.x + b.width / 2, b.y + b.height / 2])).toBe('lenet5');
  await page.getByRole('button', { name: 'Examples ▾' }).click();
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  expect(await notice.count()).toBe(0);
  expect(seen.errors).toEqual([]);
});

test('a problem in the list selects and centres its layer', async () => {
  await openExample(page, 'alexnet');
  await deselect();
  // Nothing selected: the new Dense goes under the lowest layer, unwired, so it has a problem.
  const dense = await searchAndAdd('dense');
  // The new layer was brought into view; the table takes the view back to conv1 at the top.
  await page.locator('tr[data-row="conv1"]').click();
  await expect.poll(() => page.locator('.react-flow__node.selected').getAttribute('data-id')).toBe('conv1');
  await settle(page);
  const problem = page.locator(`.problems-section [data-problem="${dense}"]`);
  await problem.scrollIntoViewIfNeeded();
  expect(await problem.innerText()).toContain('has no input on port in0');
  await problem.click();
  await expect.poll(() => page.locator('.react-flow__node.selected').getAttribute('data-id')).toBe(dense);
  await settle(page);
  // Centred: the node's middle is near the canvas's middle.
  const [n, c] = [await boxOf(dense), (await page.getByTestId('canvas').boundingBox())!];
  expect(Math.abs(n.y + n.height / 2 - (c.y + c.height / 2))).toBeLessThan(60);
  await screenshot(page, 'ux-problem-click');
  expect(seen.errors).toEqual([]);
});

test('Examples are grouped by family with their totals; a file over the canvas lights the drop zone; an unnamed import takes the file name', async () => {
  await page.getByRole('button', { name: 'Examples ▾' }).click();
  const families = page.locator('.examples-menu [data-family]');
  await expect.poll(() => families.count()).toBeGreaterThan(3);
  const names = await families.evaluateAll((els) => els.map((e) => e.getAttribute('data-family')));
  expect(names.slice(0, 2)).toEqual(['Classic CNNs', 'ResNets, DenseNets and ConvNeXt']);
  expect(names).toContain('Recurrent and Jena weather');
  const resnets = await page.locator('[data-family="ResNets, DenseNets and ConvNeXt"] [data-example]').evaluateAll((els) => els.map((e) => e.getAttribute('data-example')));
  expect(resnets).toContain('resnet50');
  expect(resnets).toContain('densenet121');
  expect(await page.locator('[data-example="resnet50"] .menu-aside').innerText()).toMatch(/^25,636,712 params/);
  expect(await page.locator('[data-example="lenet5"] .menu-aside').innerText()).toMatch(/^61,706 params/);
  await screenshot(page, 'ux-examples-families');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Examples ▾' }).click();

  // A Keras model Keras called model_1, dropped as my-resnet.json.
  const { readFileSync } = await import('node:fs');
  const doc = JSON.parse(readFileSync('tests/interop/fixtures/reference/ts-resnet50.json', 'utf8'));
  delete doc.weightsManifest;
  const dt = await page.evaluateHandle((t) => {
    const d = new DataTransfer();
    d.items.add(new File([t], 'my-resnet.json', { type: 'application/json' }));
    return d;
  }, JSON.stringify(doc));
  await page.dispatchEvent('[data-testid="canvas"]', 'dragover', { dataTransfer: dt });
  await expect.poll(() => page.getByTestId('canvas').getAttribute('class')).toContain('file-over');
  await screenshot(page, 'ux-drop-zone');
  await page.dispatchEvent('.react-flow__pane', 'drop', { dataTransfer: dt });
  await expect.poll(() => page.getByTestId('total-params').innerText(), { timeout: 20_000 }).toBe('25,636,712');
  expect(await page.getByTestId('canvas').getAttribute('class')).not.toContain('file-over');
  expect(await page.locator('.graph-title').innerText()).toBe('my-resnet');
  expect(seen.errors).toEqual([]);
});

test('an edge is moved to another layer by dragging its end, and Ctrl+Z puts it back', async () => {
  const input = await searchAndAdd('input');
  const a = await searchAndAdd('dense');
  await deselect();
  const b = await searchAndAdd('dropout');
  // Dropout went under the lowest layer, unwired; move it to the right of Dense so both ends are apart.
  await settle(page);
  const edgeEnd = (await page.locator('.react-flow__edgeupdater-target').first().boundingBox())!;
  const to = (await page.locator(`.react-flow__node[data-id="${b}"] .react-flow__handle[data-handleid="in0"]`).boundingBox())!;
  await page.mouse.move(edgeEnd.x + edgeEnd.width / 2, edgeEnd.y + edgeEnd.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 15 });
  await page.mouse.up();
  await expect.poll(() => page.locator(`.react-flow__edge[data-id]`).count()).toBe(1);
  await expect.poll(() => page.locator(`.react-flow__node[data-id="${b}"] .layer-error`).count()).toBe(0);
  expect(await page.locator(`.react-flow__node[data-id="${a}"] .layer-error`).count()).toBe(1);
  await screenshot(page, 'ux-reconnect');
  await focusCanvas(page);
  await page.keyboard.press('Control+z');
  await expect.poll(() => page.locator(`.react-flow__node[data-id="${a}"] .layer-error`).count()).toBe(0);
  expect(await page.locator(`.react-flow__node[data-id="${b}"] .layer-error`).count()).toBe(1);
  expect(input).toBe('input');
  expect(seen.errors).toEqual([]);
});

/** Window(14 → 1) → GRU(4) → Dense(1): a small series model to train. */
const SERIES_GRAPH = {
  format: 'netloom.graph', version: 2, name: 'small-gru', title: 'Small GRU',
  nodes: [
    { id: 'window', kind: 'Window', name: 'window', params: { nSteps: 14, horizon: 1, stride: 1, features: 1 }, position: { x: 0, y: 0 } },
    { id: 'gru', kind: 'GRU', name: 'gru', params: { units: 4, returnSequences: false, resetAfter: false }, position: { x: 0, y: 120 } },
    { id: 'out', kind: 'Dense', name: 'out', params: { units: 1, activation: 'linear' }, position: { x: 0, y: 240 } },
  ],
  edges: [{ id: 'e1', source: 'window', target: 'gru', targetPort: 'in0' }, { id: 'e2', source: 'gru', target: 'out', targetPort: 'in0' }],
};
const liveTensors = () => page.evaluate(() => (window as { __netloom?: { memory?: () => { numTensors: number } | null } }).__netloom?.memory?.()?.numTensors ?? null);

test('Data & train: the Window\'s nSteps is edited in the tab, a clicked Window shows its inspector there, and File → New frees the trained model', async () => {
  await page.setInputFiles('input[type=file]', { name: 'small-gru.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(SERIES_GRAPH)) });
  await page.waitForSelector('.react-flow__node[data-id="gru"]');
  await settle(page);
  await page.getByRole('tab', { name: /Data & train/ }).click();
  await page.getByTestId('data-summary').waitFor({ timeout: 60_000 });
  const settings = page.getByTestId('window-settings');
  expect(await settings.innerText()).toMatch(/nSteps 14 · horizon 1/);
  const count14 = await page.getByTestId('window-count').innerText();
  await page.getByRole('spinbutton', { name: 'Window nSteps' }).fill('7');
  await page.keyboard.press('Enter');
  await expect.poll(() => settings.innerText()).toMatch(/nSteps 7 · horizon 1/);
  // Seven more samples from the same rows (n − 7 − 1 + 1 against n − 14 − 1 + 1).
  const n = (t: string) => Number(t.replace(/,/g, ''));
  expect(n(await page.getByTestId('window-count').innerText())).toBe(n(count14) + 7);

  await page.locator('.react-flow__node[data-id="window"]').click();
  const inspector = page.getByTestId('train-inspector');
  await inspector.waitFor();
  expect(await inspector.locator('h2').innerText()).toMatch(/^Window/);
  expect(await inspector.locator('[data-field="nSteps"] input').inputValue()).toBe('7');
  await screenshot(page, 'ux-train-window');
  await focusCanvas(page);

  const baseline = (await liveTensors()) ?? 0;
  await page.fill('[data-setting=epochs]', '1');
  await page.fill('[data-setting=batchSize]', '512');
  await page.getByTestId('train-button').click();
  await expect.poll(() => page.getByTestId('export-button').isEnabled(), { timeout: 90_000 }).toBe(true);
  const trained = (await liveTensors())!;
  // At least the five weights: GRU kernel, recurrent kernel and bias, Dense kernel and bias.
  expect(trained).toBeGreaterThanOrEqual(baseline + 5);
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect.poll(() => liveTensors()).toBeLessThanOrEqual(trained - 5);
  const after = (await liveTensors())!;
  expect(after).toBeLessThanOrEqual(baseline);
  expect(await page.getByTestId('export-button').count() ? await page.getByTestId('export-button').isEnabled() : false).toBe(false);
  expect(seen.errors).toEqual([]);
});
