/**
 * One call per experiment, as the editor's Train button makes it: data and
 * graph in, a trained model and a run record out. For a series the graph's
 * Window node decides nSteps, horizon and stride; the data is split
 * chronologically, normalised with training statistics, trained on, and
 * judged on validation and test windows against "tomorrow = today".
 */
import type * as tfType from '@tensorflow/tfjs';
import { prepareSeries, type PreparedSeries } from '../data/window.ts';
import type { ImageSet, Series } from '../data/types.ts';
import type { Graph } from '../engine/types.ts';
import { imageData, windowData } from './data.ts';
import { evaluateClassifier, evaluateSeries, type ClassEvaluation, type SeriesEvaluation } from './evaluate.ts';
import { buildModel, graphWindow } from './model.ts';
import { makeRunRecord, type RunRecord } from './run.ts';
import { trainModel, type TrainHooks } from './train.ts';
import type { TrainSettings } from './types.ts';

type Tf = typeof tfType;

export interface SeriesExperiment {
  graph: Graph;
  series: Series;
  /** Feature columns (default: all of the series'); their count must equal the Window's `features`. */
  features?: string[];
  /** Target columns (default: the first feature). */
  targets?: string[];
  split?: { train: number; val: number };
  settings: TrainSettings;
  label?: string;
  id?: string;
}

export interface SeriesOutcome {
  model: tfType.LayersModel;
  data: PreparedSeries;
  val: SeriesEvaluation;
  test: SeriesEvaluation | null;
  record: RunRecord;
}

let runSeq = 0;
const nextId = () => `run-${Date.now().toString(36)}-${++runSeq}`;

/** Trains the graph on a series; the caller owns (and disposes) the returned model. */
export async function runSeriesExperiment(tf: Tf, e: SeriesExperiment, hooks: TrainHooks = {}): Promise<SeriesOutcome> {
  const features = e.features ?? e.series.columns;
  const win = graphWindow(e.graph, features.length);
  const data = prepareSeries(e.series, { nSteps: win.nSteps, horizon: win.horizon, stride: win.stride, features, targets: e.targets, split: e.split });
  const model = buildModel(tf, e.graph, e.settings.seed);
  try {
    const startedAt = new Date();
    const result = await trainModel(tf, model, { train: windowData(data.train), val: data.val.count ? windowData(data.val) : undefined }, e.settings, hooks);
    const val = await evaluateSeries(tf, model, data.val, data);
    const test = data.test.count ? await evaluateSeries(tf, model, data.test, data) : null;
    const record = makeRunRecord({
      id: e.id ?? nextId(), label: e.label ?? e.graph.title ?? e.graph.name, model: { name: e.graph.name, params: model.countParams() },
      data: {
        dataset: e.series.name, window: { nSteps: win.nSteps, horizon: win.horizon, stride: win.stride, features: data.features, targets: data.targets },
        ranges: data.ranges, trainSamples: data.train.count, valSamples: data.val.count,
      },
      settings: e.settings, startedAt, backend: tf.getBackend(), result, val, test: test ?? undefined,
    });
    return { model, data, val, test, record };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

export interface ImageExperiment {
  graph: Graph;
  train: ImageSet;
  /** Picks the best epoch; without it the training loss does (the test images must not choose the model). */
  val?: ImageSet;
  test: ImageSet;
  settings: TrainSettings;
  label?: string;
  id?: string;
}

export interface ImageOutcome {
  model: tfType.LayersModel;
  test: ClassEvaluation;
  record: RunRecord;
}

/** Trains a classifier (labels as the loss wants them) and scores it on the held-out images. */
export async function runImageExperiment(tf: Tf, e: ImageExperiment, hooks: TrainHooks = {}): Promise<ImageOutcome> {
  const labels = e.settings.loss === 'categoricalCrossentropy' ? 'oneHot' : 'sparse';
  const model = buildModel(tf, e.graph, e.settings.seed);
  try {
    const startedAt = new Date();
    const result = await trainModel(tf, model, { train: imageData(e.train, labels), val: e.val ? imageData(e.val, labels) : undefined }, e.settings, hooks);
    const test = await evaluateClassifier(tf, model, imageData(e.test, labels), e.test.classes);
    const record = makeRunRecord({
      id: e.id ?? nextId(), label: e.label ?? e.graph.title ?? e.graph.name, model: { name: e.graph.name, params: model.countParams() },
      data: { dataset: e.train.name, trainSamples: e.train.count, valSamples: e.val?.count ?? 0 },
      settings: e.settings, startedAt, backend: tf.getBackend(), result, test,
    });
    return { model, test, record };
  } catch (err) {
    model.dispose();
    throw err;
  }
}
