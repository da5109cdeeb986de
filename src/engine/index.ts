/** netloom's engine: graph, layer specs, shapes, parameters and cost. No React, no tfjs. */
export * from './types.ts';
export * from './limits.ts';
export * from './text.ts';
export * from './params.ts';
export * from './layer.ts';
export * from './layers/index.ts';
export * from './graph.ts';
export * from './blocks.ts';
export * from './analyze.ts';
export * from './formula.ts';
export * from './format.ts';
export * from './file.ts';
export * from './schema.ts';
export * from './summary.ts';
export * from './receptive.ts';
export * from './builder.ts';
export * from './layout.ts';
