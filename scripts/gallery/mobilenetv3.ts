/**
 * keras.applications.MobileNetV3Small and MobileNetV3Large (alpha 1.0,
 * minimalistic=False, include_top=True, weights=None, 1000 classes) at
 * 224×224, as keras/src/applications/mobilenet_v3.py builds them. Each
 * `_inverted_res_block` is a use of one block; what the source builds only
 * sometimes (the expansion after block 0, the ZeroPadding2D of a stride-2
 * block, squeeze-and-excite, the Add) makes separate definitions of the same body.
 * Layers the source leaves unnamed inside a block (its ReLU(), its hard_swish
 * Activation, the ReLU(6.) of hard_sigmoid) are named by their place there;
 * outside the blocks they keep Keras's automatic names.
 */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { conv2d, finish } from './common.ts';
import { correctPad } from './efficientnet.ts';

/** mobilenet_v3.py: every BatchNormalization is `epsilon=1e-3, momentum=0.999`. */
const BN = { axis: -1, momentum: 0.999, epsilon: 1e-3 };
const $ = (expr: string) => ({ $: expr });
/** `layers.Activation("hard_swish")`; Keras 3 reads hard_swish as hard_silu, x·relu6(x + 3)/6. */
const HARD_SWISH = 'hardSilu';

/** _depth of mobilenet_v3.py: the nearest multiple of 8, never 10% below v. */
function depth(v: number): number {
  let n = Math.max(8, Math.floor(Math.trunc(v + 4) / 8) * 8);
  if (n < 0.9 * v) n += 8;
  return n;
}

interface Variant { expand: boolean; strided: boolean; se: boolean; residual: boolean }

const PARAMS = { expanded: 16, filters: 16, kernelSize: 3, seFilters: 8, activation: 'relu', pad: [[0, 1], [0, 1]] };

function defineBlock(b: GraphBuilder, v: Variant): string {
  const name = `inverted_res${v.expand ? '' : '0'}${v.strided ? '_strided' : ''}${v.se ? '_se' : ''}${v.residual ? '_residual' : ''}`;
  if (b.graph.blocks?.[name]) return name;
  const act = { activation: $('activation') };
  const k = $('kernelSize');
  return b.defineBlock(
    name,
    {
      params: PARAMS,
      title: `Inverted residual${v.expand ? '' : ' without expansion'}${v.strided ? ', stride 2' : ''}${v.se ? ', squeeze-and-excite' : ''}${v.residual ? ', with the shortcut' : ''}`,
      description:
        'mobilenet_v3.py _inverted_res_block: a 1×1 expansion to `expanded` channels (not in block 0), a kernelSize×kernelSize depthwise convolution, ' +
        'squeeze-and-excite where the table asks for it (global average kept as 1×1, 1×1 down to seFilters with ReLU, 1×1 back up with hard_sigmoid, multiplied in), ' +
        'a linear 1×1 projection to `filters`, and the Add when stride is 1 and the channels match.',
    },
    (s, { x }) => {
      let y = x;
      if (v.expand) {
        y = s.add('Conv2D', { ...conv2d(0, 1, { padding: 'same', useBias: false }), filters: $('expanded') }, [y], 'expand');
        y = s.add('BatchNormalization', BN, [y], 'expand_bn');
        y = s.add('Activation', act, [y], 'expand_activation');
      }
      if (v.strided) y = s.add('ZeroPadding2D', { padding: $('pad') }, [y], 'depthwise_pad');
      const { filters: _f, ...dw } = conv2d(0, 1, { strides: v.strided ? 2 : 1, padding: v.strided ? 'valid' : 'same', useBias: false });
      y = s.add('DepthwiseConv2D', { ...dw, kernelSize: [k, k], depthMultiplier: 1 }, [y], 'depthwise');
      y = s.add('BatchNormalization', BN, [y], 'depthwise_bn');
      y = s.add('Activation', act, [y], 'depthwise_activation');
      if (v.se) {
        let se = s.add('GlobalAveragePooling2D', { keepdims: true }, [y], 'squeeze_excite_avg_pool');
        se = s.add('Conv2D', { ...conv2d(0, 1, { padding: 'same' }), filters: $('seFilters') }, [se], 'squeeze_excite_conv');
        se = s.add('Activation', { activation: 'relu' }, [se], 'squeeze_excite_relu');
        se = s.add('Conv2D', { ...conv2d(0, 1, { padding: 'same' }), filters: $('expanded') }, [se], 'squeeze_excite_conv_1');
        se = s.add('Activation', { activation: 'hardSigmoid' }, [se], 'squeeze_excite_hard_sigmoid');
        y = s.add('Multiply', {}, [y, se], 'squeeze_excite_mul');
      }
      y = s.add('Conv2D', { ...conv2d(0, 1, { padding: 'same', useBias: false }), filters: $('filters') }, [y], 'project');
      y = s.add('BatchNormalization', BN, [y], 'project_bn');
      if (v.residual) y = s.add('Add', {}, [x, y], 'add');
      return y;
    },
  );
}

/** [expansion, filters, kernel, stride, squeeze-and-excite, activation] of each stack_fn row (kernel 5 and se_ratio 0.25 for the non-minimalistic model). */
type Row = [expansion: number, filters: number, kernel: number, stride: number, se: boolean, act: 'relu' | 'hs'];

const SMALL: Row[] = [
  [1, 16, 3, 2, true, 'relu'],
  [72 / 16, 24, 3, 2, false, 'relu'],
  [88 / 24, 24, 3, 1, false, 'relu'],
  [4, 40, 5, 2, true, 'hs'],
  [6, 40, 5, 1, true, 'hs'],
  [6, 40, 5, 1, true, 'hs'],
  [3, 48, 5, 1, true, 'hs'],
  [3, 48, 5, 1, true, 'hs'],
  [6, 96, 5, 2, true, 'hs'],
  [6, 96, 5, 1, true, 'hs'],
  [6, 96, 5, 1, true, 'hs'],
];

const LARGE: Row[] = [
  [1, 16, 3, 1, false, 'relu'],
  [4, 24, 3, 2, false, 'relu'],
  [3, 24, 3, 1, false, 'relu'],
  [3, 40, 5, 2, true, 'relu'],
  [3, 40, 5, 1, true, 'relu'],
  [3, 40, 5, 1, true, 'relu'],
  [6, 80, 3, 2, false, 'hs'],
  [2.5, 80, 3, 1, false, 'hs'],
  [2.3, 80, 3, 1, false, 'hs'],
  [2.3, 80, 3, 1, false, 'hs'],
  [6, 112, 3, 1, true, 'hs'],
  [6, 112, 3, 1, true, 'hs'],
  [6, 160, 5, 2, true, 'hs'],
  [6, 160, 5, 1, true, 'hs'],
  [6, 160, 5, 1, true, 'hs'],
];

const COMMON =
  'The layers Keras leaves unnamed inside a block (ReLU(), the hard_swish Activation, the ReLU(6.) of hard_sigmoid) are named by their place there, outside the blocks they keep Keras\'s automatic names. layers.ReLU() is written as Activation relu; hard_sigmoid, relu6(x + 3)/6 built from operations in the source, is the Activation hardSigmoid (the same function in Keras 3), and hard_swish is hardSilu, x·relu6(x + 3)/6. ';

function mobilenetv3(o: { name: string; title: string; description: string; rows: Row[]; lastPoint: number }): Graph {
  const b = new GraphBuilder(o.name, { title: o.title, description: o.description });
  const input = b.add('Input', { shape: [224, 224, 3] }, [], 'input_layer');
  let x = b.chain(input, [
    ['Rescaling', { scale: 1 / 127.5, offset: -1 }, 'rescaling'],
    ['Conv2D', conv2d(16, 3, { strides: 2, padding: 'same', useBias: false }), 'conv'],
    ['BatchNormalization', BN, 'conv_bn'],
    ['Activation', { activation: HARD_SWISH }, 'activation'],
  ]);
  // Outside the blocks the unnamed hard_swish Activations keep Keras's automatic names: the counter runs through the blocks' own.
  let hardSwish = 0;
  let channels = 16;
  let size = 112;
  o.rows.forEach(([expansion, filters, k, stride, se, act], id) => {
    const expanded = depth(channels * expansion);
    const v: Variant = { expand: id > 0, strided: stride === 2, se, residual: stride === 1 && channels === filters };
    x = b.use(
      defineBlock(b, v),
      { expanded, filters, kernelSize: k, seFilters: depth(expanded * 0.25), activation: act === 'hs' ? HARD_SWISH : 'relu', pad: correctPad(size, k) },
      [x],
      id ? `expanded_conv_${id}` : 'expanded_conv',
    );
    if (stride === 2) size = Math.ceil(size / 2);
    if (act === 'hs') hardSwish += v.expand ? 2 : 1;
    channels = filters;
  });
  b.chain(x, [
    ['Conv2D', conv2d(depth(channels * 6), 1, { padding: 'same', useBias: false }), 'conv_1'],
    ['BatchNormalization', BN, 'conv_1_bn'],
    ['Activation', { activation: HARD_SWISH }, `activation_${hardSwish + 1}`],
    ['GlobalAveragePooling2D', { keepdims: true }, 'global_average_pooling2d'],
    ['Conv2D', conv2d(o.lastPoint, 1, { padding: 'same' }), 'conv_2'],
    ['Activation', { activation: HARD_SWISH }, `activation_${hardSwish + 2}`],
    ['Dropout', { rate: 0.2 }, 'dropout'],
    ['Conv2D', conv2d(1000, 1, { padding: 'same' }), 'logits'],
    ['Flatten', {}, 'flatten'],
    ['Activation', { activation: 'softmax' }, 'predictions'],
  ]);
  return finish(b);
}

export const mobilenetv3small = (): Graph =>
  mobilenetv3({
    name: 'mobilenetv3small', rows: SMALL, lastPoint: 1024,
    title: 'MobileNetV3Small (keras.applications)',
    description:
      'MobileNetV3-Small (Howard et al., 2019) as keras.applications.MobileNetV3Small(weights=None) builds it in Keras 3 (alpha 1.0, include_top=True, 1000 classes), here at 224×224; ' +
      'the input is rescaled to −1…1. Its 11 inverted residual blocks are uses of one block body (with or without expansion, stride 2, squeeze-and-excite, the shortcut). ' +
      COMMON +
      'The depthwise convolution is where MobileNet saves: in expanded_conv_10 (96 → 576 channels, 5×5) it costs 5·5·576 = 14,400 weights, where a full 5×5 convolution from 576 to 576 channels would cost 5·5·576·576 = 8,294,400. ' +
      'Squeeze-and-excite here squeezes to a quarter of the expanded width, so its two 1×1 convolutions on the pooled 1×1×576 vector, 576·144 + 144 = 83,088 and 144·576 + 576 = 83,520, cost more than the depthwise convolution, ' +
      'yet under 2% of that full convolution; the 1×1 expansion and projection cost 96·576 = 55,296 each. ' +
      'The head holds most of the model: conv_2 (1×1, 576 → 1,024) 590,848 and the logits 1×1 convolution 1,024·1,000 + 1,000 = 1,025,000, 40% of all. ' +
      'All 2,554,968 parameters take 9.7 MiB as fp32; 12,112 are the non-trainable moving means and variances of 34 BatchNormalization layers.',
  });

export const mobilenetv3large = (): Graph =>
  mobilenetv3({
    name: 'mobilenetv3large', rows: LARGE, lastPoint: 1280,
    title: 'MobileNetV3Large (keras.applications)',
    description:
      'MobileNetV3-Large (Howard et al., 2019) as keras.applications.MobileNetV3Large(weights=None) builds it in Keras 3 (alpha 1.0, include_top=True, 1000 classes), here at 224×224; ' +
      'the input is rescaled to −1…1. Its 15 inverted residual blocks are uses of one block body (with or without expansion, stride 2, squeeze-and-excite, the shortcut); the first six use ReLU, the rest hard_swish. ' +
      COMMON +
      'In expanded_conv_14 (160 → 960 channels, 5×5) the depthwise convolution costs 5·5·960 = 24,000 weights, where a full 5×5 convolution from 960 to 960 channels would cost 5·5·960·960 = 23,040,000; ' +
      'squeeze-and-excite adds 960·240 + 240 = 230,640 and 240·960 + 960 = 231,360 on the pooled vector, and the 1×1 expansion and projection 160·960 = 153,600 each. ' +
      'The head: conv_2 (1×1, 960 → 1,280) 1,230,080 and the logits 1,280·1,000 + 1,000 = 1,281,000, 46% of the model between them. ' +
      'All 5,507,432 parameters take 21.0 MiB as fp32; 24,400 are the non-trainable moving means and variances of 46 BatchNormalization layers.',
  });
