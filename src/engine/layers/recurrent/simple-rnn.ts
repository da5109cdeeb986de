import { recurrentLayer } from './rnn-utils.ts';

export default recurrentLayer('SimpleRNN', 'h_t = activation(W·x_t + U·h_{t-1} + b): the plain recurrent cell.');
