/**
 * The notes' temperature experiment in small: a Jena-style GRU(32) → Dense(1)
 * on 14-day windows of Seattle's daily weather predicting tomorrow's
 * temp_max, on the CPU backend, through the same call the editor's Train
 * button makes. Validation loss must fall, and the MAE is reported in °C
 * beside the naive forecast "tomorrow = today", which one day ahead is
 * nearly unbeatable; temperature-ladder.test.ts forecasts 3 days ahead, where
 * the GRU clearly wins.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/engine/index.ts';
import { loadSeriesDataset } from '../../src/data/index.ts';
import { nodeSource } from '../../src/data/source-node.ts';
import { runSeriesExperiment, type EpochProgress } from '../../src/train/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('GRU on seattle-weather temp_max: validation loss falls; MAE in °C beside the naive baseline', async () => {
  const series = await loadSeriesDataset(nodeSource(), 'seattle-weather');
  const b = new GraphBuilder('seattle-gru', { title: 'GRU' });
  const w = b.add('Window', { nSteps: 14, horizon: 1, stride: 1, features: 4 }, [], 'window');
  b.chain(w, [
    ['GRU', { units: 32, resetAfter: false }, 'gru_1'],
    ['Dense', { units: 1, activation: 'linear' }, 'dense_1'],
  ]);
  const epochs: EpochProgress[] = [];
  let batchEvents = 0;
  const { model, data, val, test, record } = await runSeriesExperiment(tf, {
    graph: b.build(), series, targets: ['temp_max'], split: { train: 0.7, val: 0.15 },
    settings: { optimizer: 'rmsprop', learningRate: 0.003, loss: 'mae', metrics: ['mse'], epochs: 4, batchSize: 32, seed: 1 },
  }, { onEpoch: (e) => epochs.push(e), onBatch: () => batchEvents++ });
  model.dispose();
  const v = record.history.valLoss;
  // climatology: always predict the training part's mean temp_max
  const tmax = data.stats.mean[1];
  const climatology = val.targets[0].actual.reduce((s, a) => s + Math.abs(a - tmax), 0) / val.samples;
  console.log(
    `seattle temp_max, 14-day windows: val loss ${v.map((x) => x.toFixed(3)).join(' → ')} (best epoch ${record.bestEpoch}); ` +
      `val MAE ${val.mae.toFixed(2)} °C (naive ${val.naiveMae.toFixed(2)} °C, training mean ${climatology.toFixed(2)} °C), ` +
      `test MAE ${test!.mae.toFixed(2)} °C (naive ${test!.naiveMae.toFixed(2)} °C); ${record.seconds.toFixed(1)} s`,
  );
  expect(record.data.ranges!.map((r) => [r.part, r.from, r.to])).toEqual([
    ['train', '2012-01-01', '2014-10-19'], ['val', '2014-10-20', '2015-05-26'], ['test', '2015-05-27', '2015-12-31'],
  ]);
  expect(data.train.count).toBe(1023 - 14);
  expect(record.epochsRun).toBe(4);
  expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
  expect(batchEvents).toBe(4 * Math.ceil(data.train.count / 32));
  expect(Math.min(...v.slice(1))).toBeLessThan(v[0]);
  // it learnt the weather: far better than the seasonal mean, in the naive forecast's league (about 2.2 °C)
  expect(val.mae).toBeLessThan(climatology * 0.8);
  expect(val.mae).toBeLessThan(val.naiveMae * 1.35);
  expect(val.naiveMae).toBeGreaterThan(1.5);
  expect(val.naiveMae).toBeLessThan(3.5);
  expect(val.targets[0].predicted).toHaveLength(data.val.count);
  expect(record.final.valMae).toBe(val.mae);
  expect(record.final.testNaiveMae).toBe(test!.naiveMae);
}, 300_000);
