/**
 * keras.applications.InceptionResNetV2 (include_top=True, weights=None, 1000
 * classes) at 299×299, as keras/src/applications/inception_resnet_v2.py builds
 * it. The residual blocks 35, 17 and 8 are block definitions, each stage one
 * use repeated (block8_10, without the final ReLU, a definition of its own).
 * Outside the blocks the layers the source leaves unnamed carry Keras's
 * automatic names, counted as Keras counts them through the blocks; inside a
 * block they are named by their branch. CustomScaleLayer (x + r·scale, no
 * weights) is written as a Rescaling of the residual by `scale` and an Add.
 */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { conv2d, dense, finish, kerasNamer, pool2d } from './common.ts';

/** conv2d_bn: BatchNormalization(axis=3, scale=False), so only beta is trained beside the moving statistics. */
const BN = { axis: -1, momentum: 0.99, epsilon: 1e-3, scale: false };
const $ = (expr: string) => ({ $: expr });

type Kernel = number | [number, number];

/** The branches of each residual block: [name, filters, kernel] chains, as inception_resnet_block writes them. */
const BRANCHES: Record<'block35' | 'block17' | 'block8', [string, number, Kernel][][]> = {
  block35: [
    [['branch_0', 32, 1]],
    [['branch_1a', 32, 1], ['branch_1b', 32, 3]],
    [['branch_2a', 32, 1], ['branch_2b', 48, 3], ['branch_2c', 64, 3]],
  ],
  block17: [
    [['branch_0', 192, 1]],
    [['branch_1a', 128, 1], ['branch_1b', 160, [1, 7]], ['branch_1c', 192, [7, 1]]],
  ],
  block8: [
    [['branch_0', 192, 1]],
    [['branch_1a', 192, 1], ['branch_1b', 224, [1, 3]], ['branch_1c', 256, [3, 1]]],
  ],
};

const TITLES = { block35: 'Inception-ResNet-A (35×35)', block17: 'Inception-ResNet-B (17×17)', block8: 'Inception-ResNet-C (8×8)' };

function defineResidual(b: GraphBuilder, type: keyof typeof BRANCHES, relu: boolean): string {
  const name = relu ? type : `${type}_linear`;
  return b.defineBlock(
    name,
    {
      params: { channels: 320, scale: 0.17 },
      title: `${TITLES[type]}${relu ? '' : ', without the final ReLU'}`,
      description:
        'inception_resnet_block: parallel conv2d_bn branches (Conv2D without bias, BatchNormalization with scale=False, ReLU) concatenated, ' +
        'a 1×1 convolution with bias back to the input\'s channels, scaled by `scale` and added to the input (CustomScaleLayer), then ReLU' + (relu ? '.' : ' (not in block8_10).'),
    },
    (s, { x }) => {
      const outs = BRANCHES[type].map((chain) =>
        chain.reduce((y, [n, f, k]) => {
          const c = s.add('Conv2D', conv2d(f, k, { padding: 'same', useBias: false }), [y], `${n}_conv`);
          return s.add('Activation', { activation: 'relu' }, [s.add('BatchNormalization', BN, [c], `${n}_bn`)], `${n}_ac`);
        }, x),
      );
      const mixed = s.add('Concatenate', { axis: -1 }, outs, 'mixed');
      const up = s.add('Conv2D', { ...conv2d(0, 1, { padding: 'same' }), filters: $('channels') }, [mixed], 'conv');
      const scaled = s.add('Rescaling', { scale: $('scale'), offset: 0 }, [up], 'residual_scale');
      const sum = s.add('Add', {}, [x, scaled], 'scale_add');
      return relu ? s.add('Activation', { activation: 'relu' }, [sum], 'ac') : sum;
    },
  );
}

export function inceptionResnetV2(): Graph {
  const b = new GraphBuilder('inception-resnet-v2', {
    title: 'Inception-ResNet-v2 (keras.applications)',
    description:
      'Inception-ResNet-v2 (Szegedy et al., 2017) as keras.applications.InceptionResNetV2(weights=None) builds it in Keras 3 at 299×299 (include_top=True, 1000 classes), layer for layer in its counts; ' +
      'the residual stages are uses of three blocks repeated 10, 20 and 10 times (block35 at 35×35×320, block17 at 17×17×1,088, block8 at 8×8×2,080). ' +
      'Keras\'s CustomScaleLayer, x + r·scale with no weights, is written as a Rescaling of the residual by scale (0.17, 0.1, 0.2) and an Add; outside the blocks the unnamed layers carry Keras\'s automatic names. ' +
      'Every conv2d_bn is a Conv2D without bias, BatchNormalization with scale=False (beta trained, the moving mean and variance not) and ReLU. ' +
      'Inception\'s factorisation in the lecture notes\' terms (lecture 05, 1×1 and small kernels): in block17 the 1×7 then 7×1 pair costs 1·7·128·160 + 7·1·160·192 = 143,360 + 215,040 = 358,400 weights, ' +
      'where one 7×7 convolution from 128 to 192 channels would cost 7·7·128·192 = 1,204,224. ' +
      'The residual needs the block\'s output to have its input\'s channels, so each block ends in a 1×1 convolution back up: 384·1,088 + 1,088 = 418,880 in block17, 448·2,080 + 2,080 = 933,920 in block8. ' +
      'That is where the parameters live: one block17 holds 1,127,456 (its 20 copies 22,549,120, 40% of the model), one block8 2,036,288 (its 10 copies 20,362,880, 36%); ' +
      'conv_7b (1×1, 2,080 → 1,536) 3,194,880 and predictions 1,536·1,000 + 1,000 = 1,537,000. ' +
      'All 55,873,736 parameters take 213.1 MiB as fp32; 60,544 are the non-trainable moving means and variances of 204 BatchNormalization layers.',
  });
  const auto = kerasNamer('tf2');
  /** conv2d_bn outside a block: unnamed layers get Keras's automatic names. */
  const convBn = (x: string, filters: number, k: Kernel, o: { strides?: number; padding?: 'valid' | 'same'; name?: string } = {}) => {
    const c = b.add('Conv2D', conv2d(filters, k, { strides: o.strides, padding: o.padding ?? 'same', useBias: false }), [x], o.name ?? auto('conv2d'));
    const n = b.add('BatchNormalization', BN, [c], o.name ? `${o.name}_bn` : auto('batch_normalization'));
    return b.add('Activation', { activation: 'relu' }, [n], o.name ? `${o.name}_ac` : auto('activation'));
  };
  /** Keras's counters run on through the unnamed conv2d_bn layers inside each block. */
  const skip = (type: keyof typeof BRANCHES, copies: number) => {
    const n = BRANCHES[type].flat().length * copies;
    for (let i = 0; i < n; i++) ['conv2d', 'batch_normalization', 'activation'].forEach((k) => auto(k));
  };
  const input = b.add('Input', { shape: [299, 299, 3] }, [], 'input_layer');
  let x = convBn(input, 32, 3, { strides: 2, padding: 'valid' });
  x = convBn(x, 32, 3, { padding: 'valid' });
  x = convBn(x, 64, 3);
  x = b.add('MaxPooling2D', pool2d(3, 2), [x], auto('max_pooling2d'));
  x = convBn(x, 80, 1, { padding: 'valid' });
  x = convBn(x, 192, 3, { padding: 'valid' });
  x = b.add('MaxPooling2D', pool2d(3, 2), [x], auto('max_pooling2d'));

  // mixed_5b: the Inception-A module of Inception v3, 35×35×320.
  const b0 = convBn(x, 96, 1);
  const b1 = convBn(convBn(x, 48, 1), 64, 5);
  const b2 = convBn(convBn(convBn(x, 64, 1), 96, 3), 96, 3);
  const bp = convBn(b.add('AveragePooling2D', pool2d(3, 1, 'same'), [x], auto('average_pooling2d')), 64, 1);
  x = b.add('Concatenate', { axis: -1 }, [b0, b1, b2, bp], 'mixed_5b');

  x = b.use(defineResidual(b, 'block35', true), { channels: 320, scale: 0.17 }, [x], 'block35_', { repeat: 10, repeatStart: 1 });
  skip('block35', 10);

  // mixed_6a: reduction to 17×17×1088.
  const r0 = convBn(x, 384, 3, { strides: 2, padding: 'valid' });
  const r1 = convBn(convBn(convBn(x, 256, 1), 256, 3), 384, 3, { strides: 2, padding: 'valid' });
  const rp = b.add('MaxPooling2D', pool2d(3, 2), [x], auto('max_pooling2d'));
  x = b.add('Concatenate', { axis: -1 }, [r0, r1, rp], 'mixed_6a');

  x = b.use(defineResidual(b, 'block17', true), { channels: 1088, scale: 0.1 }, [x], 'block17_', { repeat: 20, repeatStart: 1 });
  skip('block17', 20);

  // mixed_7a: reduction to 8×8×2080.
  const s0 = convBn(convBn(x, 256, 1), 384, 3, { strides: 2, padding: 'valid' });
  const s1 = convBn(convBn(x, 256, 1), 288, 3, { strides: 2, padding: 'valid' });
  const s2 = convBn(convBn(convBn(x, 256, 1), 288, 3), 320, 3, { strides: 2, padding: 'valid' });
  const sp = b.add('MaxPooling2D', pool2d(3, 2), [x], auto('max_pooling2d'));
  x = b.add('Concatenate', { axis: -1 }, [s0, s1, s2, sp], 'mixed_7a');

  x = b.use(defineResidual(b, 'block8', true), { channels: 2080, scale: 0.2 }, [x], 'block8_', { repeat: 9, repeatStart: 1 });
  x = b.use(defineResidual(b, 'block8', false), { channels: 2080, scale: 1.0 }, [x], 'block8_10');

  x = convBn(x, 1536, 1, { name: 'conv_7b' });
  b.chain(x, [
    ['GlobalAveragePooling2D', {}, 'avg_pool'],
    ['Dense', dense(1000, 'softmax'), 'predictions'],
  ]);
  return finish(b);
}
