/**
 * keras.applications.EfficientNetV2S (include_top=True, weights=None, 1000
 * classes) at 384×384, as keras/src/applications/efficientnet_v2.py builds it.
 * The first three stages are Fused-MBConv blocks, the last three MBConv blocks
 * with squeeze-and-excite; each is a use of one block definition per shape the
 * source builds (with or without expansion, with or without the shortcut, and
 * block1a's shortcut without the drop-connect Dropout, whose rate is 0 there).
 */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { conv2d, dense, finish } from './common.ts';

/** efficientnet_v2.py: bn_momentum 0.9 throughout, epsilon left at 1e-3. */
const BN = { axis: -1, momentum: 0.9, epsilon: 1e-3 };
const SWISH = { activation: 'swish' };
const $ = (expr: string) => ({ $: expr });

type Kind = 'fused1' | 'fused' | 'mbconv';
type Residual = 'none' | 'add' | 'drop';

const PARAMS = { filtersIn: 24, expandRatio: 4, filtersOut: 24, kernelSize: 3, strides: 1, seRatio: 0.25, dropRate: 0 };

function defineV2(b: GraphBuilder, kind: Kind, residual: Residual): string {
  const name = `${kind}${residual === 'none' ? '' : residual === 'add' ? '_add' : '_residual'}`;
  if (b.graph.blocks?.[name]) return name;
  const filters = $('filtersIn * expandRatio');
  const k = $('kernelSize');
  const s = $('strides');
  const what = kind === 'mbconv' ? 'MBConv' : kind === 'fused' ? 'Fused-MBConv' : 'Fused-MBConv without expansion';
  return b.defineBlock(
    name,
    {
      params: PARAMS,
      title: `${what}${residual === 'none' ? '' : residual === 'add' ? ', with the shortcut (no drop-connect)' : ', with the shortcut'}`,
      description:
        kind === 'mbconv'
          ? 'efficientnet_v2.py MBConvBlock: 1×1 expansion to filtersIn·expandRatio, depthwise kernelSize×kernelSize, squeeze-and-excite down to filtersIn·seRatio, linear 1×1 projection to filtersOut.'
          : kind === 'fused'
            ? 'efficientnet_v2.py FusedMBConvBlock: the expansion and the depthwise convolution fused into one full kernelSize×kernelSize convolution to filtersIn·expandRatio, then a linear 1×1 projection to filtersOut.'
            : 'efficientnet_v2.py FusedMBConvBlock with expand_ratio 1: one full kernelSize×kernelSize convolution to filtersOut, BatchNormalization and swish.',
    },
    (g, { x }) => {
      let y = x;
      if (kind === 'fused1') {
        y = g.add('Conv2D', { ...conv2d(0, 1, { padding: 'same', useBias: false }), filters: $('filtersOut'), kernelSize: [k, k], strides: [s, s] }, [y], 'project_conv');
        y = g.add('BatchNormalization', BN, [y], 'project_bn');
        y = g.add('Activation', SWISH, [y], 'project_activation');
      } else {
        const fused = kind === 'fused';
        y = g.add('Conv2D', { ...conv2d(0, 1, { padding: 'same', useBias: false }), filters, ...(fused ? { kernelSize: [k, k], strides: [s, s] } : {}) }, [y], 'expand_conv');
        y = g.add('BatchNormalization', BN, [y], 'expand_bn');
        y = g.add('Activation', SWISH, [y], 'expand_activation');
        if (!fused) {
          const { filters: _f, ...dw } = conv2d(0, 1, { padding: 'same', useBias: false });
          y = g.add('DepthwiseConv2D', { ...dw, kernelSize: [k, k], strides: [s, s], depthMultiplier: 1 }, [y], 'dwconv2');
          y = g.add('BatchNormalization', BN, [y], 'bn');
          const act = g.add('Activation', SWISH, [y], 'activation');
          let se = g.add('GlobalAveragePooling2D', {}, [act], 'se_squeeze');
          se = g.add('Reshape', { targetShape: [1, 1, filters] }, [se], 'se_reshape');
          se = g.add('Conv2D', { ...conv2d(0, 1, { padding: 'same', activation: 'swish' }), filters: $('filtersIn * seRatio // 1') }, [se], 'se_reduce');
          se = g.add('Conv2D', { ...conv2d(0, 1, { padding: 'same', activation: 'sigmoid' }), filters }, [se], 'se_expand');
          y = g.add('Multiply', {}, [act, se], 'se_excite');
        }
        y = g.add('Conv2D', { ...conv2d(0, 1, { padding: 'same', useBias: false }), filters: $('filtersOut') }, [y], 'project_conv');
        y = g.add('BatchNormalization', BN, [y], 'project_bn');
      }
      if (residual === 'drop') y = g.add('Dropout', { rate: $('dropRate'), noiseShape: [null, 1, 1, 1] }, [y], 'drop');
      if (residual !== 'none') y = g.add('Add', {}, [y, x], 'add');
      return y;
    },
  );
}

/** DEFAULT_BLOCKS_ARGS["efficientnetv2-s"]: [kernel, repeats, filters in, filters out, expand ratio, se ratio, strides, conv type (1 fused)]. */
const STAGES: [k: number, repeats: number, fin: number, fout: number, expand: number, se: number, strides: number, fused: boolean][] = [
  [3, 2, 24, 24, 1, 0, 1, true],
  [3, 4, 24, 48, 4, 0, 2, true],
  [3, 4, 48, 64, 4, 0, 2, true],
  [3, 6, 64, 128, 4, 0.25, 2, false],
  [3, 9, 128, 160, 6, 0.25, 1, false],
  [3, 15, 160, 256, 6, 0.25, 2, false],
];

export function efficientnetv2s(): Graph {
  const b = new GraphBuilder('efficientnetv2s', {
    title: 'EfficientNetV2S (keras.applications)',
    description:
      'EfficientNetV2-S (Tan and Le, 2021) exactly as keras.applications.EfficientNetV2S(weights=None) builds it in Keras 3 at 384×384 (include_top=True, 1000 classes), layer names included; ' +
      'the input is rescaled to −1…1 (x/128 − 1). Its 40 blocks are uses of four block definitions. ' +
      'The first three stages use Fused-MBConv: the 1×1 expansion and the depthwise 3×3 of MBConv become one full 3×3 convolution, which costs more weights but runs faster on accelerators at high resolution: ' +
      'in block2b (48 channels, expanded four-fold) the fused expand_conv costs 3·3·48·192 = 82,944 weights, where MBConv\'s 1×1 expansion and depthwise 3×3 would cost 48·192 + 3·3·192 = 9,216 + 1,728 = 10,944. ' +
      'The last three stages are MBConv with squeeze-and-excite, where the depthwise convolution is the cheap part: in block6o (256 → 1,536 channels) dwconv2 costs 3·3·1,536 = 13,824, ' +
      'the squeeze-and-excite 1×1 convolutions 1,536·64 + 64 = 98,368 and 64·1,536 + 1,536 = 99,840, and the 1×1 expansion and projection 256·1,536 = 393,216 each, ' +
      'against 3·3·1,536·1,536 = 21,233,664 for one full 3×3 convolution at that width, about the whole model. ' +
      'block1a keeps its shortcut without a drop-connect Dropout because its rate, 0.2·0/40, is 0. ' +
      'All 21,612,360 parameters take 82.4 MiB as fp32; 153,872 are the non-trainable moving means and variances of 110 BatchNormalization layers.',
  });
  const input = b.add('Input', { shape: [384, 384, 3] }, [], 'input_layer');
  let x = b.chain(input, [
    ['Rescaling', { scale: 1 / 128, offset: -1 }, 'rescaling'],
    ['Conv2D', conv2d(24, 3, { strides: 2, padding: 'same', useBias: false }), 'stem_conv'],
    ['BatchNormalization', BN, 'stem_bn'],
    ['Activation', SWISH, 'stem_activation'],
  ]);
  const total = STAGES.reduce((s, st) => s + st[1], 0);
  let n = 0;
  STAGES.forEach(([k, r, fin0, fout, expand, se, strides0, fused], i) => {
    let fin = fin0;
    for (let j = 0; j < r; j++) {
      const strides = j > 0 ? 1 : strides0;
      if (j > 0) fin = fout;
      const dropRate = (0.2 * n) / total;
      const residual: Residual = strides === 1 && fin === fout ? (dropRate ? 'drop' : 'add') : 'none';
      const kind: Kind = fused ? (expand === 1 ? 'fused1' : 'fused') : 'mbconv';
      x = b.use(defineV2(b, kind, residual), { filtersIn: fin, expandRatio: expand, filtersOut: fout, kernelSize: k, strides, seRatio: se, dropRate }, [x], `block${i + 1}${String.fromCharCode(97 + j)}`);
      n++;
    }
  });
  b.chain(x, [
    ['Conv2D', conv2d(1280, 1, { padding: 'same', useBias: false }), 'top_conv'],
    ['BatchNormalization', BN, 'top_bn'],
    ['Activation', SWISH, 'top_activation'],
    ['GlobalAveragePooling2D', {}, 'avg_pool'],
    ['Dropout', { rate: 0.2 }, 'top_dropout'],
    ['Dense', dense(1000, 'softmax'), 'predictions'],
  ]);
  return finish(b);
}
