/**
 * Small graphs that each make one point of the lecture notes' CNN lectures
 * (day 14, lectures 04–06) visible as parameter counts.
 */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { conv2d, dense, finish } from './common.ts';

/** Two 3×3 convolutions against one 5×5 on the same C-channel input. */
export function receptiveField3x3(): Graph {
  const C = 64;
  const b = new GraphBuilder('receptive-field-3x3', {
    title: 'Two 3×3 convolutions against one 5×5',
    description:
      'The VGG argument of the lecture notes (lecture 05, "why 3×3 convolutions?"): every value after two stacked 3×3 convolutions depends on a 5×5 patch of the input, ' +
      'the same receptive field as one 5×5 convolution, but with fewer weights. Both branches read the same 32×32×64 input with valid padding and end at the same 28×28×64 output, ' +
      'which shows the equal receptive field as an equal shrink (32 − 2 − 2 = 32 − 4). Biases are off so the counts are exactly the weights: ' +
      'the 3×3 pair holds 2·9·C² = 2·3·3·64·64 = 73,728 and the 5×5 holds 25·C² = 5·5·64·64 = 102,400, 28% fewer for the pair, which also adds a second ReLU.',
  });
  const input = b.add('Input', { shape: [32, 32, C] }, [], 'input');
  const k3 = conv2d(C, 3, { activation: 'relu', useBias: false });
  b.chain(input, [['Conv2D', k3, 'conv3x3_a'], ['Conv2D', k3, 'conv3x3_b']]);
  b.add('Conv2D', conv2d(C, 5, { activation: 'relu', useBias: false }), [input], 'conv5x5');
  return finish(b);
}

/** A 1×1 bottleneck before a 3×3 against the 3×3 directly. */
export function oneByOneReduction(): Graph {
  const b = new GraphBuilder('one-by-one-reduction', {
    title: '1×1 convolution as a bottleneck',
    description:
      'The GoogLeNet point of the lecture notes (lecture 05, "why does a 1×1 convolution reduce the parameters?"): a 1×1 convolution mixes channels at each pixel without looking at neighbours, ' +
      'so it can shrink the channels before an expensive spatial convolution. Both branches take a 28×28×128 map to 28×28×256 with a 3×3 same-padded convolution. ' +
      'Directly, the 3×3 costs 3·3·128·256 = 294,912 weights; with a 1×1 reduction to 32 channels first it costs 1·1·128·32 + 3·3·32·256 = 4,096 + 73,728 = 77,824, ' +
      'about a quarter, with the same output shape and receptive field. Biases are off so the counts are exactly these products.',
  });
  const input = b.add('Input', { shape: [28, 28, 128] }, [], 'input');
  b.add('Conv2D', conv2d(256, 3, { padding: 'same', activation: 'relu', useBias: false }), [input], 'direct_3x3');
  b.chain(input, [
    ['Conv2D', conv2d(32, 1, { padding: 'same', activation: 'relu', useBias: false }), 'reduce_1x1'],
    ['Conv2D', conv2d(256, 3, { padding: 'same', activation: 'relu', useBias: false }), 'bottleneck_3x3'],
  ]);
  return finish(b);
}

/** Dense over a flattened 4×4×16 map against the equivalent 4×4 convolution, then upsampling. */
export function fcnConvolutionalization(): Graph {
  const b = new GraphBuilder('fcn-convolutionalization', {
    title: 'Convolutionalization (FCN)',
    description:
      'The fully convolutional network of the lecture notes (lecture 06, semantic segmentation): a Dense layer over a flattened 4×4×16 map and a 4×4 convolution with 10 filters over the same map ' +
      'hold the same weights, (4·4·16)·10 = 4·4·16·10 = 2,560 (plus 10 biases each), and compute the same 10 numbers; replacing the dense layer by the convolution is called convolutionalization. ' +
      'The convolution, unlike the Dense layer, accepts a larger input and then returns a map of scores instead of one vector (an 8×8×16 map would give 5×5×10). ' +
      'Because that map is coarse, FCN upsamples it back to the input size: here a Conv2DTranspose with a 4×4 kernel and stride 4 turns the 1×1×10 scores into a 4×4×10 map, ' +
      'one score per class per input position, for 4·4·10·10 + 10 = 1,610 more parameters.',
  });
  const input = b.add('Input', { shape: [4, 4, 16] }, [], 'feature_map');
  b.chain(input, [['Flatten', {}, 'flatten'], ['Dense', dense(10), 'dense']]);
  b.chain(input, [
    ['Conv2D', conv2d(10, 4), 'conv_4x4'],
    ['Conv2DTranspose', conv2d(10, 4, { strides: 4 }), 'upsample'],
  ]);
  return finish(b);
}

/** The YOLO v1 detection head: S×S×(B·5 + C) outputs from a 7×7×1024 map. */
export function yoloV1Head(): Graph {
  const S = 7;
  const B = 2;
  const C = 20;
  const depth = B * 5 + C;
  const b = new GraphBuilder('yolo-v1-head', {
    title: 'YOLO v1 detection head',
    description:
      'The output of YOLO v1 (Redmon et al., 2016) as the lecture notes explain it (lecture 06, detection): the image is cut into an S×S grid, and every cell predicts B boxes of 5 numbers ' +
      '(x, y, w, h and a confidence) plus C class probabilities, so the output is S×S×(B·5 + C) = 7×7×(2·5 + 20) = 7×7×30. ' +
      "The paper's head reads the last 7×7×1024 convolutional map through a fully connected layer of 4096 units and a second one of 7·7·30 = 1,470 units that is reshaped to the grid. " +
      'The first holds 7·7·1024·4096 + 4096 = 205,524,992 parameters, far more than any convolution before it (a 3×3 convolution from 1024 to 1024 channels holds 3·3·1024·1024 + 1024 = 9,438,208): the cost of a dense layer over a whole map. ' +
      'As in the paper, a leaky ReLU with slope 0.1 follows the 4096 layer; like every activation it adds no parameters.',
  });
  const input = b.add('Input', { shape: [S, S, 1024] }, [], 'conv_features');
  b.chain(input, [
    ['Flatten', {}, 'flatten'],
    ['Dense', dense(4096), 'fc1'],
    ['LeakyReLU', { alpha: 0.1 }, 'leaky'],
    ['Dropout', { rate: 0.5 }, 'dropout'],
    ['Dense', dense(S * S * depth), 'fc2'],
    ['Reshape', { targetShape: [S, S, depth] }, 'detections'],
  ]);
  return finish(b);
}
