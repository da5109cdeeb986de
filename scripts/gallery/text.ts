/**
 * Token-sequence models: the IMDB models of Deep Learning with Python (1st
 * ed., Keras 2 names) and the LSTM examples of the Keras RNN guide (TF2 names).
 * Sequential models have no Input layer; their implicit input is named as
 * Keras names it (`<first layer>_input`).
 */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { dense, finish } from './common.ts';

export function imdbSimpleRnn(): Graph {
  const b = new GraphBuilder('imdb-simplernn', {
    title: 'IMDB: Embedding and SimpleRNN (Deep Learning with Python)',
    description:
      'The first recurrent layer of Deep Learning with Python (1st ed., section 6.2.1): Embedding(10000, 32) then SimpleRNN(32), the model whose summary the book prints (322,080 parameters). ' +
      'Reviews are padded to 500 word indices. The embedding is a lookup table, 10,000·32 = 320,000 parameters; the SimpleRNN computes h_t = tanh(W_x x_t + W_h h_(t−1) + b) as in the lecture notes, ' +
      'so it holds 32·32 (W_x) + 32·32 (W_h) + 32 (b) = 2,080, the same for any sequence length because every step shares them. ' +
      'For training, the book adds Dense(1, sigmoid) on top (33 more); this file is the printed summary.',
  });
  const input = b.add('Input', { shape: [500] }, [], 'embedding_1_input');
  b.chain(input, [
    ['Embedding', { inputDim: 10000, outputDim: 32 }, 'embedding_1'],
    ['SimpleRNN', { units: 32 }, 'simple_rnn_1'],
  ]);
  return finish(b);
}

export function imdbConv1d(): Graph {
  const b = new GraphBuilder('imdb-conv1d', {
    title: 'IMDB: 1D convnet (Deep Learning with Python)',
    description:
      'The 1D convnet of Deep Learning with Python (1st ed., section 6.4.3) on IMDB reviews of 500 tokens: Embedding(10000, 128), Conv1D(32, 7, relu), MaxPooling1D(5), Conv1D(32, 7, relu), GlobalMaxPooling1D, Dense(1). ' +
      'Each convolution slides a window of 7 tokens, so its kernel is 7 × input channels × filters: 7·128·32 + 32 = 28,704 and 7·32·32 + 32 = 7,200, and the sequence shrinks 500 → 494 → 98 → 92. ' +
      'The embedding holds 1,280,000 of the 1,315,937 parameters; the convolutions and the classifier hold less than 3%.',
  });
  const input = b.add('Input', { shape: [500] }, [], 'embedding_1_input');
  b.chain(input, [
    ['Embedding', { inputDim: 10000, outputDim: 128 }, 'embedding_1'],
    ['Conv1D', { filters: 32, kernelSize: 7, activation: 'relu' }, 'conv1d_1'],
    ['MaxPooling1D', { poolSize: 5 }, 'max_pooling1d_1'],
    ['Conv1D', { filters: 32, kernelSize: 7, activation: 'relu' }, 'conv1d_2'],
    ['GlobalMaxPooling1D', {}, 'global_max_pooling1d_1'],
    ['Dense', dense(1), 'dense_1'],
  ]);
  return finish(b);
}

export function kerasLstm(): Graph {
  const b = new GraphBuilder('keras-lstm', {
    title: 'Embedding, LSTM and Dense (Keras RNN guide)',
    description:
      'The first model of the Keras guide "Working with RNNs" (TF2): Embedding(input_dim=1000, output_dim=64), LSTM(128), Dense(10). ' +
      'The guide leaves the sequence length open; 100 tokens are used here, and any length gives the same parameters. ' +
      'The LSTM has the four gates of the lecture notes (forget, input, candidate, output), each a dense map of [h_(t−1), x_t] with a bias: 4·(128·(64+128) + 128) = 98,816; ' +
      'with the embedding\'s 1000·64 = 64,000 and Dense\'s 128·10 + 10 = 1,290 that is the guide\'s 164,106.',
  });
  const input = b.add('Input', { shape: [100] }, [], 'embedding_input');
  b.chain(input, [
    ['Embedding', { inputDim: 1000, outputDim: 64 }, 'embedding'],
    ['LSTM', { units: 128 }, 'lstm'],
    ['Dense', dense(10), 'dense'],
  ]);
  return finish(b);
}

export function kerasBidirectionalLstm(): Graph {
  const b = new GraphBuilder('keras-bidirectional-lstm', {
    title: 'Stacked bidirectional LSTMs (Keras RNN guide)',
    description:
      'The bidirectional example of the Keras guide "Working with RNNs" (TF2): Bidirectional(LSTM(64, return_sequences=True)) on sequences of 5 steps with 10 features, Bidirectional(LSTM(32)), Dense(10). ' +
      'Each Bidirectional wraps two LSTMs with their own weights and concatenates their outputs, as the lecture notes describe (forward and backward passes, then concat). ' +
      'The first holds 2·4·(64·(10+64) + 64) = 38,400; the second reads the 128 concatenated features, 2·4·(32·(128+32) + 32) = 41,216; Dense(10) on 64 values adds 650, 80,266 in all.',
  });
  const input = b.add('Input', { shape: [5, 10] }, [], 'bidirectional_input');
  b.chain(input, [
    ['Bidirectional', { layer: 'LSTM', units: 64, returnSequences: true }, 'bidirectional'],
    ['Bidirectional', { layer: 'LSTM', units: 32 }, 'bidirectional_1'],
    ['Dense', dense(10), 'dense'],
  ]);
  return finish(b);
}
