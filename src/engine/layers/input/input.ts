import { defineLayer } from '../../layer.ts';
import { list } from '../../params.ts';

export default defineLayer({
  kind: 'Input',
  category: 'Inputs & data',
  doc: 'A model input of a fixed shape per sample (batch dimension excluded), e.g. [224, 224, 3].',
  params: { shape: list({ default: [28, 28, 1], maxLength: 6 }) },
  inputs: { min: 0, max: 0 },
  isModelInput: true,
  inferShape: (_x, p) => [null, ...p.shape],
  describe: (p) => p.shape.join('×'),
});
