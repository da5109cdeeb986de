/**
 * Layout in a real browser: ELK runs in a worker and its orthogonal routes
 * are drawn, so no edge segment of the laid-out residual networks crosses a
 * layer box other than its own two ends; every example and reference model
 * opens with node text at a legible size.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { appSession, editorEachTest, screenshot, type EditorTab } from './support/harness.ts';
import { openExample, settle } from './support/editor-page.ts';
/** Canvas.tsx's READABLE_ZOOM: 12 px node text draws at 9 px. */
const READABLE_ZOOM = 0.75;

let page: Page;
let seen: EditorTab['seen'];

const session = appSession({ webgpu: false });
editorEachTest(session, (tab) => ({ page, seen } = tab));

/** The reference models (shared/reference/models), as the import tests keep them. */
const REFERENCE = new URL('../interop/fixtures/reference/', import.meta.url);

const layouts = async (p: Page) => Number(await p.getByTestId('layout-choices').getAttribute('data-layouts'));

/** Runs `act` and waits until the layout it starts has finished and the view has settled. */
async function laidOut(p: Page, act: () => Promise<unknown>) {
  const before = await layouts(p);
  await act();
  await p.waitForFunction((n) => Number(document.querySelector('[data-testid="layout-choices"]')?.getAttribute('data-layouts')) > n, before, { timeout: 60_000 });
  await p.waitForTimeout(100);
  await settle(p);
}

interface Box { id: string; x: number; y: number; w: number; h: number }
interface Seg { a: { x: number; y: number }; b: { x: number; y: number } }

/** Node boxes and edge polylines, in flow coordinates, as drawn. */
async function drawn(p: Page) {
  return p.evaluate(() => {
    const boxes = [...document.querySelectorAll<HTMLElement>('.react-flow__node-layer, .react-flow__node-groupBox')].map((n) => {
      const m = /translate\(([-\d.]+)px,\s*([-\d.]+)px\)/.exec(n.style.transform);
      return { id: n.dataset.id ?? '', x: Number(m?.[1]), y: Number(m?.[2]), w: n.offsetWidth, h: n.offsetHeight };
    });
    const edges = [...document.querySelectorAll<SVGGElement>('.react-flow__edge')].map((g) => {
      const d = g.querySelector('path.react-flow__edge-path')?.getAttribute('d') ?? '';
      const nums = [...d.matchAll(/([MLQ])\s*([-\d.e]+)\s+([-\d.e]+)(?:\s+([-\d.e]+)\s+([-\d.e]+))?/g)];
      // Corner curves are tiny: their control point is the corner, so the polyline through M/L and Q control points is the route.
      const pts = nums.map((m) => ({ x: Number(m[2]), y: Number(m[3]) }));
      return { id: g.dataset.id ?? g.getAttribute('data-testid') ?? '', routed: g.querySelector('[data-routed]')?.getAttribute('data-routed'), pts };
    });
    return { boxes, edges };
  });
}

/** Does the axis-parallel segment pass through the inside of the box (2 px in from its edges)? */
function crosses(s: Seg, b: Box): boolean {
  const m = 2;
  const x0 = Math.min(s.a.x, s.b.x);
  const x1 = Math.max(s.a.x, s.b.x);
  const y0 = Math.min(s.a.y, s.b.y);
  const y1 = Math.max(s.a.y, s.b.y);
  return x1 > b.x + m && x0 < b.x + b.w - m && y1 > b.y + m && y0 < b.y + b.h - m;
}

async function noEdgeUnderABox(p: Page, ends: Map<string, string[]>) {
  const { boxes, edges } = await drawn(p);
  expect(edges.length).toBe(ends.size);
  const bad: string[] = [];
  for (const e of edges) {
    expect(e.routed, `edge ${e.id} is drawn along its ELK route`).toBe('elk');
    expect(e.pts.length, `edge ${e.id} has a path`).toBeGreaterThanOrEqual(2);
    const own = ends.get(e.id) ?? [];
    for (let i = 1; i < e.pts.length; i++) {
      const s = { a: e.pts[i - 1], b: e.pts[i] };
      for (const b of boxes) if (!own.includes(b.id) && crosses(s, b)) bad.push(`${e.id} crosses ${b.id}`);
    }
  }
  expect(bad).toEqual([]);
}

const fileEnds = (file: string) => {
  const g = JSON.parse(readFileSync(file, 'utf8')) as { edges: { id: string; source: string; target: string }[] };
  return new Map(g.edges.map((e) => [e.id, [e.source, e.target]]));
};

test('the residual examples lay out with every edge routed beside the boxes, top-down and left-right', async () => {
  for (const key of ['resnet18', 'resnet50']) {
    await laidOut(page, () => openExample(page, key));
    await noEdgeUnderABox(page, fileEnds(`examples/${key}.json`));
  }
  await laidOut(page, () => page.getByTestId('layout-direction').click());
  await noEdgeUnderABox(page, fileEnds('examples/resnet50.json'));
  await laidOut(page, () => page.getByTestId('layout-direction').click());
  expect(seen.errors).toEqual([]);
});

const importResnet = (p: Page) => laidOut(p, () => p.locator('input[type="file"]').first().setInputFiles(new URL('ts-resnet50.json', REFERENCE).pathname));

test('ResNet-50 imported flat: every skip connection is routed beside the blocks it passes, none under a box', async () => {
  await importResnet(page);
  await laidOut(page, () => page.getByTestId('groups-expand').click());
  // The layers never drawn before are laid out once more at their drawn size: then every edge follows a route.
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length === 192 && !document.querySelector('.react-flow__edge [data-routed="step"]'), null, { timeout: 30_000 });
  await settle(page);
  // The nodes off screen are drawn too (177 < the culling threshold), so every box is checked.
  const ends = await page.evaluate(() => {
    const out: [string, string[]][] = [];
    for (const g of document.querySelectorAll<SVGGElement>('.react-flow__edge')) {
      const id = g.dataset.id ?? '';
      // React Flow labels each edge `Edge from <source> to <target>`.
      const m = /^Edge from (.+) to (.+)$/.exec(g.getAttribute('aria-label') ?? '');
      out.push([id, [m?.[1] ?? '', m?.[2] ?? '']]);
    }
    return out;
  });
  expect(ends.length).toBe(192);
  await noEdgeUnderABox(page, new Map(ends));
  await screenshot(page, 'layout-ts-resnet50');
});

const groupState = (p: Page) => p.evaluate(() => Object.fromEntries([...document.querySelectorAll<HTMLElement>('[data-group]')].map((e) => [e.dataset.group, e.dataset.collapsed])));

test('ResNet-50 imported flat opens grouped: the stem, four stages and 16 blocks, the blocks collapsed; a block expands and collapses in place', async () => {
  await importResnet(page);
  const state = await groupState(page);
  const blocks = Object.keys(state).filter((k) => /^res\d[a-f]$/.test(k));
  expect(blocks.length).toBe(16);
  expect(blocks.every((b) => state[b] === 'yes')).toBe(true);
  expect(['stem', 'stage2', 'stage3', 'stage4', 'stage5'].map((k) => state[k])).toEqual(['no', 'no', 'no', 'no', 'no']);
  // 177 layers: the 6 of the stem and 3 after the last block are drawn, 168 sit in the 16 block boxes.
  expect(await page.locator('.react-flow__node-layer').count()).toBe(9);
  // res2a: conv 1·1·64·64 + 64 = 4,160; BN 4·64 = 256; conv 3·3·64·64 + 64 = 36,928; BN 256; conv 1·1·64·256 + 256 = 16,640;
  // BN 4·256 = 1,024; shortcut conv 1·1·64·256 + 256 = 16,640; BN 1,024: 4,160 + 256 + 36,928 + 256 + 16,640 + 1,024 + 16,640 + 1,024 = 76,928.
  await expect.poll(() => page.getByTestId('group-params-res2a').innerText()).toBe('76,928');
  const box = page.getByTestId('group-res2a');
  await expect.poll(() => box.innerText()).toContain('(None, 55, 55, 64)');
  await expect.poll(() => box.innerText()).toContain('(None, 55, 55, 256)');
  // Edges into and out of the box stay attached: the edge from max_pooling2d_1 now ends at the box.
  const into = await page.locator('.react-flow__edge[aria-label="Edge from max_pooling2d_1 to group:res2a"]').count();
  expect(into).toBeGreaterThan(0);
  await screenshot(page, 'groups-ts-resnet50-collapsed');
  await laidOut(page, () => page.getByTestId('group-toggle-res2a').click());
  expect((await groupState(page)).res2a).toBe('no');
  expect(await page.locator('.react-flow__node-layer').count()).toBe(9 + 12);
  await expect.poll(() => page.locator('[data-testid="node-res2a_branch1"]').count()).toBe(1);
  await screenshot(page, 'groups-ts-resnet50-res2a-open');
  await laidOut(page, () => page.getByTestId('group-toggle-res2a').click());
  expect((await groupState(page)).res2a).toBe('yes');
  expect(await page.locator('.react-flow__node-layer').count()).toBe(9);
  // Undo brings the open block back: the toggle and its layout were one edit.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await groupState(page)).res2a).toBe('no');
  expect(seen.errors).toEqual([]);
});

test('a selection becomes a group that collapses to one box and expands again', async () => {
  await laidOut(page, () => openExample(page, 'lenet5'));
  const ids = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.react-flow__node-layer')].map((n) => n.dataset.id ?? ''));
  expect(ids.length).toBeGreaterThan(4);
  await page.locator(`.react-flow__node[data-id="${ids[1]}"]`).click();
  await page.keyboard.down('Shift');
  await page.locator(`.react-flow__node[data-id="${ids[2]}"]`).click();
  await page.keyboard.up('Shift');
  await page.getByTestId('group-selection').click();
  await expect.poll(async () => (await groupState(page)).group1).toBe('no');
  await laidOut(page, () => page.getByTestId('group-toggle-group1').click());
  expect((await groupState(page)).group1).toBe('yes');
  expect(await page.locator('.react-flow__node-layer').count()).toBe(ids.length - 2);
  await expect.poll(() => page.getByTestId('group-group1').innerText()).toContain('2 layers');
  await laidOut(page, () => page.getByTestId('group-toggle-group1').click());
  expect(await page.locator('.react-flow__node-layer').count()).toBe(ids.length);
  expect(seen.errors).toEqual([]);
});

/** The zoom of the canvas now and the rendered size of a node's kind text, in screen pixels. */
async function legibility(p: Page) {
  return p.evaluate(() => {
    const v = document.querySelector<HTMLElement>('.react-flow__viewport')!;
    const zoom = Number(/scale\(([-\d.]+)\)/.exec(v.style.transform)?.[1] ?? 1);
    const kind = document.querySelector<HTMLElement>('.layer-kind');
    const px = kind ? kind.getBoundingClientRect().height : 0;
    const font = kind ? parseFloat(getComputedStyle(kind).fontSize) * zoom : 0;
    return { zoom, px, font };
  });
}

test('every example and every reference model opens with node text at a legible size', async () => {
  const examples = readdirSync('examples').filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
  const worst: string[] = [];
  for (const key of examples) {
    await laidOut(page, () => openExample(page, key));
    const l = await legibility(page);
    if (l.zoom < READABLE_ZOOM - 1e-6 || l.font < 9) worst.push(`${key}: zoom ${l.zoom.toFixed(2)}, text ${l.font.toFixed(1)} px`);
    if (key === 'resnet50') await screenshot(page, 'first-view-resnet50-example');
  }
  for (const f of readdirSync(REFERENCE).filter((x) => x.endsWith('.json'))) {
    await laidOut(page, () => page.locator('input[type="file"]').first().setInputFiles(new URL(f, REFERENCE).pathname));
    const l = await legibility(page);
    if (l.zoom < READABLE_ZOOM - 1e-6 || l.font < 9) worst.push(`${f}: zoom ${l.zoom.toFixed(2)}, text ${l.font.toFixed(1)} px`);
    if (f === 'ts-resnet50.json') await screenshot(page, 'first-view-ts-resnet50');
  }
  expect(worst).toEqual([]);
});

test('edges show the tensor shape they carry on hover, or always when the setting is on', async () => {
  await laidOut(page, () => openExample(page, 'resnet18'));
  const labels = page.locator('.edge-shape');
  expect(await labels.count()).toBe(0);
  await page.getByTestId('edge-shapes').check();
  await expect.poll(() => labels.count()).toBe(15);
  // input_1 → conv1_pad carries the input: (None, 224, 224, 3).
  expect(await page.getByTestId('edge-shape-e1').innerText()).toBe('(None, 224, 224, 3)');
  await page.getByTestId('edge-shapes').uncheck();
  await expect.poll(() => labels.count()).toBe(0);
  // Hover: the pointer on the middle of edge e2 (conv1_pad → conv1_conv, (None, 230, 230, 3)).
  const path = page.locator('.react-flow__edge[data-id="e2"] path.react-flow__edge-path');
  const mid = await path.evaluate((el) => {
    const p = el as SVGPathElement;
    const pt = p.getPointAtLength(p.getTotalLength() / 2);
    const m = p.getScreenCTM()!;
    return { x: pt.x * m.a + m.e, y: pt.y * m.d + m.f };
  });
  await page.mouse.move(mid.x, mid.y);
  await expect.poll(() => page.getByTestId('edge-shape-e2').count()).toBe(1);
  expect(await page.getByTestId('edge-shape-e2').innerText()).toBe('(None, 230, 230, 3)');
  await page.mouse.move(5, 5);
  await expect.poll(() => labels.count()).toBe(0);
});

test('ResNet-50 and ViT-B/16 open legible and coloured by an overlay: a collapsed block is tinted by its subtotal (the README pictures)', async () => {
  const colourBy = page.getByRole('combobox', { name: 'Colour the layers by' });
  await importResnet(page);
  const l = await legibility(page);
  expect(l.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM - 1e-6);
  await colourBy.selectOption('params');
  // res5a holds the most parameters of any box drawn: conv 1·1·1024·512 + 512 = 524,800; BN 4·512 = 2,048;
  // conv 3·3·512·512 + 512 = 2,359,808; BN 2,048; conv 1·1·512·2048 + 2048 = 1,050,624; BN 4·2048 = 8,192;
  // shortcut conv 1·1·1024·2048 + 2048 = 2,099,200; BN 8,192: 6,054,912, more than the classifier's 2048·1000 + 1000.
  await expect.poll(() => page.getByTestId('group-params-res5a').innerText()).toBe('6,054,912');
  const tint = (id: string) => page.getByTestId(`group-${id}`).getAttribute('data-tint');
  await expect.poll(() => tint('res5a')).toBe('#fd8d3c');
  // On the log scale a smaller block is lighter, but tinted.
  const res2b = await tint('res2b');
  expect(res2b).not.toBeNull();
  expect(res2b).not.toBe('#fd8d3c');
  // The pictures show the canvas, not the notice of the open.
  const dismiss = async () => {
    if (await page.getByTestId('notice').count()) await page.getByTestId('notice').getByRole('button', { name: 'Dismiss' }).click();
  };
  await dismiss();
  const shot = await screenshot(page, 'overlay-ts-resnet50');
  if (process.env.NETLOOM_UPDATE_DOCS) await copyFile(shot, new URL('../../docs/resnet50-overlay.png', import.meta.url));

  await laidOut(page, () => openExample(page, 'vit-b16'));
  const v = await legibility(page);
  expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM - 1e-6);
  expect(v.font).toBeGreaterThanOrEqual(9);
  await colourBy.selectOption('macs');
  await expect.poll(() => page.locator('.layer-node[data-tint]').count()).toBeGreaterThan(0);
  await dismiss();
  const vit = await screenshot(page, 'overlay-vit-b16');
  if (process.env.NETLOOM_UPDATE_DOCS) await copyFile(vit, new URL('../../docs/vit-overlay.png', import.meta.url));
  expect(seen.errors).toEqual([]);
});
