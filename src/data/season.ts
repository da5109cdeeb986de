/**
 * Derived columns from a series' dates: the day of the year as a point on
 * the unit circle, `day_sin = sin(2π·d/N)` and `day_cos = cos(2π·d/N)` with
 * d the day of the year counted from 0 and N the days in that year. A window
 * of a few weeks cannot tell spring from autumn (both see the same
 * temperatures, one going up, one going down); the two columns tell it the
 * season, and 31 December sits next to 1 January instead of 364 days away.
 */
import { DataError, type Series } from './types.ts';

export const SEASON_COLUMNS = ['day_sin', 'day_cos'] as const;

const DAY_MS = 86_400_000;

/** Day of the year counted from 0 and the days in that year, of an ISO date (`2015-06-01…`) or anything else `Date.parse` reads. */
export function dayOfYear(text: string): { day: number; days: number } | null {
  const cell = text.trim();
  if (cell === '' || Number.isFinite(Number(cell))) return null; // a plain number is a position, not a date
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(cell);
  let t: number;
  if (iso) t = Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]));
  else {
    const local = new Date(Date.parse(cell)); // other forms parse in local time: keep the calendar day the text names
    t = Date.UTC(local.getFullYear(), local.getMonth(), local.getDate());
  }
  if (!Number.isFinite(t)) return null;
  const year = new Date(t).getUTCFullYear();
  const start = Date.UTC(year, 0, 1);
  return { day: Math.floor((t - start) / DAY_MS), days: Math.round((Date.UTC(year + 1, 0, 1) - start) / DAY_MS) };
}

/**
 * The series with `day_sin` and `day_cos` appended to every row. The order
 * column must hold dates; the error names the first row that does not.
 */
export function withSeasonColumns(series: Series): Series {
  if (!series.order) {
    throw new DataError(`season: ${series.name} has no date column; the day of the year needs one (choose the date column as the order column)`, { field: 'season' });
  }
  for (const c of SEASON_COLUMNS) {
    if (series.columns.includes(c)) throw new DataError(`season: ${series.name} already has a column "${c}"; rename it or leave the season columns off`, { field: 'season', column: c });
  }
  const rows = series.rows.map((r, i) => {
    const d = dayOfYear(series.order![i]);
    if (!d) {
      throw new DataError(`season: ${series.orderColumn ?? 'the order column'} "${series.order![i]}" (row ${i + 1} in order) is not a date; the season columns need dates`, { field: 'season', column: series.orderColumn });
    }
    const a = (2 * Math.PI * d.day) / d.days;
    return [...r, Math.sin(a), Math.cos(a)];
  });
  return { ...series, name: `${series.name} + season`, columns: [...series.columns, ...SEASON_COLUMNS], rows };
}
