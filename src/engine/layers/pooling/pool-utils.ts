/** Shared rules of pooling kinds (Keras `BasePooling`, `GlobalPooling`). */
import { channels, defineLayer, pairText, requireRank, type Category } from '../../layer.ts';
import { bool, int, oneOf, optInt, optTuple, tuple } from '../../params.ts';
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

export function pooling3d(kind: string, doc: string) {
  return defineLayer({
    kind, category, doc,
    params: {
      poolSize: tuple({ default: [2, 2, 2] }),
      strides: optTuple({ length: 3, doc: 'null = poolSize' }),
      padding: oneOf(['valid', 'same'], { default: 'valid' }),
    },
    inputs: { min: 1, max: 1, ranks: [4] },
    keras: { className: kind, aliases: [shortName(kind)], fixed: CHANNELS_LAST, normalize: derivedStrides },
    receptive: poolWindow,
    inferShape: ([x], p) => {
      requireRank(kind, x, 4, '(depth, height, width, channels)', `use ${kind.replace('3D', '2D')} for images or Reshape the input`);
      return [
        ...slideShape(x, { kind, what: 'pool', kernel: p.poolSize, strides: p.strides ?? p.poolSize, padding: p.padding }),
        channels(x),
      ];
    },
    describe: (p) => `${pairText(p.poolSize)}${p.strides ? ` /${pairText(p.strides)}` : ''} · ${p.padding}`,
  });
}

const GLOBAL_WHAT = { 1: '(steps, channels)', 2: '(height, width, channels)', 3: '(depth, height, width, channels)' } as const;

export function globalPooling(kind: string, dims: 1 | 2 | 3, doc: string) {
  const op = kind.includes('Max') ? 'Max' : 'Average';
  const others = ([1, 2, 3] as const).filter((d) => d !== dims).map((d) => `Global${op}Pooling${d}D for ${GLOBAL_WHAT[d]}`).join(' or ');
  return defineLayer({
    kind, category, doc,
    params: {
      keepdims: bool({ default: false, doc: 'keep the pooled axes as 1s (for a squeeze-and-excite multiply)' }),
    },
    inputs: { min: 1, max: 1, ranks: [dims + 1] },
    keras: { className: kind, aliases: [shortName(kind)], fixed: CHANNELS_LAST },
    // tf.layers' global pools (4.22) always drop the pooled axes.
    tfjs: {
      drop: ['keepdims'],
      cannot: (p) => (p.keepdims
        ? { field: 'keepdims', message: `TF.js global pooling has no keepdims and always drops the pooled axes; set keepdims false and add a Reshape to (${new Array(dims).fill(1).join(', ')}, channels), or export the Keras Python script` }
        : null),
    },
    receptive: 'end',
    inferShape: ([x], p) => {
      requireRank(kind, x, dims + 1, GLOBAL_WHAT[dims], `use ${others}`);
      return p.keepdims ? [null, ...new Array<number>(dims).fill(1), channels(x)] : [null, channels(x)];
    },
    describe: (p) => (p.keepdims ? 'keepdims' : ''),
  });
}
