/**
 * The Data & train panel's state, outside React so a run keeps going (and its
 * results stay) while the user looks at another tab. Actions load data, bind
 * it to the graph and run experiments through `src/train`; the trained model
 * of the latest run is kept for export and disposed when the next run starts.
 */
import type * as tfType from '@tensorflow/tfjs';
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { getDataset, loadImageDataset, loadSeriesDataset, parseCsv, randomWalk, readSeriesCsv, sineSeries, withSeasonColumns, type ImageSet, type Series } from '../../data/index.ts';
import { browserSource } from '../../data/source-browser.ts';
import type { BackendChoice, BackendPreference } from '../../compile/backend.ts';
import { parseGraphText } from '../../engine/file.ts';
import type { Graph } from '../../engine/types.ts';
import { loadLadderSeries, TEMPERATURE_LADDER, type LadderProgress, type RungResult } from '../../train/ladder.ts';
import type { ClassEvaluation, SeriesEvaluation } from '../../train/evaluate.ts';
import type { RunRecord } from '../../train/run.ts';
import type { BatchProgress, EpochProgress } from '../../train/types.ts';
import { activeBackend, loadRuntime, switchBackend } from '../compile/runtime.ts';
import { onRelease } from '../compile/release.ts';
import { EXAMPLES } from '../files/examples.ts';
import { defaultFeatures, findWindow, IMAGE_FORM, readSettings, SERIES_FORM, settingsForm, type CurvePoint, type SettingsForm } from './view.ts';
import type { KerasPythonOptions, PythonData } from '../../interop/export-python.ts';

export type SourceKind = 'dataset' | 'csv' | 'synthetic';

export interface CsvDraft {
  fileName: string;
  text: string;
  header: string[];
  orderColumn: string;
  columns: string[];
}

export type Loaded =
  | { kind: 'series'; series: Series; target: string }
  | { kind: 'images'; train: ImageSet; val: ImageSet; test: ImageSet };

export type Job =
  | { state: 'idle' }
  | { state: 'loading'; step: string }
  | { state: 'running'; step: string; progress: BatchProgress | null }
  | { state: 'failed'; message: string };

export type LastResult =
  | { kind: 'series'; runId: string; val: SeriesEvaluation; test: SeriesEvaluation | null }
  | { kind: 'images'; runId: string; test: ClassEvaluation };

/** The temperature ladder in the panel: which ladder run the chart shows, and the rung now training. */
export interface LadderState {
  id: string;
  /** Rung now training (null when done or stopped). */
  current: LadderProgress | null;
  /** Rungs finished, in order. */
  done: number;
  count: number;
  stopped: boolean;
}

export interface TrainState {
  source: SourceKind;
  datasetId: string;
  pick: string;
  /** Append day_sin / day_cos from the date column (series with dates). */
  season: boolean;
  csv: CsvDraft | null;
  synthetic: { shape: 'sine' | 'walk'; length: string; seed: string };
  images: { train: string; val: string; test: string };
  loaded: Loaded | null;
  dataError: string | null;
  features: string[];
  targets: string[];
  split: { train: string; val: string };
  form: SettingsForm;
  backend: BackendChoice | null;
  preference: BackendPreference;
  job: Job;
  /** Live curves of the current (or last) run: training loss per batch, validation loss per epoch. */
  curve: CurvePoint[];
  valCurve: CurvePoint[];
  runs: RunRecord[];
  last: LastResult | null;
  /** The latest run's model can be exported. */
  hasModel: boolean;
  /** Epochs per rung of the temperature ladder, as typed. */
  ladderEpochs: string;
  ladder: LadderState | null;
  /** Graphs of the ladder's rungs by run id, to open one on the canvas. */
  rungGraphs: Record<string, Graph>;
}

const initial = (): TrainState => ({
  source: 'dataset', datasetId: 'seattle-weather', pick: 'MSFT', season: false, csv: null,
  synthetic: { shape: 'sine', length: '500', seed: '1' }, images: { train: '2000', val: '500', test: '500' },
  loaded: null, dataError: null, features: [], targets: [], split: { train: '0.7', val: '0.15' },
  form: SERIES_FORM, backend: activeBackend(), preference: 'auto', job: { state: 'idle' }, curve: [], valCurve: [], runs: [], last: null, hasModel: false,
  ladderEpochs: String(TEMPERATURE_LADDER.settings.epochs), ladder: null, rungGraphs: {},
});

export const trainStore = createStore<TrainState>()(() => initial());

export function useTrain<T>(selector: (s: TrainState) => T): T {
  return useStore(trainStore, selector);
}

const set = (patch: Partial<TrainState>) => trainStore.setState(patch);
const get = () => trainStore.getState();
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

let model: tfType.LayersModel | null = null;
let controller: AbortController | null = null;

/** After new series data: targets and features default to the dataset's target and the Window's feature count. */
function bindSeries(series: Series, target: string, graph: Graph): void {
  const w = findWindow(graph);
  const t = series.columns.includes(target) ? target : series.columns[0];
  set({ loaded: { kind: 'series', series, target: t }, dataError: null, targets: [t], features: defaultFeatures(series.columns, t, w.ok ? w.features : 1) });
}

export async function loadData(graph: Graph): Promise<void> {
  const s = get();
  set({ job: { state: 'loading', step: 'Loading the data…' }, dataError: null });
  try {
    if (s.source === 'dataset') {
      const d = getDataset(s.datasetId);
      if (d.kind === 'images') {
        const n = (t: string, field: string) => {
          const v = Number(t);
          if (!Number.isInteger(v) || v < 0) throw new Error(`${field}: "${t}" is not a whole number ≥ 0; e.g. 500`);
          return v;
        };
        const train = n(s.images.train, 'training images');
        const val = n(s.images.val, 'validation images');
        const test = n(s.images.test, 'test images');
        if (train < 1) throw new Error('training images: at least 1 is needed; e.g. 2000');
        const sets = await loadImageDataset(browserSource(), d.id, { train: train + val, test, seed: 1 });
        const cut = (set: ImageSet, name: string, from: number, to: number): ImageSet => {
          const px = set.height * set.width * set.channels;
          return { ...set, name, count: to - from, pixels: set.pixels.slice(from * px, to * px), labels: set.labels.slice(from, to) };
        };
        set({
          loaded: { kind: 'images', train: cut(sets.train, 'mnist train', 0, train), val: cut(sets.train, 'mnist validation', train, train + val), test: sets.test },
          form: s.loaded?.kind === 'images' ? s.form : IMAGE_FORM,
        });
      } else {
        const raw = await loadSeriesDataset(browserSource(), d.id, { pick: d.pick ? s.pick : undefined });
        bindSeries(s.season ? withSeasonColumns(raw) : raw, d.target, graph);
        if (s.loaded?.kind !== 'series') set({ form: SERIES_FORM });
      }
    } else if (s.source === 'csv') {
      if (!s.csv) throw new Error('no file chosen; choose a CSV file with a header row');
      if (!s.csv.columns.length) throw new Error('columns: no numeric column chosen; tick at least one column to read');
      const raw = readSeriesCsv(s.csv.text, { name: s.csv.fileName, columns: s.csv.columns, orderColumn: s.csv.orderColumn || undefined, minRows: 3 });
      bindSeries(s.season ? withSeasonColumns(raw) : raw, raw.columns[0], graph);
      if (s.loaded?.kind !== 'series') set({ form: SERIES_FORM });
    } else {
      const length = Number(s.synthetic.length);
      const seed = Number(s.synthetic.seed);
      if (!Number.isInteger(seed)) throw new Error(`seed: "${s.synthetic.seed}" is not a whole number; e.g. 1`);
      const series = s.synthetic.shape === 'sine' ? sineSeries({ length, seed }) : randomWalk({ length, seed });
      bindSeries(series, 'value', graph);
      if (s.loaded?.kind !== 'series') set({ form: SERIES_FORM });
    }
    set({ job: { state: 'idle' } });
  } catch (e) {
    set({ job: { state: 'idle' }, dataError: errorText(e) });
  }
}

/** Reads an uploaded file's header; numeric columns default to every column except the first (often the date). */
export function openCsv(fileName: string, text: string): void {
  try {
    const { header, records } = parseCsv(text);
    if (!records.length) throw new Error(`${fileName}: the file has a header but no data rows; add rows below the header`);
    const looksLikeOrder = header.find((h) => /date|time|^t$|day|month|year/i.test(h)) ?? '';
    set({ csv: { fileName, text, header, orderColumn: looksLikeOrder, columns: header.filter((h) => h !== looksLikeOrder) }, dataError: null, source: 'csv' });
  } catch (e) {
    set({ csv: null, dataError: `${fileName}: ${errorText(e)}` });
  }
}

export async function pickBackend(preference: BackendPreference): Promise<void> {
  set({ preference, job: { state: 'loading', step: 'Starting the backend…' } });
  try {
    await loadRuntime();
    set({ backend: await switchBackend(preference), job: { state: 'idle' } });
  } catch (e) {
    set({ job: { state: 'failed', message: `Starting the backend failed: ${errorText(e)}` } });
  }
}

/**
 * Lets go of the trained model: its weights and its optimizer's slots (Adam's two
 * moments per weight) leave tf.memory(). A run in progress is stopped first.
 */
export function disposeTrained(): void {
  controller?.abort();
  const m = model;
  model = null;
  if (m) {
    m.optimizer?.dispose();
    m.dispose();
  }
  set({ hasModel: false });
}
onRelease(disposeTrained);

export function stopTraining(): void {
  controller?.abort();
}

export async function train(graph: Graph, label: string): Promise<void> {
  const s = get();
  if (s.job.state === 'running' || !s.loaded) return;
  const kind = s.loaded.kind;
  const read = readSettings(s.form, kind);
  if (!read.ok) {
    set({ job: { state: 'failed', message: read.message } });
    return;
  }
  controller = new AbortController();
  const signal = controller.signal;
  set({ job: { state: 'running', step: 'Loading TF.js…', progress: null }, curve: [], valCurve: [] });
  try {
    const { tf } = await loadRuntime();
    let backend = activeBackend();
    if (!backend) {
      set({ job: { state: 'running', step: 'Starting the backend (WebGPU first)…', progress: null } });
      backend = await switchBackend(s.preference);
    }
    set({ backend, job: { state: 'running', step: 'Building the model…', progress: null } });
    model?.dispose();
    model = null;
    set({ hasModel: false });
    const { runSeriesExperiment, runImageExperiment } = await import('../../train/index.ts');
    const hooks = {
      signal,
      onBatch: (p: BatchProgress) => set({ job: { state: 'running', step: 'Training…', progress: p }, curve: [...get().curve, { x: p.epoch - 1 + p.batch / p.batches, y: p.loss }] }),
      onEpoch: (p: EpochProgress) => {
        if (p.valLoss != null) set({ valCurve: [...get().valCurve, { x: p.epoch, y: p.valLoss }] });
      },
    };
    if (s.loaded.kind === 'series') {
      const split = { train: Number(s.split.train), val: Number(s.split.val) };
      const out = await runSeriesExperiment(tf, { graph, series: s.loaded.series, features: s.features, targets: s.targets, split, settings: read.settings, label }, hooks);
      model = out.model;
      set({ runs: [...get().runs, out.record], last: { kind: 'series', runId: out.record.id, val: out.val, test: out.test } });
    } else {
      const { train: tr, val, test } = s.loaded;
      const out = await runImageExperiment(tf, { graph, train: tr, val: val.count ? val : undefined, test, settings: read.settings, label }, hooks);
      model = out.model;
      set({ runs: [...get().runs, out.record], last: { kind: 'images', runId: out.record.id, test: out.test } });
    }
    set({ hasModel: true, job: { state: 'idle' } });
  } catch (e) {
    set({ job: { state: 'failed', message: `Training failed: ${errorText(e)}` } });
  } finally {
    controller = null;
  }
}

/** The gallery graphs the ladder adapts, read from examples/ (the same files the Examples menu opens). */
async function galleryGraphs(keys: readonly string[]): Promise<Record<string, Graph>> {
  const entries = await Promise.all(keys.map(async (key) => {
    const ex = EXAMPLES.find((e) => e.key === key);
    if (!ex) throw new Error(`the gallery has no ${key}; the ladder needs examples/${key}.json`);
    const r = parseGraphText(await ex.load());
    if (!r.ok) throw new Error(`examples/${key}.json: ${r.problems[0]?.message ?? 'cannot be read'}`);
    return [key, r.graph] as const;
  }));
  return Object.fromEntries(entries);
}

/**
 * The temperature ladder in one click: loads its data (Seattle weather +
 * season columns), binds it in the panel as the recipe does, and trains every
 * rung one after the other; each finished rung joins the run list. The form
 * takes the recipe's settings, so opening a rung and pressing Train repeats it.
 */
export async function trainLadder(): Promise<void> {
  const s = get();
  if (s.job.state === 'running' || s.job.state === 'loading') return;
  const recipe = TEMPERATURE_LADDER;
  const epochs = Number(s.ladderEpochs.trim());
  if (!Number.isInteger(epochs) || epochs < 1) {
    set({ job: { state: 'failed', message: `epochs per rung: "${s.ladderEpochs}" is not a whole number ≥ 1; e.g. ${recipe.settings.epochs}` } });
    return;
  }
  controller = new AbortController();
  const signal = controller.signal;
  set({ job: { state: 'running', step: 'Loading the ladder\'s data and graphs…', progress: null }, curve: [], valCurve: [] });
  try {
    const { LADDER_RUNGS, runLadder } = await import('../../train/ladder.ts');
    const [series, gallery] = await Promise.all([
      loadLadderSeries(browserSource(), recipe),
      galleryGraphs(LADDER_RUNGS.flatMap((r) => (r.example ? [r.example] : []))),
    ]);
    set({
      source: 'dataset', datasetId: recipe.dataset, season: recipe.season, dataError: null,
      loaded: { kind: 'series', series, target: recipe.target }, features: [...recipe.features], targets: [recipe.target],
      split: { train: String(recipe.split.train), val: String(recipe.split.val) },
      form: settingsForm({ ...recipe.settings, epochs }),
    });
    const { tf } = await loadRuntime();
    let backend = activeBackend();
    if (!backend) {
      set({ job: { state: 'running', step: 'Starting the backend (WebGPU first)…', progress: null } });
      backend = await switchBackend(s.preference);
    }
    model?.dispose();
    model = null;
    const id = `ladder-${Date.now().toString(36)}`;
    set({ backend, hasModel: false, ladder: { id, current: null, done: 0, count: LADDER_RUNGS.length, stopped: false } });
    const ladder = () => get().ladder!;
    await runLadder(tf, { series, gallery, recipe, epochs, id }, {
      signal,
      onRung: (p) => set({ ladder: { ...ladder(), current: p }, curve: [], valCurve: [], job: { state: 'running', step: `Rung ${p.index + 1}/${p.count}: ${p.rung.label}…`, progress: null } }),
      onBatch: (p) => set({ job: { state: 'running', step: 'Training…', progress: p }, curve: [...get().curve, { x: p.epoch - 1 + p.batch / p.batches, y: p.loss }] }),
      onEpoch: (p) => {
        if (p.valLoss != null) set({ valCurve: [...get().valCurve, { x: p.epoch, y: p.valLoss }] });
      },
      onResult: (r: RungResult) => set({
        runs: [...get().runs, r.record], rungGraphs: r.graph ? { ...get().rungGraphs, [r.record.id]: r.graph } : get().rungGraphs,
        last: { kind: 'series', runId: r.record.id, val: r.val, test: r.test }, ladder: { ...ladder(), done: ladder().done + 1 },
      }),
    });
    set({ ladder: { ...ladder(), current: null, stopped: signal.aborted }, job: { state: 'idle' } });
  } catch (e) {
    const l = get().ladder;
    set({ job: { state: 'failed', message: `The temperature ladder failed: ${errorText(e)}` }, ladder: l ? { ...l, current: null } : null });
  } finally {
    controller = null;
  }
}

export async function exportTrained(): Promise<void> {
  if (!model) return;
  const { exportModel, downloadExported } = await import('../../train/export.ts');
  downloadExported(await exportModel(model));
}

export function removeRun(id: string): void {
  set({ runs: get().runs.filter((r) => r.id !== id) });
}

/** The series as CSV text: a row number column `t` (the order), then every column, names quoted. */
function seriesCsv(series: Series): string {
  const q = (c: string) => `"${c.replace(/"/g, '""')}"`;
  const lines = [['t', ...series.columns].map(q).join(',')];
  series.rows.forEach((r, i) => lines.push([i, ...r].join(',')));
  return `${lines.join('\n')}\n`;
}

/**
 * The tab's choices for the Keras Python export: the series as loaded here
 * (derived columns such as day-of-year included) written as a CSV beside the
 * script, or MNIST with the tab's image counts; the settings and the split.
 * Nothing loaded: the script takes its own default.
 */
export function pythonExportOptions(s: TrainState = get()): Omit<KerasPythonOptions, 'distribute'> {
  const images = s.loaded?.kind === 'images';
  const read = readSettings(s.form, images ? 'images' : 'series');
  let data: PythonData | undefined;
  if (s.loaded?.kind === 'images' && s.source === 'dataset') {
    data = { kind: 'dataset', id: s.datasetId, images: { train: Number(s.images.train), val: Number(s.images.val), test: Number(s.images.test) } };
  } else if (s.loaded?.kind === 'series' && s.features.length) {
    const series = s.loaded.series;
    data = {
      kind: 'csv', fileName: `${series.name.replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '_') || 'series'}.csv`, text: seriesCsv(series),
      orderColumn: 't', features: s.features, ...(s.targets.length ? { targets: s.targets } : {}),
    };
  }
  return { data, settings: read.ok ? read.settings : undefined, ...(images ? {} : { split: { train: Number(s.split.train), val: Number(s.split.val) } }) };
}
