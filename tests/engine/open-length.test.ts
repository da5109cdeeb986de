/**
 * Open sequence lengths: an Input of shape [null, 5] is Keras's (None, 5).
 * Shapes show None, parameter counts do not depend on the length (each
 * figure below is Keras 3's on keras.Input((None, 5)), and hand arithmetic),
 * and multiply-adds and activation sizes that scale with it are unknown
 * (null, "depends on the sequence length"), never a wrong 0 or NaN.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { toTfModel } from '../../src/compile/to-tf.ts';
import { analyze, checkParam, dimsText, GraphBuilder, graphJsonSchema, paramSchemaOf, summaryJson, summaryText } from '../../src/engine/index.ts';
import { toTfjsCode } from '../../src/interop/export-js.ts';
import { toKerasPython } from '../../src/interop/export-python.ts';

tf.setBackend('cpu');

function open() {
  const b = new GraphBuilder('open');
  const x = b.add('Input', { shape: [null, 5] }, [], 'x');
  const layers: [string, Record<string, unknown>, string][] = [
    ['Dense', { units: 8 }, 'dense'],
    ['LSTM', { units: 8 }, 'lstm'],
    ['GRU', { units: 8, resetAfter: true }, 'gru'],
    ['SimpleRNN', { units: 8 }, 'rnn'],
    ['Conv1D', { filters: 4, kernelSize: 3 }, 'conv'],
    ['LayerNormalization', {}, 'ln'],
    ['GlobalAveragePooling1D', {}, 'gap'],
  ];
  for (const [kind, p, name] of layers) b.add(kind, p, [x], name);
  const ids = b.add('Input', { shape: [null] }, [], 'ids');
  b.add('Embedding', { inputDim: 100, outputDim: 8 }, [ids], 'emb');
  return b.build();
}

describe('an Input with an open length (Keras None)', () => {
  const a = analyze(open());
  const at = (name: string) => a.nodes.find((r) => r.name === name)!;

  it('has no problems, and its shapes and counts are Keras 3\'s', () => {
    expect(a.problems).toEqual([]);
    const want: Record<string, [(number | null)[], number]> = {
      x: [[null, null, 5], 0],
      dense: [[null, null, 8], 5 * 8 + 8],
      lstm: [[null, 8], 4 * (8 * (5 + 8) + 8)],
      gru: [[null, 8], 3 * (8 * (5 + 8) + 2 * 8)],
      rnn: [[null, 8], 8 * (5 + 8) + 8],
      conv: [[null, null, 4], 3 * 5 * 4 + 4],
      ln: [[null, null, 5], 2 * 5],
      gap: [[null, 5], 0],
      emb: [[null, null, 8], 100 * 8],
    };
    for (const [name, [shape, count]] of Object.entries(want)) {
      expect(at(name).outputShape, name).toEqual(shape);
      expect(at(name).paramCount, name).toBe(count);
    }
  });

  it('multiply-adds and activations that scale with the length are unknown (null), never 0 or NaN', () => {
    for (const name of ['dense', 'lstm', 'gru', 'rnn', 'conv']) expect(at(name).macs, name).toBeNull();
    expect(at('x').activations).toBeNull();
    expect(at('lstm').activations).toBe(8); // (None, 8): known
    expect(at('gap').activations).toBe(5);
    expect(a.totals.macs).toBeNull();
    expect(a.totals.activations).toBeNull();
    expect(a.totals.activationBytes).toBeNull();
    expect(a.totals.params).toBe(48 + 448 + 360 + 112 + 64 + 10 + 800);
  });

  it('the summary says None and "depends on the sequence length"', () => {
    const text = summaryText(a);
    expect(text).toMatch(/x \(Input\)\s+\(None, None, 5\)/);
    expect(text).toMatch(/Multiply-adds per sample: depends on the sequence length/);
    expect(text).toMatch(/Activations per sample: depends on the sequence length/);
    expect(text).not.toMatch(/NaN|\?/);
    const j = summaryJson(a);
    expect(j.totals.macs).toBeNull();
    expect(j.totals.flops).toBeNull();
    expect(j.layers.find((l) => l.name === 'dense')!.macs).toBeNull();
    expect(dimsText([null, null, 5])).toBe('None×5');
  });

  it('the parameter schema and the graph file schema accept null dims', () => {
    const shape = paramSchemaOf('Input')!.shape;
    expect(checkParam(shape, [null, 5])).toBeNull();
    expect(checkParam(paramSchemaOf('Reshape')!.targetShape, [null, 5])).not.toBeNull();
    expect(JSON.stringify(graphJsonSchema())).toMatch(/"anyOf":\[\{"type":"integer"[^\]]*\},\{"type":"null"\}\]/);
  });

  it('exports as keras.Input(shape=(None, 5)) and tf.input({shape: [null, 5]}), and TF.js builds it', () => {
    const g = open();
    // TF.js's GRU has no resetAfter: its bias is 3·units.
    g.nodes.find((n) => n.name === 'gru')!.params.resetAfter = false;
    expect(toKerasPython(g)).toMatch(/keras\.Input\(shape=\(None, 5\), name="x"\)/);
    expect(toTfjsCode(g)).toMatch(/tf\.input\(\{shape: \[null, 5\], name: "x"\}\)/);
    const model = toTfModel(tf, g, analyze(g));
    try {
      expect(model.getLayer('lstm').outputShape).toEqual([null, 8]);
      expect(model.getLayer('dense').outputShape).toEqual([null, null, 8]);
      expect(model.countParams()).toBe(48 + 448 + 3 * (8 * (5 + 8) + 8) + 112 + 64 + 10 + 800);
    } finally {
      model.dispose();
    }
  });
});
