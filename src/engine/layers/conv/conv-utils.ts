/** Shared shape and cost rules of the convolution and pooling families (Keras `BaseConv`, `BasePooling`). */
import { LayerError, convOutLength, deconvOutLength, pairText, requireRank } from '../../layer.ts';
import { activation, bool, int, oneOf, optTuple, tuple } from '../../params.ts';
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
  requireRank(o.kind, x, n + 1, n === 1 ? STEPS : n === 2 ? '(height, width, channels)' : '(depth, height, width, channels)', () => (n === 1
    ? 'recurrent and Conv1D layers take (steps, features); add a Reshape or use Conv2D'
    : n === 3
      ? 'use Conv2D for images or Reshape the input to (depth, height, width, channels)'
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

/** Keras `groups`: the input channels split into `groups` groups, each convolved with `filters / groups` kernels (ResNeXt). */
export const groupsParam = () => int({ default: 1, doc: 'channel groups: each sees channels/groups inputs (ResNeXt); 1 sees all' });

/** Input channels each kernel sees, or a LayerError naming `groups` and the fix (Keras's own two checks). */
export function groupChannels(kind: string, c: number, filters: number, groups: number): number {
  if (c % groups !== 0) {
    throw new LayerError(`${kind} groups ${groups} must divide its ${c} input channels; set groups to a divisor of ${c}`, 'groups');
  }
  if (filters % groups !== 0) {
    throw new LayerError(`${kind} groups ${groups} must divide filters ${filters}; set filters to a multiple of ${groups}`, 'groups');
  }
  return c / groups;
}

/** TF.js 4.22's convolutions have no `groups` argument. */
export const groupsRefusal = (kind: string) => (p: { groups: number }) => (p.groups > 1
  ? { field: 'groups', message: `TF.js 4.22 has no grouped ${kind} (its convolution takes no groups argument); set groups to 1, or export the Keras Python script to train it` }
  : null);

/** The parameters every 3-D convolution kind shares (kernels over depth, height, width). */
export const conv3dParams = () => ({
  filters: int({ default: 32, doc: 'number of output channels' }),
  kernelSize: tuple({ default: [3, 3, 3] }),
  strides: tuple({ default: [1, 1, 1] }),
  padding: oneOf(['valid', 'same'], { default: 'valid' }),
  dilationRate: tuple({ default: [1, 1, 1] }),
  activation: activation(),
  useBias: bool({ default: true }),
});

/** Keras `output_padding`: extra rows at the far end of each axis of a transposed convolution; null derives it. */
export const outputPaddingParam = (length: number) => optTuple({ length, min: 0, doc: 'extra output rows per axis (below strides); null: derived' });

/** Output dims of a transposed convolution over `x` (Keras `deconv_output_length`), naming the field of what is wrong. */
export function deconvShape(kind: string, x: Shape, p: { kernel: number[]; strides: number[]; padding: string; outputPadding: number[] | null }): Shape {
  const n = p.kernel.length;
  const what = n === 1 ? STEPS : n === 2 ? '(height, width, channels)' : '(depth, height, width, channels)';
  requireRank(kind, x, n + 1, what, n === 1 ? 'feed it a sequence (steps, features), or use Conv2DTranspose for images' : `add a Reshape to a ${what} shape before it`);
  const op = p.outputPadding;
  if (op) {
    for (let i = 0; i < n; i++) {
      if (op[i] >= p.strides[i]) {
        throw new LayerError(`${kind} outputPadding ${pairText(op)} must be below strides ${pairText(p.strides)} on every axis (Keras rejects it); lower outputPadding or set it to null`, 'outputPadding');
      }
    }
  }
  const out: Shape = [null];
  for (let i = 0; i < n; i++) {
    const d = x[i + 1];
    out.push(d === null ? null : deconvOutLength(d, p.kernel[i], p.strides[i], p.padding, op ? op[i] : null));
  }
  return out;
}

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
