/**
 * The gallery: file name in examples/ → its builder and the external figure
 * it must reproduce. Reference numbers are copied from their sources (the
 * Keras Applications table, printed Keras summaries, papers, the lecture
 * notes' worked examples), never from netloom's own output, so a test can
 * hold every builder to them.
 */
import type { Graph, Shape } from '../../src/engine/index.ts';
import { convnextTiny } from './convnext.ts';
import { efficientnetb0, efficientnetb7 } from './efficientnet.ts';
import { efficientnetv2s } from './efficientnetv2.ts';
import { googlenet } from './googlenet.ts';
import { inceptionResnetV2 } from './inception-resnet-v2.ts';
import { inceptionv3 } from './inceptionv3.ts';
import { conv1dGru, jenaBidirectionalGru, jenaDenseBaseline, jenaGruDropout, jenaStackedGru } from './jena.ts';
import { lenet5 } from './lenet5.ts';
import { mobilenetv2 } from './mobilenetv2.ts';
import { mobilenetv3large, mobilenetv3small } from './mobilenetv3.ts';
import { nasnetMobile } from './nasnet.ts';
import { fcnConvolutionalization, oneByOneReduction, receptiveField3x3, yoloV1Head } from './teaching.ts';
import { imdbConv1d, imdbSimpleRnn, kerasBidirectionalLstm, kerasLstm } from './text.ts';
import { bertBase, gpt2Small, transformerTextClassifier, vitB16 } from './transformers.ts';
import { vgg19 } from './vgg19.ts';
import { xception } from './xception.ts';

export interface GalleryReference {
  /** Where the figures come from, precise enough to look them up. */
  source: string;
  /** Total parameters, Keras's "Total params". */
  params: number;
  trainable?: number;
  nonTrainable?: number;
  /** Parameters per layer name, where the source states them. */
  layers?: Record<string, number>;
  /** Output shape per layer name (batch dimension null), where the source states it. */
  shapes?: Record<string, Shape>;
}

export interface GalleryEntry {
  build: () => Graph;
  reference: GalleryReference;
}

const KERAS_APPS = 'Keras Applications table (keras.io/api/applications), include_top=True, 1000 classes; the same totals as model.summary() of';
const DLWP = 'Deep Learning with Python, 1st ed. (Chollet, 2017)';
const REF_README = '../shared/reference/README.md, "Published parameter counts"';
/** How the Keras 3 figures were measured: the application itself, never netloom. */
const keras3App = (call: string) =>
  `${call} built by Keras 3.15.1 (jax backend): model.count_params(), and the sizes of trainable_weights and non_trainable_weights; per-layer figures from layer.count_params()`;
const NOTES = 'lecture notes ../shared/seeds/003_8ba976a741d4fc31.txt (day 14)';

export const GALLERY: Readonly<Record<string, GalleryEntry>> = {
  // ---------- CNNs ----------
  'lenet5.json': {
    build: lenet5,
    reference: {
      source: 'LeNet-5 as written for Keras/TF.js: tensorspace examples/lenet/lenetModel/mnist.json (../shared/reference/models/ts-lenet-tfjslayers075.json), weightsManifest totals',
      params: 61_706,
      trainable: 61_706,
      nonTrainable: 0,
      layers: { conv2d: 156, conv2d_1: 2_416, dense: 48_120, dense_1: 10_164, dense_2: 850 },
    },
  },
  'vgg19.json': {
    build: vgg19,
    reference: {
      source: `${KERAS_APPS} keras.applications.VGG19; also ${REF_README}`,
      params: 143_667_240,
      trainable: 143_667_240,
      nonTrainable: 0,
    },
  },
  'googlenet.json': {
    build: googlenet,
    reference: {
      source:
        "Caffe's bvlc_googlenet deploy net (no auxiliary classifiers) as counted by caffejs (chaosmail/caffejs README: \"Total number of params 6,998,552\", loss3/classifier 1,025,000); " +
        'filter counts from Szegedy et al. 2015, Table 1',
      params: 6_998_552,
      trainable: 6_998_552,
      nonTrainable: 0,
      layers: { loss3_classifier: 1_025_000 },
      // Table 1's output sizes.
      shapes: {
        pool1_3x3_s2: [null, 56, 56, 64], conv2_3x3: [null, 56, 56, 192], pool2_3x3_s2: [null, 28, 28, 192],
        inception_3a_output: [null, 28, 28, 256], inception_3b_output: [null, 28, 28, 480], pool3_3x3_s2: [null, 14, 14, 480],
        inception_4a_output: [null, 14, 14, 512], inception_4b_output: [null, 14, 14, 512], inception_4c_output: [null, 14, 14, 512],
        inception_4d_output: [null, 14, 14, 528], inception_4e_output: [null, 14, 14, 832], pool4_3x3_s2: [null, 7, 7, 832],
        inception_5a_output: [null, 7, 7, 832], inception_5b_output: [null, 7, 7, 1024], pool5_7x7_s1: [null, 1, 1, 1024],
      },
    },
  },
  'mobilenetv2.json': {
    build: mobilenetv2,
    reference: {
      source: `${KERAS_APPS} keras.applications.MobileNetV2(alpha=1.0, input 224×224×3)`,
      params: 3_538_984,
      trainable: 3_504_872,
      nonTrainable: 34_112,
      shapes: { out_relu: [null, 7, 7, 1280], predictions: [null, 1000] },
    },
  },
  'xception.json': {
    build: xception,
    reference: {
      source: `${KERAS_APPS} keras.applications.Xception (input 299×299×3)`,
      params: 22_910_480,
      trainable: 22_855_952,
      nonTrainable: 54_528,
      shapes: { block14_sepconv2_act: [null, 10, 10, 2048], predictions: [null, 1000] },
    },
  },
  'inceptionv3.json': {
    build: inceptionv3,
    reference: {
      source: `${KERAS_APPS} keras.applications.InceptionV3 (input 299×299×3)`,
      params: 23_851_784,
      trainable: 23_817_352,
      nonTrainable: 34_432,
      // The size comments of inception_v3.py ("mixed 0: 35 x 35 x 256", …).
      shapes: {
        mixed0: [null, 35, 35, 256], mixed1: [null, 35, 35, 288], mixed2: [null, 35, 35, 288], mixed3: [null, 17, 17, 768],
        mixed7: [null, 17, 17, 768], mixed8: [null, 8, 8, 1280], mixed9: [null, 8, 8, 2048], mixed10: [null, 8, 8, 2048],
      },
    },
  },

  'efficientnetb0.json': {
    build: efficientnetb0,
    reference: {
      source: keras3App('keras.applications.EfficientNetB0(weights=None) at 224×224×3'),
      params: 5_330_571,
      trainable: 5_288_548,
      nonTrainable: 42_023,
      layers: {
        normalization: 7, block7a_expand_conv: 221_184, block7a_dwconv: 10_368, block7a_se_reduce: 55_344, block7a_se_expand: 56_448,
        block7a_project_conv: 368_640, top_conv: 409_600, predictions: 1_281_000,
      },
    },
  },
  'efficientnetb7.json': {
    build: efficientnetb7,
    reference: {
      source: keras3App('keras.applications.EfficientNetB7(weights=None) at 600×600×3'),
      params: 66_658_687,
      trainable: 66_347_960,
      nonTrainable: 310_727,
      layers: {
        block7d_expand_conv: 2_457_600, block7d_dwconv: 34_560, block7d_se_reduce: 614_560, block7d_se_expand: 618_240,
        block7d_project_conv: 2_457_600, top_conv: 1_638_400, predictions: 2_561_000,
      },
    },
  },

  'efficientnetv2s.json': {
    build: efficientnetv2s,
    reference: {
      source: keras3App('keras.applications.EfficientNetV2S(weights=None) at 384×384×3'),
      params: 21_612_360,
      trainable: 21_458_488,
      nonTrainable: 153_872,
      layers: {
        block1a_project_conv: 5_184, block2b_expand_conv: 82_944, block2b_project_conv: 9_216, block6o_expand_conv: 393_216, block6o_dwconv2: 13_824,
        block6o_se_reduce: 98_368, block6o_se_expand: 99_840, block6o_project_conv: 393_216, top_conv: 327_680, predictions: 1_281_000,
      },
    },
  },

  'convnext-tiny.json': {
    build: convnextTiny,
    reference: {
      source: keras3App('keras.applications.ConvNeXtTiny(weights=None) at 224×224×3'),
      params: 28_589_128,
      trainable: 28_589_128,
      nonTrainable: 0,
      layers: {
        convnext_tiny_stage_3_block_2_depthwise_conv: 38_400, convnext_tiny_stage_3_block_2_pointwise_conv_1: 2_362_368,
        convnext_tiny_stage_3_block_2_pointwise_conv_2: 2_360_064, convnext_tiny_stage_3_block_2_layer_scale: 768, convnext_tiny_head_dense: 769_000,
      },
    },
  },

  'mobilenetv3small.json': {
    build: mobilenetv3small,
    reference: {
      source: keras3App('keras.applications.MobileNetV3Small(weights=None) (its default input is None×None×3; the counts do not depend on the size, the example uses 224×224×3)'),
      params: 2_554_968,
      trainable: 2_542_856,
      nonTrainable: 12_112,
      layers: {
        expanded_conv_10_expand: 55_296, expanded_conv_10_depthwise: 14_400, expanded_conv_10_squeeze_excite_conv: 83_088,
        expanded_conv_10_squeeze_excite_conv_1: 83_520, expanded_conv_10_project: 55_296, conv_1: 55_296, conv_2: 590_848, logits: 1_025_000,
      },
    },
  },
  'mobilenetv3large.json': {
    build: mobilenetv3large,
    reference: {
      source: keras3App('keras.applications.MobileNetV3Large(weights=None) (its default input is None×None×3; the counts do not depend on the size, the example uses 224×224×3)'),
      params: 5_507_432,
      trainable: 5_483_032,
      nonTrainable: 24_400,
      layers: {
        expanded_conv_14_expand: 153_600, expanded_conv_14_depthwise: 24_000, expanded_conv_14_squeeze_excite_conv: 230_640,
        expanded_conv_14_squeeze_excite_conv_1: 231_360, expanded_conv_14_project: 153_600, conv_1: 153_600, conv_2: 1_230_080, logits: 1_281_000,
      },
    },
  },

  'inception-resnet-v2.json': {
    build: inceptionResnetV2,
    reference: {
      source: keras3App('keras.applications.InceptionResNetV2(weights=None) at 299×299×3'),
      params: 55_873_736,
      trainable: 55_813_192,
      nonTrainable: 60_544,
      layers: { block35_1_conv: 41_280, block17_1_conv: 418_880, block8_1_conv: 933_920, conv_7b: 3_194_880, predictions: 1_537_000 },
    },
  },

  'nasnetmobile.json': {
    build: nasnetMobile,
    reference: {
      source: keras3App('keras.applications.NASNetMobile(weights=None) at 224×224×3'),
      params: 5_326_716,
      trainable: 5_289_978,
      nonTrainable: 36_738,
      layers: {
        separable_conv_1_normal_left1_0: 3_036, separable_conv_1_normal_left1_12: 35_376, separable_conv_1_normal_right1_12: 32_560,
        normal_conv_1_12: 185_856, adjust_conv_projection_12: 185_856, predictions: 1_057_000,
      },
    },
  },

  // ---------- teaching pieces ----------
  'receptive-field-3x3.json': {
    build: receptiveField3x3,
    reference: {
      source: `${NOTES}, lecture 05 "why 3×3?": 3×3 twice vs 5×5 once, same receptive field; weights 2·9·C² and 25·C² with C = 64, biases off`,
      params: 176_128,
      layers: { conv3x3_a: 36_864, conv3x3_b: 36_864, conv5x5: 102_400 },
      shapes: { conv3x3_b: [null, 28, 28, 64], conv5x5: [null, 28, 28, 64] },
    },
  },
  'one-by-one-reduction.json': {
    build: oneByOneReduction,
    reference: {
      source: `${NOTES}, lecture 05 "1×1 convolution": 3·3·128·256 = 294,912 directly vs 1·1·128·32 + 3·3·32·256 = 4,096 + 73,728 = 77,824 with a 1×1 reduction, biases off`,
      params: 372_736,
      layers: { direct_3x3: 294_912, reduce_1x1: 4_096, bottleneck_3x3: 73_728 },
      shapes: { direct_3x3: [null, 28, 28, 256], bottleneck_3x3: [null, 28, 28, 256] },
    },
  },
  'fcn-convolutionalization.json': {
    build: fcnConvolutionalization,
    reference: {
      source: `${NOTES}, lecture 06 "Fully Convolutional Network": (4×4×16)×10 = 2,560 weights either way, plus 10 biases; Conv2DTranspose 4·4·10·10 + 10`,
      params: 6_750,
      layers: { dense: 2_570, conv_4x4: 2_570, upsample: 1_610 },
      shapes: { dense: [null, 10], conv_4x4: [null, 1, 1, 10], upsample: [null, 4, 4, 10] },
    },
  },
  'yolo-v1-head.json': {
    build: yoloV1Head,
    reference: {
      source: `Redmon et al. 2016 (YOLO v1), Figure 3 head: 7×7×1024 → fc 4096 → 7×7×30; ${NOTES}, lecture 06 "YOLO": S×S×(B·5+C)`,
      params: 211_547_582,
      layers: { fc1: 205_524_992, fc2: 6_022_590 },
      shapes: { detections: [null, 7, 7, 30] },
    },
  },

  // ---------- sequence models ----------
  'jena-dense-baseline.json': {
    build: jenaDenseBaseline,
    reference: {
      source: `${DLWP}, listing 6.37 (no printed summary): Dense(32) on 240·14 inputs = 3,360·32 + 32, Dense(1) = 32 + 1`,
      params: 107_585,
      layers: { dense_1: 107_552, dense_2: 33 },
    },
  },
  'jena-gru-dropout.json': {
    build: jenaGruDropout,
    reference: {
      source: `${REF_README}: Jena GRU(32) on 14 features 4,512 + Dense(1) 33 = 4,545 (dropout adds no parameters), ${DLWP}, listing 6.40`,
      params: 4_545,
      layers: { gru_1: 4_512, dense_1: 33 },
    },
  },
  'jena-stacked-gru.json': {
    build: jenaStackedGru,
    reference: {
      source: `${DLWP}, listing 6.41 (no printed summary): Keras 2 GRU 3·(u·(f+u) + u) with u=32, f=14 then u=64, f=32; Dense(1) 64 + 1`,
      params: 23_201,
      layers: { gru_1: 4_512, gru_2: 18_624, dense_1: 65 },
    },
  },
  'jena-bidirectional-gru.json': {
    build: jenaBidirectionalGru,
    reference: {
      source: `${DLWP}, listing 6.44 (no printed summary): two GRU(32) on 14 features, 2·4,512 (${REF_README}), Dense(1) on 64 values 65`,
      params: 9_089,
      layers: { bidirectional_1: 9_024, dense_1: 65 },
    },
  },
  'conv1d-gru.json': {
    build: conv1dGru,
    reference: {
      source: `${REF_README}: ${DLWP}, listing 6.47 summary`,
      params: 13_697,
      layers: { conv1d_1: 2_272, conv1d_2: 5_152, gru_1: 6_240, dense_1: 33 },
    },
  },
  'imdb-simplernn.json': {
    build: imdbSimpleRnn,
    reference: {
      source: `${REF_README}: ${DLWP}, section 6.2.1 summary of Embedding(10000, 32) + SimpleRNN(32)`,
      params: 322_080,
      layers: { embedding_1: 320_000, simple_rnn_1: 2_080 },
    },
  },
  'imdb-conv1d.json': {
    build: imdbConv1d,
    reference: {
      source: `${REF_README}: ${DLWP}, listing 6.45 summary`,
      params: 1_315_937,
      layers: { embedding_1: 1_280_000, conv1d_1: 28_704, conv1d_2: 7_200, dense_1: 33 },
      shapes: { conv1d_1: [null, 494, 32], max_pooling1d_1: [null, 98, 32], conv1d_2: [null, 92, 32] },
    },
  },
  'keras-lstm.json': {
    build: kerasLstm,
    reference: {
      source: `${REF_README}: Keras guide "Working with RNNs", printed TF2 summary`,
      params: 164_106,
      layers: { embedding: 64_000, lstm: 98_816, dense: 1_290 },
    },
  },
  'keras-bidirectional-lstm.json': {
    build: kerasBidirectionalLstm,
    reference: {
      source: `${REF_README}: Keras guide "Working with RNNs", bidirectional example, printed TF2 summary`,
      params: 80_266,
      layers: { bidirectional: 38_400, bidirectional_1: 41_216, dense: 650 },
    },
  },
  // ---------- Transformers ----------
  'vit-b16.json': {
    build: vitB16,
    reference: {
      source: 'torchvision.models.vit_b_16 (ViT_B_16_Weights.IMAGENET1K_V1 meta "num_params": 86567656), 224×224, 1000 classes',
      params: 86_567_656,
      trainable: 86_567_656,
      nonTrainable: 0,
      // torchvision's conv_proj, class_token, pos_embedding and heads.head weight shapes.
      layers: { conv_proj: 16 * 16 * 3 * 768 + 768, class_token: 768, position_embedding: 197 * 768, head: 768 * 1000 + 1000 },
      shapes: { patches: [null, 196, 768], class_token: [null, 197, 768], head: [null, 1000] },
    },
  },
  'bert-base.json': {
    build: bertBase,
    reference: {
      source: 'BERT-base uncased (Devlin et al. 2018) with its pooler: Hugging Face BertModel(bert-base-uncased).num_parameters() = 109,482,240; 30,522 tokens, 512 positions, 2 segments',
      params: 109_482_240,
      trainable: 109_482_240,
      nonTrainable: 0,
      layers: { token_embedding: 30_522 * 768, position_embedding: 512 * 768, segment_embedding: 2 * 768, pooled_dense: 768 * 768 + 768 },
    },
  },
  'gpt2-small.json': {
    build: gpt2Small,
    reference: {
      source: 'GPT-2 small (Radford et al. 2019): Hugging Face GPT2LMHeadModel(gpt2).num_parameters() = 124,439,808, the lm_head tied to wte; 50,257 tokens, 1,024 positions',
      params: 124_439_808,
      trainable: 124_439_808,
      nonTrainable: 0,
      // wte and wpe; the tied head adds nothing.
      layers: { token_embedding: 50_257 * 768, position_embedding: 1024 * 768, lm_head: 0 },
    },
  },
  'transformer-text-classifier.json': {
    build: transformerTextClassifier,
    reference: {
      source: 'keras.io "Text classification with Transformer" (examples/nlp/text_classification_with_transformer.py) built by Keras 3.15.1: model.count_params() = 657,758 (tests/interop/fixtures/keras-io-text-transformer.py)',
      params: 657_758,
      trainable: 657_758,
      nonTrainable: 0,
      layers: { token_emb: 640_000, pos_emb: 6_400, dense_2: 660, dense_3: 42 },
    },
  },
};
