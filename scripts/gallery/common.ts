/**
 * Small helpers the gallery builders share: parameter objects in `tf.layers`
 * names, Keras's automatic layer names, and the final layout step.
 */
import { layeredLayout, type Graph, type GraphBuilder } from '../../src/engine/index.ts';

export type Params = Record<string, unknown>;

/** A Conv2D/SeparableConv2D/DepthwiseConv2D parameter object; square kernels and strides unless given as pairs. */
export function conv2d(
  filters: number,
  kernel: number | [number, number],
  o: { strides?: number; padding?: 'valid' | 'same'; activation?: string; useBias?: boolean } = {},
): Params {
  const k = typeof kernel === 'number' ? [kernel, kernel] : kernel;
  return {
    filters,
    kernelSize: k,
    strides: [o.strides ?? 1, o.strides ?? 1],
    padding: o.padding ?? 'valid',
    activation: o.activation ?? 'linear',
    useBias: o.useBias ?? true,
  };
}

/** A 2-D pooling parameter object (MaxPooling2D, AveragePooling2D). */
export const pool2d = (size: number, stride: number, padding: 'valid' | 'same' = 'valid'): Params => ({
  poolSize: [size, size],
  strides: [stride, stride],
  padding,
});

export const dense = (units: number, activation = 'linear'): Params => ({ units, activation });

/** Laid out, with every parameter explicit (the builder fills the defaults). */
export const finish = (b: GraphBuilder): Graph => layeredLayout(b.build());

/**
 * Keras's automatic layer names. TF2 Keras names the first layer of a kind
 * `conv2d`, the next `conv2d_1`; Keras 2.0 (Deep Learning with Python, 1st ed.)
 * starts at `conv2d_1`. Keras applications leave some layers unnamed
 * (Xception's shortcut convolutions, every layer of InceptionV3's `conv2d_bn`
 * without a name), so matching their summaries means counting like Keras.
 */
export function kerasNamer(style: 'tf2' | 'keras2' = 'tf2'): (base: string) => string {
  const seen = new Map<string, number>();
  return (base) => {
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    if (style === 'keras2') return `${base}_${n + 1}`;
    return n === 0 ? base : `${base}_${n}`;
  };
}
