/**
 * A small CNN trained on 1,000 MNIST digits must beat 80% accuracy on 500
 * held-out digits (CPU backend), with a confusion matrix that adds up. The
 * held-out digits play no part in training or in choosing the epoch.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/engine/index.ts';
import { loadImageDataset } from '../../src/data/index.ts';
import { nodeSource } from '../../src/data/source-node.ts';
import { runImageExperiment } from '../../src/train/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('small CNN on 1,000 digits beats 80% on 500 held-out digits', async () => {
  const { train, test } = await loadImageDataset(nodeSource(), 'mnist', { train: 1000, test: 500, seed: 42 });
  const b = new GraphBuilder('mnist-cnn');
  const x = b.add('Input', { shape: [28, 28, 1] }, [], 'image');
  b.chain(x, [
    // pooling first keeps it cheap on the CPU backend: 14×14 → conv 12×12×16 → 6×6×16
    ['MaxPooling2D', { poolSize: [2, 2] }, 'pool_1'],
    ['Conv2D', { filters: 16, kernelSize: [3, 3], activation: 'relu' }, 'conv_1'],
    ['MaxPooling2D', { poolSize: [2, 2] }, 'pool_2'],
    ['Flatten', {}, 'flatten'],
    ['Dense', { units: 10, activation: 'softmax' }, 'digits'],
  ]);
  const { model, test: ev, record } = await runImageExperiment(tf, {
    graph: b.build(), train, test,
    settings: { optimizer: 'adam', learningRate: 0.005, loss: 'categoricalCrossentropy', metrics: ['accuracy'], epochs: 4, batchSize: 32, seed: 3 },
  });
  model.dispose();
  console.log(`MNIST CNN: training accuracy per epoch ${record.history.metrics.accuracy.map((a) => (a * 100).toFixed(1)).join(' → ')}%; held-out accuracy ${(ev.accuracy * 100).toFixed(1)}%; ${record.seconds.toFixed(1)} s`);
  expect(ev.accuracy).toBeGreaterThan(0.8);
  expect(ev.samples).toBe(500);
  expect(ev.confusion.flat().reduce((a, b) => a + b, 0)).toBe(500);
  expect(ev.confusion.map((row, i) => row[i]).reduce((a, b) => a + b, 0) / 500).toBeCloseTo(ev.accuracy, 10);
  // each row adds up to that digit's count among the test labels
  ev.confusion.forEach((row, d) => expect(row.reduce((a, b) => a + b, 0)).toBe(test.labels.filter((l) => l === d).length));
  expect(record.final.accuracy).toBe(ev.accuracy);
  expect(record.history.loss.at(-1)!).toBeLessThan(record.history.loss[0]);
}, 300_000);
