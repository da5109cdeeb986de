/** Gestures on the editor page shared by the browser tests. */
import type { Page } from 'playwright-core';

export async function openEditor(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('.react-flow__pane');
}

/** Drags a kind from the palette onto the canvas at (x, y) in canvas pixels; returns the new node's id. */
export async function dragFromPalette(page: Page, kind: string, x: number, y: number): Promise<string> {
  const before = await nodeIds(page);
  await page.locator(`.palette-item[data-kind="${kind}"]`).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
  await page.waitForFunction((n) => document.querySelectorAll('.react-flow__node').length > n, before.length);
  const after = await nodeIds(page);
  const id = after.find((x) => !before.includes(x));
  if (!id) throw new Error(`dragging ${kind} from the palette added no node`);
  return id;
}

export function nodeIds(page: Page): Promise<string[]> {
  return page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
}

/** Presses on `source`'s output handle and releases on `target`'s input `port`, moving in steps like a hand. */
export async function connectHandles(page: Page, source: string, target: string, port = 'in0'): Promise<void> {
  const from = await page.locator(`.react-flow__node[data-id="${source}"] .react-flow__handle.source`).boundingBox();
  const to = await page.locator(`.react-flow__node[data-id="${target}"] .react-flow__handle[data-handleid="${port}"]`).boundingBox();
  if (!from || !to) throw new Error(`no handle to connect ${source} → ${target}:${port}`);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
}

export const edgeCount = (page: Page): Promise<number> => page.locator('.react-flow__edge').count();

export const nodeParams = (page: Page, id: string): Promise<string> =>
  page.locator(`.react-flow__node[data-id="${id}"] .layer-params`).innerText();

export const rowParams = (page: Page, id: string): Promise<string> =>
  page.locator(`tr[data-row="${id}"] td:nth-of-type(3)`).innerText();

export const totalParams = (page: Page): Promise<string> => page.getByTestId('total-params').innerText();

export async function openExample(page: Page, key: string): Promise<void> {
  await page.getByRole('button', { name: 'Examples ▾' }).click();
  await page.locator(`[data-example="${key}"]`).click();
  await page.waitForSelector(`.react-flow__node`);
  // An opened example is laid out (in a worker) before its first view is set.
  await page.waitForFunction(() => !document.querySelector('[data-testid="layout-choices"][data-busy]'), null, { timeout: 60_000 });
  await settle(page);
}

/** Sets a parameter field of the selected layer in the inspector. */
export async function setField(page: Page, field: string, value: string): Promise<void> {
  await page.locator(`.inspector [data-field="${field}"] input`).first().fill(value);
}

/** Clicks an empty part of the canvas so keyboard shortcuts reach the editor, not a field. */
export async function focusCanvas(page: Page): Promise<void> {
  const box = await page.locator('.react-flow__pane').boundingBox();
  if (!box) throw new Error('no canvas');
  await page.mouse.click(box.x + 20, box.y + box.height - 20);
}

/** Waits until the canvas has stopped moving (the fit after a load runs a frame later). */
export async function settle(page: Page): Promise<void> {
  let last = '';
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(50);
    const t = await page.locator('.react-flow__viewport').getAttribute('style');
    if (t === last) return;
    last = t ?? '';
  }
}

/** Reloads the tab (answering the unsaved-work warning) and waits for the editor. */
export async function reloadEditor(page: Page): Promise<void> {
  await page.reload();
  await page.waitForSelector('.react-flow__pane');
}

/** Sets `units` of the layer in summary row `row` and waits for its count to change; returns the new total. */
export async function editUnits(page: Page, row: string, units: string): Promise<string> {
  const before = await rowParams(page, row);
  await page.locator(`tr[data-row="${row}"]`).click();
  await setField(page, 'units', units);
  await page.waitForFunction(([r, b]) => document.querySelector(`tr[data-row="${r}"] td:nth-of-type(3)`)?.textContent !== b, [row, before]);
  return totalParams(page);
}

/** The restore offer's text, or null when none shows. */
export async function restoreOffer(page: Page): Promise<string | null> {
  const offer = page.getByTestId('restore-offer');
  return (await offer.count()) ? offer.innerText() : null;
}

/** Opens Recover… from the files bar and returns each entry's text (title, layers, time, saved or unsaved). */
export async function recoveries(page: Page): Promise<string[]> {
  const dialog = page.getByRole('dialog', { name: 'Recover autosaved work' });
  if (!(await dialog.count())) await page.locator('.topbar').getByRole('button', { name: 'Recover…' }).click({ timeout: 5_000 });
  await dialog.waitFor({ timeout: 5_000 });
  return dialog.getByTestId('recovery').allInnerTexts();
}

/** Opens the Recover… entry whose text contains `title` and waits for the canvas to settle. */
export async function recover(page: Page, title: string): Promise<void> {
  await recoveries(page);
  await page.getByTestId('recovery').filter({ hasText: title }).first().getByRole('button', { name: 'Open' }).click();
  await page.waitForSelector('.react-flow__node');
  await settle(page);
}
