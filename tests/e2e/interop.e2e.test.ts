/**
 * Keras and TF.js files in the editor: import through the file picker and by
 * dropping on the canvas, the Export menu's downloads, refusals that name the
 * layer, and editing the title and description. Each test saves a screenshot.
 */
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Download, Page } from 'playwright-core';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { appSession, screenshot, watchPage } from './support/harness.ts';
import { dragFromPalette, nodeIds, openEditor, openExample, settle, totalParams } from './support/editor-page.ts';

const FIXTURES = 'tests/interop/fixtures';

let context: BrowserContext;
let page: Page;
let seen: ReturnType<typeof watchPage>;

const session = appSession({ webgpu: false });
beforeEach(async () => {
  context = await session.browser().newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  seen = watchPage(page);
  await openEditor(page, session.app().url);
});
afterEach(async () => {
  expect(seen.errors).toEqual([]);
  expect(seen.dialogs).toEqual([]);
  await context?.close();
});

const notice = () => page.getByTestId('notice').locator('span').first().innerText();
const total = () => totalParams(page);

/** Picks Export ▾ → `format` and returns the download with its bytes. */
async function exportAs(format: string): Promise<{ download: Download; bytes: Buffer }> {
  await page.getByRole('button', { name: 'Export ▾' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`[data-export="${format}"]`).click(),
  ]);
  const path = await download.path();
  return { download, bytes: await readFile(path) };
}

/** Drops a file on the canvas the way a desktop drag does. */
async function dropFile(name: string, text: string): Promise<void> {
  const dt = await page.evaluateHandle(([n, t]) => {
    const d = new DataTransfer();
    d.items.add(new File([t], n, { type: 'application/json' }));
    return d;
  }, [name, text] as const);
  await page.dispatchEvent('.react-flow__pane', 'drop', { dataTransfer: dt });
}

test('Open… imports the TF.js ResNet-50 model.json and the totals read 25,636,712', async () => {
  const started = Date.now();
  await page.setInputFiles('input[type=file]', `${FIXTURES}/reference/ts-resnet50.json`);
  await expect.poll(total, { timeout: 20_000 }).toBe('25,636,712');
  const ms = Date.now() - started;
  await settle(page);
  await screenshot(page, 'interop-import-resnet50');
  console.log(`ts-resnet50.json (107 KB, 177 layers): picked → total shown in ${ms} ms`);
  expect(await notice()).toBe('Imported ts-resnet50.json (TF.js model.json, 177 layers).');
  // It opens grouped (engine/grouping.ts): the stem's 6 layers and the 3 after the last block drawn, the other 168 in 16 collapsed block boxes.
  await expect.poll(() => page.locator('.react-flow__node-groupBox').count()).toBe(16);
  expect(await page.locator('.react-flow__node-layer').count()).toBe(9);
  expect(await page.locator('tr[data-row="fc1000"] td:nth-of-type(3)').innerText()).toBe('2,049,000');
  // The imported model is an undoable step: the empty network comes back.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => page.locator('.react-flow__node').count()).toBe(0);
});

test('dropping a Keras model.to_json() file on the canvas imports it beside unsaved work; notes show', async () => {
  await dragFromPalette(page, 'Input', 380, 120);
  const mine = await nodeIds(page);
  await dropFile('keras3-functional.json', await readFile(`${FIXTURES}/keras3-functional.json`, 'utf8'));
  await expect.poll(notice).toMatch(/^Imported keras3-functional\.json \(Keras JSON, 7 layers\)\. Your unsaved network is kept/);
  // 3·3·3·16 + 16 = 448; two 3·3·16·16 + 16 = 2,320; Dense 16·10 + 10 = 170.
  await expect.poll(total).toBe('5,258');
  await settle(page);
  await screenshot(page, 'interop-drop-keras');
  expect(await nodeIds(page)).not.toEqual(mine);

  // A channels-first model: what the import changed is said in the notice, once per kind of change.
  await dropFile('dcgan.json', await readFile(`${FIXTURES}/reference/ml5-dcgan-face.json`, 'utf8'));
  await expect.poll(notice).toMatch(/Import notes: reshape_2: shape \[512,4,4\] \(channels-first\) imported as \[4,4,512\]/);
  expect(await notice()).toMatch(/4 layers \(conv2d_transpose_5, .*\): data_format channels_first imported as channels_last/);
  await expect.poll(total).toBe('3,847,363');
  await screenshot(page, 'interop-drop-notes');

  // Something that is no model: a clear message, and the graph stays.
  await dropFile('notes.json', '{"hello": "world"}');
  await expect.poll(notice).toMatch(/^Could not open notes\.json: .*Your network is unchanged\.$/);
  await dropFile('weights.h5', '\x89HDF');
  await expect.poll(notice).toMatch(/^Could not open weights\.h5: it is a Keras weights file; .*model\.to_json\(\).*Your network is unchanged\.$/);
  expect(await total()).toBe('3,847,363');
});

test('Export menu: Keras Python (distributed training script), TF.js model.json and JavaScript, SVG and PNG, named after the graph', async () => {
  await openExample(page, 'jena-gru');
  await page.getByRole('button', { name: 'Export ▾' }).click();
  await page.getByTestId('export-distribute').check();
  await screenshot(page, 'interop-export-menu');
  await page.getByRole('button', { name: 'Export ▾' }).click();

  const py = await exportAs('python');
  expect(py.download.suggestedFilename()).toBe('jena-gru.py');
  const script = py.bytes.toString('utf8');
  expect(script).toContain('keras.Model(');
  expect(script).toContain('model.summary()');
  expect(script).toContain('tf.distribute.MirroredStrategy()');
  expect(script).toContain('keras.distribution.DataParallel');
  expect(script).toMatch(/\.fit\(/);
  expect(script).toContain('layers.GRU(units=32');

  const tfjs = await exportAs('tfjs');
  expect(tfjs.download.suggestedFilename()).toBe('jena-gru.model.json');
  const modelJson = JSON.parse(tfjs.bytes.toString('utf8'));
  expect(modelJson.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(['InputLayer', 'GRU', 'Dense']);

  const js = await exportAs('javascript');
  expect(js.download.suggestedFilename()).toBe('jena-gru.js');
  expect(js.bytes.toString('utf8')).toContain('tf.layers.gru({units: 32');

  const svg = await exportAs('svg');
  expect(svg.download.suggestedFilename()).toBe('jena-gru.svg');
  expect(svg.bytes.toString('utf8')).toMatch(/^<svg /);
  expect(svg.bytes.toString('utf8')).toContain('4,512');

  const png = await exportAs('png');
  expect(png.download.suggestedFilename()).toBe('jena-gru.png');
  expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.bytes.length).toBeGreaterThan(1000);

  await expect.poll(notice).toBe('Exported jena-gru.png.');
  await screenshot(page, 'interop-exported');
});

test('exporting a graph with a problem names the layer; netloom JSON still saves it', async () => {
  const graph = {
    format: 'netloom.graph', version: 2, name: 'too-small', title: 'Kernel larger than its input',
    nodes: [
      { id: 'img', kind: 'Input', name: 'img', params: { shape: [3, 3, 1] }, position: { x: 0, y: 0 } },
      { id: 'conv_big', kind: 'Conv2D', name: 'conv_big', params: { filters: 4, kernelSize: [5, 5] }, position: { x: 0, y: 120 } },
    ],
    edges: [{ id: 'e1', source: 'img', target: 'conv_big', targetPort: 'in0' }],
  };
  await page.setInputFiles('input[type=file]', { name: 'too-small.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(graph)) });
  await expect.poll(notice).toBe('Opened too-small.json.');

  for (const format of ['python', 'tfjs', 'javascript']) {
    await page.getByRole('button', { name: 'Export ▾' }).click();
    await page.locator(`[data-export="${format}"]`).click();
    await expect.poll(notice).toMatch(/^Cannot export .*: conv_big: .*kernel.*netloom JSON saves the graph as it is\.$/);
    expect(await page.getByTestId('notice').getAttribute('role')).toBe('alert');
    await page.getByTestId('notice').getByRole('button', { name: 'Dismiss' }).click();
  }
  await page.getByRole('button', { name: 'Export ▾' }).click();
  await page.locator('[data-export="python"]').click();
  await expect.poll(notice).toMatch(/Cannot export Keras Python: conv_big: /);
  await screenshot(page, 'interop-export-refused');

  const saved = await exportAs('netloom');
  expect(saved.download.suggestedFilename()).toBe('too-small.netloom.json');
  const doc = JSON.parse(saved.bytes.toString('utf8'));
  expect(doc.nodes.map((n: { id: string }) => n.id)).toEqual(['img', 'conv_big']);
  expect(doc.nodes[1].params.kernelSize).toEqual([5, 5]);
});

test('click the title to edit the title and description; markup stays text and the change is undoable', async () => {
  await openExample(page, 'lenet5');
  const hostile = '<img src=x onerror="alert(1)">LeNet, mine';
  await page.getByTestId('doc-title').click();
  await page.getByTestId('meta-title').fill(hostile);
  await page.getByTestId('meta-description').fill('Line one <b>not bold</b>\n<script>alert(2)</script>');
  await page.getByTestId('meta-name').fill('my lenet');
  await screenshot(page, 'interop-edit-title');
  await page.getByRole('button', { name: 'Apply' }).click();

  await expect.poll(() => page.getByTestId('doc-title').innerText()).toBe(`${hostile} •`);
  expect(await page.locator('.topbar img, .side img, .side b').count()).toBe(0);
  expect(await page.locator('.graph-description').innerText()).toContain('<script>alert(2)</script>');
  await screenshot(page, 'interop-title-edited');

  const saved = await exportAs('netloom');
  expect(saved.download.suggestedFilename()).toBe('my-lenet.netloom.json');
  const doc = JSON.parse(saved.bytes.toString('utf8'));
  expect(doc.title).toBe(hostile);
  expect(doc.description).toBe('Line one <b>not bold</b>\n<script>alert(2)</script>');

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => page.getByTestId('doc-title').innerText()).not.toContain('<img');
});
