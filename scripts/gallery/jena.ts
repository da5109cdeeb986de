/**
 * The Jena-climate ladder of Deep Learning with Python (1st ed., sections
 * 6.3–6.4, Keras 2): the same Window as examples/jena-gru.json (240 hourly
 * rows of 14 features, target 24 hours later), Keras 2 layer names, Keras 2
 * recurrent defaults (hard-sigmoid gates, GRU resetAfter false).
 */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';
import { dense, finish } from './common.ts';

/** The book's generator: lookback 1440 rows, step 6, delay 144 → 240 hourly steps, target 24 hours ahead. */
const HOURLY = { nSteps: 240, horizon: 24, stride: 1, features: 14 };
/** GRU as Keras 2.0 built it. */
const GRU = { recurrentActivation: 'hardSigmoid', resetAfter: false };

const WINDOW_TEXT =
  'Each sample is the book\'s generator output: lookback 1440 rows every 10 minutes, kept every 6th (step 6), so 240 hourly steps of 14 measurements, with the temperature 24 hours later as target. ';

export function jenaDenseBaseline(): Graph {
  const b = new GraphBuilder('jena-dense-baseline', {
    title: 'Jena climate: densely connected baseline (Deep Learning with Python)',
    description:
      'The first machine-learning baseline of Deep Learning with Python (1st ed., section 6.3.4) for the Jena temperature forecast: Flatten, Dense(32, relu), Dense(1). ' +
      WINDOW_TEXT +
      'Flattening throws the order of time away, as the lecture notes stress for sequence data (RNN week: each input processed independently, no notion of order), ' +
      'and it is expensive: Dense(32) sees all 240·14 = 3,360 values, 3,360·32 + 32 = 107,552 parameters, 24 times the whole GRU model that does better.',
  });
  const w = b.add('Window', HOURLY, [], 'window');
  b.chain(w, [
    ['Flatten', {}, 'flatten_1'],
    ['Dense', dense(32, 'relu'), 'dense_1'],
    ['Dense', dense(1), 'dense_2'],
  ]);
  return finish(b);
}

export function jenaGruDropout(): Graph {
  const b = new GraphBuilder('jena-gru-dropout', {
    title: 'Jena climate: GRU with recurrent dropout (Deep Learning with Python)',
    description:
      'The regularised GRU of Deep Learning with Python (1st ed., section 6.3.6): GRU(32, dropout=0.2, recurrent_dropout=0.2) and Dense(1). ' +
      WINDOW_TEXT +
      'As the lecture notes explain, dropout is the rate applied to the layer\'s inputs and recurrent_dropout the rate of one fixed mask on the recurrent state at every step; ' +
      'neither adds a parameter, so the count is that of the plain GRU: 3·(32·(14+32) + 32) = 4,512 plus 33 for Dense(1), 4,545 in all.',
  });
  const w = b.add('Window', HOURLY, [], 'window');
  b.chain(w, [
    ['GRU', { units: 32, dropout: 0.2, recurrentDropout: 0.2, ...GRU }, 'gru_1'],
    ['Dense', dense(1), 'dense_1'],
  ]);
  return finish(b);
}

export function jenaStackedGru(): Graph {
  const b = new GraphBuilder('jena-stacked-gru', {
    title: 'Jena climate: stacked GRUs (Deep Learning with Python)',
    description:
      'Stacking recurrent layers, Deep Learning with Python (1st ed., section 6.3.7): GRU(32, dropout 0.1, recurrent_dropout 0.5, return_sequences=True) feeds GRU(64, relu, same dropouts), then Dense(1). ' +
      WINDOW_TEXT +
      'The first GRU must return its whole sequence (240×32) so that the second has steps to read. The lecture notes\' "stacking" adds capacity: the second GRU sees 32 inputs, ' +
      '3·(64·(32+64) + 64) = 18,624 parameters, four times the first layer\'s 3·(32·(14+32) + 32) = 4,512.',
  });
  const w = b.add('Window', HOURLY, [], 'window');
  b.chain(w, [
    ['GRU', { units: 32, dropout: 0.1, recurrentDropout: 0.5, returnSequences: true, ...GRU }, 'gru_1'],
    ['GRU', { units: 64, activation: 'relu', dropout: 0.1, recurrentDropout: 0.5, ...GRU }, 'gru_2'],
    ['Dense', dense(1), 'dense_1'],
  ]);
  return finish(b);
}

export function jenaBidirectionalGru(): Graph {
  const b = new GraphBuilder('jena-bidirectional-gru', {
    title: 'Jena climate: bidirectional GRU (Deep Learning with Python)',
    description:
      'The bidirectional RNN of Deep Learning with Python (1st ed., section 6.3.8): Bidirectional(GRU(32)) and Dense(1). ' +
      WINDOW_TEXT +
      'As the lecture notes describe, one GRU reads the window forwards and a copy reads it backwards, and their last states are concatenated (64 values); ' +
      'the two directions have their own weights, 2·3·(32·(14+32) + 32) = 9,024, and Dense(1) adds 64 + 1. It does about as well as the one-way GRU here: the recent hours matter most.',
  });
  const w = b.add('Window', HOURLY, [], 'window');
  b.chain(w, [
    ['Bidirectional', { layer: 'GRU', units: 32, ...GRU }, 'bidirectional_1'],
    ['Dense', dense(1), 'dense_1'],
  ]);
  return finish(b);
}

export function conv1dGru(): Graph {
  const b = new GraphBuilder('conv1d-gru', {
    title: 'Jena climate: Conv1D front end and GRU (Deep Learning with Python)',
    description:
      'Combining a 1D convnet with an RNN, Deep Learning with Python (1st ed., section 6.4.5): Conv1D(32, 5, relu), MaxPooling1D(3), Conv1D(32, 5, relu), GRU(32, dropout 0.1, recurrent_dropout 0.5), Dense(1). ' +
      'The book halves the generator step to 3 (one row per 30 minutes), so the window is 1440 / 3 = 480 steps and the target 144 / 3 = 48 steps ahead. ' +
      'The convolutions and the pool shorten the sequence (480 → 476 → 158 → 154) before the GRU reads it, which is what makes the longer, finer window affordable. ' +
      'Conv1D counts like Conv2D with a 1-D kernel: 5·14·32 + 32 = 2,272 and 5·32·32 + 32 = 5,152; the GRU on 32 features holds 3·(32·(32+32) + 32) = 6,240; 13,697 in all.',
  });
  const w = b.add('Window', { nSteps: 480, horizon: 48, stride: 1, features: 14 }, [], 'window');
  b.chain(w, [
    ['Conv1D', { filters: 32, kernelSize: 5, activation: 'relu' }, 'conv1d_1'],
    ['MaxPooling1D', { poolSize: 3 }, 'max_pooling1d_1'],
    ['Conv1D', { filters: 32, kernelSize: 5, activation: 'relu' }, 'conv1d_2'],
    ['GRU', { units: 32, dropout: 0.1, recurrentDropout: 0.5, ...GRU }, 'gru_1'],
    ['Dense', dense(1), 'dense_1'],
  ]);
  return finish(b);
}
