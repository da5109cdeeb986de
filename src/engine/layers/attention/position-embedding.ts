/**
 * keras_hub `PositionEmbedding`: one learned vector per position, up to
 * `sequenceLength` positions. Its output is the position vectors alone, the
 * shape of its input; the model adds them to the token embeddings with an Add.
 */
import { channels, defineLayer, LayerError, requireRank } from '../../layer.ts';
import { int } from '../../params.ts';


/** keras_hub's layer, for plain Keras 3 (keras_hub need not be installed); the same config and weight. */
const PYTHON = `@keras.saving.register_keras_serializable(package="keras_hub")
class PositionEmbedding(keras.layers.Layer):
    """keras_hub.layers.PositionEmbedding: one learned vector per position, the shape of its input."""

    def __init__(self, sequence_length, initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        self.sequence_length = int(sequence_length)
        self.initializer = keras.initializers.get(initializer)

    def get_config(self):
        config = super().get_config()
        config.update({"sequence_length": self.sequence_length, "initializer": keras.initializers.serialize(self.initializer)})
        return config

    def build(self, inputs_shape):
        self.position_embeddings = self.add_weight(name="embeddings", shape=(self.sequence_length, inputs_shape[-1]), initializer=self.initializer)

    def call(self, inputs, start_index=0):
        shape = keras.ops.shape(inputs)
        table = keras.ops.slice(self.position_embeddings, (start_index, 0), (shape[-2], shape[-1]))
        return keras.ops.broadcast_to(keras.ops.cast(table, inputs.dtype), shape)

    def compute_output_shape(self, input_shape):
        return input_shape
`;

export default defineLayer({
  kind: 'PositionEmbedding',
  category: 'Attention',
  doc: 'Learned position vectors (keras_hub): one per position up to sequenceLength, the shape of its input; add them to the token embeddings.',
  params: { sequenceLength: int({ default: 128, doc: 'the most positions it has vectors for' }) },
  inputs: { min: 1, max: 1, ranks: [2] },
  keras: { className: 'PositionEmbedding', custom: { registeredName: 'keras_hub>PositionEmbedding', python: PYTHON } },
  receptive: 'pass',
  inferShape: ([x], p) => {
    requireRank('PositionEmbedding', x, 2, 'positions × features', 'feed it the token embeddings (length, features)');
    channels(x, 'PositionEmbedding');
    const l = x[1];
    if (l !== null && l > p.sequenceLength) {
      throw new LayerError(`PositionEmbedding has vectors for ${p.sequenceLength} positions but its input has ${l}; set sequenceLength to at least ${l}`, 'sequenceLength');
    }
    return x;
  },
  weights: ([x], p) => [{ name: 'embeddings', shape: [p.sequenceLength, channels(x, 'PositionEmbedding')], trainable: true }],
  describe: (p) => `${p.sequenceLength} positions`,
});
