/**
 * Faster CPU slicing for recurrent layers. TF.js's CPU `Slice` copies a slice
 * that is not one contiguous run element by element, through an index array
 * per element, and its `SplitV` slices the same way. A GRU cell splits its
 * gate matrices along the last axis at every time step, so on the CPU
 * backend (Node, and the browser's last fallback) those copies took about
 * five sixths of a GRU's training time. These kernels copy whole rows of the
 * last axis instead and give the same values.
 *
 * Its `UnsortedSegmentSum`, the gradient of a gather (an Embedding's lookup),
 * builds a mask over every id for each of the vocabulary's rows: one training
 * step of the keras.io Transformer classifier (20,000 tokens) took 156 s on
 * the CPU backend, nearly all of it there. The kernel below adds each row to
 * its segment once.
 *
 * `installCpuKernels` replaces the three CPU kernels once, on the `tf` it is given.
 */
import type * as tfType from '@tensorflow/tfjs';

type Tf = typeof tfType;
type Values = Float32Array | Int32Array | Uint8Array;
interface CpuBackend {
  data: { get(id: object): { values: Values } };
  makeTensorInfo(shape: number[], dtype: string, values: Values): tfType.TensorInfo;
}

const installed = new WeakSet<object>();

/** Rows [begin, begin + size) of a row-major tensor of `shape`, copied a last-axis run at a time. */
export function sliceValues(vals: Values, shape: readonly number[], begin: readonly number[], size: readonly number[]): Values {
  const rank = shape.length;
  const length = size.reduce((a, b) => a * b, 1);
  const Ctor = vals.constructor as new (n: number) => Values;
  const out = new Ctor(length);
  if (length === 0) return out;
  if (rank === 0) {
    out[0] = vals[0];
    return out;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  const run = size[rank - 1];
  const loc = new Array<number>(rank - 1).fill(0);
  for (let o = 0; o < length; o += run) {
    let from = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) from += (loc[d] + begin[d]) * strides[d];
    out.set(vals.subarray(from, from + run), o);
    for (let d = rank - 2; d >= 0; d--) {
      if (++loc[d] < size[d]) break;
      loc[d] = 0;
    }
  }
  return out;
}

/** Sums the rows of `x` (shape [...ids, ...inner]) into `numSegments` rows by id; ids out of range are dropped, as TF.js does. */
export function segmentSumValues(x: Values, ids: Values, inner: number, numSegments: number, dtype: string): Values {
  const out = dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const o = s * inner;
    const from = i * inner;
    for (let j = 0; j < inner; j++) out[o + j] += x[from + j];
  }
  return out;
}

/**
 * Replaces the CPU backend's Slice, SplitV and UnsortedSegmentSum kernels of
 * `tf` with the ones above (strings keep the original path). Safe to call often.
 */
export function installCpuKernels(tf: Tf): void {
  const core = tf as unknown as {
    getKernel(name: string, backend: string): tfType.KernelConfig | undefined;
    unregisterKernel(name: string, backend: string): void;
    registerKernel(c: tfType.KernelConfig): void;
  };
  const original = {
    Slice: core.getKernel('Slice', 'cpu'), SplitV: core.getKernel('SplitV', 'cpu'), UnsortedSegmentSum: core.getKernel('UnsortedSegmentSum', 'cpu'),
  };
  if (installed.has(core) || !original.Slice || !original.SplitV || !original.UnsortedSegmentSum) return;
  installed.add(core);
  const util = tf.util as unknown as { parseAxisParam(a: number | number[], shape: number[]): number[] };
  const slice = (x: tfType.TensorInfo, backend: CpuBackend, begin: number[], size: number[]): tfType.TensorInfo => {
    const vals = backend.data.get(x.dataId).values;
    return backend.makeTensorInfo(size, x.dtype, sliceValues(vals, x.shape, begin, size));
  };
  type Args = { inputs: { x: tfType.TensorInfo; segmentIds?: tfType.TensorInfo }; backend: CpuBackend; attrs: Record<string, unknown> };
  const kernels: Record<'Slice' | 'SplitV' | 'UnsortedSegmentSum', (a: Args) => tfType.TensorInfo | tfType.TensorInfo[]> = {
    Slice(a) {
      const { x } = a.inputs;
      if (x.dtype === 'string') return (original.Slice!.kernelFunc as unknown as (a: Args) => tfType.TensorInfo)(a);
      const [begin, size] = tf.slice_util.parseSliceParams(x as tfType.Tensor, a.attrs.begin as number[], a.attrs.size as number[]);
      tf.slice_util.assertParamsValid(x as tfType.Tensor, begin, size);
      return slice(x, a.backend, begin, size);
    },
    SplitV(a) {
      const { x } = a.inputs;
      if (x.dtype === 'string') return (original.SplitV!.kernelFunc as unknown as (a: Args) => tfType.TensorInfo[])(a);
      const axis = util.parseAxisParam(a.attrs.axis as number, x.shape)[0];
      const sizes = tf.backend_util.prepareSplitSize(x as tfType.Tensor, a.attrs.numOrSizeSplits as number[] | number, axis);
      const begin = new Array<number>(x.shape.length).fill(0);
      return sizes.map((s) => {
        const size = [...x.shape];
        size[axis] = s;
        const t = slice(x, a.backend, [...begin], size);
        begin[axis] += s;
        return t;
      });
    },
    UnsortedSegmentSum(a) {
      const { x, segmentIds } = a.inputs;
      if (x.dtype === 'string' || !segmentIds) return (original.UnsortedSegmentSum!.kernelFunc as unknown as (a: Args) => tfType.TensorInfo)(a);
      const numSegments = a.attrs.numSegments as number;
      const innerShape = x.shape.slice(segmentIds.shape.length);
      const inner = innerShape.reduce((p, d) => p * d, 1);
      const values = segmentSumValues(a.backend.data.get(x.dataId).values, a.backend.data.get(segmentIds.dataId).values, inner, numSegments, x.dtype);
      return a.backend.makeTensorInfo([numSegments, ...innerShape], x.dtype, values);
    },
  };
  for (const name of ['Slice', 'SplitV', 'UnsortedSegmentSum'] as const) {
    core.unregisterKernel(name, 'cpu');
    core.registerKernel({ ...original[name]!, kernelFunc: kernels[name] as unknown as tfType.KernelFunc });
  }
}
