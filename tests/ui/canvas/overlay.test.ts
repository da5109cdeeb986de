import { expect, test } from 'vitest';
import { colourAt, legendStops, scaleOf } from '../../../src/ui/canvas/overlay.ts';

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
