/** LeNet-5 (LeCun et al., 1998) as it is usually written in Keras. */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { conv2d, dense, finish, pool2d } from './common.ts';

export function lenet5(): Graph {
  const b = new GraphBuilder('lenet5', {
    title: 'LeNet-5 (LeCun et al., 1998)',
    description:
      'LeNet-5 as it is usually written in Keras: a 32×32×1 digit, two tanh convolutions of 5×5 kernels (6 and then 16 filters), each followed by 2×2 average pooling ' +
      '(the paper\'s subsampling), then Dense 120, 84 and 10. It is the "convolution → feature map → pooling → flatten → fully connected" pipeline of the lecture notes (CNN section). ' +
      'It already shows the rule the notes repeat: a convolution costs kernel area × input channels × filters + filters (5·5·1·6 + 6 = 156, 5·5·6·16 + 16 = 2,416), ' +
      'independent of the image size, while the first Dense layer sees every value of the flattened 5×5×16 map (400·120 + 120 = 48,120) and holds most of the 61,706 parameters.',
  });
  const input = b.add('Input', { shape: [32, 32, 1] }, [], 'input_1');
  b.chain(input, [
    ['Conv2D', conv2d(6, 5, { activation: 'tanh' }), 'conv2d'],
    ['AveragePooling2D', pool2d(2, 2), 'average_pooling2d'],
    ['Conv2D', conv2d(16, 5, { activation: 'tanh' }), 'conv2d_1'],
    ['AveragePooling2D', pool2d(2, 2), 'average_pooling2d_1'],
    ['Flatten', {}, 'flatten'],
    ['Dense', dense(120, 'tanh'), 'dense'],
    ['Dense', dense(84, 'tanh'), 'dense_1'],
    ['Dense', dense(10, 'softmax'), 'dense_2'],
  ]);
  return finish(b);
}
