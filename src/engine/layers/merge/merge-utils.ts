/** Shared rules of element-wise merges (Keras `Merge`, keras/src/layers/merging/base_merge.py). */
import { LayerError, defineLayer, dimsText, type InputPorts } from '../../layer.ts';
import type { Shape } from '../../types.ts';

export const MAX_MERGE_INPUTS = 64;

type Dims = readonly (number | null)[];

/**
 * Keras's `_compute_elemwise_op_output_shape` on the dims after the batch:
 * the shorter shape lines up with the end of the longer one (Keras inserts
 * the missing axes right after the batch), a 1 stretches to the other's
 * length, an unknown length on either side gives an unknown one, and two
 * different lengths other than 1 refuse. Returns the index of the first
 * axis (in the longer shape) that refuses, or the merged dims.
 */
export function broadcastDims(a: Dims, b: Dims): { dims: (number | null)[] } | { axis: number } {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const lead = long.length - short.length;
  const dims: (number | null)[] = long.slice(0, lead);
  for (let k = 0; k < short.length; k++) {
    const i = long[lead + k];
    const j = short[k];
    if (i === null || j === null) dims.push(null);
    else if (i === 1) dims.push(j);
    else if (j === 1) dims.push(i);
    else if (i !== j) return { axis: lead + k };
    else dims.push(i);
  }
  return { dims };
}

const text = (s: Shape): string => `(${dimsText(s) || 'scalar'})`;

/** The fix for two shapes that do not broadcast: what to change on which input. */
function fixFor(a: Shape, b: Shape, axis: number): string {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const want = long[axis + 1];
  const got = short[axis + 1 - (long.length - short.length)];
  const last = axis === long.length - 2;
  if (last && long.length === 4) {
    return `project one branch to ${want} channels with a 1×1 Conv2D (and matching strides), or to 1 channel to broadcast it`;
  }
  if (last) return `give both ${want} features (a Dense of ${want} units on the other branch), or 1 to broadcast it`;
  return `make axis ${axis + 1} the same length on both (${want} vs ${got}: resize one branch with pooling or strides), or 1 so that it broadcasts`;
}

/** The merged output shape of element-wise inputs, as Keras computes it; the error names the ports, both shapes and the fix. */
export function elementwiseShape(kind: string, xs: Shape[]): Shape {
  let out: Shape = xs[0];
  let alike = true; // every input so far has in0's shape
  for (let i = 1; i < xs.length; i++) {
    const r = broadcastDims(out.slice(1), xs[i].slice(1));
    if ('axis' in r) {
      const [long, short] = out.length >= xs[i].length ? [out, xs[i]] : [xs[i], out];
      const ax = r.axis + 1;
      const before = alike ? `in0 ${text(out)}` : `in0…in${i - 1}, which broadcast to ${text(out)},`;
      throw new LayerError(
        `${kind} cannot broadcast ${before} with in${i} ${text(xs[i])}: axis ${ax} is ${long[ax]} against ${short[ax - (long.length - short.length)]}, `
        + `and only equal lengths or 1 merge (shorter shapes line up with the last axes); ${fixFor(out, xs[i], r.axis)}`,
      );
    }
    out = [null, ...r.dims];
    if (xs[i].length !== xs[0].length || !xs[i].every((d, j) => d === xs[0][j])) alike = false;
  }
  return out;
}

const PORTS: InputPorts = { min: 2, max: MAX_MERGE_INPUTS, variadic: true };

/** An element-wise merge of any number of inputs (`ports` for one that takes a fixed number). */
export function elementwise(kind: string, doc: string, ports: InputPorts = PORTS) {
  return defineLayer({
    kind, category: 'Merge', doc,
    params: {},
    inputs: ports,
    keras: { className: kind },
    receptive: 'merge',
    inferShape: (xs: Shape[]) => elementwiseShape(kind, xs),
  });
}
