/** The built-in datasets read from the installed packages, and the seeded synthetic series. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DATASETS, loadImageDataset, loadSeriesDataset, randomWalk, sineSeries, windowCount } from '../../src/data/index.ts';
import { nodeSource } from '../../src/data/source-node.ts';
import { BUNDLED_FILES, browserSource } from '../../src/data/source-browser.ts';
import { fileKey } from '../../src/data/source.ts';

const source = nodeSource();

describe('built-in series', () => {
  it('seattle-weather: 1,461 days in date order with the four numeric columns', async () => {
    const s = await loadSeriesDataset(source, 'seattle-weather');
    expect(s.columns).toEqual(['precipitation', 'temp_max', 'temp_min', 'wind']);
    expect(s.rows.length).toBe(1461);
    expect(s.order![0]).toBe('2012-01-01');
    expect(s.order!.at(-1)).toBe('2015-12-31');
    expect(s.rows[0]).toEqual([0, 12.8, 5, 4.7]); // the file's first data row
    const tmax = s.rows.map((r) => r[1]);
    expect(Math.max(...tmax)).toBeLessThan(40);
    expect(windowCount(s.rows.length, 14, 1)).toBe(1461 - 14);
  });

  it('hourly normals, sp500 and one stock symbol', async () => {
    const h = await loadSeriesDataset(source, 'seattle-weather-hourly-normals');
    expect(h.columns).toEqual(['pressure', 'temperature', 'wind']);
    expect(h.rows.length).toBe(8759);
    const sp = await loadSeriesDataset(source, 'sp500');
    expect(sp.rows.length).toBe(123);
    expect(sp.rows[0]).toEqual([1394.46]);
    const goog = await loadSeriesDataset(source, 'stocks', { pick: 'GOOG' });
    expect(goog.rows.length).toBe(68);
    const msft = await loadSeriesDataset(source, 'stocks');
    expect(msft.rows[0]).toEqual([39.81]);
    await expect(loadSeriesDataset(source, 'stocks', { pick: 'XYZ' })).rejects.toThrow(/^symbol: "XYZ" is not in stocks; choose one of MSFT/);
    await expect(loadSeriesDataset(source, 'nope')).rejects.toThrow(/^dataset: no built-in dataset "nope"/);
  });

  it('every series file the catalog names is bundled for the browser', () => {
    for (const d of DATASETS) if (d.kind === 'series') expect(BUNDLED_FILES).toContain(fileKey(d.file));
    for (let i = 0; i < 10; i++) expect(BUNDLED_FILES).toContain(`mnist/src/digits/${i}.json`);
  });

  it('the browser source\'s asset URLs point at the package files (fetch served from disk)', async () => {
    const served: string[] = [];
    const diskFetch = (async (url: URL) => {
      served.push(url.pathname);
      return new Response(await readFile(fileURLToPath(url)));
    }) as unknown as typeof fetch;
    const viaBrowser = await loadSeriesDataset(browserSource(diskFetch), 'seattle-weather');
    expect(viaBrowser).toEqual(await loadSeriesDataset(source, 'seattle-weather'));
    expect(served[0]).toMatch(/node_modules\/vega-datasets\/data\/seattle-weather\.csv$/);
    const missing = browserSource((async () => new Response('', { status: 404 })) as unknown as typeof fetch);
    await expect(missing.text({ pkg: 'vega-datasets', path: 'data/sp500.csv' })).rejects.toThrow(/sp500\.csv: the server answered 404/);
    await expect(browserSource(diskFetch).text({ pkg: 'vega-datasets', path: 'data/cars.json' })).rejects.toThrow(/not bundled with the app/);
  });
});

describe('MNIST', () => {
  it('seeded disjoint train and test sets of 28×28 digits with every class', async () => {
    const a = await loadImageDataset(source, 'mnist', { train: 300, test: 100, seed: 7 });
    const b = await loadImageDataset(source, 'mnist', { train: 300, test: 100, seed: 7 });
    expect(a.train.count).toBe(300);
    expect(a.test.pixels.length).toBe(100 * 784);
    expect(a.train.labels).toEqual(b.train.labels);
    expect(new Set(a.train.labels).size).toBe(10);
    const max = a.train.pixels.reduce((m, v) => Math.max(m, v), 0);
    expect(max).toBeGreaterThan(0.9);
    expect(max).toBeLessThanOrEqual(1);
    // no test image is also a training image
    const key = (px: Float32Array, i: number) => px.subarray(i * 784, (i + 1) * 784).join(',');
    const trainKeys = new Set(Array.from({ length: 300 }, (_, i) => key(a.train.pixels, i)));
    for (let i = 0; i < 100; i++) expect(trainKeys.has(key(a.test.pixels, i))).toBe(false);
  });
});

describe('synthetic series', () => {
  it('are the same for the same seed and differ for another', () => {
    expect(sineSeries({ seed: 3 }).rows).toEqual(sineSeries({ seed: 3 }).rows);
    expect(sineSeries({ seed: 3 }).rows).not.toEqual(sineSeries({ seed: 4 }).rows);
    expect(randomWalk({ length: 50, seed: 2 }).rows).toEqual(randomWalk({ length: 50, seed: 2 }).rows);
  });

  it('a noiseless sine is exactly the sine; a walk starts at its start and its steps have the asked spread', () => {
    const s = sineSeries({ length: 100, period: 20, noise: 0 });
    s.rows.forEach(([v], t) => expect(v).toBeCloseTo(Math.sin((2 * Math.PI * t) / 20), 12));
    const w = randomWalk({ length: 5001, start: 10, step: 2, seed: 9 });
    expect(w.rows[0][0]).toBe(10);
    const steps = w.rows.slice(1).map((r, i) => r[0] - w.rows[i][0]);
    const sd = Math.sqrt(steps.reduce((a, x) => a + x * x, 0) / steps.length);
    expect(sd).toBeGreaterThan(1.9);
    expect(sd).toBeLessThan(2.1);
    expect(() => sineSeries({ length: 1 })).toThrow(/^length:/);
  });
});
