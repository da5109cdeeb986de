/**
 * Pure view-model of the Data & train panel: which graph node the data feeds,
 * how a window preview reads, the numbers of the progress line, the settings
 * form and the chart geometry. No React, no TF.js: unit-tested in Node.
 */
import type { Series } from '../../data/types.ts';
import type { BatchProgress, LossName, OptimizerName, TrainSettings } from '../../train/types.ts';
import type { Graph, GraphNode } from '../../engine/types.ts';
import { fmt, percentText } from '../../engine/format.ts';
import { KIND } from '../../engine/layers/index.ts';
import type { RunRecord } from '../../train/run.ts';

/** The graph's Window node and its settings, or why there is none to bind. */
export type WindowBinding =
  | { ok: true; node: GraphNode; nSteps: number; horizon: number; stride: number; features: number }
  | { ok: false; message: string };

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

export function findWindow(graph: Graph): WindowBinding {
  const windows = graph.nodes.filter((n) => n.kind === KIND.Window);
  if (!windows.length) {
    return { ok: false, message: `This network has no ${KIND.Window} node. Drag "${KIND.Window}" from the palette (Inputs & data) onto the canvas and connect it to the first layer (e.g. a ${KIND.GRU}); its nSteps, horizon and features decide how the series is cut.` };
  }
  if (windows.length > 1) {
    return { ok: false, message: `This network has ${windows.length} ${KIND.Window} nodes (${windows.map((n) => n.name).join(', ')}); training on a series takes one: delete the others.` };
  }
  const node = windows[0];
  const p = node.params;
  return { ok: true, node, nSteps: num(p.nSteps, 3), horizon: num(p.horizon, 1), stride: num(p.stride, 1), features: num(p.features, 1) };
}

/** The graph's image Input for MNIST (28×28×1), or why it cannot take the digits. */
export type ImageBinding =
  | { ok: true; node: GraphNode; shape: number[]; matches: boolean }
  | { ok: false; message: string };

export function findImageInput(graph: Graph, want: readonly number[] = [28, 28, 1]): ImageBinding {
  const inputs = graph.nodes.filter((n) => n.kind === KIND.Input);
  if (!inputs.length) {
    return { ok: false, message: `This network has no ${KIND.Input} node. Drag "${KIND.Input}" from the palette (Inputs & data), set its shape to [${want.join(', ')}] and connect it to the first layer.` };
  }
  if (inputs.length > 1) return { ok: false, message: `This network has ${inputs.length} ${KIND.Input} nodes; training on images takes one: delete the others.` };
  const node = inputs[0];
  const shape = Array.isArray(node.params.shape) ? (node.params.shape as number[]) : [];
  return { ok: true, node, shape, matches: shape.length === want.length && shape.every((v, i) => v === want[i]) };
}

/**
 * Default feature columns for a Window of `count` features: the target alone
 * when the Window takes one column (the notes' univariate forecast), else the
 * target first, then the other columns in file order.
 */
export function defaultFeatures(columns: readonly string[], target: string, count: number): string[] {
  const ordered = columns.includes(target) ? [target, ...columns.filter((c) => c !== target)] : [...columns];
  return ordered.slice(0, Math.max(1, count));
}

/** Rows, columns and the order column's first and last value, for the data line. */
export function describeSeries(s: Series): { rows: number; columns: number; from?: string; to?: string; orderColumn?: string } {
  return { rows: s.rows.length, columns: s.columns.length, from: s.order?.[0], to: s.order?.at(-1), orderColumn: s.orderColumn };
}

/** A number as numpy prints it in split_sequence output: short, no trailing zeros. */
export function shortNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const t = Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(2);
  return t.replace(/\.?0+$/, '');
}

/**
 * One window as split_sequence prints it: `[10 20 30] 40` for one feature,
 * `[[10 15] [20 25] [30 35]] [40]` for several; y in brackets when it has several targets.
 */
export function windowLine(x: readonly (readonly number[])[], y: readonly number[]): string {
  const X = x[0]?.length === 1 ? `[${x.map((r) => shortNumber(r[0])).join(' ')}]` : `[${x.map((r) => `[${r.map(shortNumber).join(' ')}]`).join(' ')}]`;
  const Y = y.length === 1 ? shortNumber(y[0]) : `[${y.map(shortNumber).join(' ')}]`;
  return `${X} ${Y}`;
}

/** `1 min 05 s`, `12 s`, `0.4 s`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** The progress line under the bar: epoch, batch, loss, speed and time left. */
export function progressLine(p: BatchProgress): string {
  return `epoch ${p.epoch}/${p.epochs} · batch ${p.batch}/${p.batches} · loss ${p.loss.toPrecision(4)} · ${fmt(p.samplesPerSecond)} samples/s · ETA ${duration(p.etaMs)}`;
}

/** The settings form as the user typed it. Empty optional fields mean "off". */
export interface SettingsForm {
  optimizer: string;
  learningRate: string;
  loss: string;
  epochs: string;
  batchSize: string;
  clipnorm: string;
  clipvalue: string;
  patience: string;
  seed: string;
}

export const SERIES_FORM: SettingsForm = { optimizer: 'adam', learningRate: '0.001', loss: 'mse', epochs: '10', batchSize: '32', clipnorm: '', clipvalue: '', patience: '3', seed: '1' };
export const IMAGE_FORM: SettingsForm = { ...SERIES_FORM, loss: 'sparseCategoricalCrossentropy', epochs: '5', batchSize: '64' };

/** Form → settings, or the first field that does not parse with its fix (the train loop checks the ranges again). */
export function readSettings(f: SettingsForm, kind: 'series' | 'images'): { ok: true; settings: TrainSettings } | { ok: false; field: string; message: string } {
  const bad = (field: string, message: string) => ({ ok: false as const, field, message: `${field}: ${message}` });
  const number = (field: keyof SettingsForm, whole: boolean, optional: boolean): number | undefined | { error: string } => {
    const t = f[field].trim();
    if (t === '') return optional ? undefined : { error: 'is empty; enter a number' };
    const v = Number(t);
    if (!Number.isFinite(v) || v <= 0 || (whole && !Number.isInteger(v))) return { error: `"${t}" is not a ${whole ? 'whole number ≥ 1' : 'number > 0'}${optional ? '; or leave it empty' : ''}` };
    return v;
  };
  const fields: [keyof SettingsForm, boolean, boolean][] = [
    ['learningRate', false, false], ['epochs', true, false], ['batchSize', true, false],
    ['clipnorm', false, true], ['clipvalue', false, true], ['patience', true, true],
  ];
  const v: Partial<Record<keyof SettingsForm, number | undefined>> = {};
  for (const [field, whole, optional] of fields) {
    const r = number(field, whole, optional);
    if (typeof r === 'object') return bad(field, r.error);
    v[field] = r;
  }
  const seedText = f.seed.trim();
  const seed = seedText === '' ? undefined : Number(seedText);
  if (seed != null && !Number.isInteger(seed)) return bad('seed', `"${seedText}" is not a whole number; or leave it empty for a different start each run`);
  if (!['adam', 'sgd', 'rmsprop'].includes(f.optimizer)) return bad('optimizer', `"${f.optimizer}" is not known; choose adam, sgd or rmsprop`);
  const losses = kind === 'series' ? ['mse', 'mae'] : ['sparseCategoricalCrossentropy', 'categoricalCrossentropy'];
  if (!losses.includes(f.loss)) return bad('loss', `"${f.loss}" does not fit ${kind === 'series' ? 'a forecast' : 'a classifier'}; choose ${losses.join(' or ')}`);
  const settings: TrainSettings = {
    optimizer: f.optimizer as OptimizerName, learningRate: v.learningRate!, loss: f.loss as LossName,
    metrics: kind === 'series' ? ['mae'] : ['accuracy'], epochs: v.epochs!, batchSize: v.batchSize!,
    restoreBestWeights: true, shuffle: true,
  };
  if (v.clipnorm != null) settings.clipnorm = v.clipnorm;
  if (v.clipvalue != null) settings.clipvalue = v.clipvalue;
  if (v.patience != null) settings.earlyStopping = { patience: v.patience };
  if (seed != null) settings.seed = seed;
  return { ok: true, settings };
}

/** A point of a curve: x in epochs (fractional during an epoch), y a loss. */
export interface CurvePoint {
  x: number;
  y: number;
}

export interface ChartGeometry {
  /** SVG `points` attribute per curve, in the same order as given. */
  lines: string[];
  xMax: number;
  yMin: number;
  yMax: number;
}

/**
 * Scales curves into a `width × height` box (inner, after `pad` on every side):
 * x from 0 to the largest x (at least 1), y from the smallest to the largest finite y.
 */
export function chartGeometry(curves: readonly (readonly CurvePoint[])[], width: number, height: number, pad = 4): ChartGeometry {
  const all = curves.flat().filter((p) => Number.isFinite(p.y) && Number.isFinite(p.x));
  const xMax = Math.max(1, ...all.map((p) => p.x));
  let yMin = all.length ? Math.min(...all.map((p) => p.y)) : 0;
  let yMax = all.length ? Math.max(...all.map((p) => p.y)) : 1;
  if (yMax - yMin < 1e-12) {
    yMin -= 0.5;
    yMax += 0.5;
  }
  const sx = (x: number) => pad + (x / xMax) * (width - 2 * pad);
  const sy = (y: number) => height - pad - ((y - yMin) / (yMax - yMin)) * (height - 2 * pad);
  const lines = curves.map((c) => c.filter((p) => Number.isFinite(p.y) && Number.isFinite(p.x)).map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' '));
  return { lines, xMax, yMin, yMax };
}

/** At most `max` evenly spaced indices of `n` (the plot of predictions stays light). */
export function sampleIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}

/** The verdict beside the MAE: does the network beat "tomorrow = today"? */
export function verdict(mae: number, naive: number): string {
  if (!Number.isFinite(mae) || !Number.isFinite(naive)) return '';
  const share = naive > 0 ? Math.abs((naive - mae) / naive) : 0;
  return `${mae < naive ? 'beats' : 'worse than'} the naive forecast by ${percentText(share)}`;
}

/** Rows of each chronological part as `prepareSeries` cuts them; parts with no share and no rows are left out. */
export function partRows(rows: number, split: { train: number; val: number }): { part: 'train' | 'val' | 'test'; rows: number }[] {
  const a = Math.round(rows * split.train);
  const b = Math.round(rows * (split.train + split.val));
  const parts = [
    { part: 'train' as const, rows: a, share: split.train },
    { part: 'val' as const, rows: b - a, share: split.val },
    { part: 'test' as const, rows: rows - b, share: 1 - split.train - split.val },
  ];
  return parts.filter((p) => p.share > 1e-9 || p.rows > 0).map(({ part, rows: r }) => ({ part, rows: r }));
}

/** Whether the graph's Window fits the data, and the settings "Adapt the Window to this data" would give it. */
export interface WindowFit {
  featuresFit: boolean;
  /** Every part of the split holds at least one window. */
  nStepsFit: boolean;
  /** The part with the fewest rows, which limits nSteps. */
  shortest: { part: 'train' | 'val' | 'test'; rows: number };
  /** Features = the chosen columns; nSteps kept when it fits, else the dataset's suggestion or a quarter of the shortest part. */
  adapted: { features: number; nSteps: number };
  /** False when even nSteps 1 leaves a part without a window (the horizon is too long for it). */
  possible: boolean;
}

const windows = (rows: number, nSteps: number, horizon: number) => Math.max(0, rows - nSteps - horizon + 1);

/**
 * Checks a Window against `rows` rows cut by `split` and `featureCount`
 * chosen columns. A replacement nSteps keeps at least three quarters of the
 * shortest part's rows as samples, so validation and test still measure
 * something; `suggested` (the dataset's own window, e.g. 14 days) wins when it fits.
 */
export function windowFit(w: { nSteps: number; horizon: number; features: number }, rows: number, featureCount: number, split: { train: number; val: number }, suggested?: number): WindowFit | null {
  if (![split.train, split.val].every(Number.isFinite) || !(split.train > 0)) return null;
  const parts = partRows(rows, split).filter((p) => p.rows > 0);
  if (!parts.length) return null;
  const shortest = parts.reduce((s, p) => (p.rows < s.rows ? p : s));
  const nStepsFit = windows(shortest.rows, w.nSteps, w.horizon) >= 1;
  let nSteps = w.nSteps;
  if (!nStepsFit) {
    nSteps = suggested != null && windows(shortest.rows, suggested, w.horizon) >= 1 ? suggested : Math.max(1, Math.floor((shortest.rows - w.horizon + 1) / 4));
  }
  return {
    featuresFit: featureCount === w.features, nStepsFit, shortest,
    adapted: { features: Math.max(1, featureCount), nSteps }, possible: windows(shortest.rows, nSteps, w.horizon) >= 1,
  };
}

/** The graph with its Window node's params patched: one new graph, so the editor records one undo step. */
export function withWindowParams(graph: Graph, nodeId: string, params: Record<string, number>): Graph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...n.params, ...params } } : n)) };
}

/** Settings as the form shows them (the ladder fills the form with its own, so one Train repeats a rung). */
export function settingsForm(s: TrainSettings): SettingsForm {
  return {
    optimizer: s.optimizer, learningRate: String(s.learningRate), loss: s.loss, epochs: String(s.epochs), batchSize: String(s.batchSize),
    clipnorm: s.clipnorm == null ? '' : String(s.clipnorm), clipvalue: s.clipvalue == null ? '' : String(s.clipvalue),
    patience: s.earlyStopping ? String(s.earlyStopping.patience) : '', seed: s.seed == null ? '' : String(s.seed),
  };
}

/** One bar group of the ladder chart. */
export interface LadderBar {
  runId: string;
  label: string;
  val: number;
  test: number | null;
  naive: boolean;
}

/** The rungs of the latest ladder in the run list, in ladder order: what the ladder chart draws. */
export function ladderBars(runs: readonly RunRecord[]): LadderBar[] {
  const last = [...runs].reverse().find((r) => r.ladder)?.ladder?.id;
  if (!last) return [];
  return runs.filter((r) => r.ladder?.id === last && r.final.valMae != null).map((r) => ({
    runId: r.id, label: r.label, val: r.final.valMae!, test: r.final.testMae ?? null, naive: r.ladder!.rung === 'naive',
  }));
}

/** One line of the run list, ready to show. */
export interface RunRow {
  id: string;
  label: string;
  params: string;
  /** `8`, `8 (early)` for early stopping, `3 (aborted)`. */
  epochs: string;
  bestValLoss: string;
  val: { mae: number; naive: number } | null;
  test: { mae: number; naive: number } | null;
  accuracy: string;
  backend: string;
  /** The naive forecast's own row (a ladder's first rung): the bar the others are measured against. */
  reference: boolean;
}

/**
 * The run list as the panel shows it: MAE and the naive forecast in one
 * cell each for validation and test, so the table fits beside the canvas;
 * columns no run fills (accuracy for forecasts) and a backend every run
 * shares are left out.
 */
export function runRows(runs: readonly RunRecord[]): { rows: RunRow[]; show: { bestValLoss: boolean; val: boolean; test: boolean; accuracy: boolean; backend: boolean }; backends: string[] } {
  const pair = (mae?: number, naive?: number) => (mae == null || naive == null || Number.isNaN(mae) ? null : { mae, naive });
  const rows = runs.map((r): RunRow => ({
    id: r.id, label: r.label, params: fmt(r.model.params),
    epochs: `${r.epochsRun}${r.stopped === 'completed' ? '' : r.stopped === 'early-stopping' ? ' (early)' : ` (${r.stopped})`}`,
    bestValLoss: r.history.valLoss.length ? Math.min(...r.history.valLoss).toFixed(4) : '',
    val: pair(r.final.valMae, r.final.valNaiveMae), test: pair(r.final.testMae, r.final.testNaiveMae),
    accuracy: r.final.accuracy == null ? '' : percentText(r.final.accuracy),
    backend: r.backend, reference: r.ladder?.rung === 'naive',
  }));
  const backends = [...new Set(rows.filter((r) => !r.reference).map((r) => r.backend))];
  return {
    rows, backends,
    show: {
      bestValLoss: rows.some((r) => r.bestValLoss !== ''), val: rows.some((r) => r.val), test: rows.some((r) => r.test),
      accuracy: rows.some((r) => r.accuracy !== ''), backend: backends.length > 1,
    },
  };
}
