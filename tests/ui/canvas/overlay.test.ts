import { expect, test } from 'vitest';
import { analyze, bytesText, GraphBuilder } from '../../../src/engine/index.ts';
import { boxTint, colourAt, legendStops, overlayStore, scaleOf, summedValues } from '../../../src/ui/canvas/overlay.ts';

test('linear and log positions on the scale', () => {
  expect(scaleOf(500, 1000, false)).toBe(0.5);
  // Six decades below the max: 1,000 of 1,000,000 is three decades down, half way.
  expect(scaleOf(1_000, 1_000_000, true)).toBe(0.5);
  expect(scaleOf(1, 1_000_000, true)).toBe(0);
  expect(scaleOf(0.5, 1_000_000, true)).toBe(0);
  expect(scaleOf(0, 1_000_000, false)).toBe(0);
});

test('colours run from the light end to the dark end; a zero value has none', () => {
  expect(colourAt(0)).toBe('#ffffcc');
  expect(colourAt(0.5)).toBe('#fed976');
  expect(colourAt(1)).toBe('#fd8d3c');
  // Half way between #ffffcc and #ffeda0 (an eighth of the way): 0xff, (0xff+0xed)/2 = 0xf6, (0xcc+0xa0)/2 = 0xb6.
  expect(colourAt(0.125)).toBe('#fff6b6');
  expect(colourAt(0.7, 0)).toBeNull();
});

test('legend stops name the scale ends', () => {
  expect(legendStops('params', 2_000_000, true).map((s) => s.text)).toEqual(['2', '2,000', '2,000,000']);
  expect(legendStops('params', 2_000_000, false).map((s) => s.text)).toEqual(['0', '1,000,000', '2,000,000']);
  expect(legendStops('share', 0.5, false).map((s) => s.text)[2]).toBe('50.0%');
  expect(legendStops('params', 0, false)).toEqual([]);
});

test('a collapsed group is tinted by the sum of its layers, on the same scale as the layers', () => {
  const b = new GraphBuilder('g');
  const x = b.add('Input', { shape: [8] }, [], 'x');
  const d1 = b.add('Dense', { units: 4 }, [x], 'd1');
  const d2 = b.add('Dense', { units: 2 }, [d1], 'd2');
  b.add('Dense', { units: 1 }, [d2], 'head');
  const a = analyze(b.build());
  const sums = summedValues(['d1', 'd2'].map((id) => a.byId.get(id)), a.totals.params);
  // d1: 8·4 + 4 = 36, d2: 4·2 + 2 = 10; head 2·1 + 1 = 3 of 49 in all.
  expect(sums.params).toBe(a.byId.get('d1')!.paramCount + a.byId.get('d2')!.paramCount);
  expect(sums.share).toBeCloseTo(sums.params / a.totals.params, 12);
  expect(sums.macs).toBe((a.byId.get('d1')!.macs ?? 0) + (a.byId.get('d2')!.macs ?? 0));
  const state = { ...overlayStore.getState(), metric: 'params' as const, log: false, max: sums.params };
  // The group is the largest box on the canvas: the dark end; without an overlay, no tint.
  expect(boxTint(state, sums)).toBe(colourAt(1));
  expect(boxTint({ ...state, metric: 'none' }, sums)).toBeNull();
  expect(boxTint(state, summedValues([], a.totals.params))).toBeNull();
});

test('the memory legend writes whole bytes at its low end', () => {
  // 1,161,600 bytes (conv1 of AlexNet, 55·55·96·4): six decades down is 1.1616 bytes, written as 1 B.
  const stops = legendStops('memory', 1_161_600, true).map((s) => s.text);
  expect(stops[0]).toBe(bytesText(1));
  expect(stops[2]).toBe(bytesText(1_161_600));
});
