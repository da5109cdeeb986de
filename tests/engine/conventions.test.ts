/**
 * Counting conventions: FLOPs as 2 × MACs, and the PyTorch view, checked
 * against published torchvision totals and PyTorch's documented weight shapes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, flopsOf, GraphBuilder, parseGraphText, pytorchCounts, pytorchTotal, summaryJson, type Analysis } from '../../src/engine/index.ts';

const example = (name: string): Analysis => {
  const r = parseGraphText(readFileSync(new URL(`../../examples/${name}.json`, import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(name);
  return analyze(r.graph);
};

describe('the PyTorch view', () => {
  it('ResNet-50: Keras trainable minus the convolution biases torchvision leaves out is torchvision\'s 25,557,032', () => {
    const a = example('resnet50');
    // BatchNorm statistics are buffers in PyTorch: the PyTorch view of Keras's ResNet-50 is its trainable count.
    expect(pytorchTotal(a)).toBe(a.totals.trainable);
    const convBiases = a.nodes.filter((r) => r.kind === 'Conv2D').flatMap((r) => r.weights).filter((w) => w.name === 'bias').reduce((n, w) => n + w.count, 0);
    expect(a.totals.trainable - convBiases).toBe(25_557_032); // torchvision.models.resnet50, published
    expect(convBiases).toBe(26_560); // shared/reference/README.md
  });

  it('DenseNet-121: its convolutions have no biases, so the PyTorch view is torchvision\'s 7,978,856', () => {
    expect(pytorchTotal(example('densenet121'))).toBe(7_978_856); // torchvision.models.densenet121, published
  });

  it('LSTM, GRU and SimpleRNN count PyTorch\'s two bias vectors, from torch.nn\'s documented weight shapes', () => {
    const b = new GraphBuilder('rnn');
    const x = b.add('Input', { shape: [20, 64] }, [], 'x');
    b.add('LSTM', { units: 128, returnSequences: true }, [x], 'lstm');
    b.add('GRU', { units: 32, returnSequences: true }, [x], 'gru');
    b.add('GRU', { units: 32, resetAfter: true }, [x], 'gru_tf2');
    b.add('SimpleRNN', { units: 16 }, [x], 'rnn');
    b.add('Bidirectional', { layer: 'LSTM', units: 8 }, [x], 'bi');
    const a = analyze(b.build());
    const torch = pytorchCounts(a);
    // torch.nn.LSTM(64, 128): weight_ih_l0 (4·128, 64), weight_hh_l0 (4·128, 128), bias_ih_l0 (4·128), bias_hh_l0 (4·128).
    const lstm = 4 * 128 * 64 + 4 * 128 * 128 + 2 * 4 * 128;
    expect(torch.get('lstm')).toEqual({ count: lstm, formula: `4·(128·(64+128) + 2·128) = ${lstm.toLocaleString('en-US')}`, why: expect.stringMatching(/bias_ih and bias_hh/) });
    expect(torch.get('gru')!.count).toBe(3 * 32 * 64 + 3 * 32 * 32 + 2 * 3 * 32);
    // A GRU with resetAfter true already has PyTorch's two bias rows.
    expect(torch.has('gru_tf2')).toBe(false);
    expect(torch.get('rnn')!.count).toBe(16 * 64 + 16 * 16 + 2 * 16);
    expect(torch.get('bi')!.count).toBe(2 * (4 * 8 * 64 + 4 * 8 * 8 + 2 * 4 * 8));
  });

  it('BatchNormalization counts gamma and beta only; the summary JSON shows it where it differs', () => {
    const b = new GraphBuilder('bn');
    const x = b.add('Input', { shape: [8, 8, 16] }, [], 'x');
    const c = b.add('Conv2D', { filters: 4 }, [x], 'conv');
    b.add('BatchNormalization', {}, [c], 'bn');
    const s = summaryJson(analyze(b.build()));
    const bn = s.layers.find((l) => l.name === 'bn')!;
    expect(bn.pytorchParams).toBe(bn.trainableParams);
    expect(bn.pytorchWhy).toMatch(/buffers/);
    expect(s.layers.find((l) => l.name === 'conv')!.pytorchParams).toBeUndefined();
    expect(s.totals.pytorchParams).toBe(s.totals.trainable);
  });
});

describe('FLOPs', () => {
  it('are 2 × multiply-adds, per layer and in total', () => {
    const s = summaryJson(example('lenet5'));
    expect(s.totals.flops).toBe(2 * s.totals.macs!);
    for (const l of s.layers) expect(l.flops).toBe(flopsOf(l.macs));
    expect(s.totals.macs).toBeGreaterThan(0);
  });
});
