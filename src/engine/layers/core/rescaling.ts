import { defineLayer } from '../../layer.ts';
import { float } from '../../params.ts';

/** Keras `Rescaling`: x · scale + offset, element-wise (1/255 maps pixels to [0, 1]); no weights. */
export default defineLayer({
  kind: 'Rescaling',
  category: 'Core',
  doc: 'Multiplies by scale and adds offset, element-wise (scale 1/255 maps pixels to [0, 1]); no weights.',
  params: {
    scale: float({ default: 1 / 255, min: -Number.MAX_VALUE, doc: 'the factor' }),
    offset: float({ default: 0, min: -Number.MAX_VALUE, doc: 'added after scaling' }),
  },
  inputs: { min: 1, max: 1 },
  keras: { className: 'Rescaling' },
  receptive: 'pass',
  layout: 'follows',
  inferShape: ([x]) => x, // shapes are immutable values: same shape, same array
  describe: (p) => `× ${Number(p.scale.toPrecision(4))}${p.offset ? ` + ${p.offset}` : ''}`,
});
