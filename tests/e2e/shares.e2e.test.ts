/**
 * The inspector's shares field in a real browser: a Dense on a second input
 * is set to share the first Dense's weights, the total drops to Keras's 153
 * and the arithmetic names the owner; "own weights" gives them back.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { layeredLayout, type Graph } from '../../src/engine/index.ts';
import { encodeShare } from '../../src/store/share.ts';
import { appSession, editorEachTest, screenshot, watchPage } from './support/harness.ts';
import { settle, totalParams } from './support/editor-page.ts';

let context: BrowserContext;
let page: Page;
let seen: ReturnType<typeof watchPage>;

const session = appSession({ webgpu: false });
editorEachTest(session, (tab) => ({ context, page, seen } = tab));

const n = (id: string, kind: string, params: Record<string, unknown>) => ({ id, kind, name: id, params });
const e = (source: string, target: string, port = 0) => ({ id: `${source}-${target}`, source, target, targetPort: `in${port}` });

/** Two Inputs of 16, a Dense(8) on each (16·8 + 8 = 136), Concatenate, Dense(1) (16 + 1 = 17): 289 own, 153 shared. */
const towers: Graph = {
  name: 'towers',
  nodes: [
    n('left', 'Input', { shape: [16] }), n('right', 'Input', { shape: [16] }),
    n('encoder', 'Dense', { units: 8 }), n('encoder_2', 'Dense', { units: 8 }),
    n('cat', 'Concatenate', {}), n('out', 'Dense', { units: 1 }),
  ],
  edges: [e('left', 'encoder'), e('right', 'encoder_2'), e('encoder', 'cat', 0), e('encoder_2', 'cat', 1), e('cat', 'out')],
};

test('sharing a Dense from the inspector counts its weights once, and clearing it counts them again', async () => {
  await page.goto(`${session.app().url}#${await encodeShare(layeredLayout(towers, { dx: 230, dy: 110 }))}`);
  await page.waitForSelector('.react-flow__node[data-id="encoder_2"]');
  await settle(page);
  expect(await totalParams(page)).toMatch(/289/);
  await page.locator('.react-flow__node[data-id="encoder_2"]').click();
  const select = page.locator('.inspector [data-field="shares"] select');
  expect(await select.locator('option').allInnerTexts()).toEqual(['own weights', 'encoder']);
  await select.selectOption('encoder');
  await expect.poll(() => totalParams(page)).toMatch(/153/);
  expect(await page.getByTestId('inspector-formula').innerText()).toBe("shares encoder's 16·8 kernel + 8 bias (counted once there)");
  await screenshot(page, 'inspector-shares');
  await select.selectOption('');
  await expect.poll(() => totalParams(page)).toMatch(/289/);
  expect(seen.errors).toEqual([]);
});
