/**
 * keras.applications.MobileNetV2(alpha=1.0, include_top=True, weights=None,
 * classes=1000) at 224×224, as keras/src/applications/mobilenet_v2.py builds it.
 */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { conv2d, dense, finish } from './common.ts';

/** mobilenet_v2.py: every BatchNormalization is `epsilon=1e-3, momentum=0.999`. */
const BN = { axis: -1, momentum: 0.999, epsilon: 1e-3 };
/** `layers.ReLU(6.0)` is the relu6 activation. */
const RELU6 = { activation: 'relu6' };
/** imagenet_utils.correct_pad for a 3×3 stride-2 kernel on an even size: one row and column after, none before. */
const CORRECT_PAD = { padding: [[0, 1], [0, 1]] };

/** `_inverted_res_block`: expand 1×1 (not in block 0), depthwise 3×3, project 1×1, Add when shapes allow. */
function invertedResBlock(b: GraphBuilder, x: string, inChannels: number, filters: number, stride: number, expansion: number, id: number): string {
  const prefix = id ? `block_${id}_` : 'expanded_conv_';
  let y = x;
  if (id) {
    y = b.add('Conv2D', conv2d(expansion * inChannels, 1, { padding: 'same', useBias: false }), [y], `${prefix}expand`);
    y = b.add('BatchNormalization', BN, [y], `${prefix}expand_BN`);
    y = b.add('Activation', RELU6, [y], `${prefix}expand_relu`);
  }
  if (stride === 2) y = b.add('ZeroPadding2D', CORRECT_PAD, [y], `${prefix}pad`);
  const { filters: _f, ...dw } = conv2d(0, 3, { strides: stride, padding: stride === 1 ? 'same' : 'valid', useBias: false });
  y = b.add('DepthwiseConv2D', { ...dw, depthMultiplier: 1 }, [y], `${prefix}depthwise`);
  y = b.add('BatchNormalization', BN, [y], `${prefix}depthwise_BN`);
  y = b.add('Activation', RELU6, [y], `${prefix}depthwise_relu`);
  y = b.add('Conv2D', conv2d(filters, 1, { padding: 'same', useBias: false }), [y], `${prefix}project`);
  y = b.add('BatchNormalization', BN, [y], `${prefix}project_BN`);
  if (inChannels === filters && stride === 1) return b.add('Add', {}, [x, y], `${prefix}add`);
  return y;
}

/** [filters, stride, expansion] of blocks 0–16, as mobilenet_v2.py calls them with alpha 1.0. */
const BLOCKS: [filters: number, stride: number, expansion: number][] = [
  [16, 1, 1],
  [24, 2, 6], [24, 1, 6],
  [32, 2, 6], [32, 1, 6], [32, 1, 6],
  [64, 2, 6], [64, 1, 6], [64, 1, 6], [64, 1, 6],
  [96, 1, 6], [96, 1, 6], [96, 1, 6],
  [160, 2, 6], [160, 1, 6], [160, 1, 6],
  [320, 1, 6],
];

export function mobilenetv2(): Graph {
  const b = new GraphBuilder('mobilenetv2', {
    title: 'MobileNetV2 (keras.applications)',
    description:
      'MobileNetV2 (Sandler et al., 2018) exactly as keras.applications.MobileNetV2 builds it with alpha 1.0 at 224×224 (include_top=True, 1000 classes), layer names included; ' +
      'ReLU(6.) is written as Activation relu6. Each inverted residual block expands the channels six-fold with a 1×1 convolution, filters every channel on its own with a 3×3 depthwise convolution, ' +
      'and projects back down with a linear 1×1 convolution, adding the block input when the shapes match. ' +
      'It is the 1×1 idea of the lecture notes (lecture 05) pushed further: at block_16 (7×7×160 in, 960 expanded channels) the depthwise 3×3 costs 3·3·960 = 8,640 weights, ' +
      'where a full 3×3 convolution from 960 to 960 channels would cost 3·3·960·960 = 8,294,400. ' +
      'All 3,538,984 parameters take 13.5 MiB as fp32; 34,112 of them are the non-trainable moving means and variances of 52 BatchNormalization layers.',
  });
  const input = b.add('Input', { shape: [224, 224, 3] }, [], 'input_1');
  let x = b.chain(input, [
    ['Conv2D', conv2d(32, 3, { strides: 2, padding: 'same', useBias: false }), 'Conv1'],
    ['BatchNormalization', BN, 'bn_Conv1'],
    ['Activation', RELU6, 'Conv1_relu'],
  ]);
  let channels = 32;
  BLOCKS.forEach(([filters, stride, expansion], id) => {
    x = invertedResBlock(b, x, channels, filters, stride, expansion, id);
    channels = filters;
  });
  b.chain(x, [
    ['Conv2D', conv2d(1280, 1, { useBias: false }), 'Conv_1'],
    ['BatchNormalization', BN, 'Conv_1_bn'],
    ['Activation', RELU6, 'out_relu'],
    ['GlobalAveragePooling2D', {}, 'global_average_pooling2d'],
    ['Dense', dense(1000, 'softmax'), 'predictions'],
  ]);
  return finish(b);
}
