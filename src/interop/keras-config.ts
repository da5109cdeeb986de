/**
 * Reading Keras / TF.js Layers JSON: the shapes the same facts take across
 * Keras 2, Keras 3 and tfjs-layers (inbound nodes, input shapes, model
 * configs). Pure functions over parsed JSON; nothing here knows netloom kinds.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A reference to one output of one call of a layer: Keras's `[name, node_index, tensor_index]`. */
export interface TensorRef {
  layer: string;
  node: number;
  tensor: number;
}

/** A Keras 2 ref `["name", 0, 0, {}]` or a Keras 3 `__keras_tensor__` object, else null. */
function refOf(v: Json): TensorRef | null {
  if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'number') {
    return { layer: v[0], node: v[1], tensor: typeof v[2] === 'number' ? v[2] : 0 };
  }
  if (isObj(v) && v.class_name === '__keras_tensor__' && isObj(v.config) && Array.isArray(v.config.keras_history)) {
    const h = v.config.keras_history;
    if (typeof h[0] === 'string') return { layer: h[0], node: Number(h[1] ?? 0), tensor: Number(h[2] ?? 0) };
  }
  return null;
}

/** Every tensor ref inside a Keras 3 call's args, in order (merges pass a list of tensors). */
function refsIn(v: Json, out: TensorRef[]): void {
  const r = refOf(v);
  if (r) {
    out.push(r);
    return;
  }
  if (Array.isArray(v)) for (const x of v) refsIn(x, out);
}

/**
 * A layer's calls, each as the list of tensors it was called on. Keras 2 and
 * tfjs write `[[["name", 0, 0, {}], …], …]` (one list per call); Keras 3
 * writes `[{"args": [...], "kwargs": {...}}, …]`.
 */
export function inboundCalls(inbound: Json | undefined): TensorRef[][] {
  if (!Array.isArray(inbound)) return [];
  return inbound.map((call) => {
    const refs: TensorRef[] = [];
    if (isObj(call)) refsIn((call.args ?? []) as Json, refs);
    else if (Array.isArray(call)) for (const r of call) { const t = refOf(r); if (t) refs.push(t); }
    return refs;
  });
}

/** `input_layers` / `output_layers`: a list of refs, or (Keras 3, one tensor) a single ref. */
export function endpointRefs(v: Json | undefined): TensorRef[] {
  if (!Array.isArray(v)) return [];
  const single = refOf(v);
  if (single) return [single];
  return v.map(refOf).filter((r): r is TensorRef => r !== null);
}

/** The declared input shape without the batch axis, from any of the names Keras has used. */
export function declaredShape(cfg: Obj): (number | null)[] | null {
  const b = cfg.batch_input_shape ?? cfg.batch_shape;
  if (Array.isArray(b)) return b.slice(1).map((d) => (typeof d === 'number' ? d : null));
  if (Array.isArray(cfg.input_shape)) return cfg.input_shape.map((d) => (typeof d === 'number' ? d : null));
  return null;
}

/** A model config in any wrapping: a TF.js `model.json`, `modelTopology`, `{model_config}` or `{class_name, config}`. */
export function modelConfigOf(doc: unknown): Obj | null {
  let d = doc;
  // A loop, not recursion: `modelTopology` may be wrapped any number of times.
  while (isObj(d) && isObj(d.modelTopology)) d = d.modelTopology;
  if (!isObj(d)) return null;
  if (isObj(d.model_config)) return d.model_config;
  if (typeof d.class_name === 'string' && 'config' in d) return d;
  return null;
}

/**
 * JSON path of a container nested more than `max` levels below `v` (`v`
 * itself is level 0), or null. Iterative, so a document nested 100,000 deep
 * is measured, not a stack overflow; paths are built only for the answer.
 */
export function nestedTooDeep(v: unknown, max: number): string | null {
  if (v === null || typeof v !== 'object') return null;
  interface Entry { v: object; level: number; key: string; up: Entry | null }
  const stack: Entry[] = [{ v, level: 0, key: '', up: null }];
  while (stack.length) {
    const e = stack.pop()!;
    if (e.level > max) {
      const keys: string[] = [];
      for (let at: Entry | null = e; at && at.up; at = at.up) keys.push(at.key.slice(0, 40));
      return `/${keys.reverse().join('/')}`;
    }
    if (Array.isArray(e.v)) {
      for (let i = 0; i < e.v.length; i++) {
        const x: unknown = e.v[i];
        if (x !== null && typeof x === 'object') stack.push({ v: x, level: e.level + 1, key: String(i), up: e });
      }
    } else {
      for (const k of Object.keys(e.v)) {
        const x: unknown = (e.v as Record<string, unknown>)[k];
        if (x !== null && typeof x === 'object') stack.push({ v: x, level: e.level + 1, key: k, up: e });
      }
    }
  }
  return null;
}
