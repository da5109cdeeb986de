/**
 * Shared rules of the convolutional LSTMs (Keras `ConvLSTM`, Shi et al. 2015):
 * an LSTM whose four gate blocks are convolutions, over the input with the
 * kind's strides and over the state with stride 1 and 'same' padding.
 */
import { channels, product, requireRank } from '../../layer.ts';
import { activation, bool, float, int, oneOf, tuple, type ParamsOf } from '../../params.ts';
import type { Shape, WeightSpec } from '../../types.ts';
import { slideShape, spatialPositions } from '../conv/conv-utils.ts';

const AXES: Record<number, string> = { 1: '(time, steps, channels)', 2: '(time, height, width, channels)', 3: '(time, depth, height, width, channels)' };

export interface ConvLstmParams {
  filters: number;
  kernel: number[];
  strides: number[];
  padding: string;
  dilation: number[];
  returnSequences: boolean;
  useBias: boolean;
}

const rate = () => float({ default: 0, min: 0, max: 1, maxExclusive: true });

/** The parameters of ConvLSTM2D and ConvLSTM3D: Keras's, with a kernel, strides and dilation of `dims` axes. */
export function convLstmSchema(dims: 2 | 3) {
  const of = (n: number) => Array.from({ length: dims }, () => n);
  return {
    filters: int({ default: 32, doc: 'number of output channels (feature maps of the state)' }),
    kernelSize: tuple({ default: of(3) }),
    strides: tuple({ default: of(1) }),
    padding: oneOf(['valid', 'same'], { default: 'valid' }),
    dilationRate: tuple({ default: of(1) }),
    ...convLstmGates(),
  };
}

/** The gate parameters every ConvLSTM shares, after its convolution's. */
export function convLstmGates() {
  return {
    activation: activation('tanh'),
    recurrentActivation: activation('sigmoid'),
    useBias: bool({ default: true }),
    dropout: rate(),
    recurrentDropout: rate(),
    returnSequences: bool({ default: false }),
  };
}

/** A ConvLSTM2D/3D node's cell, for the rules below. */
export const convLstmCell = (p: ParamsOf<ReturnType<typeof convLstmSchema>>): ConvLstmParams => ({
  filters: p.filters, kernel: p.kernelSize, strides: p.strides, padding: p.padding, dilation: p.dilationRate, returnSequences: p.returnSequences, useBias: p.useBias,
});

/** (time, …spatial, filters) with returnSequences, else (…spatial, filters); errors name the field. */
export function convLstmShape(kind: string, x: Shape, p: ConvLstmParams): Shape {
  const n = p.kernel.length;
  requireRank(kind, x, n + 2, AXES[n], () => (x.length === n + 2
    ? `add a time axis: a Reshape to (1, ${x.slice(1).join(', ')}) feeds one frame, or use Conv${n}D`
    : `Reshape the input to ${AXES[n]}`));
  const frame = slideShape([null, ...x.slice(2)], { kind, what: 'kernel', kernel: p.kernel, strides: p.strides, padding: p.padding, dilation: p.dilation });
  return p.returnSequences ? [null, x[1], ...frame.slice(1), p.filters] : [...frame, p.filters];
}

export function convLstmWeights(x: Shape, p: ConvLstmParams): WeightSpec[] {
  const g = 4 * p.filters;
  return [
    { name: 'kernel', shape: [...p.kernel, channels(x), g], trainable: true },
    { name: 'recurrent_kernel', shape: [...p.kernel, p.filters, g], trainable: true },
    ...(p.useBias ? [{ name: 'bias', shape: [g], trainable: true }] : []),
  ];
}

/** `4·(3·3·(3+4)·4 + 4)`: gates × (kernel volume × (channels + filters) × filters + bias). */
export function convLstmFormula(x: Shape, p: ConvLstmParams): string {
  const core = `${p.kernel.join('·')}·(${channels(x)}+${p.filters})·${p.filters}`;
  return p.useBias ? `4·(${core} + ${p.filters})` : `4·${core}`;
}

/** Per step and output position: kernel volume × (channels + filters) × 4·filters (the input and the state convolutions). */
export function convLstmMacs(x: Shape, out: Shape, p: ConvLstmParams): number {
  const n = p.kernel.length;
  const spatial = p.returnSequences ? [null, ...out.slice(2)] : out;
  return (x[1] ?? 0) * spatialPositions(spatial, n) * product(p.kernel) * (channels(x) + p.filters) * 4 * p.filters;
}
