/**
 * "Compare with…" in a real browser: a changed example against the example
 * itself and against the last saved version (the colours, the text badges,
 * the panel, a row selecting its node, leaving compare mode), the counting
 * conventions in the summary and the inspector (the FLOPs switch and the
 * PyTorch column), and the summary's memory to train. Each test saves
 * screenshots.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { analyze, bytesText, fmt, parseGraphText } from '../../src/engine/index.ts';
import { GB, largestBatch, trainingMemory, type MemoryOptions } from '../../src/engine/memory.ts';
import { appSession, editorEachTest, screenshot, watchPage } from './support/harness.ts';
import { connectHandles, dragFromPalette, openExample, setField, settle, totalParams } from './support/editor-page.ts';

let context: BrowserContext;
let page: Page;
let seen: ReturnType<typeof watchPage>;

const session = appSession({ webgpu: false });
editorEachTest(session, (tab) => ({ context, page, seen } = tab));

const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"] .layer-node`);
const panel = () => page.getByTestId('compare-panel');
const row = (id: string) => panel().locator(`[data-compare-row="${id}"]`);

/** Picks a cost convention in the summary's switch (again if a re-render moved it under the click). */
async function chooseCost(name: 'Multiply-adds' | 'FLOPs = 2 × MACs'): Promise<void> {
  const radio = page.getByRole('radio', { name });
  await expect.poll(async () => {
    await radio.check({ timeout: 2_000 }).catch(() => undefined);
    return radio.isChecked();
  }).toBe(true);
}

async function compareWith(item: string): Promise<void> {
  await page.getByTestId('compare-menu').click();
  await page.locator(item).click();
  await panel().waitFor();
}

test('a changed example compared with the example: coloured nodes with deltas, the panel, a row selects its node, and back', async () => {
  await openExample(page, 'lenet5');
  // A Dense(32) after the softmax: 10·32 + 32 = 352 new parameters.
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await settle(page);
  const added = await dragFromPalette(page, 'Dense', 120, 400);
  await connectHandles(page, 'dense_2', added);
  await expect.poll(() => page.locator(`.react-flow__node[data-id="${added}"] .layer-params`).innerText()).toBe('352');
  // conv2d: 5·5·1·6 + 6 = 156 → 5·5·1·8 + 8 = 208.
  await page.locator('tr[data-row="conv2d"]').click();
  await setField(page, 'filters', '8');
  await expect.poll(() => page.locator('.react-flow__node[data-id="conv2d"] .layer-params').innerText()).toBe('208');
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await settle(page);

  await compareWith('[data-compare-example="lenet5"]');
  expect(await panel().locator('h2').innerText()).toContain('lenet5.json (example)');
  await expect.poll(() => node('conv2d').getAttribute('data-compare')).toBe('changed');
  expect(await node('conv2d').locator('.layer-compare').innerText()).toMatch(/~\s*\+52 params\s*changed\s*filters 6 → 8/);
  expect(await node(added).getAttribute('data-compare')).toBe('added');
  expect(await node(added).locator('.layer-compare-delta').innerText()).toBe('+352 params');
  // Downstream of the edit: changed by the layer above, dashed, listed apart.
  expect(await node('conv2d_1').getAttribute('class')).toMatch(/cmp-changed cmp-upstream/);
  expect(await node('conv2d_1').locator('.layer-compare').innerText()).toMatch(/~\s*\+800 params\s*via inputs/);
  // Unchanged layers carry no mark.
  expect(await node('dense').getAttribute('data-compare')).toBeNull();

  expect(await page.getByTestId('compare-counts').innerText()).toMatch(/\+ 1 added\s*~ \d+ changed\s*− 0 removed/);
  expect(await row('conv2d').getAttribute('data-status')).toBe('changed');
  expect(await row('conv2d').innerText()).toMatch(/conv2d[\s\S]*\+52 params[\s\S]*filters 6 → 8/);
  expect(await row(added).getAttribute('data-status')).toBe('added');
  expect(await panel().getByTestId('compare-rows').locator('[data-compare-row]').count()).toBe(2);
  await screenshot(page, 'compare-lenet5-panel');

  await row(added).locator('button').click();
  await expect.poll(() => page.locator(`.react-flow__node[data-id="${added}"].selected`).count()).toBe(1);
  expect(await page.locator('.inspector h2').innerText()).toMatch(/^Dense/);
  await row('conv2d').locator('button').click();
  await expect.poll(() => page.locator('.react-flow__node[data-id="conv2d"].selected').count()).toBe(1);
  expect(await page.getByTestId('inspector-formula').innerText()).toBe('5·5·1·8 + 8 = 208');
  await settle(page);
  await screenshot(page, 'compare-lenet5-selected');

  // A removed layer is not on the canvas: the panel lists it and counts it.
  await page.locator('.react-flow__node[data-id="dense_1"]').click();
  await page.keyboard.press('Delete');
  await expect.poll(() => page.getByTestId('compare-removed').innerText()).toBe('− 1 removed');
  expect(await row('dense_1').getAttribute('data-status')).toBe('removed');
  expect(await row('dense_1').innerText()).toMatch(/dense_1[\s\S]*−10,164 params/);
  await screenshot(page, 'compare-lenet5-removed');

  // Leaving compare mode restores the normal canvas.
  await panel().getByTestId('compare-stop').click();
  await expect.poll(() => panel().count()).toBe(0);
  expect(await page.locator('.layer-node[data-compare]').count()).toBe(0);
  expect(await page.locator('.canvas.comparing').count()).toBe(0);
  expect(await page.locator('.layer-compare').count()).toBe(0);
  expect(seen.errors).toEqual([]);
});

test('the last saved version is the network as opened, and edits since are what compare shows', async () => {
  await openExample(page, 'lenet5');
  await page.getByTestId('compare-menu').click();
  expect(await page.locator('[data-compare="saved"]').innerText()).toMatch(/lenet5\.json, as opened at .*last saved it to a file or opened it/);
  await page.locator('[data-compare-example="alexnet"]').waitFor();
  await screenshot(page, 'compare-menu');
  await page.locator('[data-compare="saved"]').click();
  await expect.poll(() => page.getByTestId('compare-same').count()).toBe(1);

  await page.locator('tr[data-row="dense"]').click();
  await setField(page, 'units', '100');
  await expect.poll(() => node('dense').getAttribute('data-compare')).toBe('changed');
  // dense: 400·120 + 120 → 400·100 + 100 = −8,020; dense_1 sees 100 inputs instead of 120: −1,680.
  expect(await node('dense').locator('.layer-compare-delta').innerText()).toBe('−8,020 params');
  expect(await node('dense_1').locator('.layer-compare-delta').innerText()).toBe('−1,680 params');
  expect(await page.getByTestId('compare-menu').innerText()).toBe('Comparing ▾');

  // The cost in the panel follows the summary's switch.
  await chooseCost('FLOPs = 2 × MACs');
  expect(await row('dense').innerText()).toMatch(/−16,000 FLOPs/);
  await screenshot(page, 'compare-last-saved');

  // A file as the reference: the same example with a wider dense layer; a broken file compares nothing.
  const doc = JSON.parse(readFileSync('examples/lenet5.json', 'utf8')) as { nodes: { id: string; params: Record<string, unknown> }[] };
  doc.nodes.find((n) => n.id === 'dense')!.params.units = 150;
  await page.getByTestId('compare-file').setInputFiles({ name: 'wider.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect.poll(() => panel().locator('h2').innerText()).toContain('wider.json (file)');
  // dense: 400·150 + 150 → 400·100 + 100.
  await expect.poll(() => node('dense').locator('.layer-compare-delta').innerText()).toBe('−20,050 params');
  await page.getByTestId('compare-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"nodes": [') });
  await expect.poll(() => page.getByTestId('notice').innerText()).toMatch(/Could not compare with broken\.json: .*Nothing was compared/);
  expect(await panel().locator('h2').innerText()).toContain('wider.json (file)');

  // Stop comparing from the menu, too.
  await page.getByTestId('compare-menu').click();
  await page.locator('[data-compare="stop"]').click();
  await expect.poll(() => panel().count()).toBe(0);
  expect(await page.locator('.layer-node[data-compare]').count()).toBe(0);
  expect(seen.errors).toEqual([]);
});

test('a block use stands for its layers: one more copy marks the use changed with the copy\'s parameters', async () => {
  await openExample(page, 'resnet50');
  await page.locator('.react-flow__node[data-id="conv4_block"]').click();
  await page.locator('.inspector [data-field="repeat"] input').fill('6');
  await expect.poll(() => page.locator('.react-flow__node[data-id="conv4_block"] .layer-params').innerText()).toBe('6,730,752');
  await compareWith('[data-compare="saved"]');
  // One more bottleneck on 1,024 channels with 256 filters: 1,121,792 parameters.
  await expect.poll(() => node('conv4_block').getAttribute('data-compare')).toBe('changed');
  expect(await node('conv4_block').locator('.layer-compare-delta').innerText()).toBe('+1,121,792 params');
  // What changed inside is in the tooltip and the panel, so the node grows by one line only.
  expect(await node('conv4_block').locator('.layer-compare').getAttribute('title')).toBe('10 layers added');
  expect(await node('conv4_block').locator('.layer-compare-detail').count()).toBe(0);
  const inside = panel().locator('[data-compare-row^="conv4_block"]');
  expect(await inside.count()).toBeGreaterThan(0);
  expect(await inside.first().innerText()).toMatch(/in conv4_block/);
  await inside.first().locator('button').click();
  await expect.poll(() => page.locator('.react-flow__node[data-id="conv4_block"].selected').count()).toBe(1);
  await settle(page);
  await screenshot(page, 'compare-resnet50-block');
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await settle(page);
  await screenshot(page, 'compare-resnet50-fit');
  expect(seen.errors).toEqual([]);
});

test('the FLOPs switch changes the summary column, the total and the inspector; the PyTorch column shows for BatchNormalization', async () => {
  await openExample(page, 'alexnet');
  const header = page.locator('.summary-table thead th').last();
  expect(await header.innerText()).toMatch(/^Mult-adds/);
  expect(await page.getByTestId('total-cost').innerText()).toBe('1,135,256,096');
  // No layer of AlexNet counts otherwise in PyTorch: no column, the same total.
  expect(await page.locator('.summary-table th[data-col="pytorch"]').count()).toBe(0);
  expect(await page.getByTestId('total-pytorch').innerText()).toBe('62,378,344 (same)');

  await chooseCost('FLOPs = 2 × MACs');
  await expect.poll(() => header.innerText()).toMatch(/^FLOPs/);
  expect(await page.getByTestId('total-cost').innerText()).toBe('2,270,512,192');
  expect(await page.locator('.totals dt').allInnerTexts()).toContain('FLOPs (2 × MACs)');
  expect(await page.locator('tr[data-row="conv5"] td[data-col="cost"]').innerText()).toBe('299,040,768');
  await page.locator('tr[data-row="conv5"]').click();
  expect(await page.getByTestId('inspector-cost').innerText()).toBe('2 × 149,520,384 = 299,040,768');
  await chooseCost('Multiply-adds');
  await expect.poll(() => page.getByTestId('inspector-cost').innerText()).toBe('149,520,384');
  expect(await header.innerText()).toMatch(/^Mult-adds/);

  await openExample(page, 'resnet18');
  const torch = page.locator('.summary-table th[data-col="pytorch"]');
  await expect.poll(() => torch.count()).toBe(1);
  // conv1_bn on 64 channels: Keras 4·64 = 256 (with the moving statistics), PyTorch 64 + 64 = 128.
  const cell = page.locator('tr[data-row="conv1_bn"] td[data-col="pytorch"]');
  expect(await cell.innerText()).toBe('128');
  expect(await cell.getAttribute('title')).toMatch(/64 \+ 64 = 128[\s\S]*buffers/);
  expect(await page.locator('tr[data-row="conv1_conv"] td[data-col="pytorch"]').innerText()).toBe('');
  const keras = await totalParams(page);
  const pytorch = await page.getByTestId('total-pytorch').innerText();
  // The PyTorch total beside the Keras one, with the difference: the moving statistics of every BatchNormalization.
  const [, count, diff] = /^([\d,]+) \((−[\d,]+)\)$/.exec(pytorch)!;
  const n = (x: string) => Number(x.replace(/[,−]/g, ''));
  expect(n(count)).toBe(n(keras) - n(diff));
  expect(n(diff)).toBe(9_600);
  await page.locator('tr[data-row="conv1_bn"]').click();
  expect(await page.getByTestId('inspector-pytorch').innerText()).toMatch(/64 \+ 64 = 128\s*running_mean and running_var are buffers/);
  await screenshot(page, 'inspector-pytorch');
  await page.locator('.react-flow__node[data-id="conv2_block"]').click();
  expect(await page.getByTestId('inspector-pytorch').innerText()).toMatch(/[\d,]+ − [\d,]+ = [\d,]+/);
  await chooseCost('FLOPs = 2 × MACs');
  await page.evaluate(() => document.querySelector('.totals')?.scrollIntoView());
  await screenshot(page, 'summary-flops-pytorch');
  await page.getByTestId('torch-details').locator('summary').click();
  await page.evaluate(() => document.querySelector('.torch-details')?.scrollIntoView());
  await screenshot(page, 'summary-pytorch-details');
  expect(seen.errors).toEqual([]);
});

test('memory to train: batch, dtype and optimizer change the totals; the largest batch for each memory size and a custom one', async () => {
  await openExample(page, 'lenet5');
  const r = parseGraphText(readFileSync('examples/lenet5.json', 'utf8'));
  if (!r.ok) throw new Error('lenet5 does not load');
  const a = analyze(r.graph);
  const expected = (o: MemoryOptions) => trainingMemory(a, o).total;
  const section = page.getByTestId('memory');
  await section.scrollIntoViewIfNeeded();
  // The defaults: batch 32, fp32, Adam.
  let t = expected({ batch: 32, dtype: 'fp32', optimizer: 'adam' });
  expect(await page.getByTestId('memory-params').innerText()).toBe(bytesText(t.params));
  expect(await page.getByTestId('memory-optimizer').innerText()).toBe(bytesText(t.optimizer));
  expect(await page.getByTestId('memory-peak').innerText()).toBe(bytesText(t.peak));
  expect(await page.getByTestId('memory-inference').innerText()).toBe(bytesText(t.inference));
  expect(await page.getByTestId('memory-fit-8').innerText()).toBe(fmt(largestBatch(a, { dtype: 'fp32', optimizer: 'adam' }, 8 * GB)));
  expect(await page.getByTestId('memory-fit-80').innerText()).toBe(fmt(largestBatch(a, { dtype: 'fp32', optimizer: 'adam' }, 80 * GB)));
  // The arithmetic is on hover.
  expect(await page.locator('.memory-row.memory-params').getAttribute('title')).toMatch(/61,706 × 4 B/);

  await page.getByTestId('memory-set-batch').fill('256');
  await page.getByTestId('memory-set-dtype').selectOption('bf16');
  await page.getByTestId('memory-set-optimizer').selectOption('sgd');
  t = expected({ batch: 256, dtype: 'bf16', optimizer: 'sgd' });
  await expect.poll(() => page.getByTestId('memory-peak').innerText()).toBe(bytesText(t.peak));
  expect(await page.getByTestId('memory-activations').innerText()).toBe(bytesText(t.activations));
  expect(await page.getByTestId('memory-optimizer').innerText()).toBe(bytesText(0));
  await page.getByTestId('memory-custom-gb').fill('40');
  await expect.poll(() => page.getByTestId('memory-fit-custom').innerText()).toBe(fmt(largestBatch(a, { dtype: 'bf16', optimizer: 'sgd' }, 40 * GB)));

  // A batch that is no batch says why and keeps the last good numbers.
  await page.getByTestId('memory-set-batch').fill('0');
  expect(await section.locator('.field-problem').innerText()).toMatch(/batch must be a positive whole number/);
  expect(await page.getByTestId('memory-peak').innerText()).toBe(bytesText(t.peak));
  await page.getByTestId('memory-set-batch').fill('256');
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, 'summary-memory');

  // Folded, it says nothing more than its title; unfolded, it counts again.
  await section.locator('summary').click();
  await expect.poll(() => page.getByTestId('memory-peak').count()).toBe(0);
  await section.locator('summary').click();
  await expect.poll(() => page.getByTestId('memory-peak').innerText()).toBe(bytesText(t.peak));
  expect(seen.errors).toEqual([]);
});
