/**
 * Training bench (`npx tsx bench/train.bench.ts`, or part of `npm run bench`),
 * Node and TF.js's CPU backend only:
 *
 *   - training throughput (samples/s, forward + backward + Adam step) of the
 *     Jena GRU (examples/jena-gru.json: 240 steps × 14 features) on random
 *     windows, and of a small MNIST CNN on real digits; the first epoch is a
 *     warm-up and is not counted;
 *   - data preparation: `prepareSeries` (split, training statistics,
 *     windows) of the 8,759-row Seattle hourly normals with 24-hour windows.
 *
 * The browser backends (webgpu, webgl) are measured in Chromium by the
 * compile bench's harness; this file gives the CPU reference in Node.
 * Merges a `train` section into bench/results.json.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { GraphBuilder, parseGraphText, type Graph } from '../src/engine/index.ts';
import { loadImageDataset, loadSeriesDataset, mulberry32, normal, prepareSeries } from '../src/data/index.ts';
import { nodeSource } from '../src/data/source-node.ts';
import { buildModel, imageData, trainModel, type TrainData } from '../src/train/index.ts';
import { mergeResults, printTable, type Target } from './results.ts';

const r1 = (x: number) => Math.round(x * 10) / 10;

async function throughput(graph: Graph, data: TrainData, batchSize: number, loss: 'mse' | 'sparseCategoricalCrossentropy'): Promise<{ samplesPerSecond: number; seconds: number }> {
  const model = buildModel(tf, graph, 1);
  const settings = { optimizer: 'adam' as const, learningRate: 0.001, loss, batchSize, seed: 1 };
  await trainModel(tf, model, { train: data }, { ...settings, epochs: 1 }); // warm-up: kernels, JIT
  const r = await trainModel(tf, model, { train: data }, { ...settings, epochs: 2 });
  model.dispose();
  return { samplesPerSecond: r1(r.samplesPerSecond), seconds: r1(r.seconds) };
}

function randomWindows(count: number, nSteps: number, features: number): TrainData {
  const rng = mulberry32(7);
  return {
    count, xShape: [nSteps, features], yShape: [1],
    x: Float32Array.from({ length: count * nSteps * features }, () => normal(rng)),
    y: Float32Array.from({ length: count }, () => normal(rng)),
  };
}

async function main() {
  await tf.setBackend('cpu');
  const source = nodeSource();
  const jena = parseGraphText(readFileSync(new URL('../examples/jena-gru.json', import.meta.url), 'utf8'));
  if (!jena.ok) throw new Error('examples/jena-gru.json does not load');
  const gru = await throughput(jena.graph, randomWindows(64, 240, 14), 32, 'mse');

  const { train } = await loadImageDataset(source, 'mnist', { train: 256, test: 0, seed: 1 });
  const b = new GraphBuilder('mnist-cnn');
  b.chain(b.add('Input', { shape: [28, 28, 1] }, [], 'image'), [
    ['MaxPooling2D', { poolSize: [2, 2] }], ['Conv2D', { filters: 16, kernelSize: [3, 3], activation: 'relu' }],
    ['MaxPooling2D', { poolSize: [2, 2] }], ['Flatten', {}], ['Dense', { units: 10, activation: 'softmax' }],
  ]);
  const cnn = await throughput(b.build(), imageData(train), 32, 'sparseCategoricalCrossentropy');

  const hourly = await loadSeriesDataset(source, 'seattle-weather-hourly-normals');
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    prepareSeries(hourly, { nSteps: 24, horizon: 24, targets: ['temperature'] });
    times.push(performance.now() - t0);
  }
  const prepareMs = r1([...times].sort((x, y) => x - y)[2]);

  printTable([
    ['training on cpu (Node)', 'samples/s', 'seconds (2 epochs)'],
    ['Jena GRU (240×14 → GRU 32 → 1), 64 windows', String(gru.samplesPerSecond), String(gru.seconds)],
    ['small CNN on MNIST (5,930 params), 256 digits', String(cnn.samplesPerSecond), String(cnn.seconds)],
  ]);
  console.log(`prepareSeries, hourly normals (8,759 rows, nSteps 24, horizon 24): median ${prepareMs} ms of 5`);

  const targets: Target[] = [{
    id: 'train.prepareHourlyMs', bench: 'train', description: 'split + normalise + window 8,759 rows (nSteps 24), median',
    value: prepareMs, target: '< 100 ms', pass: prepareMs < 100,
  }];
  mergeResults({
    train: {
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`,
      backend: tf.getBackend(),
      jenaGruCpuSamplesPerSecond: gru.samplesPerSecond,
      mnistCnnCpuSamplesPerSecond: cnn.samplesPerSecond,
      prepareHourlyMs: prepareMs,
    },
  }, targets);
}

await main();
