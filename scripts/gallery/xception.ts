/**
 * keras.applications.Xception(include_top=True, weights=None, classes=1000)
 * at 299×299, as keras/src/applications/xception.py builds it. Its shortcut
 * convolutions and their BatchNormalization and Add layers have no names in
 * the source, so they carry Keras's automatic ones (conv2d, conv2d_1, …).
 */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { conv2d, dense, finish, kerasNamer, pool2d } from './common.ts';

/** xception.py leaves BatchNormalization at its defaults. */
const BN = { axis: -1, momentum: 0.99, epsilon: 1e-3 };
const sep = (filters: number) => ({ ...conv2d(filters, 3, { padding: 'same', useBias: false }), depthMultiplier: 1 });

export function xception(): Graph {
  const b = new GraphBuilder('xception', {
    title: 'Xception (keras.applications)',
    description:
      'Xception (Chollet, 2017) exactly as keras.applications.Xception builds it at 299×299 (include_top=True, 1000 classes), layer names included. ' +
      'Every convolution after the stem is a SeparableConv2D: a 3×3 depthwise filter per channel followed by a 1×1 pointwise convolution, the limit of the inception idea in which the lecture notes\' ' +
      '1×1 convolution (lecture 05) does all the channel mixing. In the middle flow a 728→728 separable convolution costs 3·3·728 + 728·728 = 536,536 weights instead of 3·3·728·728 = 4,769,856. ' +
      'The entry and exit flows add ResNet-style shortcuts (strided 1×1 convolutions where the size halves) to each block. ' +
      'Of its 22,910,480 parameters, 54,528 are the non-trainable moving statistics of its 40 BatchNormalization layers.',
  });
  const auto = kerasNamer('tf2');
  const bn = (x: string, name?: string) => b.add('BatchNormalization', BN, [x], name ?? auto('batch_normalization'));
  const relu = (x: string, name: string) => b.add('Activation', { activation: 'relu' }, [x], name);
  const sepBn = (x: string, filters: number, name: string) => bn(b.add('SeparableConv2D', sep(filters), [x], name), `${name}_bn`);
  const shortcut = (x: string, filters: number) =>
    bn(b.add('Conv2D', conv2d(filters, 1, { strides: 2, padding: 'same', useBias: false }), [x], auto('conv2d')));
  const add = (x: string, residual: string) => b.add('Add', {}, [x, residual], auto('add'));

  const input = b.add('Input', { shape: [299, 299, 3] }, [], 'input_1');
  let x = b.add('Conv2D', conv2d(32, 3, { strides: 2, useBias: false }), [input], 'block1_conv1');
  x = relu(bn(x, 'block1_conv1_bn'), 'block1_conv1_act');
  x = b.add('Conv2D', conv2d(64, 3, { useBias: false }), [x], 'block1_conv2');
  x = relu(bn(x, 'block1_conv2_bn'), 'block1_conv2_act');

  // Entry flow: block 2 starts without a ReLU (the stem ended with one).
  for (const [block, filters] of [[2, 128], [3, 256], [4, 728]] as const) {
    const residual = shortcut(x, filters);
    const p = `block${block}`;
    if (block !== 2) x = relu(x, `${p}_sepconv1_act`);
    x = sepBn(x, filters, `${p}_sepconv1`);
    x = relu(x, `${p}_sepconv2_act`);
    x = sepBn(x, filters, `${p}_sepconv2`);
    x = b.add('MaxPooling2D', pool2d(3, 2, 'same'), [x], `${p}_pool`);
    x = add(x, residual);
  }

  // Middle flow: eight identical blocks with identity shortcuts.
  for (let i = 0; i < 8; i++) {
    const residual = x;
    const p = `block${i + 5}`;
    for (let j = 1; j <= 3; j++) x = sepBn(relu(x, `${p}_sepconv${j}_act`), 728, `${p}_sepconv${j}`);
    x = add(x, residual);
  }

  // Exit flow.
  const residual = shortcut(x, 1024);
  x = sepBn(relu(x, 'block13_sepconv1_act'), 728, 'block13_sepconv1');
  x = sepBn(relu(x, 'block13_sepconv2_act'), 1024, 'block13_sepconv2');
  x = b.add('MaxPooling2D', pool2d(3, 2, 'same'), [x], 'block13_pool');
  x = add(x, residual);
  x = relu(sepBn(x, 1536, 'block14_sepconv1'), 'block14_sepconv1_act');
  x = relu(sepBn(x, 2048, 'block14_sepconv2'), 'block14_sepconv2_act');
  b.chain(x, [
    ['GlobalAveragePooling2D', {}, 'avg_pool'],
    ['Dense', dense(1000, 'softmax'), 'predictions'],
  ]);
  return finish(b);
}
