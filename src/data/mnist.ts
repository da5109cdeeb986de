/**
 * MNIST digits from the `mnist` package: ten JSON files (`src/digits/N.json`,
 * `{ "data": [...] }`), each holding that digit's 28×28 images one after the
 * other, pixels already in [0, 1]; about 10,000 images in all. The package's
 * own `mnist.set()` shuffles with `Math.random`; netloom reads the files
 * itself and splits them with a seed, so runs repeat exactly.
 */
import { mnistFile, type DatasetSource } from './source.ts';
import { mulberry32, permutation } from './random.ts';
import { DataError, type ImageSet } from './types.ts';

export const MNIST_SIZE = 28;
const PIXELS = MNIST_SIZE * MNIST_SIZE;

/** Every digit's pixels, as the package stores them (one flat array per class). */
export async function loadMnistDigits(source: DatasetSource): Promise<Float32Array[]> {
  return Promise.all(
    Array.from({ length: 10 }, async (_, d) => {
      const json = JSON.parse(await source.text(mnistFile(d))) as { data?: number[] };
      if (!Array.isArray(json.data) || json.data.length % PIXELS !== 0) {
        throw new Error(`mnist digit ${d}: expected {"data": [...]} with a multiple of ${PIXELS} pixels; reinstall the mnist package`);
      }
      return Float32Array.from(json.data);
    }),
  );
}

export interface MnistSplitOptions {
  train: number;
  test: number;
  seed?: number;
}

/**
 * Disjoint, seeded train and test sets drawn from all digits
 * (images 28×28×1, labels 0–9).
 */
export function splitMnist(digits: Float32Array[], { train, test, seed = 1 }: MnistSplitOptions): { train: ImageSet; test: ImageSet } {
  const all: [digit: number, index: number][] = [];
  digits.forEach((px, d) => {
    for (let i = 0; i < px.length / PIXELS; i++) all.push([d, i]);
  });
  if (!(Number.isInteger(train) && train >= 1) || !(Number.isInteger(test) && test >= 0) || train + test > all.length) {
    throw new DataError(`train ${train} + test ${test}: choose whole numbers with train ≥ 1 and train + test ≤ ${all.length} (the images the package holds)`, { field: 'train' });
  }
  const order = permutation(all.length, mulberry32(seed));
  const make = (name: string, picks: number[]): ImageSet => {
    const pixels = new Float32Array(picks.length * PIXELS);
    const labels = new Int32Array(picks.length);
    picks.forEach((p, k) => {
      const [d, i] = all[p];
      pixels.set(digits[d].subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
      labels[k] = d;
    });
    return { name, count: picks.length, height: MNIST_SIZE, width: MNIST_SIZE, channels: 1, classes: 10, pixels, labels };
  };
  return { train: make('mnist train', order.slice(0, train)), test: make('mnist test', order.slice(train, train + test)) };
}

/** Reads the package's digits and returns seeded disjoint train and test sets. */
export async function loadMnist(source: DatasetSource, opts: MnistSplitOptions): Promise<{ train: ImageSet; test: ImageSet }> {
  return splitMnist(await loadMnistDigits(source), opts);
}
