/**
 * Keras layer classes → netloom kinds, read from each kind's passport
 * (`keras` in its file under src/engine/layers): its class name, aliases,
 * the other classes it stands in for, and the config codec derived from its
 * parameters. A class no kind claims is imported as a node of kind = the
 * Keras class name, which the analysis reports as an unknown kind while the
 * rest of the graph still loads.
 */
import { LAYERS, type AnyLayerSpec } from '../engine/layers/index.ts';
import { defaultsOf } from '../engine/params.ts';
import { decodeKeras, type Note } from '../engine/passport.ts';
import type { Obj } from './keras-config.ts';

export type { Note } from '../engine/passport.ts';

export interface Mapped {
  kind: string;
  params: Record<string, unknown>;
}

interface Claim {
  spec: AnyLayerSpec;
  /** Set when the class is another one the kind stands in for (SpatialDropout2D → Dropout). */
  via?: (c: Obj, note: Note) => Record<string, unknown> | null;
}

/** Every class some kind reads, in palette order: the first kind to claim a name keeps it. */
const CLASSES: ReadonlyMap<string, Claim> = (() => {
  const m = new Map<string, Claim>();
  const claim = (name: string, c: Claim) => { if (!m.has(name)) m.set(name, c); };
  for (const spec of LAYERS as readonly AnyLayerSpec[]) {
    if (!spec.keras.writeOnly) claim(spec.keras.className, { spec });
    for (const a of spec.keras.aliases ?? []) claim(a, { spec });
    for (const [cls, via] of Object.entries(spec.keras.imports ?? {})) claim(cls, { spec, via: via as Claim['via'] });
  }
  return m;
})();

/** The kind that reads a Keras class as itself (its class name or an alias), if any. */
export function specOfClass(className: string): AnyLayerSpec | undefined {
  const claim = CLASSES.get(className);
  return claim && !claim.via ? claim.spec : undefined;
}

/** Keras classes netloom reads (for messages and docs). */
export const SUPPORTED_CLASSES: readonly string[] = [...CLASSES.keys()];

/**
 * The netloom node for one Keras layer, or null when netloom has no kind for
 * it. A Map, not an object: a class named `constructor` or `toString` is
 * unknown, never one of Object's members.
 */
export function mapLayer(className: string, config: Obj, note: Note): Mapped | null {
  const claim = CLASSES.get(className);
  if (!claim) return null;
  const { spec } = claim;
  if (claim.via) {
    const p = claim.via(config, note);
    return p ? { kind: spec.kind, params: { ...defaultsOf(spec.params), ...p } } : null;
  }
  const unmodelled = spec.keras.unmodelled?.(config);
  if (unmodelled) {
    note(unmodelled.note);
    return { kind: unmodelled.kind, params: structuredClone(config) as Record<string, unknown> };
  }
  const params = decodeKeras(spec.keras, spec.params, config, note);
  return params ? { kind: spec.kind, params } : null;
}

/** True when the layer's config says channels come first (Keras `data_format`). */
export const channelsFirst = (config: Obj): boolean => config.data_format === 'channels_first';
