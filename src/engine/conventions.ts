/**
 * Counting conventions side by side. Keras counts a BatchNormalization's
 * moving statistics as parameters and gives recurrent cells one bias per
 * gate block; PyTorch calls the statistics buffers and gives its cells two
 * biases. Each kind's passport says where its PyTorch count differs
 * (`pytorch`); everything else counts the same. Multiply-adds are what
 * netloom counts (README: cost rules); FLOPs are 2 × MACs, one multiply and
 * one add each, the convention torchvision's "GFLOPS" column does not follow.
 */
import type { Analysis } from './analyze.ts';
import type { PytorchCount } from './layer.ts';
import { getLayer } from './layers/index.ts';

/** FLOPs from multiply-accumulates: one multiply and one add each. */
export function flopsOf(macs: number): number;
export function flopsOf(macs: number | null): number | null;
/** FLOPs = 2 × multiply-adds; unknown (null) stays unknown. */
export function flopsOf(macs: number | null): number | null {
  return macs === null ? null : 2 * macs;
}

/** Per layer id, its PyTorch count where it differs from Keras's. */
export function pytorchCounts(a: Analysis): Map<string, PytorchCount> {
  const out = new Map<string, PytorchCount>();
  for (const r of a.nodes) {
    // A sharing node's weights are its owner's, counted there in PyTorch too (tied weights are one Parameter).
    if (r.status !== 'ok' || r.shares !== undefined) continue;
    const t = getLayer(r.kind)?.pytorch?.(r.inputShapes, r.params as never);
    if (t && t.count !== r.paramCount) out.set(r.id, t);
  }
  return out;
}

/** The whole model's parameters as PyTorch would count the equivalent modules. */
export function pytorchTotal(a: Analysis, counts = pytorchCounts(a)): number {
  let n = a.totals.params;
  for (const [id, t] of counts) n += t.count - a.byId.get(id)!.paramCount;
  return n;
}
