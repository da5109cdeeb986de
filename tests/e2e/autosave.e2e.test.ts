/**
 * Autosave in a real browser, with real reloads: work a load or New replaces
 * survives in Recover…, two tabs keep their own work, an unanswered restore
 * offer is not overwritten, and a full storage is reported. Each test starts
 * from a fresh profile (empty localStorage) and saves a screenshot.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { appSession, screenshot, watchPage } from './support/harness.ts';
import {
  dragFromPalette, editUnits, nodeIds, openEditor, openExample, recover, recoveries, reloadEditor, restoreOffer, totalParams,
} from './support/editor-page.ts';

let context: BrowserContext;
let page: Page;
let seen: ReturnType<typeof watchPage>;

const LENET = 'LeNet-5 (LeCun et al., 1998)';
const JENA = 'Jena climate GRU (Deep Learning with Python)';

const session = appSession({ webgpu: false });
beforeEach(async () => {
  context = await session.browser().newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  seen = watchPage(page);
  await openEditor(page, session.app().url);
});
afterEach(async () => {
  await context?.close();
});

test('work an opened example replaced is in Recover… after a reload', async () => {
  await openExample(page, 'lenet5');
  const edited = await editUnits(page, 'dense_2', '7');
  await openExample(page, 'alexnet');
  expect(await page.getByTestId('notice').innerText()).toMatch(/Opened alexnet\.json\. Your unsaved network is kept/);
  await reloadEditor(page);

  const list = await recoveries(page);
  const lenet = list.find((t) => t.includes(LENET));
  expect(lenet).toMatch(/9 layers/);
  expect(lenet).toMatch(/unsaved/);
  await screenshot(page, 'recover-list');
  await recover(page, LENET);
  expect(await totalParams(page)).toBe(edited);
  expect(seen.errors).toEqual([]);
});

test('work New replaced is in Recover… after a reload, and new unsaved work still warns on leaving', async () => {
  await openExample(page, 'lenet5');
  const edited = await editUnits(page, 'dense_2', '7');
  await page.locator('.topbar').getByRole('button', { name: 'New', exact: true }).click();
  await expect.poll(() => nodeIds(page)).toEqual([]);
  await dragFromPalette(page, 'Dense', 400, 200);
  await reloadEditor(page);
  expect(seen.dialogs.filter((d) => d.startsWith('beforeunload'))).toHaveLength(1);

  expect((await recoveries(page)).some((t) => t.includes(LENET) && t.includes('unsaved'))).toBe(true);
  expect(await restoreOffer(page)).toMatch(/Restore Untitled network \(1 layer,/);
  await recover(page, LENET);
  expect(await totalParams(page)).toBe(edited);
  await screenshot(page, 'recover-after-new');
});

test('two tabs each get their own work back after a reload, and find the other’s in Recover…', async () => {
  const tab2 = await context.newPage();
  const seen2 = watchPage(tab2);
  await openEditor(tab2, session.app().url);
  await openExample(page, 'lenet5');
  const lenet = await editUnits(page, 'dense_2', '7');
  await openExample(tab2, 'jena-gru');
  const jena = await editUnits(tab2, 'gru_1', '64');

  await reloadEditor(page);
  await reloadEditor(tab2);
  expect(await restoreOffer(page)).toContain(LENET);
  expect(await restoreOffer(tab2)).toContain(JENA);
  await page.getByTestId('restore-offer').getByRole('button', { name: 'Restore' }).click();
  await tab2.getByTestId('restore-offer').getByRole('button', { name: 'Restore' }).click();
  await expect.poll(() => totalParams(page)).toBe(lenet);
  await expect.poll(() => totalParams(tab2)).toBe(jena);

  expect((await recoveries(page)).some((t) => t.includes(JENA) && t.includes('unsaved'))).toBe(true);
  expect((await recoveries(tab2)).some((t) => t.includes(LENET) && t.includes('unsaved'))).toBe(true);
  await screenshot(tab2, 'recover-two-tabs');

  // Clearing old recoveries in tab 2 leaves the work open in tab 1: tab 1 writes it back.
  const dialog = tab2.getByRole('dialog', { name: 'Recover autosaved work' });
  await dialog.getByRole('button', { name: 'Clear old recoveries…' }).click();
  await screenshot(tab2, 'recover-clear-confirm');
  await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect.poll(() => tab2.getByTestId('notice').innerText()).toMatch(/^Removed \d+ old recover/);
  await page.waitForTimeout(300);
  await reloadEditor(page);
  expect(await restoreOffer(page)).toContain(LENET);
  expect([...seen.errors, ...seen2.errors]).toEqual([]);
});

test('an edit made without answering the restore offer keeps the offered work in Recover…', async () => {
  await openExample(page, 'lenet5');
  const edited = await editUnits(page, 'dense_2', '7');
  await reloadEditor(page);
  expect(await restoreOffer(page)).toContain(LENET);

  await dragFromPalette(page, 'Dense', 400, 200);
  await reloadEditor(page);
  expect(await restoreOffer(page)).toMatch(/Restore Untitled network/);
  await page.getByTestId('restore-offer').getByRole('button', { name: 'Recover…' }).click();
  expect((await recoveries(page)).some((t) => t.includes(LENET) && t.includes('unsaved'))).toBe(true);
  await recover(page, LENET);
  expect(await totalParams(page)).toBe(edited);
  // Opening a recovery answers the offer.
  expect(await restoreOffer(page)).toBeNull();
  await screenshot(page, 'recover-unanswered-offer');
});

test('a full browser storage is reported with what to do, and Save to a file still works', async () => {
  await openExample(page, 'lenet5');
  await page.evaluate(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
      if (this === window.localStorage) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      setItem.call(this, key, value);
    };
  });
  await editUnits(page, 'dense_2', '7');
  const problem = page.getByTestId('autosave-problem');
  await expect.poll(() => problem.count()).toBe(1);
  expect(await problem.innerText()).toMatch(/Autosave failed: browser storage is full.*Save to a file.*clear old recoveries/s);
  await screenshot(page, 'autosave-storage-full');

  const download = page.waitForEvent('download');
  await problem.getByRole('button', { name: 'Save to a file' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.netloom\.json$/);
  await problem.getByRole('button', { name: 'Clear old recoveries…' }).click();
  expect(await page.getByRole('dialog', { name: 'Recover autosaved work' }).count()).toBe(1);
  expect(seen.errors).toEqual([]);
});

test('a nearly full storage makes room by dropping the oldest recoveries, says so, and keeps the newest', async () => {
  // This site may store 16,000 characters; past that the browser refuses, as a full storage does.
  await page.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
      if (this === window.localStorage) {
        let used = 0;
        for (let i = 0; i < this.length; i++) {
          const k = this.key(i)!;
          if (k !== key) used += k.length + (this.getItem(k) ?? '').length;
        }
        if (used + key.length + value.length > 16_000) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      setItem.call(this, key, value);
    };
  });
  await reloadEditor(page);
  await openExample(page, 'lenet5');
  await editUnits(page, 'dense_2', '7');
  await openExample(page, 'alexnet');
  await editUnits(page, 'fc8', '10');
  await openExample(page, 'jena-gru');
  const jena = await editUnits(page, 'gru_1', '64');
  await openExample(page, 'resnet18');
  const info = page.getByTestId('autosave-info');
  await expect.poll(() => info.count()).toBe(1);
  expect(await info.innerText()).toMatch(/Browser storage was full: removed 2 old recoveries to keep autosaving\./);
  expect(await page.getByTestId('autosave-problem').count()).toBe(0);
  await screenshot(page, 'autosave-made-room');

  await reloadEditor(page);
  const list = await recoveries(page);
  expect(list.some((t) => t.includes(JENA) && t.includes('unsaved'))).toBe(true);
  expect(list.some((t) => t.includes(LENET))).toBe(false);
  await recover(page, JENA);
  expect(await totalParams(page)).toBe(jena);
  expect(seen.errors).toEqual([]);
});
