import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { analyze, parseGraphText } from '../../../src/engine/index.ts';
import { barLength, CHART_BARS, chartBars, stageOf } from '../../../src/ui/panels/ParamChart.tsx';

const example = (name: string) => {
  const r = parseGraphText(readFileSync(`examples/${name}.json`, 'utf8'));
  if (!r.ok) throw new Error(`${name} does not load`);
  return analyze(r.graph);
};

test('a stage is the name up to its first numbered segment, when a word follows', () => {
  expect(stageOf('conv4_block2_1_conv')).toBe('conv4');
  expect(stageOf('conv1_bn')).toBe('conv1');
  expect(stageOf('block_16_expand_BN')).toBe('block_16');
  expect(stageOf('conv2d_5')).toBeNull();
  expect(stageOf('batch_normalization_3')).toBeNull();
  expect(stageOf('dense')).toBeNull();
  expect(stageOf('fc6')).toBeNull();
});

test('ResNet-50 is drawn by stage: six bars that add up to the Keras total', () => {
  const { bars, grouped } = chartBars(example('resnet50'));
  expect(grouped).toBe(true);
  expect(bars.map((b) => b.name)).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'predictions']);
  const of = (n: string) => bars.find((b) => b.name === n)!.paramCount;
  // 7·7·3·64 + 64 = 9,472 and BatchNormalization 4·64 = 256.
  expect(of('conv1')).toBe(9_472 + 256);
  // conv4: the projection block 131,328 + 1,024 + 590,080 + 1,024 + 263,168 + 4,096 + 525,312 + 4,096 = 1,520,128,
  // then five identity blocks of 262,400 + 1,024 + 590,080 + 1,024 + 263,168 + 4,096 = 1,121,792 each.
  expect(of('conv4')).toBe(1_520_128 + 5 * 1_121_792);
  expect(of('predictions')).toBe(2048 * 1000 + 1000);
  expect(bars.reduce((s, b) => s + b.paramCount, 0)).toBe(25_636_712);
});

test('a small network keeps a bar per layer; per layer a deep one is cut to the largest plus the rest', () => {
  const alex = chartBars(example('alexnet'));
  expect(alex.grouped).toBe(false);
  expect(alex.bars.map((b) => b.name)).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7', 'fc8']);
  const perLayer = chartBars(example('resnet50'), 'layer');
  expect(perLayer.bars).toHaveLength(CHART_BARS);
  // ResNet-50 has 107 layers with parameters: 19 drawn, 88 in the last bar.
  expect(perLayer.bars[CHART_BARS - 1].name).toBe('88 other layers');
  expect(perLayer.bars.reduce((s, b) => s + b.paramCount, 0)).toBe(25_636_712);
});

test('the log scale shows a thousand as half of a million', () => {
  expect(barLength(1_000_000, 1_000_000, 100, true)).toBe(100);
  expect(barLength(1_000, 1_000_000, 100, true)).toBeCloseTo((100 * Math.log10(1001)) / Math.log10(1_000_001), 6);
  expect(barLength(1_000, 1_000_000, 100, true)).toBeCloseTo(50, 0);
  expect(barLength(1_000, 1_000_000, 100, false)).toBe(1);
});
