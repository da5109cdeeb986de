/**
 * ViT's learned class token (Dosovitskiy et al. 2020; torchvision's
 * `class_token`): one learned vector put before the sequence, so a
 * Transformer encoder's first output position can summarise the whole input.
 */
import { LayerError, defineLayer, dimsText, requireRank } from '../../layer.ts';
import type { Shape } from '../../types.ts';

const features = (x: Shape): number => {
  const d = x[2];
  if (d === null || d === undefined) throw new LayerError(`ClassToken needs a known feature size, got ${dimsText(x)}; give the input a fixed last dimension`);
  return d;
};

export default defineLayer({
  kind: 'ClassToken',
  category: 'Attention',
  doc: 'ViT\'s learned class token: one vector put before the sequence, (L, d) → (L+1, d).',
  params: {},
  inputs: { min: 1, max: 1, ranks: [2] },
  keras: { className: 'ClassToken' },
  receptive: 'end',
  inferShape: ([x]) => {
    requireRank('ClassToken', x, 2, 'positions × features', 'feed it the patch embeddings (length, features)');
    features(x);
    return [null, x[1] === null ? null : x[1] + 1, x[2]];
  },
  weights: ([x]) => [{ name: 'cls', shape: [features(x)], trainable: true }],
});
