/**
 * Writes the canonical example graphs in examples/ (`npm run examples:build`).
 *
 * Each builder returns the graph; `EXAMPLES` maps file names to builders so a
 * test can rebuild every file in-process and compare it with the committed
 * bytes. Layer names follow the Keras reference of each model where one
 * exists (keras.applications for VGG16 and ResNet50); AlexNet uses the
 * paper's and Caffe's layer names (conv1 … fc8).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GraphBuilder, layeredLayout, serializeGraph, type Graph } from '../src/engine/index.ts';
import { GALLERY } from './gallery/index.ts';

type Params = Record<string, unknown>;

const relu = 'relu';
const conv = (filters: number, k: number, o: { strides?: number; padding?: 'valid' | 'same'; activation?: string } = {}): Params => ({
  filters,
  kernelSize: [k, k],
  strides: [o.strides ?? 1, o.strides ?? 1],
  padding: o.padding ?? 'valid',
  ...(o.activation ? { activation: o.activation } : {}),
});
const maxPool = (size: number, stride: number): Params => ({ poolSize: [size, size], strides: [stride, stride], padding: 'valid' });
const dense = (units: number, activation = 'linear'): Params => ({ units, activation });

/** Laid out and with every parameter explicit, ready to serialise. */
const finish = (b: GraphBuilder): Graph => layeredLayout(b.build());

// ---------- AlexNet ----------

/** AlexNet as one tower, the way it is usually written in Keras. */
export function alexnet(): Graph {
  const b = new GraphBuilder('alexnet', {
    title: 'AlexNet (single tower)',
    description:
      'AlexNet (Krizhevsky, Sutskever and Hinton, 2012) as it is usually written in Keras: one tower on a 227×227×3 input, conv1 with valid padding, ' +
      'the other convolutions with same padding, and 3×3 max-pools with stride 2. ' +
      'It shows where the parameters of a classic CNN live: the five convolutions hold 3,747,200 of the 62,378,344, the three fully connected layers ' +
      'the other 58,631,144, and fc6 alone 6·6·256·4096 + 4096 = 37,752,832 because it connects every value of pool5 to every unit. ' +
      'Local response normalisation is left out: it has no parameters and Keras has no built-in layer for it.',
  });
  const input = b.add('Input', { shape: [227, 227, 3] }, [], 'input');
  b.chain(input, [
    ['Conv2D', conv(96, 11, { strides: 4, activation: relu }), 'conv1'],
    ['MaxPooling2D', maxPool(3, 2), 'pool1'],
    ['Conv2D', conv(256, 5, { padding: 'same', activation: relu }), 'conv2'],
    ['MaxPooling2D', maxPool(3, 2), 'pool2'],
    ['Conv2D', conv(384, 3, { padding: 'same', activation: relu }), 'conv3'],
    ['Conv2D', conv(384, 3, { padding: 'same', activation: relu }), 'conv4'],
    ['Conv2D', conv(256, 3, { padding: 'same', activation: relu }), 'conv5'],
    ['MaxPooling2D', maxPool(3, 2), 'pool5'],
    ['Flatten', {}, 'flatten'],
    ['Dense', dense(4096, relu), 'fc6'],
    ['Dropout', { rate: 0.5 }, 'drop6'],
    ['Dense', dense(4096, relu), 'fc7'],
    ['Dropout', { rate: 0.5 }, 'drop7'],
    ['Dense', dense(1000, 'softmax'), 'fc8'],
  ]);
  return finish(b);
}

/**
 * The original two-GPU AlexNet. The lecture notes' exercise that the
 * description answers: ../shared/seeds/003_8ba976a741d4fc31.txt,
 * "Exercise (of AlexNet)" under "(04강) Convolution은 무엇인가?".
 */
export function alexnetTwoTower(): Graph {
  const b = new GraphBuilder('alexnet-two-tower', {
    title: 'AlexNet (original two-GPU towers)',
    description:
      'The original AlexNet (Krizhevsky, Sutskever and Hinton, 2012), split over two GPUs: every layer is two towers (_1, _2) that share a group, ' +
      'conv2, conv4 and conv5 see only their own tower, and the towers meet through Concatenate before conv3, fc6, fc7 and fc8. ' +
      'The weight terms of the group rows and of fc8 reproduce the AlexNet exercise of the lecture notes (day 14, lecture 04 "What is convolution?"): 11·11·3·48 ×2 ≈ 35k, ' +
      '5·5·48·128 ×2 ≈ 307k, 884k, 663k, 442k, 2048·2 × 2048·2 ≈ 16M and 2048·2 × 1000 ≈ 4M weights, plus biases, 60,965,224 parameters in all. ' +
      "The notes' fc6 figure, 13·13·128·2 × 2048·2 ≈ 177M, forgets the third max-pool: conv5's 13×13 maps are pooled by pool5 to 6×6 before fc6, " +
      'so fc6 holds 6·6·256·4096 = 37,748,736 weights (plus 4,096 biases), not 13·13·256·4096 = 177,209,344. ' +
      'Dropout follows fc6 and fc7 as in the paper; local response normalisation is left out because it has no parameters.',
  });
  const input = b.add('Input', { shape: [227, 227, 3] }, [], 'input');
  /** One layer as two towers, `name_1` and `name_2`, grouped as `name`. */
  const towers = (name: string, kind: string, params: Params, inputs: [string, string]): [string, string] => [
    b.add(kind, params, [inputs[0]], `${name}_1`, { group: name }),
    b.add(kind, params, [inputs[1]], `${name}_2`, { group: name }),
  ];
  const meet = (name: string, from: [string, string]) => b.add('Concatenate', { axis: -1 }, from, name);

  let t = towers('conv1', 'Conv2D', conv(48, 11, { strides: 4, activation: relu }), [input, input]);
  t = towers('pool1', 'MaxPooling2D', maxPool(3, 2), t);
  t = towers('conv2', 'Conv2D', conv(128, 5, { padding: 'same', activation: relu }), t);
  t = towers('pool2', 'MaxPooling2D', maxPool(3, 2), t);
  const pool2 = meet('pool2_concat', t);
  t = towers('conv3', 'Conv2D', conv(192, 3, { padding: 'same', activation: relu }), [pool2, pool2]);
  t = towers('conv4', 'Conv2D', conv(192, 3, { padding: 'same', activation: relu }), t);
  t = towers('conv5', 'Conv2D', conv(128, 3, { padding: 'same', activation: relu }), t);
  t = towers('pool5', 'MaxPooling2D', maxPool(3, 2), t);
  const flat = b.add('Flatten', {}, [meet('pool5_concat', t)], 'flatten');
  t = towers('fc6', 'Dense', dense(2048, relu), [flat, flat]);
  const drop6 = b.add('Dropout', { rate: 0.5 }, [meet('fc6_concat', t)], 'drop6');
  t = towers('fc7', 'Dense', dense(2048, relu), [drop6, drop6]);
  const drop7 = b.add('Dropout', { rate: 0.5 }, [meet('fc7_concat', t)], 'drop7');
  b.add('Dense', dense(1000, 'softmax'), [drop7], 'fc8');
  return finish(b);
}

// ---------- keras.applications ----------

/** keras.applications.VGG16(include_top=True, classes=1000), names included. */
export function vgg16(): Graph {
  const b = new GraphBuilder('vgg16', {
    title: 'VGG16 (keras.applications)',
    description:
      'VGG16 (Simonyan and Zisserman, 2014) exactly as keras.applications.VGG16 builds it with include_top=True and 1000 classes, layer names included. ' +
      'It shows how stacks of 3×3 same-padded convolutions and 2×2 max-pools halve the image five times (224 → 7) while the channels double from 64 to 512. ' +
      'Of its 138,357,544 parameters, fc1 alone holds 7·7·512·4096 + 4096 = 102,764,544: the classifier head, not the thirteen convolutions, dominates the count.',
  });
  let x = b.add('Input', { shape: [224, 224, 3] }, [], 'input_1');
  const blocks: [filters: number, convs: number][] = [[64, 2], [128, 2], [256, 3], [512, 3], [512, 3]];
  blocks.forEach(([filters, convs], i) => {
    for (let j = 1; j <= convs; j++) x = b.add('Conv2D', conv(filters, 3, { padding: 'same', activation: relu }), [x], `block${i + 1}_conv${j}`);
    x = b.add('MaxPooling2D', maxPool(2, 2), [x], `block${i + 1}_pool`);
  });
  b.chain(x, [
    ['Flatten', {}, 'flatten'],
    ['Dense', dense(4096, relu), 'fc1'],
    ['Dense', dense(4096, relu), 'fc2'],
    ['Dense', dense(1000, 'softmax'), 'predictions'],
  ]);
  return finish(b);
}

/** keras/applications/resnet.py (tf.keras 2): every BatchNormalization uses this epsilon. */
const RESNET_BN: Params = { axis: -1, momentum: 0.99, epsilon: 1.001e-5 };

// ---------- residual and dense networks, written with blocks ----------

/** A value computed from the block's parameters when it is expanded. */
const $ = (expr: string) => ({ $: expr });
const pairOf = (expr: string) => [$(expr), $(expr)];

/**
 * resnet.py's `block1` as two blocks: with a projection shortcut (the first
 * block of a stack, strided from conv3 on) and with an identity shortcut.
 * Layers are listed in the order Keras's model.summary() prints them; Add
 * takes [shortcut, x] as Keras does.
 */
function defineBottlenecks(b: GraphBuilder): void {
  const body = (bb: GraphBuilder, x: string, projection: boolean) => {
    const bn = (from: string, n: string) => bb.add('BatchNormalization', RESNET_BN, [from], `${n}_bn`);
    const stride = projection ? pairOf('stride') : [1, 1];
    let y = bb.add('Conv2D', { filters: $('filters'), kernelSize: [1, 1], strides: stride, padding: 'valid' }, [x], '1_conv');
    y = bb.add('Activation', { activation: relu }, [bn(y, '1')], '1_relu');
    y = bb.add('Conv2D', { filters: $('filters'), kernelSize: [3, 3], strides: [1, 1], padding: 'same' }, [y], '2_conv');
    y = bb.add('Activation', { activation: relu }, [bn(y, '2')], '2_relu');
    const sc = projection ? bb.add('Conv2D', { filters: $('filters * 4'), kernelSize: [1, 1], strides: stride, padding: 'valid' }, [x], '0_conv') : null;
    y = bb.add('Conv2D', { filters: $('filters * 4'), kernelSize: [1, 1], strides: [1, 1], padding: 'valid' }, [y], '3_conv');
    const shortcut = sc ? bn(sc, '0') : x;
    y = bn(y, '3');
    return bb.add('Activation', { activation: relu }, [bb.add('Add', {}, [shortcut, y], 'add')], 'out');
  };
  b.defineBlock('bottleneck_projection', {
    title: 'Bottleneck block, projection shortcut',
    description: '1×1 (filters) → 3×3 (filters) → 1×1 (4·filters), each with BatchNormalization; the shortcut is a strided 1×1 convolution to 4·filters channels.',
    params: { filters: 64, stride: 1 },
  }, (bb, { x }) => body(bb, x, true));
  b.defineBlock('bottleneck', {
    title: 'Bottleneck block, identity shortcut',
    description: '1×1 (filters) → 3×3 (filters) → 1×1 (4·filters), each with BatchNormalization, added to the unchanged input.',
    params: { filters: 64 },
  }, (bb, { x }) => body(bb, x, false));
}

/** The stem every ResNet shares: 7×7/2 convolution and 3×3/2 max-pool, padded as Keras pads them. */
function resnetStem(b: GraphBuilder, useBias: boolean, bnParams: Params): string {
  const input = b.add('Input', { shape: [224, 224, 3] }, [], 'input_1');
  return b.chain(input, [
    ['ZeroPadding2D', { padding: [[3, 3], [3, 3]] }, 'conv1_pad'],
    ['Conv2D', { ...conv(64, 7, { strides: 2 }), useBias }, 'conv1_conv'],
    ['BatchNormalization', bnParams, 'conv1_bn'],
    ['Activation', { activation: relu }, 'conv1_relu'],
    ['ZeroPadding2D', { padding: [[1, 1], [1, 1]] }, 'pool1_pad'],
    ['MaxPooling2D', maxPool(3, 2), 'pool1_pool'],
  ]);
}

/** keras.applications.ResNet50/101/152: four stacks of bottleneck blocks, each stack two block-use nodes. */
function bottleneckResnet(depth: 50 | 101 | 152, blocks: [number, number, number, number], total: string): Graph {
  const b = new GraphBuilder(`resnet${depth}`, {
    title: `ResNet${depth} (keras.applications)`,
    description:
      `ResNet${depth} (He et al., 2015) exactly as tf.keras.applications.ResNet${depth} builds it (keras/applications/resnet.py), layer for layer and name for name. ` +
      'The network is its repeated structure: a bottleneck block (1×1, 3×3 and 1×1 convolutions, each followed by BatchNormalization, added to a shortcut) ' +
      `defined once and used ${blocks.reduce((a, n) => a + n, 0)} times, in stacks of ${blocks.join(', ')}. ` +
      'Each stack is two nodes: its first block, whose 1×1 convolution projects the shortcut (strided in conv3 to conv5), and the remaining blocks as one node repeated, ' +
      `so the file reads like the paper's table. ${total} BatchNormalization's moving mean and variance are the non-trainable part.`,
  });
  defineBottlenecks(b);
  let x = resnetStem(b, true, RESNET_BN);
  const stacks: [name: string, filters: number, stride: number][] = [['conv2', 64, 1], ['conv3', 128, 2], ['conv4', 256, 2], ['conv5', 512, 2]];
  stacks.forEach(([name, filters, stride], s) => {
    x = b.use('bottleneck_projection', { filters, stride }, [x], `${name}_block1`);
    x = b.use('bottleneck', { filters }, [x], `${name}_block`, { repeat: blocks[s] - 1, repeatStart: 2 });
  });
  b.chain(x, [
    ['GlobalAveragePooling2D', {}, 'avg_pool'],
    ['Dense', dense(1000, 'softmax'), 'predictions'],
  ]);
  return finish(b);
}

export const resnet50 = (): Graph => bottleneckResnet(50, [3, 4, 6, 3], 'Of the 25,636,712 parameters, the 53,120 of the 53');
export const resnet101 = (): Graph => bottleneckResnet(101, [3, 4, 23, 3], 'Of the 44,707,176 parameters, those of the 104');
export const resnet152 = (): Graph => bottleneckResnet(152, [3, 8, 36, 3], 'Of the 60,419,944 parameters, those of the 155');

/**
 * ResNet-18/34 (He et al., 2015, Table 1) with basic blocks of two 3×3
 * convolutions, written the way torchvision builds them: convolutions without
 * bias, each followed by BatchNormalization, a 1×1 projection where the shape
 * changes. keras.applications has no ResNet-18/34.
 */
function basicResnet(depth: 18 | 34, blocks: [number, number, number, number], trainable: string): Graph {
  const b = new GraphBuilder(`resnet${depth}`, {
    title: `ResNet-${depth} (basic blocks)`,
    description:
      `ResNet-${depth} from He et al. (2015), Table 1: basic blocks of two 3×3 convolutions with a shortcut, in stacks of ${blocks.join(', ')}, ` +
      'the way torchvision builds it (convolutions without bias, BatchNormalization after each, a strided 1×1 projection where the shape changes). ' +
      `Its trainable parameters are torchvision's resnet${depth} count, ${trainable}; Keras also counts BatchNormalization's moving mean and variance, which torchvision keeps as buffers. ` +
      'Compare with ResNet-50: deeper stacks there use bottleneck blocks, whose 1×1 convolutions make each block cheaper than two 3×3 convolutions at 4× the width.',
  });
  const bnp: Params = { axis: -1, momentum: 0.9, epsilon: 1e-5 };
  const body = (bb: GraphBuilder, x: string, projection: boolean) => {
    const bn = (from: string, n: string) => bb.add('BatchNormalization', bnp, [from], `${n}_bn`);
    const stride = projection ? pairOf('stride') : [1, 1];
    let y = bb.add('Conv2D', { filters: $('filters'), kernelSize: [3, 3], strides: stride, padding: 'same', useBias: false }, [x], '1_conv');
    y = bb.add('Activation', { activation: relu }, [bn(y, '1')], '1_relu');
    y = bn(bb.add('Conv2D', { filters: $('filters'), kernelSize: [3, 3], strides: [1, 1], padding: 'same', useBias: false }, [y], '2_conv'), '2');
    const shortcut = projection
      ? bn(bb.add('Conv2D', { filters: $('filters'), kernelSize: [1, 1], strides: stride, padding: 'valid', useBias: false }, [x], '0_conv'), '0')
      : x;
    return bb.add('Activation', { activation: relu }, [bb.add('Add', {}, [shortcut, y], 'add')], 'out');
  };
  b.defineBlock('basic_projection', {
    title: 'Basic block, projection shortcut',
    description: 'Two 3×3 convolutions (the first strided) with BatchNormalization; the shortcut is a strided 1×1 convolution.',
    params: { filters: 128, stride: 2 },
  }, (bb, { x }) => body(bb, x, true));
  b.defineBlock('basic', {
    title: 'Basic block, identity shortcut',
    description: 'Two 3×3 convolutions with BatchNormalization, added to the unchanged input.',
    params: { filters: 64 },
  }, (bb, { x }) => body(bb, x, false));
  let x = resnetStem(b, false, bnp);
  const stacks: [name: string, filters: number][] = [['conv2', 64], ['conv3', 128], ['conv4', 256], ['conv5', 512]];
  stacks.forEach(([name, filters], s) => {
    if (s === 0) {
      x = b.use('basic', { filters }, [x], `${name}_block`, { repeat: blocks[s] });
      return;
    }
    x = b.use('basic_projection', { filters, stride: 2 }, [x], `${name}_block1`);
    x = b.use('basic', { filters }, [x], `${name}_block`, { repeat: blocks[s] - 1, repeatStart: 2 });
  });
  b.chain(x, [
    ['GlobalAveragePooling2D', {}, 'avg_pool'],
    ['Dense', dense(1000, 'softmax'), 'predictions'],
  ]);
  return finish(b);
}

export const resnet18 = (): Graph => basicResnet(18, [2, 2, 2, 2], '11,689,512');
export const resnet34 = (): Graph => basicResnet(34, [3, 4, 6, 3], '21,797,672');

/** keras/applications/densenet.py: dense blocks of `conv_block`s joined by transition blocks. */
function densenet(depth: 121 | 201, blocks: [number, number, number, number], total: string): Graph {
  const b = new GraphBuilder(`densenet${depth}`, {
    title: `DenseNet-${depth} (keras.applications)`,
    description:
      `DenseNet-${depth} (Huang et al., 2017) as tf.keras.applications.DenseNet${depth} builds it (keras/applications/densenet.py), ${total} parameters. ` +
      'Every layer of a dense block concatenates its 32 new feature maps (the growth rate) to everything before it, so channels grow by 32 per layer: ' +
      'a 1×1 convolution to 4·32 = 128 channels first keeps the 3×3 convolution cheap (the notes\' bottleneck idea again). ' +
      `Each dense block (${blocks.join(', ')} layers) is one node repeating the dense_layer block; transition blocks halve the channels with a 1×1 convolution and the size with 2×2 average pooling. ` +
      "Keras names the stem layers conv1/conv, conv1/bn and conv1/relu; here they are conv1_conv, conv1_bn and conv1_relu.",
  });
  const bnp: Params = { axis: -1, momentum: 0.99, epsilon: 1.001e-5 };
  b.defineBlock('dense_layer', {
    title: 'DenseNet conv_block',
    description: 'BN → ReLU → 1×1 convolution to 4·growthRate → BN → ReLU → 3×3 convolution to growthRate, concatenated to the input.',
    params: { growthRate: 32 },
  }, (bb, { x }) => {
    let y = bb.add('BatchNormalization', bnp, [x], '0_bn');
    y = bb.add('Activation', { activation: relu }, [y], '0_relu');
    y = bb.add('Conv2D', { filters: $('growthRate * 4'), kernelSize: [1, 1], strides: [1, 1], padding: 'valid', useBias: false }, [y], '1_conv');
    y = bb.add('BatchNormalization', bnp, [y], '1_bn');
    y = bb.add('Activation', { activation: relu }, [y], '1_relu');
    y = bb.add('Conv2D', { filters: $('growthRate'), kernelSize: [3, 3], strides: [1, 1], padding: 'same', useBias: false }, [y], '2_conv');
    return bb.add('Concatenate', { axis: -1 }, [x, y], 'concat');
  });
  b.defineBlock('transition', {
    title: 'DenseNet transition_block',
    description: 'BN → ReLU → 1×1 convolution to `filters` (half the channels) → 2×2 average pooling.',
    params: { filters: 128 },
  }, (bb, { x }) => {
    let y = bb.add('BatchNormalization', bnp, [x], 'bn');
    y = bb.add('Activation', { activation: relu }, [y], 'relu');
    y = bb.add('Conv2D', { filters: $('filters'), kernelSize: [1, 1], strides: [1, 1], padding: 'valid', useBias: false }, [y], 'conv');
    return bb.add('AveragePooling2D', { poolSize: [2, 2], strides: [2, 2], padding: 'valid' }, [y], 'pool');
  });
  let x = b.add('Input', { shape: [224, 224, 3] }, [], 'input_1');
  x = b.chain(x, [
    ['ZeroPadding2D', { padding: [[3, 3], [3, 3]] }, 'zero_padding2d'],
    ['Conv2D', { ...conv(64, 7, { strides: 2 }), useBias: false }, 'conv1_conv'],
    ['BatchNormalization', bnp, 'conv1_bn'],
    ['Activation', { activation: relu }, 'conv1_relu'],
    ['ZeroPadding2D', { padding: [[1, 1], [1, 1]] }, 'zero_padding2d_1'],
    ['MaxPooling2D', maxPool(3, 2), 'pool1'],
  ]);
  let channels = 64;
  blocks.forEach((n, s) => {
    x = b.use('dense_layer', { growthRate: 32 }, [x], `conv${s + 2}_block`, { repeat: n });
    channels += 32 * n;
    if (s < 3) {
      channels = Math.floor(channels * 0.5);
      x = b.use('transition', { filters: channels }, [x], `pool${s + 2}`);
    }
  });
  b.chain(x, [
    ['BatchNormalization', bnp, 'bn'],
    ['Activation', { activation: relu }, 'relu'],
    ['GlobalAveragePooling2D', {}, 'avg_pool'],
    ['Dense', dense(1000, 'softmax'), 'predictions'],
  ]);
  return finish(b);
}

export const densenet121 = (): Graph => densenet(121, [6, 12, 24, 16], '8,062,504');
export const densenet201 = (): Graph => densenet(201, [6, 12, 48, 32], '20,242,984');

// ---------- time series ----------

/**
 * The windowing of the lecture notes' RNN week: split_sequence(sequence,
 * n_steps) in ../shared/seeds/000_76808081388b7263.txt (13주차, "순환
 * 데이터의 이해"), which predicts the next value from the previous three.
 */
export function lstmSplitSequence(): Graph {
  const b = new GraphBuilder('lstm-split-sequence', {
    title: 'LSTM on split_sequence windows',
    description:
      'The stock-price exercise of the lecture notes (week 13, RNN): split_sequence(sequence, n_steps) cuts a univariate series into overlapping ' +
      'windows of n_steps = 3 values, each labelled with the value that follows, so the model predicts the next value from the previous three. ' +
      'The Window node is that function (nSteps 3, horizon 1, stride 1, one feature) and gives samples of shape (3, 1). ' +
      'An LSTM of 50 units with relu activation reads each window and Dense(1) predicts the value; the LSTM holds 4·(50·(1+50) + 50) = 10,400 parameters ' +
      'because each of its four gates sees the current input and the previous hidden state.',
  });
  const w = b.add('Window', { nSteps: 3, horizon: 1, stride: 1, features: 1 }, [], 'window');
  b.chain(w, [
    ['LSTM', { units: 50, activation: relu }, 'lstm'],
    ['Dense', dense(1), 'dense'],
  ]);
  return finish(b);
}

/** Deep Learning with Python (1st ed.), §6.3: the Jena temperature-forecasting GRU; names as its Keras 2 summary prints them. */
export function jenaGru(): Graph {
  const b = new GraphBuilder('jena-gru', {
    title: 'Jena climate GRU (Deep Learning with Python)',
    description:
      'The temperature-forecasting GRU of Deep Learning with Python (1st ed., section 6.3) on the Jena climate data: 14 weather measurements recorded every 10 minutes. ' +
      "The book's generator looks back lookback = 1440 rows (10 days) and keeps every step = 6th row (one per hour), so each sample is 1440 / 6 = 240 steps of 14 features, " +
      'and its target is the temperature delay = 144 rows (24 hours) later. Over the hourly series (every 6th row) that is exactly this Window: nSteps 240 hourly rows, horizon 24 hours. ' +
      'GRU(32) with the Keras 2 defaults the book ran (hard-sigmoid gates, resetAfter false, as TF.js still has them) holds 3·(32·(14+32) + 32) = 4,512 parameters and Dense(1) 33, 4,545 in all; ' +
      "TF2 Keras's default resetAfter true would add a second bias row of 96.",
  });
  const w = b.add('Window', { nSteps: 240, horizon: 24, stride: 1, features: 14 }, [], 'window');
  b.chain(w, [
    ['GRU', { units: 32, recurrentActivation: 'hardSigmoid', resetAfter: false }, 'gru_1'],
    ['Dense', dense(1), 'dense_1'],
  ]);
  return finish(b);
}

/** File name in examples/ → its builder: the ones above and the gallery's (scripts/gallery/). */
export const EXAMPLES: Readonly<Record<string, () => Graph>> = {
  'alexnet.json': alexnet,
  'alexnet-two-tower.json': alexnetTwoTower,
  'vgg16.json': vgg16,
  'resnet18.json': resnet18,
  'resnet34.json': resnet34,
  'resnet50.json': resnet50,
  'resnet101.json': resnet101,
  'resnet152.json': resnet152,
  'densenet121.json': densenet121,
  'densenet201.json': densenet201,
  'lstm-split-sequence.json': lstmSplitSequence,
  'jena-gru.json': jenaGru,
  ...Object.fromEntries(Object.entries(GALLERY).map(([file, entry]) => [file, entry.build])),
};

/** The exact text of one example file. */
export const exampleText = (file: string): string => serializeGraph(EXAMPLES[file]());

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = fileURLToPath(new URL('../examples/', import.meta.url));
  for (const file of Object.keys(EXAMPLES)) {
    writeFileSync(`${dir}${file}`, exampleText(file));
    console.log(`wrote examples/${file}`);
  }
}
