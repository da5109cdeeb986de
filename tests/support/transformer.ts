/** A small Transformer encoder block, shared by the Node training test and the WebGPU browser test. */
import { GraphBuilder, type Graph } from '../../src/engine/index.ts';

/** Input(seq 16, d 32) → MHA self-attention → Add → LayerNorm → Dense(ff, relu) → Dense(d) → Add → LayerNorm → GAP1D → Dense(2, softmax). */
export function encoderBlock(ff = 64): Graph {
  const b = new GraphBuilder('encoder_block');
  const x = b.add('Input', { shape: [16, 32] }, [], 'tokens');
  const att = b.add('MultiHeadAttention', { numHeads: 2, keyDim: 16 }, [x, x], 'attention');
  const add1 = b.add('Add', {}, [x, att], 'residual_1');
  const n1 = b.add('LayerNormalization', { epsilon: 1e-6 }, [add1], 'norm_1');
  const f1 = b.add('Dense', { units: ff, activation: 'relu' }, [n1], 'ff_1');
  const f2 = b.add('Dense', { units: 32 }, [f1], 'ff_2');
  const add2 = b.add('Add', {}, [n1, f2], 'residual_2');
  const n2 = b.add('LayerNormalization', { epsilon: 1e-6 }, [add2], 'norm_2');
  const pool = b.add('GlobalAveragePooling1D', {}, [n2], 'pool');
  b.add('Dense', { units: 2, activation: 'softmax' }, [pool], 'classes');
  return b.build();
}
