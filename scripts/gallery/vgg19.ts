/** keras.applications.VGG19(include_top=True, weights=None, classes=1000), names included. */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { conv2d, dense, finish, pool2d } from './common.ts';

export function vgg19(): Graph {
  const b = new GraphBuilder('vgg19', {
    title: 'VGG19 (keras.applications)',
    description:
      'VGG19 (Simonyan and Zisserman, 2014) exactly as keras.applications.VGG19 builds it (include_top=True, 1000 classes), layer names included: ' +
      'sixteen 3×3 same-padded convolutions in five blocks of 2, 2, 4, 4 and 4, each block closed by a 2×2 max-pool, then fc1, fc2 and predictions. ' +
      'The lecture notes (lecture 05, "why 3×3?") explain the choice: two stacked 3×3 convolutions see the same 5×5 field as one 5×5 convolution with 2·9 = 18 instead of 25 weights per channel pair, ' +
      'and each extra 3×3 layer adds a ReLU. The three convolutions VGG19 adds to VGG16 (block3_conv4, block4_conv4, block5_conv4) cost 3·3·256·256 + 256 + 2·(3·3·512·512 + 512) = 5,309,696 parameters; ' +
      'still, fc1 alone (7·7·512·4096 + 4096 = 102,764,544) holds 72% of the 143,667,240.',
  });
  let x = b.add('Input', { shape: [224, 224, 3] }, [], 'input_1');
  const blocks: [filters: number, convs: number][] = [[64, 2], [128, 2], [256, 4], [512, 4], [512, 4]];
  blocks.forEach(([filters, convs], i) => {
    for (let j = 1; j <= convs; j++) x = b.add('Conv2D', conv2d(filters, 3, { padding: 'same', activation: 'relu' }), [x], `block${i + 1}_conv${j}`);
    x = b.add('MaxPooling2D', pool2d(2, 2), [x], `block${i + 1}_pool`);
  });
  b.chain(x, [
    ['Flatten', {}, 'flatten'],
    ['Dense', dense(4096, 'relu'), 'fc1'],
    ['Dense', dense(4096, 'relu'), 'fc2'],
    ['Dense', dense(1000, 'softmax'), 'predictions'],
  ]);
  return finish(b);
}
