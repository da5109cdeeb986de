import { LayerError, defineLayer, dimsText, tfjsCannot, type LayerSpec } from '../../layer.ts';
import { weightExpression } from '../../formula.ts';
import { defaultsOf, oneOf, type ParamSchema, type ParamSchemaMap } from '../../params.ts';
import type { Obj } from '../../passport.ts';
import { decodeKeras, encodeKeras, isWrappedLayer } from '../../passport.ts';
import type { Shape } from '../../types.ts';
import conv2d from '../conv/conv2d.ts';
import batchNormalization from '../normalization/batch-normalization.ts';
import globalAveragePooling2d from '../pooling/global-average-pooling2d.ts';
import globalMaxPooling2d from '../pooling/global-max-pooling2d.ts';
import activation from './activation.ts';
import dense from './dense.ts';
import dropout from './dropout.ts';
import flatten from './flatten.ts';

/**
 * The kinds a TimeDistributed wraps. Their parameters live side by side in
 * the wrapper's own (as a Bidirectional keeps its cell's), so two kinds
 * here never name one parameter differently; `layer` says which is used.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const INNER: readonly LayerSpec<any>[] = [dense, conv2d, flatten, dropout, activation, globalAveragePooling2d, globalMaxPooling2d, batchNormalization];
const byKind = new Map(INNER.map((s) => [s.kind, s]));
const byClass = new Map(INNER.flatMap((s) => [s.keras.className, ...(s.keras.aliases ?? [])].map((c) => [c, s])));

/** Every wrapped kind's parameters; Dense's defaults win where two kinds share one (an Activation's 'relu' is written out). */
const innerParams: ParamSchemaMap = (() => {
  const out: Record<string, ParamSchema> = {};
  for (const s of INNER) {
    for (const [k, v] of Object.entries(s.params as ParamSchemaMap)) {
      const seen = out[k];
      if (seen && JSON.stringify({ ...seen, default: null }) !== JSON.stringify({ ...v, default: null })) {
        throw new Error(`TimeDistributed: ${s.kind}'s ${k} differs from another wrapped kind's`);
      }
      out[k] ??= v;
    }
  }
  return out;
})();

const timeDistributedParams = {
  layer: oneOf(INNER.map((s) => s.kind), { default: 'Dense', doc: 'the kind applied to every step; only its parameters below are used' }),
  ...innerParams,
};

type P = Record<string, unknown> & { layer: string };
const innerOf = (p: P) => byKind.get(p.layer)!;
/** One step of the input: the dimensions after the time axis. */
const stepOf = (x: Shape): Shape => [null, ...x.slice(2)];

/** The wrapped layer's output on one step; throws its own message, naming the wrapper. */
function stepOutput(x: Shape, p: P): Shape {
  if (x.length < 3) throw new LayerError(`TimeDistributed needs (steps, …) with at least 2 dimensions but got ${dimsText(x) || 'scalar'}; feed it a sequence`);
  try {
    return innerOf(p).inferShape([stepOf(x)], p as never);
  } catch (e) {
    if (e instanceof LayerError) throw new LayerError(`the wrapped ${p.layer} on each ${dimsText(stepOf(x))} step: ${e.message}`, e.field);
    throw e;
  }
}

/**
 * Keras `TimeDistributed`: one layer applied to every step of a sequence
 * (axis 1), the same weights at every step: its parameters are the wrapped
 * layer's on one step's shape.
 */
export default defineLayer({
  kind: 'TimeDistributed',
  category: 'Core',
  doc: 'Applies one layer (Dense, Conv2D, …) to every step of a sequence with the same weights: the parameters of one step.',
  params: timeDistributedParams,
  inputs: { min: 1, max: 1 },
  // The wrapped layer is written and read by its own kind's codec.
  keras: {
    className: 'TimeDistributed',
    encode: (p, ctx) => {
      const inner = innerOf(p as P);
      const out = ctx.outputShape ? [null, ...ctx.outputShape.slice(2)] : null;
      return {
        layer: { class_name: inner.keras.className, config: { name: `${ctx.name}_${inner.kind.toLowerCase()}`, trainable: true, ...encodeKeras(inner.keras, inner.params, p, { name: ctx.name, outputShape: out }) } },
      };
    },
    decode: (c, note) => {
      if (!isWrappedLayer(c.layer)) return null;
      const inner = byClass.get(c.layer.class_name);
      if (!inner) return null;
      const got = decodeKeras(inner.keras, inner.params, c.layer.config as Obj, note);
      if (!got) return null;
      // The defaults fill what the wrapped layer does not have (a Dense has no filters).
      return { ...defaultsOf(timeDistributedParams), ...got, layer: inner.kind } as never;
    },
    unmodelled: (c) => (isWrappedLayer(c.layer) && !byClass.has(c.layer.class_name)
      ? { kind: `TimeDistributed(${c.layer.class_name})`, note: `netloom wraps ${INNER.map((s) => s.kind).join(', ')} in a TimeDistributed, not ${c.layer.class_name}` }
      : null),
  },
  tfjs: { cannot: (p) => tfjsCannot(innerOf(p as P), p) },
  receptive: 'end',
  check: (p) => innerOf(p as P).check?.(p as never) ?? [],
  inferShape: ([x], p) => {
    const y = stepOutput(x, p as P);
    return [null, x[1], ...y.slice(1)];
  },
  weights: ([x], p) => innerOf(p as P).weights?.([stepOf(x)], p as never) ?? [],
  formula: ([x], p) => {
    const inner = innerOf(p as P);
    const step = [stepOf(x)];
    const w = inner.weights?.(step, p as never) ?? [];
    if (!w.length) return null;
    // The same weights at every step: the count is the wrapped layer's on one step.
    return inner.formula?.(step, p as never) ?? weightExpression(w);
  },
  macs: ([x], o, p) => {
    const inner = innerOf(p as P);
    const steps = x[1] ?? 0;
    return steps * (inner.macs?.([stepOf(x)], [null, ...o.slice(2)], p as never) ?? 0);
  },
  describe: (p) => {
    const d = innerOf(p as P).describe?.(p as never);
    return `${p.layer}${d ? ` ${d}` : ''} · per step`;
  },
});
