import { defineLayer } from '../../layer.ts';
import { int } from '../../params.ts';

/**
 * Time-series windowing, exactly `split_sequence(sequence, n_steps)`:
 * each sample is nSteps consecutive rows, its target the row `horizon` steps
 * after the window; windows start every `stride` rows.
 */
export default defineLayer({
  kind: 'Window',
  category: 'Inputs & data',
  doc: 'Splits a series into windows of nSteps rows → the value horizon steps later (split_sequence). A model input of shape (nSteps, features).',
  params: {
    nSteps: int({ default: 3, doc: 'rows per window' }),
    horizon: int({ default: 1, doc: 'how many steps after the window the target lies' }),
    stride: int({ default: 1, doc: 'rows between window starts' }),
    features: int({ default: 1, doc: 'columns per row' }),
  },
  inputs: { min: 0, max: 0 },
  // Keras has no windowing layer: the model takes the windows through an InputLayer, and the
  // window's settings travel in netloom's metadata (see export-tfjs.ts).
  keras: {
    className: 'InputLayer', writeOnly: true,
    encode: (p) => ({ batch_input_shape: [null, p.nSteps, p.features], dtype: 'float32', sparse: false }),
  },
  receptive: 'input',
  isModelInput: true,
  inferShape: (_x, p) => [null, p.nSteps, p.features],
  describe: (p) => `${p.nSteps} steps × ${p.features}${p.horizon > 1 ? ` → +${p.horizon}` : ''}`,
});
