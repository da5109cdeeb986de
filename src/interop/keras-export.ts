/**
 * netloom node → Keras layer class and config (Keras snake_case names), from
 * the kind's passport (`keras` in its file under src/engine/layers). One
 * mapping feeds every exporter and the compiler: the TF.js `model.json`
 * topology, the Keras Python script (config keys are its keyword arguments),
 * the TF.js JavaScript code and the compiled model (keys camelCased back).
 */
import type { NodeResult } from '../engine/analyze.ts';
import { getLayer } from '../engine/layers/index.ts';
import { encodeKeras } from '../engine/passport.ts';

export { kerasActivation } from '../engine/passport.ts';

export interface KerasLayer {
  className: string;
  /** Keras config without `name` (the node name is added by the caller). */
  config: Record<string, unknown>;
}

/** The Keras layer for one analysed node; model inputs become `InputLayer`. */
export function kerasLayerOf(r: NodeResult): KerasLayer {
  const spec = getLayer(r.kind);
  if (!spec) throw new Error(`${r.id}: kind '${r.kind}' has no Keras layer; replace the node with a supported kind before exporting`);
  return {
    className: spec.keras.className,
    config: encodeKeras(spec.keras, spec.params, r.params, { name: r.name, outputShape: r.outputShape }),
  };
}
