/**
 * ViT's learned class token (Dosovitskiy et al. 2020; torchvision's
 * `class_token`): one learned vector put before the sequence, so a
 * Transformer encoder's first output position can summarise the whole input.
 */
import { channels, defineLayer, requireRank } from '../../layer.ts';


/** The Keras 3 class (Keras has none): a weight `cls` of the feature size, concatenated before the sequence. */
const PYTHON = `@keras.saving.register_keras_serializable(package="netloom")
class ClassToken(keras.layers.Layer):
    """ViT's learned class token, put before the sequence: (L, d) -> (L + 1, d)."""

    def build(self, inputs_shape):
        self.cls = self.add_weight(name="cls", shape=(inputs_shape[-1],), initializer="zeros")

    def call(self, inputs):
        shape = keras.ops.shape(inputs)
        token = keras.ops.broadcast_to(keras.ops.reshape(keras.ops.cast(self.cls, inputs.dtype), (1, 1, -1)), (shape[0], 1, shape[-1]))
        return keras.ops.concatenate([token, inputs], axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], None if input_shape[1] is None else input_shape[1] + 1, input_shape[2])
`;

export default defineLayer({
  kind: 'ClassToken',
  category: 'Attention',
  doc: 'ViT\'s learned class token: one vector put before the sequence, (L, d) → (L+1, d).',
  params: {},
  inputs: { min: 1, max: 1, ranks: [2] },
  keras: { className: 'ClassToken', custom: { registeredName: 'netloom>ClassToken', python: PYTHON } },
  receptive: 'end',
  inferShape: ([x]) => {
    requireRank('ClassToken', x, 2, 'positions × features', 'feed it the patch embeddings (length, features)');
    channels(x, 'ClassToken');
    return [null, x[1] === null ? null : x[1] + 1, x[2]];
  },
  weights: ([x]) => [{ name: 'cls', shape: [channels(x, 'ClassToken')], trainable: true }],
});
