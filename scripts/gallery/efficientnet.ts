/**
 * keras.applications.EfficientNetB0 and EfficientNetB7 (include_top=True,
 * weights=None, 1000 classes) at their default sizes, as
 * keras/src/applications/efficientnet.py builds them. Every MBConv block is a
 * use of one block definition; the few shapes the source builds differently
 * (no expansion when expand_ratio is 1, a ZeroPadding2D before a stride-2
 * depthwise convolution, the drop-connect Dropout and the Add only when the
 * block keeps its shape) are separate definitions of the same body.
 */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { conv2d, dense, finish } from './common.ts';

/** efficientnet.py leaves BatchNormalization at its defaults (momentum 0.99, epsilon 1e-3). */
export const BN = { axis: -1, momentum: 0.99, epsilon: 1e-3 };
const SWISH = { activation: 'swish' };
const $ = (expr: string) => ({ $: expr });

/** The parameters every MBConv block is used with. */
const MBCONV_PARAMS = { filtersIn: 32, expandRatio: 6, filtersOut: 16, kernelSize: 3, seRatio: 0.25, dropRate: 0, pad: [[0, 1], [0, 1]] };

interface Variant {
  /** An expansion 1×1 convolution first (expand_ratio ≠ 1). */
  expand: boolean;
  /** Stride 2 after a ZeroPadding2D of imagenet_utils.correct_pad. */
  strided: boolean;
  /** The drop-connect Dropout and the Add of the block input (stride 1, filters_in = filters_out). */
  residual: boolean;
}

function variantName(v: Variant): string {
  return `mbconv${v.expand ? '' : '1'}${v.strided ? '_strided' : ''}${v.residual ? '_residual' : ''}`;
}

/** efficientnet.py's `block`: expand, depthwise, squeeze-and-excite, project, and the shortcut. */
function defineMbconv(b: GraphBuilder, v: Variant): string {
  const name = variantName(v);
  if (b.graph.blocks?.[name]) return name;
  const filters = $('filtersIn * expandRatio');
  const k = $('kernelSize');
  return b.defineBlock(
    name,
    {
      params: MBCONV_PARAMS,
      title: `MBConv${v.expand ? '' : ' without expansion'}${v.strided ? ', stride 2' : ''}${v.residual ? ', with the shortcut' : ''}`,
      description:
        'efficientnet.py block(): a 1×1 expansion to filtersIn·expandRatio channels (absent when expandRatio is 1), a kernelSize×kernelSize depthwise convolution, ' +
        'squeeze-and-excite (global average, 1×1 down to filtersIn·seRatio channels, 1×1 back up with a sigmoid, multiplied into every position), ' +
        'and a linear 1×1 projection to filtersOut; the drop-connect Dropout (noise shape (None, 1, 1, 1): the whole sample) and the Add only when the block keeps its shape.',
    },
    (s, { x }) => {
      let y = x;
      if (v.expand) {
        y = s.add('Conv2D', { ...conv2d(0, 1, { padding: 'same', useBias: false }), filters }, [y], 'expand_conv');
        y = s.add('BatchNormalization', BN, [y], 'expand_bn');
        y = s.add('Activation', SWISH, [y], 'expand_activation');
      }
      if (v.strided) y = s.add('ZeroPadding2D', { padding: $('pad') }, [y], 'dwconv_pad');
      const { filters: _f, ...dw } = conv2d(0, 1, { strides: v.strided ? 2 : 1, padding: v.strided ? 'valid' : 'same', useBias: false });
      y = s.add('DepthwiseConv2D', { ...dw, kernelSize: [k, k], depthMultiplier: 1 }, [y], 'dwconv');
      y = s.add('BatchNormalization', BN, [y], 'bn');
      const act = s.add('Activation', SWISH, [y], 'activation');
      let se = s.add('GlobalAveragePooling2D', {}, [act], 'se_squeeze');
      se = s.add('Reshape', { targetShape: [1, 1, filters] }, [se], 'se_reshape');
      se = s.add('Conv2D', { ...conv2d(0, 1, { padding: 'same', activation: 'swish' }), filters: $('filtersIn * seRatio // 1') }, [se], 'se_reduce');
      se = s.add('Conv2D', { ...conv2d(0, 1, { padding: 'same', activation: 'sigmoid' }), filters }, [se], 'se_expand');
      y = s.add('Multiply', {}, [act, se], 'se_excite');
      y = s.add('Conv2D', { ...conv2d(0, 1, { padding: 'same', useBias: false }), filters: $('filtersOut') }, [y], 'project_conv');
      y = s.add('BatchNormalization', BN, [y], 'project_bn');
      if (v.residual) {
        y = s.add('Dropout', { rate: $('dropRate'), noiseShape: [null, 1, 1, 1] }, [y], 'drop');
        y = s.add('Add', {}, [y, x], 'add');
      }
      return y;
    },
  );
}

/** DEFAULT_BLOCKS_ARGS of efficientnet.py: [kernel, repeats, filters in, filters out, expand ratio, strides]; se_ratio is 0.25 throughout. */
const STAGES: [k: number, repeats: number, fin: number, fout: number, expand: number, strides: number][] = [
  [3, 1, 32, 16, 1, 1],
  [3, 2, 16, 24, 6, 2],
  [5, 2, 24, 40, 6, 2],
  [3, 3, 40, 80, 6, 2],
  [5, 3, 80, 112, 6, 1],
  [5, 4, 112, 192, 6, 2],
  [3, 1, 192, 320, 6, 1],
];

export interface EfficientNetConfig {
  name: string;
  title: string;
  description: string;
  width: number;
  depth: number;
  size: number;
  dropout: number;
}

/** round_filters of efficientnet.py with depth_divisor 8. */
function roundFilters(filters: number, width: number): number {
  const f = filters * width;
  let n = Math.max(8, Math.floor(Math.trunc(f + 4) / 8) * 8);
  if (n < 0.9 * f) n += 8;
  return n;
}

/** imagenet_utils.correct_pad: one less before than after on an even size. */
export function correctPad(size: number, k: number): [[number, number], [number, number]] {
  const adjust = 1 - (size % 2);
  const c = Math.floor(k / 2);
  return [[c - adjust, c], [c - adjust, c]];
}

export function efficientnet(c: EfficientNetConfig): Graph {
  const b = new GraphBuilder(c.name, { title: c.title, description: c.description });
  const input = b.add('Input', { shape: [c.size, c.size, 3] }, [], 'input_layer');
  let x = b.chain(input, [
    ['Rescaling', { scale: 1 / 255, offset: 0 }, 'rescaling'],
    ['Normalization', { axis: -1 }, 'normalization'],
    ['ZeroPadding2D', { padding: correctPad(c.size, 3) }, 'stem_conv_pad'],
    ['Conv2D', conv2d(roundFilters(32, c.width), 3, { strides: 2, useBias: false }), 'stem_conv'],
    ['BatchNormalization', BN, 'stem_bn'],
    ['Activation', SWISH, 'stem_activation'],
  ]);
  let size = Math.ceil(c.size / 2);
  const repeats = (r: number) => Math.ceil(c.depth * r);
  const total = STAGES.reduce((s, st) => s + repeats(st[1]), 0);
  let n = 0;
  STAGES.forEach(([k, r, fin0, fout0, expand, strides0], i) => {
    const fout = roundFilters(fout0, c.width);
    let fin = roundFilters(fin0, c.width);
    for (let j = 0; j < repeats(r); j++) {
      const strides = j > 0 ? 1 : strides0;
      if (j > 0) fin = fout;
      const v: Variant = { expand: expand !== 1, strided: strides === 2, residual: strides === 1 && fin === fout };
      const block = defineMbconv(b, v);
      const dropRate = (0.2 * n) / total;
      x = b.use(block, { filtersIn: fin, expandRatio: expand, filtersOut: fout, kernelSize: k, seRatio: 0.25, dropRate, pad: correctPad(size, k) }, [x], `block${i + 1}${String.fromCharCode(97 + j)}`);
      if (strides === 2) size = Math.ceil(size / 2);
      n++;
    }
  });
  b.chain(x, [
    ['Conv2D', conv2d(roundFilters(1280, c.width), 1, { padding: 'same', useBias: false }), 'top_conv'],
    ['BatchNormalization', BN, 'top_bn'],
    ['Activation', SWISH, 'top_activation'],
    ['GlobalAveragePooling2D', {}, 'avg_pool'],
    ['Dropout', { rate: c.dropout }, 'top_dropout'],
    ['Dense', dense(1000, 'softmax'), 'predictions'],
  ]);
  return finish(b);
}

export const efficientnetb0 = (): Graph =>
  efficientnet({
    name: 'efficientnetb0', width: 1.0, depth: 1.0, size: 224, dropout: 0.2,
    title: 'EfficientNetB0 (keras.applications)',
    description:
      'EfficientNetB0 (Tan and Le, 2019) exactly as keras.applications.EfficientNetB0(weights=None) builds it in Keras 3 at 224×224 (include_top=True, 1000 classes), layer names included. ' +
      'The stem rescales to 0–1 and normalises with an unadapted Normalization (its mean, variance and count, 3 + 3 + 1 = 7 weights, are not trained). ' +
      'The 16 MBConv blocks are uses of one block: a 1×1 expansion, a depthwise k×k convolution, squeeze-and-excite and a linear 1×1 projection, with a drop-connect Dropout and an Add where the block keeps its shape. ' +
      'The lecture notes\' 1×1 idea (lecture 05) does the channel mixing; the depthwise convolution does the spatial filtering alone: in block7a (192 → 1,152 channels) the depthwise 3×3 costs 3·3·1,152 = 10,368 weights, ' +
      'where a full 3×3 convolution from 1,152 to 1,152 channels would cost 3·3·1,152·1,152 = 11,943,936. ' +
      'Squeeze-and-excite is cheap because it works on one pooled vector: its two 1×1 convolutions cost 1,152·48 + 48 = 55,344 and 48·1,152 + 1,152 = 56,448, under 1% of that full convolution, ' +
      'while the two 1×1 convolutions around the depthwise one hold 192·1,152 = 221,184 and 1,152·320 = 368,640. ' +
      'The parameters live at the top: predictions holds 1,280·1,000 + 1,000 = 1,281,000 (24% of the model) and top_conv 320·1,280 = 409,600. ' +
      'All 5,330,571 parameters take 20.3 MiB as fp32; 42,023 are not trained: the moving means and variances of 49 BatchNormalization layers (42,016) and the Normalization\'s 7.',
  });

export const efficientnetb7 = (): Graph =>
  efficientnet({
    name: 'efficientnetb7', width: 2.0, depth: 3.1, size: 600, dropout: 0.5,
    title: 'EfficientNetB7 (keras.applications)',
    description:
      'EfficientNetB7 (Tan and Le, 2019) exactly as keras.applications.EfficientNetB7(weights=None) builds it in Keras 3 at 600×600 (include_top=True, 1000 classes), layer names included. ' +
      'It is EfficientNetB0 scaled by compound scaling: width ×2.0 (every filter count, rounded to a multiple of 8), depth ×3.1 (each stage\'s repeats, rounded up: 55 MBConv blocks instead of 16), ' +
      'and resolution 600 instead of 224; the same block definitions serve both files. ' +
      'Width costs parameters quadratically, depth linearly and resolution none: in block7d (640 → 3,840 channels) the depthwise 3×3 costs 3·3·3,840 = 34,560 weights, ' +
      'where a full 3×3 convolution from 3,840 to 3,840 channels would cost 3·3·3,840·3,840 = 132,710,400, twice the whole model; ' +
      'its squeeze-and-excite 1×1 convolutions cost 3,840·160 + 160 = 614,560 and 160·3,840 + 3,840 = 618,240, the 1×1 expansion and projection 640·3,840 = 2,457,600 each. ' +
      'predictions holds 2,560·1,000 + 1,000 = 2,561,000 and top_conv 640·2,560 = 1,638,400. ' +
      'All 66,658,687 parameters take 254.3 MiB as fp32; 310,727 are not trained: the moving statistics of 163 BatchNormalization layers (310,720) and the Normalization\'s 7. ' +
      'The 600×600 input, not the weights, is what makes it heavy: netloom counts about 37.7 billion multiply-adds per image.',
  });
