/**
 * The figure each example in examples/ must reproduce, with its source.
 * External facts, copied from their sources (the Keras Applications table,
 * printed Keras summaries, torchvision's documentation, papers, the lecture
 * notes): never update them from netloom's output. The example test holds
 * every file to them and `npm run examples:table` lists them.
 */
import { GALLERY } from './gallery/index.ts';

export interface Reference {
  /** Where the figures come from. */
  source: string;
  total?: number;
  trainable?: number;
  nonTrainable?: number;
  /** Parameter count per layer name. */
  layers?: Record<string, number>;
  /** Parameter count per display group (both towers of one AlexNet layer). */
  groups?: Record<string, number>;
  /** Output shape per layer name, where the source states it. */
  shapes?: Record<string, (number | null)[]>;
}

export const PUBLISHED = 'reference README, "Published parameter counts"';

/**
 * External facts, copied from their sources: never update them from engine output.
 * The parameter counts are those of ../shared/reference/README.md.
 */
const OWN: Record<string, Reference> = {
  'alexnet.json': {
    source: `${PUBLISHED}: AlexNet, single tower as usually written in Keras`,
    total: 62_378_344,
    layers: {
      conv1: 34_944, conv2: 614_656, conv3: 885_120, conv4: 1_327_488, conv5: 884_992,
      fc6: 37_752_832, fc7: 16_781_312, fc8: 4_097_000,
    },
  },
  'alexnet-two-tower.json': {
    source: `${PUBLISHED}: original two-GPU AlexNet (conv2/4/5 see only their own tower)`,
    total: 60_965_224,
    groups: {
      conv1: 34_944, conv2: 307_456, conv3: 885_120, conv4: 663_936, conv5: 442_624,
      fc6: 37_752_832, fc7: 16_781_312,
    },
    layers: { fc8: 4_097_000 },
  },
  'vgg16.json': {
    source: `${PUBLISHED}: Keras Applications table and VGG16 per layer`,
    total: 138_357_544,
    layers: {
      block1_conv1: 1_792, block1_conv2: 36_928, block2_conv1: 73_856, block2_conv2: 147_584,
      block3_conv1: 295_168, block3_conv2: 590_080, block3_conv3: 590_080,
      block4_conv1: 1_180_160, block4_conv2: 2_359_808, block4_conv3: 2_359_808,
      block5_conv1: 2_359_808, block5_conv2: 2_359_808, block5_conv3: 2_359_808,
      fc1: 102_764_544, fc2: 16_781_312, predictions: 4_097_000,
    },
  },
  'resnet50.json': {
    source: `${PUBLISHED}: Keras Applications table`,
    total: 25_636_712,
    trainable: 25_583_592,
    nonTrainable: 53_120,
    // Layers inside block uses keep Keras's names: conv2_block2 is copy 2 of the use conv2_block.
    layers: { conv2_block1_0_conv: 16_640, conv2_block2_2_conv: 36_928, conv5_block3_3_bn: 8_192, predictions: 2_049_000 },
    shapes: { conv4_block6_out: [null, 14, 14, 1024] },
  },
  'resnet101.json': { source: `${PUBLISHED}: Keras Applications table`, total: 44_707_176 },
  'resnet152.json': { source: `${PUBLISHED}: Keras Applications table`, total: 60_419_944 },
  'resnet18.json': {
    source: 'torchvision.models.resnet18 documentation, num_params 11,689,512 (BatchNormalization statistics are buffers there, so they equal Keras\'s trainable count)',
    trainable: 11_689_512,
    layers: { conv1_conv: 9_408, predictions: 513_000 },
  },
  'resnet34.json': {
    source: 'torchvision.models.resnet34 documentation, num_params 21,797,672 (equal to Keras\'s trainable count)',
    trainable: 21_797_672,
  },
  'densenet121.json': {
    source: 'Keras Applications table (keras.io/api/applications): DenseNet121, 8,062,504 parameters (printed as 8.1M; exact figure of its model.summary())',
    total: 8_062_504,
  },
  'densenet201.json': {
    source: 'Keras Applications table (keras.io/api/applications): DenseNet201, 20,242,984 parameters (printed as 20.2M; exact figure of its model.summary())',
    total: 20_242_984,
  },
  'jena-gru.json': {
    source: `${PUBLISHED}: Deep Learning with Python, 1st ed., Jena GRU(32) on 14 features; ` +
      'input (lookback // step, 14) = (1440 // 6, 14) as in the book\'s generator',
    total: 4_545,
    layers: { gru_1: 4_512, dense_1: 33 },
    shapes: { window: [null, 240, 14] },
  },
  'lstm-split-sequence.json': {
    source: 'no parameter count is published in the reference README; the lecture notes\' ' +
      'split_sequence(sequence, n_steps=3) on a univariate series gives samples of 3 steps of 1 feature',
    shapes: { window: [null, 3, 1] },
  },
};

/** Every example's reference: the ones above and the gallery's. */
export const REFERENCES: Readonly<Record<string, Reference>> = {
  ...OWN,
  ...Object.fromEntries(Object.entries(GALLERY).map(([file, { reference: r }]) => [file, {
    source: r.source,
    total: r.params,
    ...(r.trainable !== undefined ? { trainable: r.trainable } : {}),
    ...(r.nonTrainable !== undefined ? { nonTrainable: r.nonTrainable } : {}),
    ...(r.layers ? { layers: r.layers } : {}),
    ...(r.shapes ? { shapes: r.shapes } : {}),
  }])),
};
