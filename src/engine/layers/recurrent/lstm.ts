import { recurrentLayer } from './rnn-utils.ts';

export default recurrentLayer('LSTM', 'Long short-term memory: input, forget and output gates around a cell state (4 gate blocks).');
