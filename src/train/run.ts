/**
 * A run record: everything needed to list a run beside its variants (GRU,
 * GRU + dropout, stacked, bidirectional) and compare them: what was trained
 * on what with which settings, the curves, and the final numbers. Plain JSON,
 * so the editor can store and save runs.
 */
import type { SplitRange } from '../data/window.ts';
import type { ClassEvaluation, SeriesEvaluation } from './evaluate.ts';
import type { History, StopReason, TrainResult, TrainSettings } from './types.ts';

export interface RunData {
  /** Dataset id or file name. */
  dataset: string;
  /** Window settings for series. */
  window?: { nSteps: number; horizon: number; stride: number; features: string[]; targets: string[] };
  ranges?: SplitRange[];
  trainSamples: number;
  valSamples: number;
}

export interface RunFinal {
  /** Series: MAE in the data's units and the naive forecast's, per part. */
  valMae?: number;
  valNaiveMae?: number;
  testMae?: number;
  testNaiveMae?: number;
  /** Classifiers. */
  accuracy?: number;
  confusion?: number[][];
}

export interface RunRecord {
  id: string;
  /** What the user calls it ("GRU + dropout"). */
  label: string;
  model: { name: string; params: number };
  data: RunData;
  settings: TrainSettings;
  startedAt: string;
  seconds: number;
  backend: string;
  history: History;
  epochsRun: number;
  bestEpoch: number;
  stopped: StopReason;
  final: RunFinal;
  /** Set on the rungs of one temperature ladder: which ladder run and which rung. */
  ladder?: { id: string; rung: string };
}

export interface RunParts {
  id: string;
  label: string;
  model: { name: string; params: number };
  data: RunData;
  settings: TrainSettings;
  startedAt: Date;
  backend: string;
  result: TrainResult;
  val?: SeriesEvaluation | ClassEvaluation;
  test?: SeriesEvaluation | ClassEvaluation;
}

const isSeries = (e: SeriesEvaluation | ClassEvaluation | undefined): e is SeriesEvaluation => !!e && 'naiveMae' in e;

/** Builds the record from a run's pieces (copies, so later edits of the settings cannot change it). */
export function makeRunRecord(p: RunParts): RunRecord {
  const final: RunFinal = {};
  if (isSeries(p.val)) Object.assign(final, { valMae: p.val.mae, valNaiveMae: p.val.naiveMae });
  if (isSeries(p.test)) Object.assign(final, { testMae: p.test.mae, testNaiveMae: p.test.naiveMae });
  const cls = [p.test, p.val].find((e): e is ClassEvaluation => !!e && 'accuracy' in e);
  if (cls) Object.assign(final, { accuracy: cls.accuracy, confusion: cls.confusion });
  return structuredClone({
    id: p.id, label: p.label, model: p.model, data: p.data, settings: p.settings, startedAt: p.startedAt.toISOString(),
    seconds: p.result.seconds, backend: p.backend, history: p.result.history, epochsRun: p.result.epochsRun,
    bestEpoch: p.result.bestEpoch, stopped: p.result.stopped, final,
  } as RunRecord);
}

/** Rows for a side-by-side table of runs: label, params, epochs, best val loss, val/test MAE vs naive, accuracy. */
export function compareRuns(runs: RunRecord[]): string[][] {
  const f = (v: number | undefined, d = 3) => (v == null || Number.isNaN(v) ? '' : v.toFixed(d));
  return [
    ['run', 'params', 'epochs', 'best val loss', 'val MAE', 'naive', 'test MAE', 'naive', 'accuracy'],
    ...runs.map((r) => [
      r.label, r.model.params.toLocaleString('en-US'), `${r.epochsRun}${r.stopped === 'completed' ? '' : ` (${r.stopped})`}`,
      f(r.history.valLoss.length ? Math.min(...r.history.valLoss) : undefined, 4),
      f(r.final.valMae), f(r.final.valNaiveMae), f(r.final.testMae), f(r.final.testNaiveMae),
      r.final.accuracy == null ? '' : `${(r.final.accuracy * 100).toFixed(1)}%`,
    ]),
  ];
}
