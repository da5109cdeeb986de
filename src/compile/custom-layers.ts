/**
 * netloom's own TF.js layers for the kinds tfjs-layers 4.22 lacks:
 * MultiHeadAttention, PositionEmbedding, ClassToken and Cropping1D (which
 * takes ViT's and BERT's first token). Each extends
 * `tf.layers.Layer` under its Keras class name, is registered with
 * `tf.serialization.registerClass` (so a model.json naming it loads once
 * `registerCustomLayers(tf)` ran), and lays its weights out as Keras 3 does,
 * so counts, names and shapes match Keras weight for weight:
 *   MultiHeadAttention  query/kernel (d_q, h, k), query/bias (h, k), key/…,
 *                       value/kernel (d_v, h, v), value/bias (h, v),
 *                       attention_output/kernel (h, v, d_out), attention_output/bias (d_out)
 *   PositionEmbedding   embeddings (sequenceLength, d)
 *   ClassToken          cls (d)
 *   Cropping1D          no weights
 * The arithmetic is Keras's: the query scaled by 1/√k, softmax over the key
 * positions (a causal mask keeps key j ≤ query i), dropout on the attention
 * weights in training only, attention axes flattened into one position axis
 * and the other non-feature axes into the batch.
 *
 * The tf namespace is passed in (Node CPU, browser WebGPU), so the classes
 * are made once per namespace.
 */
import type * as tfType from '@tensorflow/tfjs';
import mhaSpec from '../engine/layers/attention/multi-head-attention.ts';
import positionSpec from '../engine/layers/attention/position-embedding.ts';
import classTokenSpec from '../engine/layers/attention/class-token.ts';
import cropping1dSpec from '../engine/layers/pooling/cropping1d.ts';

type Tf = typeof tfType;
type Tensor = tfType.Tensor;
type Shape = (number | null)[];
type Kwargs = Record<string, unknown>;

/** The kinds built by a class here rather than a `tf.layers` factory. */
export const CUSTOM_KINDS: readonly string[] = [mhaSpec.kind, positionSpec.kind, classTokenSpec.kind, cropping1dSpec.kind];

const made = new WeakMap<object, ReadonlyMap<string, new (args: Kwargs) => tfType.layers.Layer>>();

/** The Keras class names of the layers. */
export interface OwnNames {
  mha: string;
  position: string;
  classToken: string;
  cropping1d: string;
}

const NAMES: OwnNames = {
  mha: mhaSpec.keras.className, position: positionSpec.keras.className, classToken: classTokenSpec.keras.className, cropping1d: cropping1dSpec.keras.className,
};

/**
 * Defines and registers the classes. Self-contained (it reads nothing but its
 * arguments), so the JavaScript export writes its source into the exported
 * code: the same classes there as in the compiler.
 */
export function defineOwnLayers(tf: Tf, names: OwnNames): ReadonlyMap<string, new (args: Kwargs) => tfType.layers.Layer> {
  const Layer = tf.layers.Layer;
  const dims = (s: tfType.Shape | tfType.Shape[]): Shape[] => (Array.isArray(s[0]) ? (s as Shape[]) : [s as Shape]);

  class MultiHeadAttention extends Layer {
    static className = names.mha;
    readonly numHeads: number;
    readonly keyDim: number;
    readonly valueDim: number | null;
    readonly dropout: number;
    readonly useBias: boolean;
    readonly outputShape_: number | null;
    readonly attentionAxes: number[] | null;
    readonly useCausalMask: boolean;
    private w: Record<string, tfType.LayerVariable> = {};

    constructor(args: Kwargs) {
      super(args as never);
      this.numHeads = Number(args.numHeads ?? 2);
      this.keyDim = Number(args.keyDim ?? 64);
      this.valueDim = (args.valueDim as number | null | undefined) ?? null;
      this.dropout = Number(args.dropout ?? 0);
      this.useBias = args.useBias !== false;
      const o = args.outputShape as number | number[] | null | undefined;
      this.outputShape_ = Array.isArray(o) ? o[0] : o ?? null;
      this.attentionAxes = (args.attentionAxes as number[] | null | undefined) ?? null;
      this.useCausalMask = args.useCausalMask === true;
    }

    private sizes(shapes: Shape[]) {
      const [q, v = q, k = v] = shapes;
      return { dq: q[q.length - 1]!, dk: k[k.length - 1]!, dv: v[v.length - 1]!, vd: this.valueDim ?? this.keyDim, dOut: this.outputShape_ ?? q[q.length - 1]! };
    }

    override build(inputShape: tfType.Shape | tfType.Shape[]): void {
      const s = this.sizes(dims(inputShape));
      const h = this.numHeads;
      const init = () => tf.initializers.glorotUniform({});
      const zeros = () => tf.initializers.zeros();
      const proj = (name: string, dIn: number, size: number) => {
        this.w[`${name}/kernel`] = this.addWeight(`${name}/kernel`, [dIn, h, size], 'float32', init());
        if (this.useBias) this.w[`${name}/bias`] = this.addWeight(`${name}/bias`, [h, size], 'float32', zeros());
      };
      proj('query', s.dq, this.keyDim);
      proj('key', s.dk, this.keyDim);
      proj('value', s.dv, s.vd);
      this.w['attention_output/kernel'] = this.addWeight('attention_output/kernel', [h, s.vd, s.dOut], 'float32', init());
      if (this.useBias) this.w['attention_output/bias'] = this.addWeight('attention_output/bias', [s.dOut], 'float32', zeros());
      this.built = true;
    }

    override computeOutputShape(inputShape: tfType.Shape | tfType.Shape[]): tfType.Shape {
      const [q] = dims(inputShape);
      return [...q.slice(0, -1), this.sizes(dims(inputShape)).dOut];
    }

    override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
      return tf.tidy(() => {
        const xs = Array.isArray(inputs) ? inputs : [inputs];
        const [q, v = q, k = v] = xs;
        const rank = q.rank - 1;
        // Attention runs over every axis but the batch and the features unless attentionAxes names some.
        const axes = this.attentionAxes ?? Array.from({ length: rank - 1 }, (_, i) => i + 1);
        const other = Array.from({ length: rank - 1 }, (_, i) => i + 1).filter((a) => !axes.includes(a));
        const perm = [0, ...other, ...axes, rank];
        const h = this.numHeads;
        // (batch, other..., attention..., d) -> (batch * groups, positions, d)
        const flat = (x: Tensor) => {
          const t = tf.transpose(x, perm);
          const n = axes.reduce((a, ax) => a * x.shape[ax]!, 1);
          return t.reshape([-1, n, x.shape[rank]!]);
        };
        const project = (x: Tensor, name: string, size: number) => {
          const [n, l, d] = x.shape as number[];
          let y = tf.matMul(x.reshape([n * l, d]), this.w[`${name}/kernel`].read().reshape([d, h * size]));
          if (this.useBias) y = y.add(this.w[`${name}/bias`].read().reshape([h * size]));
          return y.reshape([n, l, h, size]).transpose([0, 2, 1, 3]); // (n, h, l, size)
        };
        const vd = this.valueDim ?? this.keyDim;
        const Q = project(flat(q), 'query', this.keyDim).mul(1 / Math.sqrt(this.keyDim));
        const K = project(flat(k), 'key', this.keyDim);
        const V = project(flat(v), 'value', vd);
        let scores = tf.matMul(Q, K, false, true); // (n, h, Lq, Lk)
        const [n, , lq, lk] = scores.shape as number[];
        if (this.useCausalMask) {
          const keep = tf.linalg.bandPart(tf.ones([lq, lk]), -1, 0).cast('bool');
          scores = tf.where(keep, scores, tf.fill(scores.shape, -1e9));
        }
        let weights = tf.softmax(scores, -1);
        if (kwargs?.training === true && this.dropout > 0) weights = tf.dropout(weights, this.dropout);
        const mixed = tf.matMul(weights, V).transpose([0, 2, 1, 3]).reshape([n * lq, h * vd]); // (n * Lq, h * v)
        const dOut = this.outputShape_ ?? q.shape[rank]!;
        let out = tf.matMul(mixed, this.w['attention_output/kernel'].read().reshape([h * vd, dOut]));
        if (this.useBias) out = out.add(this.w['attention_output/bias'].read());
        // Back to (batch, other..., attention..., d_out), then to the query's axis order.
        const permuted = perm.map((a) => (a === rank ? dOut : q.shape[a]!));
        const back = out.reshape([-1, ...permuted.slice(1)]);
        const inverse = perm.map((_, i) => perm.indexOf(i));
        return tf.transpose(back, inverse);
      });
    }

    override getConfig(): tfType.serialization.ConfigDict {
      return {
        ...super.getConfig(),
        numHeads: this.numHeads, keyDim: this.keyDim, valueDim: this.valueDim, dropout: this.dropout, useBias: this.useBias,
        outputShape: this.outputShape_, attentionAxes: this.attentionAxes, useCausalMask: this.useCausalMask,
      };
    }
  }

  class PositionEmbedding extends Layer {
    static className = names.position;
    readonly sequenceLength: number;
    private table: tfType.LayerVariable | null = null;

    constructor(args: Kwargs) {
      super(args as never);
      this.sequenceLength = Number(args.sequenceLength);
    }

    override build(inputShape: tfType.Shape | tfType.Shape[]): void {
      const [x] = dims(inputShape);
      this.table = this.addWeight('embeddings', [this.sequenceLength, x[x.length - 1]!], 'float32', tf.initializers.glorotUniform({}));
      this.built = true;
    }

    override computeOutputShape(inputShape: tfType.Shape | tfType.Shape[]): tfType.Shape {
      return dims(inputShape)[0];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        const [, l, d] = x.shape as number[];
        return tf.zerosLike(x).add(this.table!.read().slice([0, 0], [l, d]));
      });
    }

    override getConfig(): tfType.serialization.ConfigDict {
      return { ...super.getConfig(), sequenceLength: this.sequenceLength };
    }
  }

  class ClassToken extends Layer {
    static className = names.classToken;
    private cls: tfType.LayerVariable | null = null;

    override build(inputShape: tfType.Shape | tfType.Shape[]): void {
      const [x] = dims(inputShape);
      this.cls = this.addWeight('cls', [x[x.length - 1]!], 'float32', tf.initializers.zeros());
      this.built = true;
    }

    override computeOutputShape(inputShape: tfType.Shape | tfType.Shape[]): tfType.Shape {
      const [x] = dims(inputShape);
      return [x[0], x[1] === null ? null : x[1] + 1, x[2]];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        const d = x.shape[2]!;
        const token = tf.zerosLike(x.slice([0, 0, 0], [-1, 1, -1])).add(this.cls!.read().reshape([1, 1, d]));
        return tf.concat([token, x], 1);
      });
    }
  }

  class Cropping1D extends Layer {
    static className = names.cropping1d;
    readonly cropping: [number, number];

    constructor(args: Kwargs) {
      super(args as never);
      const c = args.cropping as number | number[];
      this.cropping = Array.isArray(c) ? [Number(c[0]), Number(c[1])] : [Number(c), Number(c)];
    }

    override computeOutputShape(inputShape: tfType.Shape | tfType.Shape[]): tfType.Shape {
      const [x] = dims(inputShape);
      return [x[0], x[1] === null ? null : x[1] - this.cropping[0] - this.cropping[1], ...x.slice(2)];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        return x.slice([0, this.cropping[0], 0], [-1, x.shape[1]! - this.cropping[0] - this.cropping[1], -1]);
      });
    }

    override getConfig(): tfType.serialization.ConfigDict {
      return { ...super.getConfig(), cropping: this.cropping };
    }
  }

  const classes = [MultiHeadAttention, PositionEmbedding, ClassToken, Cropping1D];
  for (const c of classes) tf.serialization.registerClass(c as never);
  return new Map(classes.map((c) => [c.className, c as unknown as new (args: Kwargs) => tfType.layers.Layer]));
}

/** Registers the classes with this tf namespace (idempotent); `tf.loadLayersModel` of a model.json naming them needs it. */
export function registerCustomLayers(tf: Tf): ReadonlyMap<string, new (args: Kwargs) => tfType.layers.Layer> {
  let m = made.get(tf);
  if (!m) made.set(tf, (m = defineOwnLayers(tf, NAMES)));
  return m;
}

/** The JavaScript that defines and registers the classes, for the JavaScript export: `const OWN_LAYERS = (...)(tf, names);`. */
export function ownLayersSource(): string {
  return `(${defineOwnLayers.toString()})(tf, ${JSON.stringify(NAMES)})`;
}

/** A layer of one of `CUSTOM_KINDS` from its `tf.layers`-style arguments. */
export function buildCustomLayer(tf: Tf, className: string, args: Kwargs): tfType.layers.Layer {
  const C = registerCustomLayers(tf).get(className);
  if (!C) throw new Error(`netloom has no TF.js layer class '${className}'`);
  return new C(args);
}
