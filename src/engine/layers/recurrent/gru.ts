import { bool } from '../../params.ts';
import { recurrentLayer } from './rnn-utils.ts';

export default recurrentLayer(
  'GRU',
  'Gated recurrent unit: update and reset gates (3 gate blocks). resetAfter: TF.js and Keras 2 use false, TF2 Keras true (one more bias row).',
  { resetAfter: bool({ default: false, doc: 'TF.js and Keras 2: false; TF2 Keras: true (bias becomes 2×3·units)' }) },
);
