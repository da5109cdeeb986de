/**
 * Memory to train: each figure recomputed here from the analysis's own
 * counts by the documented rule (src/engine/memory.ts), not pasted from the
 * engine; monotonic in the batch; the largest batch at its exact edge;
 * option errors that name the field and the fix; graphs with blocks and with
 * several inputs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, fmt, GraphBuilder, parseGraphText, type Analysis, type Graph, type NodeResult } from '../../src/engine/index.ts';
import {
  ACTIVATION_BYTES, GB, largestBatch, MAX_BATCH, MEMORY_PRESETS_GB, MemoryOptionError, memoryArithmetic, memoryOptionProblems,
  OPTIMIZER_SLOTS, OPTIMIZERS, trainingMemory, UPDATE_WORKSPACE, type MemoryOptions,
} from '../../src/engine/memory.ts';

const adam: MemoryOptions = { batch: 32, optimizer: 'adam', dtype: 'fp32' };
const size = (r: NodeResult) => r.activations!;
const inSize = (r: NodeResult, i = 0) => r.inputShapes[i].slice(1).reduce<number>((p, d) => p * (d as number), 1);
const node = (a: Analysis, id: string) => a.byId.get(id)!;

/** Input(8×8×3) → Conv2D(relu) → BN → MaxPool → Flatten → Dropout → Dense(tanh) → Dense(softmax). */
function cnn(): Graph {
  const b = new GraphBuilder('cnn');
  const x = b.add('Input', { shape: [8, 8, 3] }, [], 'x');
  b.chain(x, [
    ['Conv2D', { filters: 4, kernelSize: [3, 3], padding: 'same', activation: 'relu' }, 'conv'],
    ['BatchNormalization', {}, 'bn'],
    ['MaxPooling2D', { poolSize: [2, 2] }, 'pool'],
    ['Flatten', {}, 'flat'],
    ['Dropout', { rate: 0.5 }, 'drop'],
    ['Dense', { units: 16, activation: 'tanh' }, 'hidden'],
    ['Dense', { units: 10, activation: 'softmax' }, 'out'],
  ]);
  return b.build();
}

/** Window(12 steps × 3) → GRU(8) → Dense(1). */
function gru(): Graph {
  const b = new GraphBuilder('gru');
  const w = b.add('Window', { nSteps: 12, features: 3 }, [], 'w');
  b.chain(w, [['GRU', { units: 8, resetAfter: false }, 'gru'], ['Dense', { units: 1 }, 'y']]);
  return b.build();
}

/** Two inputs: an image through a conv and a vector, concatenated into one Dense. */
function twoInputs(): Graph {
  const b = new GraphBuilder('two');
  const img = b.add('Input', { shape: [6, 6, 2] }, [], 'img');
  const vec = b.add('Input', { shape: [5] }, [], 'vec');
  const c = b.add('Conv2D', { filters: 3, kernelSize: [3, 3], activation: 'linear' }, [img], 'conv');
  const f = b.add('Flatten', {}, [c], 'flat');
  const m = b.add('Concatenate', {}, [f, vec], 'cat');
  b.add('Dense', { units: 2, activation: 'linear' }, [m], 'out');
  return b.build();
}

/** A small residual network: one block (conv → BN → relu → conv, added to its input) used twice. */
function residual(): Graph {
  const b = new GraphBuilder('res');
  b.defineBlock('res', { params: { filters: 4 } }, (bb, { x }) => {
    let y = bb.add('Conv2D', { filters: { $: 'filters' }, kernelSize: [3, 3], padding: 'same' }, [x], 'a_conv');
    y = bb.add('BatchNormalization', {}, [y], 'a_bn');
    y = bb.add('Activation', { activation: 'relu' }, [y], 'a_relu');
    y = bb.add('Conv2D', { filters: { $: 'filters' }, kernelSize: [3, 3], padding: 'same' }, [y], 'b_conv');
    return bb.add('Add', {}, [x, y], 'add');
  });
  const x = b.add('Input', { shape: [8, 8, 4] }, [], 'input');
  const s = b.use('res', { filters: 4 }, [x], 'stage', { repeat: 2 });
  b.chain(s, [['GlobalAveragePooling2D', {}, 'gap'], ['Dense', { units: 3 }, 'out']]);
  return b.build();
}

const example = (name: string): Analysis => {
  const r = parseGraphText(readFileSync(`examples/${name}.json`, 'utf8'));
  if (!r.ok) throw new Error(`examples/${name}.json did not load`);
  return analyze(r.graph);
};

describe('the arithmetic, from the analysis by the documented rule', () => {
  it('params, grads and optimizer come from the weight counts; non-trainable weights have no grads or slots', () => {
    const a = analyze(cnn());
    expect(a.problems).toEqual([]);
    for (const optimizer of OPTIMIZERS) {
      const m = trainingMemory(a, { ...adam, optimizer });
      const trainable = a.nodes.reduce((s, r) => s + r.trainable, 0);
      expect(m.total.params).toBe(a.totals.params * 4);
      expect(m.total.grads).toBe(trainable * 4);
      expect(m.total.optimizer).toBe(OPTIMIZER_SLOTS[optimizer] * trainable * 4);
      for (const k of ['params', 'grads', 'optimizer', 'activations'] as const) {
        expect(m.layers.reduce((s, l) => s + l[k], 0)).toBe(m.total[k]);
      }
    }
    const bn = trainingMemory(a, adam).layers.find((l) => l.id === 'bn')!;
    const r = node(a, 'bn');
    expect(r.nonTrainable).toBeGreaterThan(0);
    expect(bn.params).toBe(r.paramCount * 4);
    expect(bn.grads).toBe(r.trainable * 4);
    expect(bn.optimizer).toBe(2 * r.trainable * 4);
    expect(OPTIMIZER_SLOTS).toEqual({ sgd: 0, momentum: 1, adam: 2, adamw: 2, rmsprop: 1 });
  });

  it('each layer keeps the tensors its rule names, × batch × 4 B', () => {
    const a = analyze(cnn());
    const B = 32;
    const m = trainingMemory(a, adam);
    const kept = (id: string) => m.layers.find((l) => l.id === id)!.activations;
    const o = (id: string) => size(node(a, id));
    expect(kept('x')).toBe(B * o('x') * 4); // the batch itself
    expect(kept('conv')).toBe(B * 3 * o('conv') * 4); // product, pre-activation (relu reads it), output
    expect(kept('bn')).toBe(B * 3 * o('bn') * 4);
    expect(kept('pool')).toBe(B * o('pool') * 4);
    expect(kept('flat')).toBe(0); // a view of its input
    expect(kept('drop')).toBe(B * 4 * o('drop') * 4); // noise, mask, scaled output
    expect(kept('hidden')).toBe(B * 2 * o('hidden') * 4); // fused product + bias, tanh output
    expect(kept('out')).toBe(B * 2 * o('out') * 4);
    expect(m.total.activations).toBe(m.layers.reduce((s, l) => s + l.activations, 0));
  });

  it('a GRU keeps every step: steps × (20·units + 2·features) + units per sample, and a kernel copy per step', () => {
    const a = analyze(gru());
    const m = trainingMemory(a, adam);
    const [T, f, u] = [12, 3, 8];
    expect(m.layers.find((l) => l.id === 'gru')!.activations).toBe((32 * (T * (20 * u + 2 * f) + u) + T * 3 * u * u) * 4);
  });

  it('peak = max(backward, update) with the documented gradients and workspace', () => {
    // Input(20) → Dense(16, relu) → Dense(4, softmax): every term written out.
    const b = new GraphBuilder('mlp');
    const x = b.add('Input', { shape: [20] }, [], 'x');
    b.chain(x, [['Dense', { units: 16, activation: 'relu' }, 'd1'], ['Dense', { units: 4, activation: 'softmax' }, 'd2']]);
    const a = analyze(b.build());
    const [X, H, Y] = [20, 16, 4];
    for (const optimizer of OPTIMIZERS) {
      for (const batch of [1, 7, 256]) {
        const m = trainingMemory(a, { batch, optimizer, dtype: 'fp32' });
        const P = a.totals.params * 4;
        const T = a.totals.trainable;
        const fixed = P + T * 4 + OPTIMIZER_SLOTS[optimizer] * T * 4;
        const kept = batch * (X + 3 * H + 2 * Y) * 4;
        // d1 is fed by the model input: no input gradient, relu's 1; d2: its input's gradient H, softmax's 2.
        const grads = batch * (1 * H + (H + 2 * Y)) * 4;
        const ws = UPDATE_WORKSPACE[optimizer];
        // Weight tensors in model order: d1's kernel and bias, d2's; the worst moment of the update.
        const tensors = [X * H, H, H * Y, Y];
        const workspace = Math.max(...tensors.map((n, k) => ws.current * n + ws.earlier * tensors.slice(0, k).reduce((s, v) => s + v, 0))) * 4;
        const backward = fixed + kept + grads;
        const update = fixed + batch * X * 4 + workspace;
        expect(m.total.activations).toBe(kept);
        expect(m.total.peak).toBe(Math.max(backward, update));
        expect(m.phase).toBe(backward >= update ? 'backward' : 'update');
        // Inference: the input stays (the caller holds it), d1's output is read by d2, d2's is the result.
        expect(m.total.inference).toBe(P + batch * (X + H + Y) * 4);
      }
    }
  });

  it('fp16 and bf16 halve the activations, add a 2 B weight copy, and keep fp32 master weights', () => {
    const a = analyze(cnn());
    const full = trainingMemory(a, adam);
    for (const dtype of ['fp16', 'bf16'] as const) {
      const half = trainingMemory(a, { ...adam, dtype });
      expect(ACTIVATION_BYTES[dtype]).toBe(2);
      expect(half.total.params).toBe(full.total.params);
      expect(half.total.grads).toBe(full.total.grads);
      expect(half.total.optimizer).toBe(full.total.optimizer);
      expect(half.total.activations).toBe(full.total.activations / 2 + a.totals.trainable * 2);
      expect(half.total.peak).toBeLessThan(full.total.peak);
    }
  });

  it('writes the arithmetic behind each total', () => {
    const a = example('lenet5');
    const m = trainingMemory(a, adam);
    const t = memoryArithmetic(m);
    const P = a.totals.params;
    expect(t.params).toBe(`params ${fmt(P)} × 4 B = ${fmt(P * 4)} B`);
    expect(t.grads).toBe(`grads ${fmt(a.totals.trainable)} trainable × 4 B = ${fmt(a.totals.trainable * 4)} B`);
    expect(t.optimizer).toBe(`optimizer 2 slots (adam) × ${fmt(a.totals.trainable)} × 4 B = ${fmt(a.totals.trainable * 8)} B`);
    for (const k of Object.keys(m.total) as (keyof typeof m.total)[]) expect(t[k].endsWith(`= ${fmt(m.total[k])} B`)).toBe(true);
    // The products written in the activation text give its total.
    const [, batch, perSample] = /activations (\d+) × ([\d,]+) kept × 4 B/.exec(t.activations)!;
    expect(Number(batch) * Number(perSample.replace(/,/g, '')) * 4).toBe(m.total.activations);
    // Each phase's terms add up to the phase.
    const num = (s: string) => Number(s.replace(/,/g, ''));
    const back = /backward ([\d,]+) \+ ([\d,]+) \+ ([\d,]+) \+ ([\d,]+) \+ (\d+) × ([\d,]+) × 4 B gradients = ([\d,]+)/.exec(t.peak)!;
    expect(num(back[1]) + num(back[2]) + num(back[3]) + num(back[4]) + num(back[5]) * num(back[6]) * 4).toBe(num(back[7]));
    const up = /update ([\d,]+) \+ ([\d,]+) \+ ([\d,]+) \+ ([\d,]+) inputs \+ \(12 × ([\d,]+) \+ 11 × ([\d,]+)\) × 4 B = ([\d,]+)/.exec(t.peak)!;
    expect(num(up[1]) + num(up[2]) + num(up[3]) + num(up[4]) + (12 * num(up[5]) + 11 * num(up[6])) * 4).toBe(num(up[7]));
    expect(Math.max(num(back[7]), num(up[7]))).toBe(m.total.peak);
  });
});

describe('batch', () => {
  it('every figure is monotonic in the batch and the activations are affine in it', () => {
    for (const g of [cnn(), gru(), twoInputs(), residual()]) {
      const a = analyze(g);
      for (const optimizer of OPTIMIZERS) {
        let prev = trainingMemory(a, { batch: 1, optimizer, dtype: 'fp32' }).total;
        const a0 = 2 * prev.activations - trainingMemory(a, { batch: 2, optimizer, dtype: 'fp32' }).total.activations;
        for (let batch = 2; batch <= 64; batch++) {
          const t = trainingMemory(a, { batch, optimizer, dtype: 'fp32' }).total;
          for (const k of ['activations', 'peak', 'inference'] as const) expect(t[k]).toBeGreaterThanOrEqual(prev[k]);
          expect(t.params).toBe(prev.params);
          expect((t.activations - a0) % batch).toBe(0);
          prev = t;
        }
      }
    }
  });

  it('largestBatch is the largest b with peak(b) ≤ budget < peak(b + 1), 0 when batch 1 does not fit', () => {
    for (const g of [cnn(), gru(), twoInputs(), residual()]) {
      const a = analyze(g);
      for (const optimizer of OPTIMIZERS) {
        const o = { optimizer, dtype: 'fp32' as const };
        const peak = (batch: number) => trainingMemory(a, { ...o, batch }).total.peak;
        const one = peak(1);
        expect(largestBatch(a, o, one - 1)).toBe(0);
        expect(largestBatch(a, o, one)).toBe(1);
        for (const budget of [one * 1.5, one * 10, one * 1000 + 17, 2 ** 24]) {
          const b = largestBatch(a, o, budget);
          if (b === 0) {
            expect(one).toBeGreaterThan(budget);
            continue;
          }
          expect(peak(b)).toBeLessThanOrEqual(budget);
          expect(peak(b + 1)).toBeGreaterThan(budget);
        }
      }
    }
  });

  it('the presets are 8, 16, 24 and 80 GB, and ResNet-50 fits more in more memory and in fp16', () => {
    expect(MEMORY_PRESETS_GB).toEqual([8, 16, 24, 80]);
    expect(GB).toBe(1024 ** 3);
    const a = example('resnet50');
    let prev = 0;
    for (const gb of MEMORY_PRESETS_GB) {
      const b = largestBatch(a, { optimizer: 'adam', dtype: 'fp32' }, gb * GB);
      expect(b).toBeGreaterThan(prev);
      expect(trainingMemory(a, { ...adam, batch: b }).total.peak).toBeLessThanOrEqual(gb * GB);
      expect(trainingMemory(a, { ...adam, batch: b + 1 }).total.peak).toBeGreaterThan(gb * GB);
      expect(largestBatch(a, { optimizer: 'adam', dtype: 'fp16' }, gb * GB)).toBeGreaterThan(b);
      prev = b;
    }
    expect(MAX_BATCH).toBe(2 ** 31 - 1);
  });
});

describe('options', () => {
  it('names the field and the fix', () => {
    expect(memoryOptionProblems(adam)).toEqual([]);
    const bad = (o: Record<string, unknown>) => {
      try {
        trainingMemory(analyze(cnn()), { ...adam, ...o } as MemoryOptions);
      } catch (e) {
        expect(e).toBeInstanceOf(MemoryOptionError);
        return e as MemoryOptionError;
      }
      throw new Error('no error');
    };
    for (const batch of [0, -1, 1.5, Number.NaN, '32', undefined]) {
      const e = bad({ batch });
      expect(e.field).toBe('batch');
      expect(e.message).toBe(`batch must be a positive whole number of samples (got ${String(batch)}); use e.g. 32`);
    }
    expect(bad({ optimizer: 'adagrad' }).message).toBe('optimizer "adagrad" is not known; choose sgd, momentum, adam, adamw or rmsprop');
    expect(bad({ dtype: 'int8' }).message).toBe('dtype "int8" is not known; choose fp32, fp16 or bf16');
    const both = bad({ batch: 0, dtype: 'fp64' });
    expect(both.problems.map((p) => p.field)).toEqual(['batch', 'dtype']);
    expect(() => largestBatch(analyze(cnn()), { optimizer: 'adam', dtype: 'fp32' }, -1)).toThrow(
      `budget must be a positive number of bytes (got -1); use e.g. 16 GB = ${fmt(16 * GB)} B`,
    );
    expect(() => largestBatch(analyze(cnn()), { optimizer: 'nadam' as never, dtype: 'fp32' }, GB)).toThrow(MemoryOptionError);
  });
});

describe('graphs', () => {
  it('blocks: one row per expanded layer, one per use, the same totals as the flat graph', () => {
    const a = analyze(residual());
    expect(a.problems).toEqual([]);
    const m = trainingMemory(a, adam);
    expect(m.layers.map((l) => l.id)).toEqual(a.nodes.map((r) => r.id));
    expect(m.layers.some((l) => l.id === 'stage/2/b_conv')).toBe(true);
    const use = a.blocks.find((u) => u.id === 'stage')!;
    const row = m.blocks.find((b) => b.id === 'stage')!;
    const members = m.layers.filter((l) => use.members.includes(l.id));
    for (const k of ['params', 'grads', 'optimizer', 'activations'] as const) expect(row[k]).toBe(members.reduce((s, l) => s + l[k], 0));
    expect(row.params).toBe(use.paramCount * 4);
    const flat = trainingMemory(analyze(a.expanded!), adam);
    expect(flat.total).toEqual(m.total);
  });

  it('several inputs: each batch is held, kept and in the update; no gradient for an input, but from a fused product', () => {
    const a = analyze(twoInputs());
    expect(a.problems).toEqual([]);
    const B = 8;
    const m = trainingMemory(a, { ...adam, batch: B, optimizer: 'sgd' });
    const img = size(node(a, 'img'));
    const vec = size(node(a, 'vec'));
    const conv = size(node(a, 'conv'));
    const cat = size(node(a, 'cat'));
    const out = size(node(a, 'out'));
    expect(m.total.activations).toBe(B * (img + vec + conv + cat + out) * 4);
    // conv is a fused linear product: TF.js returns its input's gradient even for a model input;
    // cat: the gradient of its on-path input (the flattened conv) only, not of `vec`; out: its input's.
    expect(m.detail.gradPerSample).toBe(img + inSize(node(a, 'cat'), 0) + cat);
    expect(m.detail.inputs).toBe(B * (img + vec) * 4);
    // Inference: both inputs held; at cat the conv's output (read through the Flatten view) and cat's are live.
    expect(m.total.inference).toBe(a.totals.params * 4 + B * Math.max(img + vec + conv, img + vec + conv + cat, img + vec + cat + out) * 4);
  });

  it('leaves out layers in error and those blocked behind them, and says which', () => {
    const e = new GraphBuilder('err');
    const i = e.add('Input', { shape: [4] }, [], 'x');
    const c = e.add('Conv2D', { filters: 2 }, [i], 'conv');
    e.add('Dense', { units: 2 }, [c], 'out');
    const a = analyze(e.build());
    const m = trainingMemory(a, adam);
    expect(m.incomplete).toEqual(['conv', 'out']);
    expect(m.layers.map((l) => l.id)).toEqual(['x']);
    expect(m.total.params).toBe(0);
  });
});
