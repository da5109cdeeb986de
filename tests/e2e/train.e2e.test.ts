/**
 * Data & train in the app on real WebGPU (SwiftShader in headless Chromium):
 * open a small GRU whose Window takes 14 daily rows, pick seattle-weather with
 * target temp_max, check the window binding (samples, split_sequence preview,
 * chronological split, the one-click features fix and its undo), train 2
 * epochs and check the progress bar, the live loss chart, the webgpu badge,
 * and validation MAE beside the naive forecast. Then, in a fresh tab, the
 * gallery's Jena GRU on the same data: one undoable "Adapt the Window to this
 * data", and the Temperature ladder with one epoch per rung (every rung in the
 * run list, the ladder chart). With NETLOOM_UPDATE_DOCS=1 it also refreshes
 * docs/train.png and docs/temperature-ladder.png, the README's pictures.
 */
import { copyFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { readSeriesCsv, windowCount } from '../../src/data/index.ts';
import { readFileSync } from 'node:fs';
import { appSession, screenshot, watchPage } from './support/harness.ts';
import { focusCanvas, nodeParams, openEditor, openExample, settle } from './support/editor-page.ts';

let page: Page;
let seen: ReturnType<typeof watchPage>;

const session = appSession({ webgpu: true });

beforeAll(async () => {
  page = await session.browser().newPage({ viewport: { width: 1440, height: 1250 } });
  seen = watchPage(page);
  await openEditor(page, session.app().url);
});

/** Window(14 → 1) → GRU(8, resetAfter false) → Dense(1): 3·(8·(1+8) + 8) = 240 GRU parameters. */
const GRAPH = {
  format: 'netloom.graph', version: 2, name: 'seattle-gru', title: 'Seattle GRU (14 days → tomorrow)',
  nodes: [
    { id: 'window', kind: 'Window', name: 'window', params: { nSteps: 14, horizon: 1, stride: 1, features: 1 }, position: { x: 0, y: 0 } },
    { id: 'gru', kind: 'GRU', name: 'gru', params: { units: 8, returnSequences: false, resetAfter: false, recurrentActivation: 'hardSigmoid' }, position: { x: 0, y: 120 } },
    { id: 'out', kind: 'Dense', name: 'out', params: { units: 1, activation: 'linear' }, position: { x: 0, y: 240 } },
  ],
  edges: [{ id: 'e1', source: 'window', target: 'gru', targetPort: 'in0' }, { id: 'e2', source: 'gru', target: 'out', targetPort: 'in0' }],
};

/** What the panel must show, computed from the package's CSV in Node. */
const weather = readSeriesCsv(readFileSync(new URL('../../node_modules/vega-datasets/data/seattle-weather.csv', import.meta.url), 'utf8'), {
  columns: ['precipitation', 'temp_max', 'temp_min', 'wind'], orderColumn: 'date',
});
const tempMax = weather.rows.map((r) => r[1]);

test('seattle-weather → Window(14) → GRU: bind, train 2 epochs on webgpu, MAE beside the naive forecast', async () => {
  await page.setInputFiles('input[type=file]', { name: 'seattle-gru.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(GRAPH)) });
  await page.waitForSelector('.react-flow__node[data-id="gru"]');
  await settle(page);
  expect(await nodeParams(page, 'gru')).toBe('240');

  await page.getByRole('tab', { name: /Data & train/ }).click();
  const summary = page.getByTestId('data-summary');
  await summary.waitFor({ timeout: 60_000 });
  expect(await summary.innerText()).toBe(`seattle-weather: ${weather.rows.length.toLocaleString('en-US')} rows · 4 columns (precipitation, temp_max, temp_min, wind) · date ${weather.order![0]} – ${weather.order!.at(-1)}`);

  // Binding: one feature (temp_max, the target), the Window's own settings and the samples they give.
  expect(await page.getByTestId('window-settings').innerText()).toMatch(/nSteps 14 · horizon 1 · stride 1 · features 1/);
  expect(await page.getByTestId('window-count').innerText()).toBe(windowCount(weather.rows.length, 14, 1, 1).toLocaleString('en-US'));
  expect(await page.locator('[data-testid=target-columns] input[data-column=temp_max]').isChecked()).toBe(true);
  const preview = (await page.locator('[data-testid=window-preview] pre').innerText()).split('\n');
  expect(preview).toHaveLength(3);
  // split_sequence: X = rows 0–13 of temp_max, y = row 14.
  expect(preview[0]).toBe(`[${tempMax.slice(0, 14).join(' ')}] ${tempMax[14]}`);
  expect(preview[1]).toBe(`[${tempMax.slice(1, 15).join(' ')}] ${tempMax[15]}`);
  const split = page.getByTestId('split-ranges');
  expect(await split.locator('tr[data-part=train] td').nth(2).innerText()).toBe(weather.order![0]);
  expect(await split.locator('tr[data-part=test] td').nth(3).innerText()).toBe(`– ${weather.order!.at(-1)}`);
  expect(await page.getByTestId('normalisation').innerText()).toMatch(/training rows only/);

  // A second feature column does not fit the Window; the fix sets its features through the editor (shapes update), and undo reverts it.
  await page.locator('[data-testid=feature-columns] input[data-column=temp_min]').check();
  await page.getByTestId('fix-features').click();
  await expect.poll(() => nodeParams(page, 'gru')).toBe('264'); // 3·(8·(2+8) + 8)
  await expect.poll(() => page.getByTestId('feature-mismatch').count()).toBe(0);
  await focusCanvas(page);
  await page.keyboard.press('Control+z');
  await expect.poll(() => nodeParams(page, 'gru')).toBe('240');
  expect(await page.getByTestId('feature-mismatch').innerText()).toMatch(/The Window takes 1 feature per row, 2 columns are chosen/);
  await page.locator('[data-testid=feature-columns] input[data-column=temp_min]').uncheck();
  await expect.poll(() => page.getByTestId('feature-mismatch').count()).toBe(0);

  // Train: 2 epochs, big batches (4 per epoch) to stay quick on SwiftShader.
  await page.fill('[data-setting=epochs]', '2');
  await page.fill('[data-setting=batchSize]', '256');
  await page.fill('[data-setting=learningRate]', '0.01');
  await page.evaluate(() => {
    const w = window as unknown as { progressSeen: number[] };
    w.progressSeen = [];
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid=train-progress]');
      const v = Number(bar?.getAttribute('aria-valuenow') ?? NaN);
      if (bar && w.progressSeen.at(-1) !== v) w.progressSeen.push(v);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
  await page.getByTestId('train-button').click();
  await expect.poll(() => page.getByTestId('stop-button').isEnabled()).toBe(true);
  const results = await page.waitForSelector('[data-testid=train-results], [data-testid=train-error]', { timeout: 400_000 });
  expect(await results.getAttribute('data-testid'), await results.innerText()).toBe('train-results');

  const progress = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
  expect(progress.some((v) => v > 0 && v < 100), `progress seen: ${progress.join(', ')}`).toBe(true);
  expect(progress.at(-1)).toBe(100);
  expect(progress.every((v, i) => i === 0 || v >= progress[i - 1])).toBe(true);
  const chart = page.getByTestId('loss-chart');
  expect(Number(await chart.getAttribute('data-points'))).toBe(8);
  expect(Number(await chart.getAttribute('data-val-points'))).toBe(2);
  expect((await chart.locator('polyline.line-train').getAttribute('points'))!.split(' ')).toHaveLength(8);

  const badge = page.getByTestId('train-backend');
  expect(await badge.getAttribute('data-backend')).toBe('webgpu');
  expect(await badge.innerText()).not.toMatch(/fallback/);

  const val = page.getByTestId('val-mae');
  const [mae, naive] = await val.locator('td[data-value]').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
  expect(mae).toBeGreaterThan(0);
  expect(mae).toBeLessThan(20); // °C: a model that learned nothing useful still stays near the mean
  // "Tomorrow = today" on the validation days is a couple of degrees off, as in the notes.
  expect(naive).toBeGreaterThan(1);
  expect(naive).toBeLessThan(5);
  expect(await val.innerText()).toMatch(/naive forecast by [0-9.]+%/);
  expect(await page.getByTestId('test-mae').count()).toBe(1);
  expect(await page.getByTestId('prediction-chart').count()).toBe(1);
  expect(await page.locator('[data-testid=run-list] tbody tr').count()).toBe(1);
  expect(await page.getByTestId('export-button').isEnabled()).toBe(true);

  await screenshot(page, 'train-seattle-gru-webgpu');
  // For the README: the panel scrolled to the run, its results and the run list.
  await page.getByTestId('train-run').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.mouse.move(0, 0);
  const shot = await screenshot(page, 'train-panel-results');
  // The README's picture is refreshed on request only, so a test run never changes tracked files.
  if (process.env.NETLOOM_UPDATE_DOCS) await copyFile(shot, new URL('../../docs/train.png', import.meta.url));
  expect(seen.errors).toEqual([]);
  expect(seen.dialogs).toEqual([]);
}, 600_000);

test('Stop ends a run early with its best weights, listed beside the first; a bad CSV names the row and column and keeps the loaded data', async () => {
  await page.getByTestId('train-run').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.fill('[data-setting=epochs]', '20');
  await page.getByTestId('train-button').click();
  const bar = page.getByTestId('train-progress');
  await expect.poll(() => bar.getAttribute('aria-valuenow').then(Number), { timeout: 120_000 }).toBeGreaterThan(0);
  await page.getByTestId('stop-button').click();
  await expect.poll(() => page.locator('[data-testid=run-list] tbody tr').count(), { timeout: 300_000 }).toBe(2);
  const second = page.locator('[data-testid=run-list] tbody tr').nth(1);
  expect(await second.locator('td').nth(2).innerText()).toMatch(/^\d+ \(aborted\)$/);
  expect(Number((await second.locator('td').nth(2).innerText()).split(' ')[0])).toBeLessThan(20);
  expect(await page.getByTestId('train-results').innerText()).toMatch(/\(stopped\), best epoch \d+ kept/);
  expect(await page.getByTestId('val-mae').count()).toBe(1);

  await page.getByRole('radio', { name: 'CSV file' }).check();
  const csv = 'date,price,volume\n2020-01-01,10,5\n2020-01-02,11,lots\n2020-01-03,12,7\n';
  await page.setInputFiles('[data-testid=csv-input]', { name: 'prices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Read prices.csv' }).click();
  expect(await page.getByTestId('data-error').innerText()).toBe('row 3, column "volume": "lots" is not a number; fix the cell or leave the column out');
  expect(await page.getByTestId('data-summary').innerText()).toMatch(/^seattle-weather: /);
  await screenshot(page, 'train-stopped-and-bad-csv');
  expect(seen.errors).toEqual([]);
}, 600_000);

test('a gallery Window made for Jena offers one undoable "Adapt the Window to this data"; the Temperature ladder fills the run list and draws its chart', async () => {
  // A fresh tab, as a user opens it: the Jena GRU (240 hourly rows × 14 features) and the daily Seattle data.
  const fresh = await session.browser().newPage({ viewport: { width: 1440, height: 1250 } });
  const seenHere = watchPage(fresh);
  await openEditor(fresh, session.app().url);
  await openExample(fresh, 'jena-gru');
  expect(await nodeParams(fresh, 'gru_1')).toBe('4,512'); // 3·(32·(14+32) + 32)
  await fresh.getByRole('tab', { name: /Data & train/ }).click();
  await fresh.getByTestId('data-summary').waitFor({ timeout: 60_000 });
  expect(await fresh.locator('[data-testid=feature-columns] legend').innerText()).toBe('Feature columns (4 chosen, the Window takes 14)');
  const offer = fresh.getByTestId('window-adapt');
  expect(await offer.innerText()).toMatch(/it takes 14 features per row, 4 columns are chosen; nSteps 240 \+ horizon 24 need 264 rows, the validation part has 219\./);
  expect(await offer.innerText()).toMatch(/sets features 4 and nSteps 14/);
  // one offer instead of two errors
  expect(await fresh.getByTestId('binding-error').count()).toBe(0);
  expect(await fresh.getByTestId('feature-mismatch').count()).toBe(0);
  await screenshot(fresh, 'train-adapt-window-offer');

  await fresh.getByTestId('adapt-window').click();
  await expect.poll(() => nodeParams(fresh, 'gru_1')).toBe('3,552'); // 3·(32·(4+32) + 32)
  expect(await fresh.getByTestId('window-settings').innerText()).toMatch(/nSteps 14 · horizon 24 · stride 1 · features 4/);
  expect(await fresh.getByTestId('window-adapt').count()).toBe(0);
  expect(await fresh.getByTestId('split-ranges').count()).toBe(1);
  // one Ctrl+Z puts both back
  await focusCanvas(fresh);
  await fresh.keyboard.press('Control+z');
  await expect.poll(() => nodeParams(fresh, 'gru_1')).toBe('4,512');
  expect(await fresh.getByTestId('window-settings').innerText()).toMatch(/nSteps 240 · horizon 24 · stride 1 · features 14/);
  expect(await fresh.getByTestId('window-adapt').count()).toBe(1);

  // The ladder, one epoch per rung, on the CPU backend (the first test trains on WebGPU; SwiftShader's software
  // WebGPU takes about 50 s for these six epochs, the CPU backend a few). Every rung joins the run list and the
  // chart draws them against naive. For the README's picture (NETLOOM_UPDATE_DOCS=1) it trains the recipe's own epochs.
  const docs = !!process.env.NETLOOM_UPDATE_DOCS;
  await fresh.getByTestId('train-backend-select').selectOption('cpu');
  await expect.poll(() => fresh.getByTestId('train-backend').getAttribute('data-backend'), { timeout: 60_000 }).toBe('cpu');
  if (!docs) await fresh.fill('[data-testid=ladder-epochs]', '1');
  expect(await fresh.getByTestId('ladder-epochs').inputValue()).toBe(docs ? '20' : '1');
  const started = Date.now();
  await fresh.getByTestId('ladder-button').click();
  await expect.poll(() => fresh.getByTestId('ladder-status').innerText(), { timeout: 30_000 }).toMatch(/^Rung \d of 6/);
  await expect.poll(() => fresh.getByTestId('ladder-status').innerText(), { timeout: 540_000, interval: 1_000 }).toBe('6 of 6 rungs trained: the table and chart are in Runs.');
  const ladderSeconds = (Date.now() - started) / 1000;
  expect(await fresh.getByTestId('train-error').count()).toBe(0);
  const rows = fresh.locator('[data-testid=run-list] tbody tr');
  expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-rung')))).toEqual(['naive', 'dense', 'gru', 'gru-dropout', 'stacked-gru', 'bidirectional-gru']);
  const cells = await rows.evaluateAll((trs) => trs.map((tr) => ({
    text: Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? ''),
    // [MAE, naive] for validation and test, in °C
    mae: Array.from(tr.querySelectorAll('td.mae'), (td) => [Number(td.getAttribute('data-value')), Number(td.getAttribute('data-naive'))]),
  })));
  expect(cells[0].text.slice(0, 3)).toEqual(['naive: in 3 days = today', '0', '0']);
  const [naiveVal, naiveTest] = cells[0].mae;
  expect(naiveVal[0]).toBe(naiveVal[1]); // the naive rung's MAE is the naive MAE
  for (const c of cells) {
    expect(c.mae, c.text[0]).toHaveLength(2);
    const [[valMae, valNaive], [testMae, testNaive]] = c.mae;
    expect(valMae, c.text[0]).toBeGreaterThan(0);
    expect(testMae, c.text[0]).toBeLessThan(20);
    // every rung on the same windows
    expect([valNaive, testNaive]).toEqual([naiveVal[0], naiveTest[0]]);
  }
  for (const c of cells.slice(1)) expect(c.text[2]).toMatch(docs ? /^\d+ \(early\)$/ : /^1$/);
  const chart = fresh.getByTestId('ladder-chart');
  expect(await chart.getAttribute('data-rungs')).toBe('5');
  expect(await chart.locator('[data-rung-bar] rect').count()).toBe(10);
  expect(await chart.locator('line.naive-val, line.naive-test').count()).toBe(2);
  expect(await chart.locator('figcaption').innerText()).toBe('MAE (°C), lower is better: validation · test · dashed: naive forecast (3.36 validation, 3.33 test); pale bars and red numbers do not beat it');
  console.log(`temperature ladder in the browser (${docs ? 'recipe epochs' : '1 epoch per rung'}, ${await fresh.getByTestId('train-backend').getAttribute('data-backend')}): ${ladderSeconds.toFixed(0)} s\n${cells.map((c) => `${c.text[0].replace(/Open$/, '').padEnd(28)} val ${c.mae[0][0].toFixed(3)} test ${c.mae[1][0].toFixed(3)}`).join('\n')}`);

  // A rung opens on the canvas: the gallery's GRU, adapted (GRU(16) on 6 columns: 3·(16·(6+16) + 16)).
  await rows.nth(2).getByRole('button', { name: 'Open' }).click();
  await expect.poll(() => nodeParams(fresh, 'gru_1')).toBe('1,104');
  expect(await fresh.getByTestId('window-settings').innerText()).toMatch(/nSteps 14 · horizon 3 · stride 1 · features 6/);
  expect(await fresh.getByTestId('window-adapt').count()).toBe(0);
  await settle(fresh);

  await fresh.getByTestId('ladder').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await fresh.mouse.move(0, 0);
  await screenshot(fresh, 'train-ladder-recipe');
  await fresh.getByTestId('run-list').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const shot = await screenshot(fresh, 'train-temperature-ladder');
  if (docs) await copyFile(shot, new URL('../../docs/temperature-ladder.png', import.meta.url));
  expect(seenHere.errors).toEqual([]);
  expect(seenHere.dialogs).toEqual([]);
  await fresh.close();
}, 600_000);
