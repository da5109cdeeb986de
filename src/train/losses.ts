/**
 * Losses and metrics as Keras computes them, written with the tf namespace
 * passed in (the training loop needs them as functions of tensors, and
 * `tf.losses.softmaxCrossEntropy` wants logits where netloom models end in
 * a softmax).
 */
import type * as tfType from '@tensorflow/tfjs';
import type { LossName, MetricName } from './types.ts';

type Tf = typeof tfType;
type T = tfType.Tensor;
export type LossFn = (yTrue: T, yPred: T) => tfType.Scalar;

/** Keras' epsilon: probabilities are clipped to [ε, 1 − ε] before the log. */
const EPS = 1e-7;

/** Crossentropy of probabilities (Keras `from_logits=False`), mean over samples. */
function crossentropy(tf: Tf, oneHot: T, probs: T): tfType.Scalar {
  const p = tf.clipByValue(tf.div(probs, tf.sum(probs, -1, true)), EPS, 1 - EPS);
  return tf.mean(tf.neg(tf.sum(tf.mul(oneHot, tf.log(p)), -1)));
}

/** Sparse labels (one integer per sample, any shape [n] or [n, 1]) as one-hot rows of the prediction's width. */
const oneHotOf = (tf: Tf, labels: T, probs: T) => tf.oneHot(tf.cast(tf.reshape(labels, [-1]), 'int32'), probs.shape[probs.shape.length - 1]!);

export function lossFn(tf: Tf, name: LossName): LossFn {
  switch (name) {
    case 'mse':
      return (y, p) => tf.mean(tf.square(tf.sub(p, tf.reshape(y, p.shape))));
    case 'mae':
      return (y, p) => tf.mean(tf.abs(tf.sub(p, tf.reshape(y, p.shape))));
    case 'categoricalCrossentropy':
      return (y, p) => crossentropy(tf, y, p);
    case 'sparseCategoricalCrossentropy':
      return (y, p) => crossentropy(tf, oneHotOf(tf, y, p), p);
  }
}

/** A metric as a scalar mean over the batch; `accuracy` reads labels the way the loss does. */
export function metricFn(tf: Tf, name: MetricName, loss: LossName): LossFn {
  switch (name) {
    case 'mae':
      return lossFn(tf, 'mae');
    case 'mse':
      return lossFn(tf, 'mse');
    case 'accuracy':
      if (loss === 'sparseCategoricalCrossentropy') {
        return (y, p) => tf.mean(tf.cast(tf.equal(tf.cast(tf.reshape(y, [-1]), 'int32'), tf.argMax(p, -1)), 'float32'));
      }
      return (y, p) => tf.mean(tf.cast(tf.equal(tf.argMax(y, -1), tf.argMax(p, -1)), 'float32'));
  }
}
