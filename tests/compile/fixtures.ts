/** Small graphs for compile tests, built with the engine's GraphBuilder. */
import { GraphBuilder, parseGraphText, type Graph } from '../../src/engine/index.ts';
import { readdirSync, readFileSync } from 'node:fs';

const EXAMPLES = new URL('../../examples/', import.meta.url);

/** Every example file, read at run time so new gallery examples are covered without editing tests. */
export const exampleFiles = (): string[] => readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')).sort();

export function loadExample(file: string): Graph {
  const loaded = parseGraphText(readFileSync(new URL(file, EXAMPLES), 'utf8'));
  if (!loaded.ok) throw new Error(`${file}: ${JSON.stringify(loaded.problems)}`);
  return loaded.graph;
}

/** LeNet-5 (LeCun 1998) on 32×32×1: 61,706 parameters. */
export function lenet5(): Graph {
  const b = new GraphBuilder('lenet5-fixture');
  const x = b.add('Input', { shape: [32, 32, 1] }, [], 'input');
  b.chain(x, [
    ['Conv2D', { filters: 6, kernelSize: [5, 5], activation: 'tanh' }, 'c1'],
    ['AveragePooling2D', { poolSize: [2, 2] }, 's2'],
    ['Conv2D', { filters: 16, kernelSize: [5, 5], activation: 'tanh' }, 'c3'],
    ['AveragePooling2D', { poolSize: [2, 2] }, 's4'],
    ['Flatten', {}, 'flatten'],
    ['Dense', { units: 120, activation: 'tanh' }, 'c5'],
    ['Dense', { units: 84, activation: 'tanh' }, 'f6'],
    ['Dense', { units: 10, activation: 'softmax' }, 'output'],
  ]);
  return b.build();
}

/** Two inputs (an image and a sequence window) and two outputs, to exercise multi-input runs. */
export function twoInTwoOut(): Graph {
  const b = new GraphBuilder('two-in-two-out');
  const img = b.add('Input', { shape: [8, 8, 3] }, [], 'image');
  const seq = b.add('Window', { nSteps: 12, horizon: 1, stride: 1, features: 4 }, [], 'window');
  const a = b.chain(img, [['Conv2D', { filters: 4, kernelSize: [3, 3] }, 'conv'], ['GlobalAveragePooling2D', {}, 'gap']]);
  const s = b.add('GRU', { units: 4, resetAfter: false }, [seq], 'gru');
  const m = b.add('Concatenate', {}, [a, s], 'merge');
  b.add('Dense', { units: 3 }, [m], 'head_a');
  b.add('Dense', { units: 1 }, [m], 'head_b');
  return b.build();
}
