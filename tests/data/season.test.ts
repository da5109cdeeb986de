/** Day-of-year columns from a series' dates: the season a short window cannot see by itself. */
import { describe, expect, it } from 'vitest';
import { dayOfYear, loadSeriesDataset, SEASON_COLUMNS, withSeasonColumns, type Series } from '../../src/data/index.ts';
import { nodeSource } from '../../src/data/source-node.ts';

describe('dayOfYear', () => {
  it('counts from 0 on 1 January, in the year\'s own length', () => {
    expect(dayOfYear('2015-01-01')).toEqual({ day: 0, days: 365 });
    expect(dayOfYear('2015-12-31')).toEqual({ day: 364, days: 365 });
    expect(dayOfYear('2012-12-31')).toEqual({ day: 365, days: 366 }); // leap year
    expect(dayOfYear('2012-03-01')).toEqual({ day: 60, days: 366 });
    expect(dayOfYear('2013-03-01')).toEqual({ day: 59, days: 365 });
  });
  it('reads dates with a time and other forms Date.parse knows; plain numbers and text are not dates', () => {
    expect(dayOfYear('2010-02-01 13:00')).toEqual({ day: 31, days: 365 });
    expect(dayOfYear('Feb 1 2010')?.day).toBe(31);
    expect(dayOfYear('17')).toBeNull();
    expect(dayOfYear('soon')).toBeNull();
    expect(dayOfYear('')).toBeNull();
  });
});

describe('withSeasonColumns', () => {
  const series = (order: string[]): Series => ({ name: 's', columns: ['t'], rows: order.map((_, i) => [i]), order, orderColumn: 'date' });

  it('appends sin and cos of the year\'s angle: 1 January at (0, 1), 1 July near (0, −1), the year closes on itself', () => {
    const s = withSeasonColumns(series(['2015-01-01', '2015-04-02', '2015-07-02', '2015-12-31']));
    expect(s.columns).toEqual(['t', ...SEASON_COLUMNS]);
    expect(s.name).toBe('s + season');
    const [jan, apr, jul, dec] = s.rows;
    expect(jan).toEqual([0, 0, 1]);
    expect(apr[1]).toBeCloseTo(1, 3); // day 91 of 365: a quarter turn
    expect(jul[2]).toBeCloseTo(-1, 3); // day 182: half a turn
    expect(Math.hypot(dec[1] - jan[1], dec[2] - jan[2])).toBeLessThan(0.02); // one day apart on the circle
    for (const r of s.rows) expect(r[1] ** 2 + r[2] ** 2).toBeCloseTo(1, 12);
  });

  it('on seattle-weather: 1,461 rows, six columns, the original values untouched', async () => {
    const raw = await loadSeriesDataset(nodeSource(), 'seattle-weather');
    const s = withSeasonColumns(raw);
    expect(s.columns).toEqual(['precipitation', 'temp_max', 'temp_min', 'wind', 'day_sin', 'day_cos']);
    expect(s.rows).toHaveLength(1461);
    expect(s.rows.map((r) => r.slice(0, 4))).toEqual(raw.rows);
    expect(s.order).toBe(raw.order);
  });

  it('refuses a series without dates, with a non-date row, or that already has the columns', () => {
    expect(() => withSeasonColumns({ name: 'walk', columns: ['v'], rows: [[1]] })).toThrow(/^season: walk has no date column/);
    expect(() => withSeasonColumns({ ...series(['2015-01-01', '2015-01-02']), order: ['0', '1'] })).toThrow(/"0" \(row 1 in order\) is not a date/);
    expect(() => withSeasonColumns({ ...series(['2015-01-01']), columns: ['day_sin'] })).toThrow(/already has a column "day_sin"/);
  });
});
