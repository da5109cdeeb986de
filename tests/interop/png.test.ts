/**
 * PNG export runs only in a browser: the SVG diagram is drawn onto a canvas
 * in Debian's Chromium (headless) by the same `svgToPng` the editor calls, and
 * the result must be a PNG of twice the diagram's size with the boxes drawn.
 */
import { readFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGraphText } from '../../src/engine/index.ts';
import { svgToPng } from '../../src/interop/export-png.ts';
import { toSvg } from '../../src/interop/export-svg.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--no-first-run'] });
});

afterAll(async () => {
  await browser?.close();
});

describe('PNG export (browser only)', () => {
  it('refuses to run without a browser canvas, pointing to SVG', async () => {
    await expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg"/>')).rejects.toThrow(/export SVG instead/);
  });

  it('draws the diagram at 2× onto a canvas and encodes a PNG', async () => {
    const loaded = parseGraphText(readFileSync(new URL('../../examples/jena-gru.json', import.meta.url), 'utf8'));
    if (!loaded.ok) throw new Error('example did not load');
    const svg = toSvg(loaded.graph);
    const [, w, h] = /width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"/.exec(svg)!.map(Number);
    const page = await browser.newPage();
    await page.setContent('<!doctype html><body></body>');
    // The function's own compiled source runs in the page: it imports nothing.
    const out = await page.evaluate(async ([src, text]) => {
      const fn = new Function(`return (${src})`)() as (svg: string, scale?: number) => Promise<Blob>;
      const blob = await fn(text, 2);
      const bytes = new Uint8Array(await blob.arrayBuffer());
      const bmp = await createImageBitmap(blob);
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const ctx = c.getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      const px = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
      let dark = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i] < 128 && px[i + 1] < 128 && px[i + 2] < 128) dark++;
      return { type: blob.type, head: [...bytes.slice(0, 8)], width: bmp.width, height: bmp.height, dark };
    }, [svgToPng.toString(), svg] as const);
    await page.close();
    expect(out.type).toBe('image/png');
    expect(out.head).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect([out.width, out.height]).toEqual([Math.ceil(w * 2), Math.ceil(h * 2)]);
    expect(out.dark).toBeGreaterThan(1000); // text and box outlines were drawn
  });
});
