/**
 * Transformers in TF.js on the CPU backend: the keras.io text classifier and
 * a small ViT compile through netloom's own attention layers, TF.js's
 * per-layer shapes and counts equal the engine's, and a few Adam steps on a
 * fixed batch lower the loss (so the gradients reach every weight the model
 * trains, through attention too).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.ts';
import { verify } from '../../src/compile/verify.ts';
import type { Graph } from '../../src/engine/index.ts';
import { vit } from '../../scripts/gallery/transformers.ts';
import { installCpuKernels } from '../../src/train/cpu-kernels.ts';
import { loadExample } from './fixtures.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  // As netloom's training does on the CPU backend: without it one step of the 20,000-token embedding takes minutes.
  installCpuKernels(tf);
});

/** Loss of each of `steps` Adam steps on one fixed batch. */
type Loss = string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor);

/** Cross-entropy on logits (a head without softmax), for one-hot labels. */
const logitsLoss: Loss = (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue as tf.Tensor2D, yPred as tf.Tensor2D);

async function lossesOnOneBatch(graph: Graph, x: tf.Tensor, y: tf.Tensor, steps: number, loss: Loss = 'sparseCategoricalCrossentropy'): Promise<number[]> {
  const { model, analysis } = compile(tf, graph);
  try {
    const v = verify(model, analysis);
    expect(v.rows.filter((r) => !r.ok), 'layers whose shape or count differ from TF.js').toEqual([]);
    expect(v.total.tfParams).toBe(analysis.totals.params);
    model.compile({ optimizer: tf.train.adam(3e-3), loss });
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) losses.push(Number(await model.trainOnBatch(x, y)));
    return losses;
  } finally {
    model.dispose();
  }
}

describe('Transformers compile, verify and train in TF.js', () => {
  it('examples/transformer-text-classifier.json: 657,758 parameters, and 8 steps lower the loss', async () => {
    const graph = loadExample('transformer-text-classifier.json');
    const batch = 8;
    const ids = tf.tidy(() => tf.randomUniform([batch, 200], 0, 20000, 'int32').toFloat());
    const labels = tf.tensor1d([0, 1, 0, 1, 1, 0, 1, 0]);
    const losses = await lossesOnOneBatch(graph, ids, labels, 8);
    tf.dispose([ids, labels]);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.8);
  }, 120_000);

  it('a small ViT (32×32 images, 8×8 patches, d 32, 2 heads, 2 layers): the loss falls', async () => {
    const graph = vit({ image: 32, patch: 8, channels: 3, d: 32, heads: 2, ff: 64, layers: 2, classes: 4 }, {
      name: 'vit-small', title: 'small ViT', description: '',
    });
    const batch = 8;
    const images = tf.tidy(() => tf.randomNormal([batch, 32, 32, 3]));
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4).toFloat();
    const losses = await lossesOnOneBatch(graph, images, labels, 10, logitsLoss);
    tf.dispose([images, labels]);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.8);
  }, 120_000);
});
