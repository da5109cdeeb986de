/**
 * keras.applications.InceptionV3(include_top=True, weights=None, classes=1000)
 * at 299×299, as keras/src/applications/inception_v3.py builds it. Its
 * `conv2d_bn` helper is called without names, so every convolution, batch
 * normalisation, activation and pool carries Keras's automatic name, counted
 * in the order the source creates them; the mixed blocks are named.
 */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { conv2d, dense, finish, kerasNamer, pool2d } from './common.ts';

export function inceptionv3(): Graph {
  const b = new GraphBuilder('inceptionv3', {
    title: 'InceptionV3 (keras.applications)',
    description:
      'Inception v3 (Szegedy et al., 2016) exactly as keras.applications.InceptionV3 builds it at 299×299 (include_top=True, 1000 classes), layer for layer; ' +
      'unnamed layers carry the automatic names Keras gives them. Every convolution is conv2d_bn: Conv2D without bias, BatchNormalization with scale=False ' +
      '(so only beta is trained, and the moving mean and variance are not), then ReLU. ' +
      'It extends the lecture notes\' advice to prefer stacks of small kernels (lecture 05: two 3×3 see what one 5×5 sees, with 18 instead of 25 weights per channel pair) ' +
      'to factorised kernels: in mixed4 a 1×7 followed by a 7×1 convolution (128 channels) costs 7·128·128 + 7·128·192 = 286,720 weights, where one 7×7 convolution from 128 to 192 channels would cost 7·7·128·192 = 1,204,224. ' +
      'Of its 23,851,784 parameters, 34,432 are non-trainable: two per channel over the 17,216 channels of its 94 BatchNormalization layers.',
  });
  const auto = kerasNamer('tf2');
  const input = b.add('Input', { shape: [299, 299, 3] }, [], 'input_1');

  /** inception_v3.py `conv2d_bn(x, filters, rows, cols, padding='same', strides=(1, 1))`. */
  const cbr = (x: string, filters: number, rows: number, cols: number, padding: 'same' | 'valid' = 'same', strides = 1): string => {
    const c = b.add('Conv2D', conv2d(filters, [rows, cols], { strides, padding, useBias: false }), [x], auto('conv2d'));
    const n = b.add('BatchNormalization', { axis: -1, momentum: 0.99, epsilon: 1e-3, center: true, scale: false }, [c], auto('batch_normalization'));
    return b.add('Activation', { activation: 'relu' }, [n], auto('activation'));
  };
  const maxPool = (x: string) => b.add('MaxPooling2D', pool2d(3, 2), [x], auto('max_pooling2d'));
  const avgPool = (x: string) => b.add('AveragePooling2D', pool2d(3, 1, 'same'), [x], auto('average_pooling2d'));
  const concat = (xs: string[], name?: string) => b.add('Concatenate', { axis: -1 }, xs, name ?? auto('concatenate'));

  let x = cbr(input, 32, 3, 3, 'valid', 2);
  x = cbr(x, 32, 3, 3, 'valid');
  x = cbr(x, 64, 3, 3);
  x = maxPool(x);
  x = cbr(x, 80, 1, 1, 'valid');
  x = cbr(x, 192, 3, 3, 'valid');
  x = maxPool(x);

  // mixed0–2: 35×35.
  for (const [i, proj] of [[0, 32], [1, 64], [2, 64]] as const) {
    const b1 = cbr(x, 64, 1, 1);
    const b5 = cbr(cbr(x, 48, 1, 1), 64, 5, 5);
    const b3 = cbr(cbr(cbr(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
    const bp = cbr(avgPool(x), proj, 1, 1);
    x = concat([b1, b5, b3, bp], `mixed${i}`);
  }

  // mixed3: 35×35 → 17×17.
  {
    const b3 = cbr(x, 384, 3, 3, 'valid', 2);
    const bd = cbr(cbr(cbr(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 'valid', 2);
    const bp = maxPool(x);
    x = concat([b3, bd, bp], 'mixed3');
  }

  // mixed4–7: 17×17 with factorised 7×7 convolutions.
  for (const [i, c] of [[4, 128], [5, 160], [6, 160], [7, 192]] as const) {
    const b1 = cbr(x, 192, 1, 1);
    const b7 = cbr(cbr(cbr(x, c, 1, 1), c, 1, 7), 192, 7, 1);
    let bd = cbr(x, c, 1, 1);
    bd = cbr(bd, c, 7, 1);
    bd = cbr(bd, c, 1, 7);
    bd = cbr(bd, c, 7, 1);
    bd = cbr(bd, 192, 1, 7);
    const bp = cbr(avgPool(x), 192, 1, 1);
    x = concat([b1, b7, bd, bp], `mixed${i}`);
  }

  // mixed8: 17×17 → 8×8.
  {
    const b3 = cbr(cbr(x, 192, 1, 1), 320, 3, 3, 'valid', 2);
    let b7 = cbr(x, 192, 1, 1);
    b7 = cbr(b7, 192, 1, 7);
    b7 = cbr(b7, 192, 7, 1);
    b7 = cbr(b7, 192, 3, 3, 'valid', 2);
    const bp = maxPool(x);
    x = concat([b3, b7, bp], 'mixed8');
  }

  // mixed9–10: 8×8 with split 1×3 / 3×1 branches.
  for (const i of [0, 1]) {
    const b1 = cbr(x, 320, 1, 1);
    const b3in = cbr(x, 384, 1, 1);
    const b3 = concat([cbr(b3in, 384, 1, 3), cbr(b3in, 384, 3, 1)], `mixed9_${i}`);
    const bdIn = cbr(cbr(x, 448, 1, 1), 384, 3, 3);
    const bd = concat([cbr(bdIn, 384, 1, 3), cbr(bdIn, 384, 3, 1)]);
    const bp = cbr(avgPool(x), 192, 1, 1);
    x = concat([b1, b3, bd, bp], `mixed${9 + i}`);
  }

  b.chain(x, [
    ['GlobalAveragePooling2D', {}, 'avg_pool'],
    ['Dense', dense(1000, 'softmax'), 'predictions'],
  ]);
  return finish(b);
}
