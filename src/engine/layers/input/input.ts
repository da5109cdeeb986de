import { defineLayer } from '../../layer.ts';
import { list } from '../../params.ts';

export default defineLayer({
  kind: 'Input',
  category: 'Inputs & data',
  doc: 'A model input of one shape per sample (batch dimension excluded), e.g. [224, 224, 3]; null (None) leaves a length open, e.g. [null, 5] for sequences of any length.',
  params: { shape: list({ default: [28, 28, 1], maxLength: 6, allowNull: true }) },
  inputs: { min: 0, max: 0 },
  keras: {
    className: 'InputLayer',
    encode: (p) => ({ batch_input_shape: [null, ...p.shape], dtype: 'float32', sparse: false }),
  // Keras 2 and TF.js write batch_input_shape, Keras 3 batch_shape; open axes stay null for the importer to size.
  decode: (c) => {
    const b = c.batch_input_shape ?? c.batch_shape;
    const dims = Array.isArray(b) ? b.slice(1) : Array.isArray(c.input_shape) ? c.input_shape : null;
    return dims ? { shape: dims as number[] } : null;
  },
  },
  receptive: 'input',
  layout: { sets: 'shape' },
  isModelInput: true,
  inferShape: (_x, p) => [null, ...p.shape],
  describe: (p) => p.shape.map((d) => (d === null ? 'None' : String(d))).join('×'),
});
