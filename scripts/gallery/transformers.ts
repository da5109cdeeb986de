/**
 * Transformers: ViT-B/16, BERT-base, GPT-2 small and the keras.io text
 * classifier. Each encoder or decoder layer is one block definition used as
 * one node repeated 12 times; the parameter figures are the published ones
 * (torchvision, the BERT and GPT-2 releases) and the keras.io model as Keras 3
 * builds it.
 */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { dense, finish } from './common.ts';

const $ = (expr: string) => ({ $: expr });

/** Self-attention: one source feeds both the query and the value port. */
const selfAttention = (b: GraphBuilder, x: string, params: Record<string, unknown>, name: string) =>
  b.add('MultiHeadAttention', params, [x, x], name);

const mha = (causal = false) => ({
  numHeads: $('heads'), keyDim: $('d // heads'), dropout: 0.1, useBias: true, useCausalMask: causal,
});

/**
 * A pre-norm layer (ViT, GPT-2): x + MHA(LN(x)), then y + MLP(LN(y)). The
 * MLP is Dense(4d, gelu) → Dense(d).
 */
function definePreNorm(b: GraphBuilder, name: string, o: { causal: boolean; epsilon: number; title: string; description: string }): void {
  b.defineBlock(name, {
    title: o.title,
    description: o.description,
    params: { d: 768, heads: 12, ff: 3072 },
  }, (bb, { x }) => {
    const ln1 = bb.add('LayerNormalization', { epsilon: o.epsilon }, [x], 'ln_1');
    const att = selfAttention(bb, ln1, mha(o.causal), 'attention');
    const drop1 = bb.add('Dropout', { rate: 0.1 }, [att], 'attention_dropout');
    const res1 = bb.add('Add', {}, [x, drop1], 'attention_add');
    const ln2 = bb.add('LayerNormalization', { epsilon: o.epsilon }, [res1], 'ln_2');
    const fc = bb.add('Dense', { units: $('ff'), activation: 'gelu' }, [ln2], 'mlp_fc');
    const proj = bb.add('Dense', { units: $('d'), activation: 'linear' }, [fc], 'mlp_proj');
    const drop2 = bb.add('Dropout', { rate: 0.1 }, [proj], 'mlp_dropout');
    return bb.add('Add', {}, [res1, drop2], 'mlp_add');
  });
}

/** A post-norm layer (BERT, the keras.io block): LN(x + MHA(x)), then LN(y + MLP(y)). */
function definePostNorm(b: GraphBuilder, name: string, o: { epsilon: number; activation: string; dropout: number; title: string; description: string; d: number; heads: number; ff: number; keyDim?: string }): void {
  b.defineBlock(name, {
    title: o.title,
    description: o.description,
    params: { d: o.d, heads: o.heads, ff: o.ff },
  }, (bb, { x }) => {
    const att = selfAttention(bb, x, { numHeads: $('heads'), keyDim: $(o.keyDim ?? 'd // heads'), dropout: 0, useBias: true }, 'attention');
    const drop1 = bb.add('Dropout', { rate: o.dropout }, [att], 'attention_dropout');
    const ln1 = bb.add('LayerNormalization', { epsilon: o.epsilon }, [bb.add('Add', {}, [x, drop1], 'attention_add')], 'attention_norm');
    const fc = bb.add('Dense', { units: $('ff'), activation: o.activation }, [ln1], 'ffn_1');
    const proj = bb.add('Dense', { units: $('d'), activation: 'linear' }, [fc], 'ffn_2');
    const drop2 = bb.add('Dropout', { rate: o.dropout }, [proj], 'ffn_dropout');
    return bb.add('LayerNormalization', { epsilon: o.epsilon }, [bb.add('Add', {}, [ln1, drop2], 'ffn_add')], 'ffn_norm');
  });
}

const ATTENTION_ARITHMETIC =
  'Where the parameters of a Transformer live, per layer with width d = 768: attention has four d×d projections (query, key, value, output) and their biases, ' +
  '4·d² + 4d, here 4·(768·768) + 4·768 = 2,362,368; the feed-forward network widens to 4d and back, 2·d·4d + 5d, here 2·768·3072 + 5·768 = 4,722,432; ' +
  'two LayerNormalizations add 2·2·768 = 3,072. ' +
  'That is 7,087,872 per layer and 85,054,464 for twelve, whatever the sequence length L. ' +
  "Attention's multiply-adds are another matter: the four projections cost 4·L·d² but QKᵀ and the weighted sum of values cost 2·L²·d more, " +
  'so at L = 128 the projections cost 12 times more, the two are equal at L = 2d = 1,536, and at L = 4,096 the L² terms cost 2.7 times more; the inspector of an attention node tabulates them for L = 128 … 4,096.';

/** A Vision Transformer's sizes: image side, patch side, width, heads, feed-forward width, layers, classes. */
export interface VitSize { image: number; patch: number; channels: number; d: number; heads: number; ff: number; layers: number; classes: number }

/** ViT-B/16 as torchvision's vit_b_16: 224×224, 16×16 patches, d 768, 12 heads, 12 layers, 1000 classes. */
export const VIT_B16: VitSize = { image: 224, patch: 16, channels: 3, d: 768, heads: 12, ff: 3072, layers: 12, classes: 1000 };

/**
 * A Vision Transformer (Dosovitskiy et al. 2020) as torchvision builds it:
 * patches by a strided convolution, a class token, learned positions,
 * pre-norm encoder layers, and a head on the class token.
 */
export function vit(s: VitSize, meta: { name: string; title: string; description: string }): Graph {
  const b = new GraphBuilder(meta.name, { title: meta.title, description: meta.description });
  const side = s.image / s.patch;
  const patches = side * side;
  definePreNorm(b, 'encoder_layer', {
    causal: false, epsilon: 1e-6,
    title: 'ViT encoder layer (pre-norm)',
    description: 'x + MHA(LN(x)), then y + MLP(LN(y)), the MLP Dense(ff, gelu) → Dense(d); 7,087,872 parameters at d = 768.',
  });
  const input = b.add('Input', { shape: [s.image, s.image, s.channels] }, [], 'image');
  let x = b.add('Conv2D', { filters: s.d, kernelSize: [s.patch, s.patch], strides: [s.patch, s.patch], padding: 'valid' }, [input], 'conv_proj');
  x = b.add('Reshape', { targetShape: [patches, s.d] }, [x], 'patches');
  x = b.add('ClassToken', {}, [x], 'class_token');
  const pos = b.add('PositionEmbedding', { sequenceLength: patches + 1 }, [x], 'position_embedding');
  x = b.add('Add', {}, [x, pos], 'add_positions');
  x = b.add('Dropout', { rate: 0.0 }, [x], 'embedding_dropout');
  x = b.use('encoder_layer', { d: s.d, heads: s.heads, ff: s.ff }, [x], 'encoder_layer_', { repeat: s.layers, repeatStart: 0 });
  x = b.add('LayerNormalization', { epsilon: 1e-6 }, [x], 'encoder_norm');
  x = b.add('Cropping1D', { cropping: [0, patches] }, [x], 'take_class_token');
  x = b.add('Flatten', {}, [x], 'class_embedding');
  b.add('Dense', dense(s.classes), [x], 'head');
  return finish(b);
}

/** ViT-B/16, 224×224, 1000 classes: torchvision's 86,567,656. */
export function vitB16(): Graph {
  return vit(VIT_B16, {
    name: 'vit-b16',
    title: 'ViT-B/16 (Vision Transformer)',
    description:
      'ViT-B/16 as torchvision builds it (86,567,656 parameters): the 224×224 image is cut into 14·14 = 196 patches of 16×16 pixels by a 16×16 convolution with stride 16 ' +
      '(16·16·3·768 + 768 = 590,592 parameters: one Dense applied to each flattened patch), a learned class token (768) is put in front, and learned position embeddings ' +
      '(197·768 = 151,296) are added. Twelve pre-norm encoder layers follow, each one block. ' + ATTENTION_ARITHMETIC +
      ' After a final LayerNormalization (1,536) the class token alone (Cropping1D keeps position 0) goes to the 1000-way head, 768·1000 + 1000 = 769,000.',
  });
}

/** BERT-base (Devlin et al. 2018), uncased vocabulary, with the pooler. */
export function bertBase(): Graph {
  const b = new GraphBuilder('bert-base', {
    title: 'BERT-base encoder with pooler',
    description:
      'BERT-base (110M in the paper; 109,482,240 exactly): 30,522 WordPiece tokens, 512 positions and 2 segments, each embedded in d = 768 ' +
      '(30,522·768 = 23,440,896, 512·768 = 393,216, 2·768 = 1,536), summed and normalised (1,536). Twelve post-norm encoder layers follow, each one block. ' +
      ATTENTION_ARITHMETIC +
      ' The pooler is a Dense(768, tanh) on the first ([CLS]) token: 768·768 + 768 = 590,592. The embeddings hold 22% of the parameters; at L = 512 they cost no multiply-adds at all.',
  });
  definePostNorm(b, 'transformer_layer', {
    epsilon: 1e-12, activation: 'gelu', dropout: 0.1, d: 768, heads: 12, ff: 3072,
    title: 'BERT encoder layer (post-norm)',
    description: 'LN(x + MHA(x)), then LN(y + FFN(y)), the FFN Dense(ff, gelu) → Dense(d); 7,087,872 parameters at d = 768.',
  });
  const tokens = b.add('Input', { shape: [512] }, [], 'token_ids');
  const segments = b.add('Input', { shape: [512] }, [], 'segment_ids');
  const tok = b.add('Embedding', { inputDim: 30522, outputDim: 768 }, [tokens], 'token_embedding');
  const seg = b.add('Embedding', { inputDim: 2, outputDim: 768 }, [segments], 'segment_embedding');
  const pos = b.add('PositionEmbedding', { sequenceLength: 512 }, [tok], 'position_embedding');
  let x = b.add('Add', {}, [tok, pos, seg], 'embeddings_add');
  x = b.add('LayerNormalization', { epsilon: 1e-12 }, [x], 'embeddings_layer_norm');
  x = b.add('Dropout', { rate: 0.1 }, [x], 'embeddings_dropout');
  x = b.use('transformer_layer', { d: 768, heads: 12, ff: 3072 }, [x], 'transformer_layer_', { repeat: 12, repeatStart: 0 });
  x = b.add('Cropping1D', { cropping: [0, 511] }, [x], 'cls_token');
  x = b.add('Flatten', {}, [x], 'cls_embedding');
  b.add('Dense', dense(768, 'tanh'), [x], 'pooled_dense');
  return finish(b);
}

/** GPT-2 small (Radford et al. 2019): 124,439,808 with the output head tied to the token embedding. */
export function gpt2Small(): Graph {
  const b = new GraphBuilder('gpt2-small', {
    title: 'GPT-2 small (causal, tied output head)',
    description:
      'GPT-2 small, 124,439,808 parameters: 50,257 tokens embedded in d = 768 (50,257·768 = 38,597,376) plus 1,024 learned positions (786,432), ' +
      'twelve pre-norm decoder layers with causal self-attention (each position attends only to itself and earlier ones), each one block, and a final LayerNormalization (1,536). ' +
      ATTENTION_ARITHMETIC +
      ' The output head maps each position back to 50,257 logits with the transpose of the token embedding matrix: it shares those weights (field "shares"), ' +
      'so they are counted once. Untie it (clear "shares" on lm_head) and the total grows by exactly 50,257·768 = 38,597,376 to 163,037,184; ' +
      'the tied matrix is 31% of the model.',
  });
  definePreNorm(b, 'decoder_layer', {
    causal: true, epsilon: 1e-5,
    title: 'GPT-2 decoder layer (pre-norm, causal)',
    description: 'x + causal MHA(LN(x)), then y + MLP(LN(y)), the MLP Dense(ff, gelu) → Dense(d); 7,087,872 parameters at d = 768.',
  });
  const tokens = b.add('Input', { shape: [1024] }, [], 'token_ids');
  const tok = b.add('Embedding', { inputDim: 50257, outputDim: 768 }, [tokens], 'token_embedding');
  const pos = b.add('PositionEmbedding', { sequenceLength: 1024 }, [tok], 'position_embedding');
  let x = b.add('Add', {}, [tok, pos], 'embeddings_add');
  x = b.add('Dropout', { rate: 0.1 }, [x], 'embeddings_dropout');
  x = b.use('decoder_layer', { d: 768, heads: 12, ff: 3072 }, [x], 'transformer_layer_', { repeat: 12, repeatStart: 0 });
  x = b.add('LayerNormalization', { epsilon: 1e-5 }, [x], 'layer_norm');
  b.add('Dense', { units: 50257, activation: 'linear', useBias: false }, [x], 'lm_head', { shares: 'token_embedding' } as Record<string, unknown>);
  return finish(b);
}

/**
 * keras.io "Text classification with Transformer" (Apoorv Nandan): maxlen
 * 200, vocabulary 20,000, embed 32, 2 heads, feed-forward 32.
 */
export function transformerTextClassifier(): Graph {
  const b = new GraphBuilder('transformer-text-classifier', {
    title: 'Text classification with a Transformer (keras.io)',
    description:
      'The keras.io example "Text classification with Transformer": IMDB reviews cut to 200 tokens of a 20,000-word vocabulary. ' +
      'TokenAndPositionEmbedding is a token Embedding (20,000·32 = 640,000) plus a position embedding (200·32 = 6,400), added. ' +
      'One post-norm TransformerBlock: MultiHeadAttention(num_heads=2, key_dim=32) projects the 32 features to 2 heads of 32 for query, key and value, ' +
      '3·(32·2·32 + 2·32) = 6,336, and back, 2·32·32 + 32 = 2,080, 8,416 in all; the feed-forward network Dense(32, relu) → Dense(32) has 2·(32·32 + 32) = 2,112 and the two ' +
      'LayerNormalizations 128. Then GlobalAveragePooling1D, Dense(20, relu) (660) and Dense(2, softmax) (42). ' +
      '97% of the parameters are the token embedding: the block itself is 10,656. At L = 200 attention\'s QKᵀ and weighted sum cost 2·2·200·200·32 = 5,120,000 multiply-adds, ' +
      'more than its four projections (4·200·32·64 = 1,638,400).',
  });
  definePostNorm(b, 'transformer_block', {
    epsilon: 1e-6, activation: 'relu', dropout: 0.1, d: 32, heads: 2, ff: 32, keyDim: 'd',
    title: 'keras.io TransformerBlock',
    description: 'LN(x + Dropout(MHA(x, x))), then LN(y + Dropout(Dense(d)(Dense(ff, relu)(y)))), epsilon 1e-6; key_dim = embed_dim.',
  });
  const tokens = b.add('Input', { shape: [200] }, [], 'input_1');
  const tok = b.add('Embedding', { inputDim: 20000, outputDim: 32 }, [tokens], 'token_emb');
  const pos = b.add('PositionEmbedding', { sequenceLength: 200 }, [tok], 'pos_emb');
  let x = b.add('Add', {}, [tok, pos], 'token_and_position_embedding');
  x = b.use('transformer_block', { d: 32, heads: 2, ff: 32 }, [x], 'transformer_block');
  x = b.add('GlobalAveragePooling1D', {}, [x], 'global_average_pooling1d');
  x = b.add('Dropout', { rate: 0.1 }, [x], 'dropout_2');
  x = b.add('Dense', dense(20, 'relu'), [x], 'dense_2');
  x = b.add('Dropout', { rate: 0.1 }, [x], 'dropout_3');
  b.add('Dense', dense(2, 'softmax'), [x], 'dense_3');
  return finish(b);
}
