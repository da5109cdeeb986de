/**
 * A numeric time series as the data side of netloom sees it: rows in
 * chronological order, one number per named column. Row-major because
 * windows are runs of consecutive rows (`split_sequence` slices rows).
 */
export interface Series {
  /** Where it came from, for run records and error messages (`seattle-weather`, `upload.csv`). */
  name: string;
  /** Column names, in the order of each row's values. */
  columns: string[];
  /** values[row][column]; every row has `columns.length` finite numbers. */
  rows: number[][];
  /** The order/date column's text per row (for split ranges and plots), when there is one. */
  order?: string[];
  /** The order column's name. */
  orderColumn?: string;
}

/**
 * Images with integer labels, pixels in [0, 1], row-major `height × width × channels`
 * per image (the layout `tf.tensor4d(pixels, [n, h, w, c])` expects).
 */
export interface ImageSet {
  name: string;
  count: number;
  height: number;
  width: number;
  channels: number;
  classes: number;
  pixels: Float32Array;
  labels: Int32Array;
}

/** An error in data or settings that names where (row, column, field) and how to fix it. */
export class DataError extends Error {
  constructor(
    message: string,
    readonly where: { row?: number; column?: string; field?: string } = {},
  ) {
    super(message);
    this.name = 'DataError';
  }
}
