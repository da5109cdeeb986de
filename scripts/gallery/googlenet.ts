/**
 * GoogLeNet / Inception v1 (Szegedy et al., 2015) with the filter counts of
 * the paper's Table 1, as Caffe's bvlc_googlenet deploys it (no auxiliary
 * classifiers); names follow that model with `/` written as `_`.
 */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { conv2d, dense, finish, pool2d } from './common.ts';

/** One row of Table 1: #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj. */
export type InceptionRow = [c1: number, r3: number, c3: number, r5: number, c5: number, proj: number];

/** Table 1 of "Going deeper with convolutions", inception rows in network order. */
export const TABLE_1: Readonly<Record<string, InceptionRow>> = {
  '3a': [64, 96, 128, 16, 32, 32],
  '3b': [128, 128, 192, 32, 96, 64],
  '4a': [192, 96, 208, 16, 48, 64],
  '4b': [160, 112, 224, 24, 64, 64],
  '4c': [128, 128, 256, 24, 64, 64],
  '4d': [112, 144, 288, 32, 64, 64],
  '4e': [256, 160, 320, 32, 128, 128],
  '5a': [256, 160, 320, 32, 128, 128],
  '5b': [384, 192, 384, 48, 128, 128],
};

const relu = { padding: 'same' as const, activation: 'relu' };

/** Four branches on one input, joined along channels in the paper's order. */
function inception(b: GraphBuilder, x: string, id: string, [c1, r3, c3, r5, c5, proj]: InceptionRow): string {
  const n = `inception_${id}`;
  const one = b.add('Conv2D', conv2d(c1, 1, relu), [x], `${n}_1x1`);
  const three = b.add('Conv2D', conv2d(c3, 3, relu), [b.add('Conv2D', conv2d(r3, 1, relu), [x], `${n}_3x3_reduce`)], `${n}_3x3`);
  const five = b.add('Conv2D', conv2d(c5, 5, relu), [b.add('Conv2D', conv2d(r5, 1, relu), [x], `${n}_5x5_reduce`)], `${n}_5x5`);
  const pool = b.add('Conv2D', conv2d(proj, 1, relu), [b.add('MaxPooling2D', pool2d(3, 1, 'same'), [x], `${n}_pool`)], `${n}_pool_proj`);
  return b.add('Concatenate', { axis: -1 }, [one, three, five, pool], `${n}_output`);
}

export function googlenet(): Graph {
  const b = new GraphBuilder('googlenet', {
    title: 'GoogLeNet / Inception v1 (Szegedy et al., 2015)',
    description:
      'GoogLeNet with the filter counts of Table 1 of "Going deeper with convolutions" (224×224×3, nine inception modules, no auxiliary classifiers), ' +
      "layer for layer as Caffe's bvlc_googlenet deploys it: Conv2D with bias and ReLU, no batch normalisation; local response normalisation is left out because it has no parameters. " +
      'Its 6,998,552 parameters are fewer than AlexNet\'s 60M because of the lecture notes\' point about 1×1 convolutions (lecture 05, GoogLeNet): a 1×1 "reduce" convolution shrinks the channels before each 3×3 and 5×5. ' +
      'In inception 3a (28×28×192 input) the 3×3 branch costs 1·1·192·96 + 3·3·96·128 = 18,432 + 110,592 = 129,024 weights, where a direct 3×3·192·128 would cost 221,184; ' +
      'the 5×5 branch costs 1·1·192·16 + 5·5·16·32 = 3,072 + 12,800 = 15,872 instead of 5·5·192·32 = 153,600. ' +
      'Without reductions the two branches would need 374,784 weights instead of 144,896 (2.6×), and the saving compounds as the modules feed each other. ' +
      'The classifier replaces fully connected layers by a 7×7 average pool, so the last Dense layer holds only 1024·1000 + 1000 = 1,025,000 parameters.',
  });
  const input = b.add('Input', { shape: [224, 224, 3] }, [], 'data');
  let x = b.chain(input, [
    ['Conv2D', conv2d(64, 7, { strides: 2, ...relu }), 'conv1_7x7_s2'],
    ['MaxPooling2D', pool2d(3, 2, 'same'), 'pool1_3x3_s2'],
    ['Conv2D', conv2d(64, 1, relu), 'conv2_3x3_reduce'],
    ['Conv2D', conv2d(192, 3, relu), 'conv2_3x3'],
    ['MaxPooling2D', pool2d(3, 2, 'same'), 'pool2_3x3_s2'],
  ]);
  for (const [id, row] of Object.entries(TABLE_1)) {
    x = inception(b, x, id, row);
    if (id === '3b') x = b.add('MaxPooling2D', pool2d(3, 2, 'same'), [x], 'pool3_3x3_s2');
    if (id === '4e') x = b.add('MaxPooling2D', pool2d(3, 2, 'same'), [x], 'pool4_3x3_s2');
  }
  b.chain(x, [
    ['AveragePooling2D', pool2d(7, 1), 'pool5_7x7_s1'],
    ['Dropout', { rate: 0.4 }, 'pool5_drop_7x7_s1'],
    ['Flatten', {}, 'flatten'],
    ['Dense', dense(1000, 'softmax'), 'loss3_classifier'],
  ]);
  return finish(b);
}
