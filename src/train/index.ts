/** Training: settings, the loop, evaluation against the naive forecast, run records and export. */
export * from './types.ts';
export * from './losses.ts';
export * from './train.ts';
export * from './data.ts';
export * from './evaluate.ts';
export * from './model.ts';
export * from './export.ts';
export * from './run.ts';
export * from './experiment.ts';
export * from './ladder.ts';
export * from './cpu-kernels.ts';
