/**
 * The whole series path on a seeded noisy sine, quick enough to run always:
 * a Dense baseline over Window → Flatten learns the wave and must clearly
 * beat "tomorrow = today", with the numbers in the data's units and runs that
 * repeat exactly for the same seed.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/engine/index.ts';
import { sineSeries } from '../../src/data/index.ts';
import { compareRuns, runSeriesExperiment, type TrainSettings } from '../../src/train/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function denseBaseline() {
  const b = new GraphBuilder('sine-dense', { title: 'Dense baseline' });
  const w = b.add('Window', { nSteps: 10, horizon: 3, stride: 1, features: 1 }, [], 'window');
  b.chain(w, [['Flatten', {}, 'flatten'], ['Dense', { units: 16, activation: 'relu' }, 'hidden'], ['Dense', { units: 1, activation: 'linear' }, 'out']]);
  return b.build();
}

it('a Dense baseline on a noisy sine beats the naive forecast; the same seed repeats the run', async () => {
  const series = sineSeries({ length: 600, period: 25, amplitude: 10, noise: 0.3, seed: 2 });
  const settings: TrainSettings = { optimizer: 'adam', learningRate: 0.01, loss: 'mse', metrics: ['mae'], epochs: 15, batchSize: 32, seed: 4 };
  const run = () => runSeriesExperiment(tf, { graph: denseBaseline(), series, settings });
  const a = await run();
  const b = await run();
  a.model.dispose();
  b.model.dispose();
  expect(a.record.data.window).toEqual({ nSteps: 10, horizon: 3, stride: 1, features: ['value'], targets: ['value'] });
  // three steps ahead on a 25-step wave of amplitude 10, "the same as now" is off by several units
  expect(a.val.naiveMae).toBeGreaterThan(3);
  expect(a.val.mae).toBeLessThan(a.val.naiveMae / 3);
  expect(a.test!.mae).toBeLessThan(a.test!.naiveMae / 3);
  expect(b.record.history).toEqual(a.record.history);
  expect(b.val.mae).toBe(a.val.mae);
  const table = compareRuns([a.record]);
  expect(table[1][0]).toBe('Dense baseline');
  expect(Number(table[1][4])).toBeCloseTo(a.val.mae, 2);
}, 120_000);
