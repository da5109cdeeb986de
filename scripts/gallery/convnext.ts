/**
 * keras.applications.ConvNeXtTiny (include_top=True, weights=None, 1000
 * classes) at 224×224, as keras/src/applications/convnext.py builds it. Each
 * stage is one use of the ConvNeXt block, repeated. What the source builds
 * otherwise: the stem and the three downsampling steps are nested Sequential
 * models there (their layers are written out here under the same inner names),
 * the residual sum `inputs + layer(x)` is an operation there and an Add here,
 * LayerScale (x·γ, one weight per channel) is a 1×1 DepthwiseConv2D without
 * bias, which multiplies each channel by its own weight, and the prestem
 * Normalization with ImageNet's given mean and variance (constants, 0 weights)
 * is an Identity.
 */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { conv2d, dense, finish } from './common.ts';

const LN = { axis: -1, epsilon: 1e-6 };
const $ = (expr: string) => ({ $: expr });
const NAME = 'convnext_tiny';
const DEPTHS = [3, 3, 9, 3];
const DIMS = [96, 192, 384, 768];

export function convnextTiny(): Graph {
  const b = new GraphBuilder('convnext-tiny', {
    title: 'ConvNeXt-Tiny (keras.applications)',
    description:
      'ConvNeXt-Tiny (Liu et al., 2022) as keras.applications.ConvNeXtTiny(weights=None) builds it in Keras 3 at 224×224 (include_top=True, 1000 classes), with its layer names and, layer for layer, its counts; ' +
      'each of the four stages (3, 3, 9 and 3 blocks at 96, 192, 384 and 768 channels) is one block use repeated. ' +
      'Written with netloom\'s kinds: the stem and downsampling Sequential models of the source are their layers written out, the residual sum is an Add, ' +
      'LayerScale (x·γ, one trained weight per channel) is a 1×1 DepthwiseConv2D without bias (the same product and the same count), ' +
      'and the prestem Normalization, whose ImageNet mean and variance are constants (0 weights), is an Identity: feed it images already normalised. ' +
      'A ConvNeXt block is a ResNet bottleneck turned inside out, in the lecture notes\' terms (lecture 05, the 1×1 convolution): the spatial 7×7 filter is depthwise, ' +
      '7·7·768 + 768 = 38,400 weights in stage 3, where a full 7×7 convolution from 768 to 768 channels would cost 7·7·768·768 = 28,901,376, more than the whole model; ' +
      'the channel mixing is two 1×1 convolutions (Dense layers on every position) through four times the width, 768·3,072 + 3,072 = 2,362,368 and 3,072·768 + 768 = 2,360,064. ' +
      'Those pointwise Dense layers hold 25,911,648 of the 28,589,128 parameters (91%); the head Dense 768·1,000 + 1,000 = 769,000. ' +
      'LayerNormalization keeps no moving statistics, so every parameter is trained; all take 109.1 MiB as fp32.',
  });
  const block = b.defineBlock(
    'convnext_block',
    {
      params: { projectionDim: 96 },
      title: 'ConvNeXt block',
      description:
        'convnext.py ConvNeXtBlock with drop_path_rate 0: a 7×7 depthwise convolution (Conv2D with groups = channels), LayerNormalization, ' +
        'a Dense to 4× the channels with GELU and a Dense back (the 1×1 convolutions, applied per position), LayerScale γ (a 1×1 DepthwiseConv2D without bias here), ' +
        'the identity Activation Keras puts where stochastic depth would be, and the residual sum.',
    },
    (s, { x }) => {
      const c = $('projectionDim');
      let y = s.add('Conv2D', { ...conv2d(0, 7, { padding: 'same' }), filters: c, groups: c }, [x], 'depthwise_conv');
      y = s.add('LayerNormalization', LN, [y], 'layernorm');
      y = s.add('Dense', { ...dense(0), units: $('projectionDim * 4') }, [y], 'pointwise_conv_1');
      y = s.add('Activation', { activation: 'gelu' }, [y], 'gelu');
      y = s.add('Dense', { ...dense(0), units: c }, [y], 'pointwise_conv_2');
      const { filters: _f, ...ls } = conv2d(0, 1, { useBias: false });
      y = s.add('DepthwiseConv2D', { ...ls, depthMultiplier: 1 }, [y], 'layer_scale');
      y = s.add('Activation', { activation: 'linear' }, [y], 'identity');
      return s.add('Add', {}, [x, y], 'add');
    },
  );
  const input = b.add('Input', { shape: [224, 224, 3] }, [], 'input_layer');
  let x = b.chain(input, [
    ['Identity', {}, `${NAME}_prestem_normalization`],
    ['Conv2D', conv2d(DIMS[0], 4, { strides: 4 }), `${NAME}_stem_conv`],
    ['LayerNormalization', LN, `${NAME}_stem_layernorm`],
  ]);
  DIMS.forEach((dim, i) => {
    if (i > 0) {
      x = b.chain(x, [
        ['LayerNormalization', LN, `${NAME}_downsampling_layernorm_${i - 1}`],
        ['Conv2D', conv2d(dim, 2, { strides: 2 }), `${NAME}_downsampling_conv_${i - 1}`],
      ]);
    }
    x = b.use(block, { projectionDim: dim }, [x], `${NAME}_stage_${i}_block_`, { repeat: DEPTHS[i], repeatStart: 0 });
  });
  b.chain(x, [
    ['GlobalAveragePooling2D', {}, `${NAME}_head_gap`],
    ['LayerNormalization', LN, `${NAME}_head_layernorm`],
    ['Dense', dense(1000, 'softmax'), `${NAME}_head_dense`],
  ]);
  return finish(b);
}
