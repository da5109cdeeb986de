/** Data for training: CSV, built-in datasets, synthetic series, windows and splits. */
export * from './types.ts';
export * from './csv.ts';
export * from './random.ts';
export * from './synthetic.ts';
export * from './source.ts';
export * from './mnist.ts';
export * from './datasets.ts';
export * from './window.ts';
export * from './season.ts';
