/**
 * keras.applications.NASNetMobile (include_top=True, weights=None, 1000
 * classes) at 224×224, as keras/src/applications/nasnet.py builds it:
 * penultimate_filters 1056 (44 filters per cell branch), 4 normal cells per
 * stage, filter_multiplier 2. The cells are written out layer by layer rather
 * than as blocks: Keras names each cell's layers with the cell's id as a
 * suffix (`separable_conv_1_normal_left1_0`) and builds a different adjust
 * step depending on the shapes that meet, so only a flat graph carries its
 * names. Unnamed layers carry Keras's automatic names.
 */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { conv2d, dense, finish, kerasNamer, pool2d } from './common.ts';
import { correctPad } from './efficientnet.ts';

const BN = { axis: -1, momentum: 0.9997, epsilon: 1e-3 };

export function nasnetMobile(): Graph {
  const b = new GraphBuilder('nasnetmobile', {
    title: 'NASNet-A Mobile (keras.applications)',
    description:
      'NASNet-A Mobile (Zoph et al., 2018) exactly as keras.applications.NASNetMobile(weights=None) builds it in Keras 3 at 224×224 (include_top=True, 1000 classes), layer names included. ' +
      'Its cells were found by architecture search: each normal cell adds five pairs of branches (separable convolutions, average pooling, identities) from the two previous cells\' outputs and concatenates them, ' +
      'each reduction cell does the same with stride 2; four normal cells per stage at 44, 88 and 176 filters, after two stem reduction cells. ' +
      'The cells are written out layer by layer (Keras names their layers with the cell\'s id as a suffix, and the adjust step that matches the previous cell\'s output depends on its shape). ' +
      'Every separable convolution is the lecture notes\' 1×1 idea (lecture 05) after a per-channel filter: at 176 filters a 5×5 one costs 5·5·176 + 176·176 = 4,400 + 30,976 = 35,376 weights, ' +
      'where a full 5×5 convolution from 176 to 176 channels would cost 5·5·176·176 = 774,400. ' +
      'Because each cell concatenates six branches, the next cell first squeezes 6·176 = 1,056 channels back to 176 with 1×1 convolutions of 1,056·176 = 185,856 weights each: ' +
      'the plain Conv2D layers hold 1,890,488 parameters, the 160 SeparableConv2D layers 2,305,752 and predictions 1,056·1,000 + 1,000 = 1,057,000. ' +
      'All 5,326,716 parameters take 20.3 MiB as fp32; 36,738 are the non-trainable moving means and variances of 192 BatchNormalization layers.',
  });
  const auto = kerasNamer('tf2');
  /** Height (= width) and channels of each tensor, to choose the adjust step and the padding as the source does. */
  const shape = new Map<string, [number, number]>();
  const put = (id: string, size: number, ch: number) => (shape.set(id, [size, ch]), id);
  const size = (id: string) => shape.get(id)![0];
  const ch = (id: string) => shape.get(id)![1];
  const relu = (x: string, name?: string) => put(b.add('Activation', { activation: 'relu' }, [x], name ?? auto('activation')), size(x), ch(x));
  const bn = (x: string, name: string) => put(b.add('BatchNormalization', BN, [x], name), size(x), ch(x));
  const conv1x1 = (x: string, filters: number, name: string) => put(b.add('Conv2D', conv2d(filters, 1, { padding: 'same', useBias: false }), [x], name), size(x), filters);
  const add = (xs: string[], name?: string) => put(b.add('Add', {}, xs, name ?? auto('add')), size(xs[0]), ch(xs[0]));
  const concat = (xs: string[], name?: string) => put(b.add('Concatenate', { axis: -1 }, xs, name ?? auto('concatenate')), size(xs[0]), xs.reduce((s, x) => s + ch(x), 0));
  const pool = (kind: 'AveragePooling2D' | 'MaxPooling2D', x: string, k: number, s: number, padding: 'valid' | 'same', name: string) =>
    put(b.add(kind, pool2d(k, s, padding), [x], name), padding === 'same' ? Math.ceil(size(x) / s) : Math.floor((size(x) - k) / s) + 1, ch(x));

  /** _separable_conv_block: ReLU, SeparableConv2D (stride 2 after correct_pad), BN, ReLU, SeparableConv2D, BN. */
  const sepBlock = (ip: string, filters: number, k: number, strides: number, id: string) => {
    let x = relu(ip);
    if (strides === 2) x = put(b.add('ZeroPadding2D', { padding: correctPad(size(x), k) }, [x], `separable_conv_1_pad_${id}`), size(x) + 2 * Math.floor(k / 2) - (1 - (size(x) % 2)), ch(x));
    const sep = (s: number, padding: 'valid' | 'same') => ({ ...conv2d(filters, k, { strides: s, padding, useBias: false }), depthMultiplier: 1 });
    x = put(b.add('SeparableConv2D', sep(strides, strides === 2 ? 'valid' : 'same'), [x], `separable_conv_1_${id}`), strides === 2 ? Math.floor((size(x) - k) / 2) + 1 : size(x), filters);
    x = bn(x, `separable_conv_1_bn_${id}`);
    x = relu(x);
    x = put(b.add('SeparableConv2D', sep(1, 'same'), [x], `separable_conv_2_${id}`), size(x), filters);
    return bn(x, `separable_conv_2_bn_${id}`);
  };

  /** _adjust_block: p halved to ip's size (two offset 1×1 paths), or projected to `filters` channels, or as it is. */
  const adjust = (p: string | null, ip: string, filters: number, id: string): string => {
    if (p === null) return ip;
    if (size(p) !== size(ip)) {
      const r = relu(p, `adjust_relu_1_${id}`);
      const p1 = conv1x1(pool('AveragePooling2D', r, 1, 2, 'valid', `adjust_avg_pool_1_${id}`), Math.floor(filters / 2), `adjust_conv_1_${id}`);
      let p2 = put(b.add('ZeroPadding2D', { padding: [[0, 1], [0, 1]] }, [r], auto('zero_padding2d')), size(r) + 1, ch(r));
      p2 = put(b.add('Cropping2D', { cropping: [[1, 0], [1, 0]] }, [p2], auto('cropping2d')), size(p2) - 1, ch(p2));
      p2 = conv1x1(pool('AveragePooling2D', p2, 1, 2, 'valid', `adjust_avg_pool_2_${id}`), Math.floor(filters / 2), `adjust_conv_2_${id}`);
      return bn(concat([p1, p2]), `adjust_bn_${id}`);
    }
    if (ch(p) !== filters) return bn(conv1x1(relu(p), filters, `adjust_conv_projection_${id}`), `adjust_bn_${id}`);
    return p;
  };

  const normalCell = (ip: string, p0: string | null, filters: number, id: string): [string, string] => {
    const p = adjust(p0, ip, filters, id);
    const h = bn(conv1x1(relu(ip), filters, `normal_conv_1_${id}`), `normal_bn_1_${id}`);
    const x1 = add([sepBlock(h, filters, 5, 1, `normal_left1_${id}`), sepBlock(p, filters, 3, 1, `normal_right1_${id}`)], `normal_add_1_${id}`);
    const x2 = add([sepBlock(p, filters, 5, 1, `normal_left2_${id}`), sepBlock(p, filters, 3, 1, `normal_right2_${id}`)], `normal_add_2_${id}`);
    const x3 = add([pool('AveragePooling2D', h, 3, 1, 'same', `normal_left3_${id}`), p], `normal_add_3_${id}`);
    const x4 = add([pool('AveragePooling2D', p, 3, 1, 'same', `normal_left4_${id}`), pool('AveragePooling2D', p, 3, 1, 'same', `normal_right4_${id}`)], `normal_add_4_${id}`);
    const x5 = add([sepBlock(h, filters, 3, 1, `normal_left5_${id}`), h], `normal_add_5_${id}`);
    return [concat([p, x1, x2, x3, x4, x5], `normal_concat_${id}`), ip];
  };

  const reductionCell = (ip: string, p0: string | null, filters: number, id: string): [string, string] => {
    const p = adjust(p0, ip, filters, id);
    const h = bn(conv1x1(relu(ip), filters, `reduction_conv_1_${id}`), `reduction_bn_1_${id}`);
    const pad = correctPad(size(h), 3);
    const h3 = put(b.add('ZeroPadding2D', { padding: pad }, [h], `reduction_pad_1_${id}`), size(h) + pad[0][0] + pad[0][1], ch(h));
    const x1 = add([sepBlock(h, filters, 5, 2, `reduction_left1_${id}`), sepBlock(p, filters, 7, 2, `reduction_right1_${id}`)], `reduction_add_1_${id}`);
    const x2 = add([pool('MaxPooling2D', h3, 3, 2, 'valid', `reduction_left2_${id}`), sepBlock(p, filters, 7, 2, `reduction_right2_${id}`)], `reduction_add_2_${id}`);
    const x3 = add([pool('AveragePooling2D', h3, 3, 2, 'valid', `reduction_left3_${id}`), sepBlock(p, filters, 5, 2, `reduction_right3_${id}`)], `reduction_add3_${id}`);
    const x4 = add([x2, pool('AveragePooling2D', x1, 3, 1, 'same', `reduction_left4_${id}`)]);
    const x5 = add([sepBlock(x1, filters, 3, 1, `reduction_left4_${id}`), pool('MaxPooling2D', h3, 3, 2, 'valid', `reduction_right5_${id}`)], `reduction_add4_${id}`);
    return [concat([x2, x3, x4, x5], `reduction_concat_${id}`), ip];
  };

  const input = put(b.add('Input', { shape: [224, 224, 3] }, [], 'input_layer'), 224, 3);
  let x = put(b.add('Conv2D', conv2d(32, 3, { strides: 2, useBias: false }), [input], 'stem_conv1'), 111, 32);
  x = bn(x, 'stem_bn1');
  const filters = 1056 / 24;
  let p: string | null = null;
  [x, p] = reductionCell(x, p, filters / 4, 'stem_1');
  [x, p] = reductionCell(x, p, filters / 2, 'stem_2');
  for (let i = 0; i < 4; i++) [x, p] = normalCell(x, p, filters, `${i}`);
  [x, p] = reductionCell(x, p, filters * 2, 'reduce_4');
  for (let i = 0; i < 4; i++) [x, p] = normalCell(x, p, filters * 2, `${4 + i + 1}`);
  [x, p] = reductionCell(x, p, filters * 4, 'reduce_8');
  for (let i = 0; i < 4; i++) [x, p] = normalCell(x, p, filters * 4, `${8 + i + 1}`);
  x = relu(x);
  b.chain(x, [
    ['GlobalAveragePooling2D', {}, auto('global_average_pooling2d')],
    ['Dense', dense(1000, 'softmax'), 'predictions'],
  ]);
  return finish(b);
}
