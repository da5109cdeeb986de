/**
 * Proof that the model TF.js built is the model netloom showed: every layer's
 * output shape and `countParams()`, and the model's total, must equal the
 * engine's numbers. A mismatch is a bug in the engine or the compiler, so it
 * is reported row by row rather than summarised away.
 */
import type * as tfType from '@tensorflow/tfjs';
import type { Analysis, Shape } from '../engine/index.ts';

export interface VerifyRow {
  nodeId: string;
  name: string;
  kind: string;
  engineShape: Shape | null;
  /** `null` when TF.js has no layer of this name (itself a mismatch). */
  tfShape: (number | null)[] | null;
  engineParams: number;
  tfParams: number | null;
  ok: boolean;
}

export interface Verification {
  ok: boolean;
  rows: VerifyRow[];
  total: { engineParams: number; tfParams: number; ok: boolean };
  /** Layers compared (one per node). */
  layers: number;
}

const sameShape = (a: readonly (number | null)[] | null, b: readonly (number | null)[] | null): boolean =>
  a !== null && b !== null && a.length === b.length && a.every((d, i) => d === b[i]);

/** The layer's single output shape; a layer with several outputs never matches a node's one shape. */
function singleShape(layer: tfType.layers.Layer): (number | null)[] | null {
  const s = layer.outputShape as unknown;
  if (!Array.isArray(s)) return null;
  if (s.length && Array.isArray(s[0])) return s.length === 1 ? (s[0] as (number | null)[]) : null;
  return s as (number | null)[];
}

function findLayer(model: tfType.LayersModel, name: string): tfType.layers.Layer | null {
  // getLayer throws on an unknown name; look it up without exceptions.
  return model.layers.find((l) => l.name === name) ?? null;
}

export function verify(model: tfType.LayersModel, analysis: Analysis): Verification {
  const rows: VerifyRow[] = analysis.nodes.map((r) => {
    if (r.shares !== undefined) {
      // One TF.js layer serves the owner and this node: its weights are counted at the owner, this call has 0 of its own.
      const owner = findLayer(model, analysis.byId.get(r.shares)?.name ?? '');
      // Each call's output shapes, one per output: a node's one output is the first.
      const shapes = owner ? owner.inboundNodes.map((n) => {
        const s = n.outputShapes as unknown as (number | null)[] | (number | null)[][];
        return (Array.isArray(s[0]) ? s[0] : s) as (number | null)[];
      }) : [];
      const tfShape = shapes.find((s) => sameShape(r.outputShape, s)) ?? null;
      const ok = owner !== null && shapes.length > 1 && tfShape !== null && r.paramCount === 0;
      return { nodeId: r.id, name: r.name, kind: r.kind, engineShape: r.outputShape, tfShape, engineParams: r.paramCount, tfParams: owner ? 0 : null, ok };
    }
    const layer = findLayer(model, r.name);
    const tfShape = layer ? singleShape(layer) : null;
    const tfParams = layer ? layer.countParams() : null;
    return {
      nodeId: r.id,
      name: r.name,
      kind: r.kind,
      engineShape: r.outputShape,
      tfShape,
      engineParams: r.paramCount,
      tfParams,
      ok: layer !== null && sameShape(r.outputShape, tfShape) && tfParams === r.paramCount,
    };
  });
  const tfTotal = model.countParams();
  const total = { engineParams: analysis.totals.params, tfParams: tfTotal, ok: tfTotal === analysis.totals.params };
  return { ok: total.ok && rows.every((r) => r.ok), rows, total, layers: rows.length };
}
