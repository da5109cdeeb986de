import { defineLayer } from '../../layer.ts';
import { activation } from '../../params.ts';

export default defineLayer({
  kind: 'Activation',
  category: 'Core',
  doc: 'Applies a non-linearity (relu, tanh, sigmoid, softmax, …) element-wise.',
  params: { activation: activation('relu') },
  inputs: { min: 1, max: 1 },
  inferShape: ([x]) => x, // shapes are immutable values: same shape, same array
  describe: (p) => p.activation,
});
