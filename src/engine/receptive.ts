/**
 * Receptive field and effective stride of every layer in a chain of
 * convolutions and pools: how many input pixels one output value sees, and
 * how far apart (in input pixels) two neighbouring outputs are. This is the
 * notes' VGG story in numbers: two 3×3 convolutions see 5×5, three see 7×7.
 *
 *   rf_out = rf_in + (k_eff − 1) · jump_in,   jump_out = jump_in · stride,
 *   k_eff = (k − 1) · dilation + 1.
 *
 * Merges take the largest field of their inputs. Layers that mix every
 * position (Flatten, global pooling, recurrent layers) end the chain: their
 * field is the whole input, reported as null.
 */
import type { Analysis, NodeResult } from './analyze.ts';

export interface ReceptiveField {
  /** Input pixels seen per spatial axis. */
  size: number[];
  /** Input pixels between neighbouring outputs per spatial axis (the product of strides so far). */
  stride: number[];
}

import { getLayer } from './layers/index.ts';

const list = (v: number | readonly number[] | undefined, n: number): number[] =>
  Array.isArray(v) ? [...v] : Array(n).fill(typeof v === 'number' ? v : 1);

/** Spatial axes of a result's output: rank minus batch and channels, when at least one. */
const spatialAxes = (r: NodeResult): number => (r.outputShape && r.outputShape.length >= 3 ? r.outputShape.length - 2 : 0);

/** Receptive field per layer id; layers outside a spatial chain are absent. Each kind's role is in its passport. */
export function receptiveFields(a: Analysis): Map<string, ReceptiveField> {
  const out = new Map<string, ReceptiveField>();
  for (const r of a.nodes) {
    if (r.status !== 'ok') continue;
    const n = spatialAxes(r);
    if (!n) continue;
    const role = getLayer(r.kind)?.receptive;
    if (role === undefined || role === 'end') continue;
    if (role === 'input') {
      out.set(r.id, { size: Array(n).fill(1), stride: Array(n).fill(1) });
      continue;
    }
    const ins = r.inputIds.map((id) => out.get(id));
    if (!ins.length || ins.some((f) => !f || f.size.length !== n)) continue;
    const first = ins[0]!;
    if (role === 'pass') {
      out.set(r.id, first);
    } else if (role === 'merge') {
      const all = ins as ReceptiveField[];
      out.set(r.id, {
        size: first.size.map((_, i) => Math.max(...all.map((f) => f.size[i]))),
        stride: first.stride.map((_, i) => Math.max(...all.map((f) => f.stride[i]))),
      });
    } else {
      const w = role(r.params);
      const k = list(w.kernel, n);
      const s = list(w.stride, n);
      if (w.transposed) {
        // Each output sees ceil(k / s) neighbouring inputs; outputs are s times closer together.
        out.set(r.id, {
          size: first.size.map((rf, i) => rf + (Math.ceil(k[i] / s[i]) - 1) * first.stride[i]),
          stride: first.stride.map((j, i) => j / s[i]),
        });
      } else {
        const d = list(w.dilation, n);
        out.set(r.id, {
          size: first.size.map((rf, i) => rf + ((k[i] - 1) * d[i]) * first.stride[i]),
          stride: first.stride.map((j, i) => j * s[i]),
        });
      }
    }
  }
  return out;
}
