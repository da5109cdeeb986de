/** Shared shape and cost rules of the convolution and pooling families (Keras `BaseConv`, `BasePooling`). */
import { LayerError, convOutLength, pairText, requireRank } from '../../layer.ts';
import { activation, bool, int, oneOf, tuple } from '../../params.ts';
import type { Shape } from '../../types.ts';

export interface WindowOpts {
  /** Kind name for messages, e.g. `Conv2D`. */
  kind: string;
  /** What slides: "kernel" or "pool". */
  what: 'kernel' | 'pool';
  kernel: number[];
  strides: number[];
  padding: string;
  dilation?: number[];
}

const STEPS = '(steps, channels)';
const ONES: Record<number, number[]> = { 1: [1], 2: [1, 1], 3: [1, 1, 1] };
const anyAbove1 = (xs: readonly number[]): boolean => {
  for (let i = 0; i < xs.length; i++) if (xs[i] > 1) return true;
  return false;
};

/**
 * Output spatial dims of a sliding window over `x` (rank = kernel.length + 2).
 * Errors name the fix: a window larger than its input under 'valid' padding.
 */
export function slideShape(x: Shape, o: WindowOpts): Shape {
  const n = o.kernel.length;
  requireRank(o.kind, x, n + 1, n === 1 ? STEPS : '(height, width, channels)', () => (n === 1
    ? 'recurrent and Conv1D layers take (steps, features); add a Reshape or use Conv2D'
    : x.length === 3
      ? `add a Reshape to (${x.slice(1).join(', ')}, 1) before it`
      : 'use Conv1D for sequences or Reshape the input'));
  const dil = o.dilation ?? ONES[n];
  if (anyAbove1(dil) && anyAbove1(o.strides)) {
    throw new LayerError(
      `strides ${pairText(o.strides)} and dilationRate ${pairText(dil)} cannot both exceed 1 (Keras rejects it); set one of them to 1`,
      'strides',
    );
  }
  const out: Shape = new Array(n + 1);
  out[0] = null;
  const spatial = x.slice(1, n + 1);
  for (let i = 0; i < n; i++) {
    const d = spatial[i];
    if (d === null) {
      out[i + 1] = null;
      continue;
    }
    const len = convOutLength(d, o.kernel[i], o.strides[i], o.padding, dil[i]);
    if (len < 1) {
      const eff = o.kernel.map((k, j) => k + (k - 1) * (dil[j] - 1));
      const field = o.what === 'kernel' ? 'kernelSize' : 'poolSize';
      throw new LayerError(
        `${o.what} ${pairText(eff)}${dil.some((v) => v > 1) ? ' (dilated)' : ''} is larger than its ${spatial.map((v) => v ?? '?').join('×')} input; use padding 'same' or a smaller ${o.what}`,
        field,
      );
    }
    out[i + 1] = len;
  }
  return out;
}

/** The parameters Conv1D shares with Keras's `Conv1D`, in `tf.layers` names. */
export const conv1dParams = () => ({
  filters: int({ default: 32, doc: 'number of output channels' }),
  kernelSize: int({ default: 3 }),
  strides: int({ default: 1 }),
  padding: oneOf(['valid', 'same', 'causal'], { default: 'valid' }),
  dilationRate: int({ default: 1 }),
  activation: activation(),
  useBias: bool({ default: true }),
});

/** The parameters every 2-D convolution kind shares, in `tf.layers` names. */
export const conv2dParams = () => ({
  filters: int({ default: 32, doc: 'number of output channels' }),
  kernelSize: tuple({ default: [3, 3] }),
  strides: tuple({ default: [1, 1] }),
  padding: oneOf(['valid', 'same'], { default: 'valid' }),
  dilationRate: tuple({ default: [1, 1] }),
  activation: activation(),
  useBias: bool({ default: true }),
});

/**
 * Grouped convolutions (`groups` > 1, ResNeXt) hold 1/groups of the kernel
 * weights; netloom has no such option, so the layer stays visible as an
 * unknown kind instead of being counted wrongly.
 */
export const grouped = (cls: string) => (c: Record<string, unknown>) => {
  const g = typeof c.groups === 'number' ? c.groups : 1;
  return g === 1 ? null : {
    kind: `${cls}[groups=${g}]`,
    note: `${cls} with groups ${g} (a grouped convolution) is not modelled by netloom, whose convolutions see every input channel; counting it as a plain ${cls} would overcount its kernel ${g}×`,
  };
};

/** The receptive-field window of a convolution kind. */
export const convWindow = (p: { kernelSize: number | number[]; strides: number | number[]; dilationRate: number | number[] }) => ({
  kernel: p.kernelSize, stride: p.strides, dilation: p.dilationRate,
});

export const CHANNELS_LAST = { data_format: 'channels_last' } as const;

export const asList = (v: number | number[]): number[] => (Array.isArray(v) ? v : [v]);

export const spatialPositions = (s: Shape, n: number): number => {
  let p = 1;
  for (let i = 1; i <= n; i++) p *= s[i] ?? 0;
  return p;
};
