/**
 * The temperature ladder of the notes (Deep Learning with Python's Jena
 * experiments): the naive forecast, a densely connected baseline, a GRU, the
 * GRU with dropout, stacked GRUs and a bidirectional GRU, trained one after
 * the other on the same windows with the same seed, so their MAEs line up in
 * one table.
 *
 * The gallery's Jena graphs take 240 hourly rows of 14 measurements; netloom
 * ships no Jena file, so the ladder adapts them to a real series that ships
 * with an npm package: Seattle's daily weather (vega-datasets, 1,461 days).
 * The setup is chosen so the lesson is real there:
 *
 * - target temp_max 3 days ahead: one day ahead, "tomorrow = today" is
 *   nearly unbeatable on daily weather (a GRU lands within a few percent of
 *   it, either side), three days ahead the weather has moved and the past
 *   weeks tell more than today;
 * - the 4 weather columns plus day-of-year sin/cos (`withSeasonColumns`), so
 *   a window knows whether the temperature is heading up or down the year;
 * - 14-day windows, the 70 / 15 / 15 chronological split, statistics of the
 *   training rows, MAE loss, Adam, early stopping on validation MAE;
 * - the gallery's layer widths halved (GRU(16), stacked 16 → 32) so the six
 *   rungs train in under a minute on a CPU; the shapes are the notes';
 * - recurrent dropout at most 0.2 (see `maxRecurrentDropout`).
 */
import type * as tfType from '@tensorflow/tfjs';
import { loadSeriesDataset } from '../data/datasets.ts';
import { withSeasonColumns } from '../data/season.ts';
import type { DatasetSource } from '../data/source.ts';
import type { Series } from '../data/types.ts';
import { prepareSeries, type PreparedSeries } from '../data/window.ts';
import { KIND } from '../engine/layers/index.ts';
import type { Graph } from '../engine/types.ts';
import { seriesErrors, type SeriesEvaluation } from './evaluate.ts';
import { runSeriesExperiment } from './experiment.ts';
import { makeRunRecord, type RunRecord } from './run.ts';
import { TrainError, type TrainHooks } from './train.ts';
import type { TrainSettings } from './types.ts';

type Tf = typeof tfType;

export type RungId = 'naive' | 'dense' | 'gru' | 'gru-dropout' | 'stacked-gru' | 'bidirectional-gru';

export interface LadderRung {
  id: RungId;
  label: string;
  /** The gallery example (examples/<key>.json) the rung adapts; none for the naive forecast. */
  example: string | null;
  /** What the rung teaches, one line. */
  lesson: string;
}

export const LADDER_RUNGS: readonly LadderRung[] = [
  { id: 'naive', label: 'naive forecast', example: null, lesson: 'the value at the window\'s last day: the common-sense bar every model must clear' },
  { id: 'dense', label: 'Dense baseline', example: 'jena-dense-baseline', lesson: 'Flatten throws the order of time away' },
  { id: 'gru', label: 'GRU', example: 'jena-gru', lesson: 'reads the days in order' },
  { id: 'gru-dropout', label: 'GRU + dropout', example: 'jena-gru-dropout', lesson: 'dropout 0.2 on the inputs and the recurrent state fights overfitting' },
  { id: 'stacked-gru', label: 'stacked GRU', example: 'jena-stacked-gru', lesson: 'a second GRU adds capacity' },
  { id: 'bidirectional-gru', label: 'bidirectional GRU', example: 'jena-bidirectional-gru', lesson: 'a second GRU reads the window backwards' },
];

export interface LadderRecipe {
  /** Built-in series dataset and whether the day-of-year columns are added. */
  dataset: string;
  season: boolean;
  features: string[];
  target: string;
  window: { nSteps: number; horizon: number; stride: number };
  split: { train: number; val: number };
  /** Layer widths of the gallery graphs are multiplied by this (the output layer keeps its width). */
  widthScale: number;
  /**
   * Recurrent dropout above this is lowered to it. TF.js masks the carried
   * state itself, not only its product with the recurrent kernel as Keras 2
   * does (Keras 3 had the same flaw until keras-team/keras#20656), so the
   * stacked rung's 0.5 erases half the memory at every step and the GRU
   * stops learning; 0.2, the dropout rung's rate, still trains.
   */
  maxRecurrentDropout: number;
  settings: TrainSettings;
}

export const TEMPERATURE_LADDER: LadderRecipe = {
  dataset: 'seattle-weather',
  season: true,
  features: ['precipitation', 'temp_max', 'temp_min', 'wind', 'day_sin', 'day_cos'],
  target: 'temp_max',
  window: { nSteps: 14, horizon: 3, stride: 1 },
  split: { train: 0.7, val: 0.15 },
  widthScale: 0.5,
  maxRecurrentDropout: 0.2,
  settings: {
    optimizer: 'adam', learningRate: 0.003, loss: 'mae', metrics: [], epochs: 20, batchSize: 64,
    earlyStopping: { patience: 3 }, restoreBestWeights: true, shuffle: true, seed: 1,
  },
};

/** The recipe's series: the dataset, with `day_sin` / `day_cos` when the recipe asks for them. */
export async function loadLadderSeries(source: DatasetSource, recipe: LadderRecipe = TEMPERATURE_LADDER): Promise<Series> {
  const series = await loadSeriesDataset(source, recipe.dataset);
  return recipe.season ? withSeasonColumns(series) : series;
}

/**
 * A gallery graph made to fit the recipe: its Window takes the recipe's
 * window and feature count, and every layer that feeds another has its width
 * (units, filters) scaled; the output layer keeps its one unit.
 */
export function adaptRungGraph(graph: Graph, rung: LadderRung, recipe: LadderRecipe = TEMPERATURE_LADDER): Graph {
  const windows = graph.nodes.filter((n) => n.kind === KIND.Window);
  if (windows.length !== 1) throw new TrainError(rung.example ?? rung.id, `the ladder needs a graph with one Window node, ${rung.example} has ${windows.length}`);
  const feeds = new Set(graph.edges.map((e) => e.source));
  const scale = (v: unknown) => (typeof v === 'number' ? Math.max(1, Math.round(v * recipe.widthScale)) : v);
  const lowered = new Set<number>();
  const nodes = graph.nodes.map((n) => {
    if (n.kind === KIND.Window) return { ...n, params: { ...n.params, ...recipe.window, features: recipe.features.length } };
    const p = { ...n.params };
    if (typeof p.recurrentDropout === 'number' && p.recurrentDropout > recipe.maxRecurrentDropout) {
      lowered.add(p.recurrentDropout);
      p.recurrentDropout = recipe.maxRecurrentDropout;
    }
    // A width is a layer's units or filters; the output layer (feeding nothing) keeps its own.
    if (feeds.has(n.id)) {
      if ('units' in p) p.units = scale(p.units);
      if ('filters' in p) p.filters = scale(p.filters);
    }
    return JSON.stringify(p) === JSON.stringify(n.params) ? n : { ...n, params: p };
  });
  const { nSteps, horizon } = recipe.window;
  const widths = recipe.widthScale === 1 ? '' : ` Layer widths ×${recipe.widthScale} for a quick run on any machine.`;
  const dropout = lowered.size
    ? ` Recurrent dropout ${[...lowered].join(', ')} → ${recipe.maxRecurrentDropout}: TF.js drops the carried state itself, and at ${[...lowered].join(', ')} the GRU stops learning.`
    : '';
  return {
    ...graph,
    name: `ladder-${rung.id}`,
    title: rung.label,
    description:
      `${rung.label} of the temperature ladder, adapted from examples/${rung.example}.json: ${rung.lesson}. ` +
      `Window ${nSteps} days × ${recipe.features.length} columns (${recipe.features.join(', ')}) → ${recipe.target} ${horizon} day${horizon === 1 ? '' : 's'} later.${widths}${dropout}`,
    nodes,
  };
}

/** One rung's outcome: its run record (the naive forecast's has no model and no epochs) and its errors in °C. */
export interface RungResult {
  rung: LadderRung;
  graph: Graph | null;
  record: RunRecord;
  val: SeriesEvaluation;
  test: SeriesEvaluation | null;
}

export interface LadderProgress {
  rung: LadderRung;
  /** 0-based position among the rungs being run. */
  index: number;
  count: number;
}

export interface LadderHooks extends TrainHooks {
  onRung?: (p: LadderProgress) => void;
  onResult?: (r: RungResult) => void;
}

export interface LadderRun {
  series: Series;
  /** Gallery graphs by example key (jena-gru, …). */
  gallery: Readonly<Record<string, Graph>>;
  recipe?: LadderRecipe;
  /** Overrides the recipe's epochs (a quick look: 2). */
  epochs?: number;
  /** Which rungs, in ladder order (default all). */
  rungs?: readonly RungId[];
  /** Groups the records: every rung's record gets `ladder: { id, rung }`. */
  id?: string;
}

let ladderSeq = 0;

/**
 * The naive forecast as a run record: the target's value at each window's
 * last row, scored like a model (its MAE is the naive MAE).
 */
export function naiveRung(data: PreparedSeries, seriesName: string, settings: TrainSettings, id: string): { record: RunRecord; val: SeriesEvaluation; test: SeriesEvaluation | null } {
  const val = seriesErrors(data.val.naive, data.val, data.stats, data.targetColumns, data.targets);
  const test = data.test.count ? seriesErrors(data.test.naive, data.test, data.stats, data.targetColumns, data.targets) : null;
  const h = data.horizon;
  const record = makeRunRecord({
    id, label: `naive: in ${h} day${h === 1 ? '' : 's'} = today`, model: { name: 'naive', params: 0 },
    data: {
      dataset: seriesName, window: { nSteps: data.nSteps, horizon: h, stride: data.stride, features: data.features, targets: data.targets },
      ranges: data.ranges, trainSamples: data.train.count, valSamples: data.val.count,
    },
    settings: { ...settings, epochs: 0 }, startedAt: new Date(), backend: 'none',
    result: { history: { loss: [], valLoss: [], metrics: {}, valMetrics: {} }, epochsRun: 0, bestEpoch: 0, bestLoss: NaN, monitor: 'val_loss', stopped: 'completed', seconds: 0, samplesPerSecond: 0 },
    val, test: test ?? undefined,
  });
  return { record, val, test };
}

/**
 * Trains the rungs one after the other (each model is disposed when scored).
 * A stop (`hooks.signal`) ends the running rung with its best weights and
 * skips the rest.
 */
export async function runLadder(tf: Tf, run: LadderRun, hooks: LadderHooks = {}): Promise<RungResult[]> {
  const recipe = run.recipe ?? TEMPERATURE_LADDER;
  const settings: TrainSettings = { ...recipe.settings, epochs: run.epochs ?? recipe.settings.epochs };
  const ladderId = run.id ?? `ladder-${Date.now().toString(36)}-${++ladderSeq}`;
  const rungs = LADDER_RUNGS.filter((r) => !run.rungs || run.rungs.includes(r.id));
  const results: RungResult[] = [];
  const tag = (record: RunRecord, rung: LadderRung): RunRecord => ({ ...record, ladder: { id: ladderId, rung: rung.id } });
  for (const [index, rung] of rungs.entries()) {
    if (hooks.signal?.aborted) break;
    hooks.onRung?.({ rung, index, count: rungs.length });
    let result: RungResult;
    if (!rung.example) {
      const data = prepareSeries(run.series, { ...recipe.window, features: recipe.features, targets: [recipe.target], split: recipe.split });
      const n = naiveRung(data, run.series.name, settings, `${ladderId}-${rung.id}`);
      result = { rung, graph: null, ...n, record: tag(n.record, rung) };
    } else {
      const source = run.gallery[rung.example];
      if (!source) throw new TrainError(rung.example, `the gallery has no ${rung.example}; the ladder needs examples/${rung.example}.json`);
      const graph = adaptRungGraph(source, rung, recipe);
      const out = await runSeriesExperiment(tf, {
        graph, series: run.series, features: recipe.features, targets: [recipe.target], split: recipe.split, settings, label: rung.label, id: `${ladderId}-${rung.id}`,
      }, hooks);
      out.model.dispose();
      result = { rung, graph, record: tag(out.record, rung), val: out.val, test: out.test };
    }
    results.push(result);
    hooks.onResult?.(result);
  }
  return results;
}
