/**
 * The notes' temperature experiment in small: a Jena-style GRU(32) → Dense(1)
 * on 14-day windows of Seattle's daily weather predicting tomorrow's
 * temp_max, on the CPU backend. Validation loss must fall, and the MAE is
 * reported in °C beside the naive forecast "tomorrow = today".
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/engine/index.ts';
import { loadSeriesDataset, prepareSeries } from '../../src/data/index.ts';
import { nodeSource } from '../../src/data/source-node.ts';
import { buildModel, evaluateSeries, makeRunRecord, trainModel, windowData, type EpochProgress, type TrainSettings } from '../../src/train/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('GRU on seattle-weather temp_max: validation loss falls; MAE in °C beside the naive baseline', async () => {
  const series = await loadSeriesDataset(nodeSource(), 'seattle-weather');
  const data = prepareSeries(series, { nSteps: 14, horizon: 1, targets: ['temp_max'], split: { train: 0.7, val: 0.15 } });
  const b = new GraphBuilder('seattle-gru');
  const w = b.add('Window', { nSteps: 14, horizon: 1, stride: 1, features: data.features.length }, [], 'window');
  b.chain(w, [
    ['GRU', { units: 32, resetAfter: false }, 'gru_1'],
    ['Dense', { units: 1, activation: 'linear' }, 'dense_1'],
  ]);
  const model = buildModel(tf, b.build());
  const settings: TrainSettings = { optimizer: 'rmsprop', learningRate: 0.003, loss: 'mae', metrics: ['mse'], epochs: 4, batchSize: 32, seed: 1 };
  const epochs: EpochProgress[] = [];
  let batchEvents = 0;
  const before = await evaluateSeries(tf, model, data.val, data);
  const result = await trainModel(tf, model, { train: windowData(data.train), val: windowData(data.val) }, settings, {
    onEpoch: (e) => epochs.push(e),
    onBatch: () => batchEvents++,
  });
  const val = await evaluateSeries(tf, model, data.val, data);
  const test = await evaluateSeries(tf, model, data.test, data);
  const run = makeRunRecord({
    id: 'r1', label: 'GRU', model: { name: 'seattle-gru', params: model.countParams() }, settings, startedAt: new Date(), backend: tf.getBackend(),
    data: { dataset: 'seattle-weather', trainSamples: data.train.count, valSamples: data.val.count }, result, val, test,
  });
  model.dispose();
  console.log(
    `seattle temp_max, 14-day windows: val loss ${result.history.valLoss.map((v) => v.toFixed(3)).join(' → ')}; ` +
      `val MAE ${val.mae.toFixed(2)} °C (naive ${val.naiveMae.toFixed(2)} °C, untrained ${before.mae.toFixed(2)} °C), ` +
      `test MAE ${test.mae.toFixed(2)} °C (naive ${test.naiveMae.toFixed(2)} °C); ${result.seconds.toFixed(1)} s, ${result.samplesPerSecond.toFixed(0)} samples/s`,
  );
  expect(data.train.count).toBe(1023 - 14);
  expect(result.epochsRun).toBe(4);
  expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
  expect(batchEvents).toBe(4 * Math.ceil(data.train.count / 32));
  const v = result.history.valLoss;
  expect(Math.min(...v.slice(1))).toBeLessThan(v[0]);
  expect(v.at(-1)!).toBeLessThan(v[0]);
  // the model learnt something real: better than untrained, in the naive forecast's league (about 2.2 °C)
  expect(val.mae).toBeLessThan(before.mae);
  expect(val.mae).toBeLessThan(val.naiveMae * 1.35);
  expect(val.naiveMae).toBeGreaterThan(1.5);
  expect(val.naiveMae).toBeLessThan(3.5);
  expect(val.targets[0].predicted).toHaveLength(data.val.count);
  expect(run.final.valMae).toBe(val.mae);
  expect(run.final.testNaiveMae).toBe(test.naiveMae);
  expect(run.history.valLoss).toEqual(v);
}, 300_000);
