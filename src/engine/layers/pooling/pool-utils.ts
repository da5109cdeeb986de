/** Shared rules of pooling kinds (Keras `BasePooling`, `GlobalPooling`). */
import { channels, defineLayer, pairText, requireRank, type Category } from '../../layer.ts';
import { int, oneOf, optInt, optTuple, tuple } from '../../params.ts';
import { CHANNELS_LAST, slideShape } from '../conv/conv-utils.ts';

/** `MaxPooling2D` → `MaxPool2D`, `GlobalAveragePooling1D` → `GlobalAvgPool1D`: the short names Keras also registers. */
const shortName = (kind: string) => kind.replace('Pooling', 'Pool').replace('Average', 'Avg');

/** Keras 3 writes derived strides out (`strides: [2, 2]` for a 2×2 pool): read them back as derived. */
const derivedStrides = <P extends { poolSize: number | number[]; strides: number | number[] | null }>(p: P): P =>
  JSON.stringify(p.strides) === JSON.stringify(p.poolSize) ? { ...p, strides: null } : p;

/** Strides left out default to the pool size. */
const poolWindow = (p: { poolSize: number | number[]; strides: number | number[] | null }) => ({ kernel: p.poolSize, stride: p.strides ?? p.poolSize });

const category: Category = 'Pooling';

export function pooling1d(kind: string, doc: string) {
  return defineLayer({
    kind, category, doc,
    params: {
      poolSize: int({ default: 2 }),
      strides: optInt({ doc: 'null = poolSize' }),
      padding: oneOf(['valid', 'same'], { default: 'valid' }),
    },
    inputs: { min: 1, max: 1, ranks: [2] },
    // Strides left to default stay null (Keras None), so a round trip keeps them derived.
    keras: { className: kind, aliases: [shortName(kind)], lists: ['poolSize', 'strides'], fixed: CHANNELS_LAST, normalize: derivedStrides },
    receptive: poolWindow,
    inferShape: ([x], p) => [
      ...slideShape(x, { kind, what: 'pool', kernel: [p.poolSize], strides: [p.strides ?? p.poolSize], padding: p.padding }),
      channels(x),
    ],
    describe: (p) => `${p.poolSize}${p.strides && p.strides !== p.poolSize ? ` /${p.strides}` : ''} · ${p.padding}`,
  });
}

export function pooling2d(kind: string, doc: string) {
  return defineLayer({
    kind, category, doc,
    params: {
      poolSize: tuple({ default: [2, 2] }),
      strides: optTuple({ length: 2, doc: 'null = poolSize' }),
      padding: oneOf(['valid', 'same'], { default: 'valid' }),
    },
    inputs: { min: 1, max: 1, ranks: [3] },
    keras: { className: kind, aliases: [shortName(kind)], fixed: CHANNELS_LAST, normalize: derivedStrides },
    receptive: poolWindow,
    inferShape: ([x], p) => [
      ...slideShape(x, { kind, what: 'pool', kernel: p.poolSize, strides: p.strides ?? p.poolSize, padding: p.padding }),
      channels(x),
    ],
    describe: (p) => `${pairText(p.poolSize)}${p.strides ? ` /${p.strides[0]}` : ''} · ${p.padding}`,
  });
}

export function globalPooling(kind: string, dims: 1 | 2, doc: string) {
  return defineLayer({
    kind, category, doc,
    params: {},
    inputs: { min: 1, max: 1, ranks: [dims + 1] },
    keras: {
      className: kind, aliases: [shortName(kind)], fixed: CHANNELS_LAST,
      notes: (c) => (c.keepdims === true ? ['keepdims true is not modelled: netloom drops the pooled axes'] : []),
    },
    receptive: 'end',
    inferShape: ([x]) => {
      requireRank(kind, x, dims + 1, dims === 1 ? '(steps, channels)' : '(height, width, channels)',
        dims === 1 ? `use Global${kind.includes('Max') ? 'Max' : 'Average'}Pooling2D for images` : `use Global${kind.includes('Max') ? 'Max' : 'Average'}Pooling1D for sequences`);
      return [null, channels(x)];
    },
  });
}
