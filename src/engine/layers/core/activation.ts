import { defineLayer } from '../../layer.ts';
import { activation, describe } from '../../params.ts';
import type { Note } from '../../passport.ts';

/** A layer that leaves values and shapes alone at inference and has no weights: a linear Activation, with a note. */
const linear = (cls: string, why: string) => (_c: unknown, note: Note) => {
  note(`${cls} imported as a linear Activation (${why}; no parameters)`);
  return { activation: 'linear' };
};

export default defineLayer({
  kind: 'Activation',
  category: 'Core',
  doc: 'Applies a non-linearity (relu, tanh, sigmoid, softmax, …) element-wise.',
  params: { activation: activation('relu') },
  inputs: { min: 1, max: 1 },
  keras: {
    className: 'Activation',
    imports: {
      GaussianNoise: linear('GaussianNoise', 'it adds noise only while training'),
      ActivityRegularization: linear('ActivityRegularization', 'it only adds a training loss'),
      Masking: linear('Masking', 'netloom does not model masks'),
      ELU: (c, note) => {
        if (typeof c.alpha === 'number' && c.alpha !== 1) note(`ELU alpha ${c.alpha} is not modelled; imported as Activation 'elu' (parameters are unaffected)`);
        return { activation: 'elu' };
      },
      Softmax: (c, note) => {
        const axis = Array.isArray(c.axis) ? c.axis[0] : c.axis ?? -1;
        if (axis !== -1) note(`Softmax over axis ${describe(axis)} imported as Activation 'softmax' over the last axis`);
        return { activation: 'softmax' };
      },
    },
  },
  receptive: 'pass',
  layout: 'follows',
  inferShape: ([x]) => x, // shapes are immutable values: same shape, same array
  describe: (p) => p.activation,
});
