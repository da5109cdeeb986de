/**
 * Receptive field as the inspector words it: the engine's per-layer field
 * (`receptiveFields`, one rule for the CLI, the summary table and this view),
 * plus "the whole input" for layers that mix every position of a spatial input
 * (Flatten, global pooling, recurrent layers, and what follows them).
 */
import { receptiveFieldText, receptiveFields, type Analysis } from '../engine/index.ts';

export type Field = { size: number[]; jump: number[] } | 'whole' | null;

const cache = new WeakMap<Analysis, Map<string, Field>>();

function fields(a: Analysis): Map<string, Field> {
  const hit = cache.get(a);
  if (hit) return hit;
  const spatial = receptiveFields(a);
  const out = new Map<string, Field>();
  for (const r of a.nodes) {
    const f = spatial.get(r.id);
    if (f) {
      out.set(r.id, { size: f.size, jump: f.stride });
      continue;
    }
    // Fed by a spatial chain (or by a layer that already saw all of it): the whole input.
    const fedBySpatial = r.status === 'ok' && r.inputIds.some((id) => out.get(id) !== null && out.get(id) !== undefined);
    out.set(r.id, fedBySpatial ? 'whole' : null);
  }
  cache.set(a, out);
  return out;
}

export function receptiveField(a: Analysis, id: string): Field {
  return fields(a).get(id) ?? null;
}

/** `11×11 /4`, `the whole input`, or '' when the layer has no spatial axes: the summary table's words. */
export function fieldText(f: Field): string {
  return receptiveFieldText(f && f !== 'whole' ? { size: f.size, stride: f.jump } : f);
}
