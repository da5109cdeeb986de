/**
 * keras_hub `PositionEmbedding`: one learned vector per position, up to
 * `sequenceLength` positions. Its output is the position vectors alone, the
 * shape of its input; the model adds them to the token embeddings with an Add.
 */
import { LayerError, defineLayer, dimsText, requireRank } from '../../layer.ts';
import { int } from '../../params.ts';
import type { Shape } from '../../types.ts';

const features = (x: Shape): number => {
  const d = x[2];
  if (d === null || d === undefined) throw new LayerError(`PositionEmbedding needs a known feature size, got ${dimsText(x)}; give the input a fixed last dimension`);
  return d;
};

export default defineLayer({
  kind: 'PositionEmbedding',
  category: 'Attention',
  doc: 'Learned position vectors (keras_hub): one per position up to sequenceLength, the shape of its input; add them to the token embeddings.',
  params: { sequenceLength: int({ default: 128, doc: 'the most positions it has vectors for' }) },
  inputs: { min: 1, max: 1, ranks: [2] },
  keras: { className: 'PositionEmbedding' },
  receptive: 'pass',
  inferShape: ([x], p) => {
    requireRank('PositionEmbedding', x, 2, 'positions × features', 'feed it the token embeddings (length, features)');
    features(x);
    const l = x[1];
    if (l !== null && l > p.sequenceLength) {
      throw new LayerError(`PositionEmbedding has vectors for ${p.sequenceLength} positions but its input has ${l}; set sequenceLength to at least ${l}`, 'sequenceLength');
    }
    return x;
  },
  weights: ([x], p) => [{ name: 'embeddings', shape: [p.sequenceLength, features(x)], trainable: true }],
  describe: (p) => `${p.sequenceLength} positions`,
});
