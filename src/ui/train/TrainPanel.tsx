/**
 * Data & train: choose data, bind it to the graph's Window (or image Input),
 * train on the compile panel's backend (WebGPU first) with a live progress bar
 * and loss chart, judge the model against the naive forecast, compare runs and
 * export the trained model. Loaded lazily with TF.js; state lives in trainStore.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { DATASETS, DataError, getDataset, prepareSeries, previewWindows, windowCount, type PreparedSeries, type Series } from '../../data/index.ts';
import { BACKENDS, type BackendChoice, type BackendPreference } from '../../compile/backend.ts';
import { fmt, percentText } from '../../engine/format.ts';
import { LADDER_RUNGS, TEMPERATURE_LADDER } from '../../train/ladder.ts';
import { Inspector } from '../panels/Inspector.tsx';
import { editorStore, useEditor } from '../state.ts';
import { ConfusionMatrix, LadderChart, LossChart, PredictionChart } from './charts.tsx';
import { exportTrained, loadData, openCsv, pickBackend, removeRun, stopTraining, train, trainLadder, trainStore, useTrain, type TrainState } from './trainStore.ts';
import {
  describeSeries, findImageInput, findWindow, ladderBars, progressLine, runRows, verdict, windowFit, windowLine, withWindowParams, type SettingsForm, type WindowBinding,
} from './view.ts';
import './TrainPanel.css';

const set = (patch: Partial<TrainState>) => trainStore.setState(patch);
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function TrainPanel() {
  const graph = useEditor((s) => s.graph);
  const loaded = useTrain((s) => s.loaded);
  const job = useTrain((s) => s.job);

  // The default dataset is ready when the tab opens.
  useEffect(() => {
    const s = trainStore.getState();
    if (!s.loaded && s.source === 'dataset' && s.job.state === 'idle' && !s.dataError) void loadData(editorStore.getState().graph);
  }, []);

  const selected = useEditor((s) => (s.selection.length === 1 ? s.selection[0] : null));
  return (
    <section className="train-panel" aria-label="Data and training">
      {/* A layer clicked on the canvas is edited here too, without leaving the tab (the Window's nSteps, a GRU's units). */}
      {selected ? <div className="train-inspector" data-testid="train-inspector"><Inspector /></div> : null}
      <LadderSection />
      <DataSection />
      {loaded?.kind === 'series' ? <SeriesBinding series={loaded.series} /> : null}
      {loaded?.kind === 'images' ? <ImageBinding /> : null}
      {loaded ? <SettingsSection kind={loaded.kind} /> : null}
      {loaded ? <RunSection label={graph.title ?? graph.name} /> : null}
      {job.state === 'failed' ? <p className="train-error" role="alert" data-testid="train-error">{job.message}</p> : null}
      <ResultsSection />
      <RunList />
    </section>
  );
}

function Section({ title, children, testid }: { title: string; children: ReactNode; testid?: string }) {
  return (
    <div className="train-section" data-testid={testid}>
      <h3>{title}</h3>
      {children}
    </div>
  );
}

// ---------- the temperature ladder ----------

function LadderSection() {
  const epochs = useTrain((s) => s.ladderEpochs);
  const ladder = useTrain((s) => s.ladder);
  const job = useTrain((s) => s.job);
  const busy = job.state === 'running' || job.state === 'loading';
  const r = TEMPERATURE_LADDER;
  const running = busy && ladder?.current != null;
  return (
    <Section title="Recipe · Temperature ladder" testid="ladder">
      <p className="hint">
        The notes' experiment on real data: Seattle's daily weather, {r.target} {r.window.horizon} days ahead from {r.window.nSteps}-day windows of{' '}
        {r.features.length} columns (the 4 measurements and the day of the year as sin/cos). One click scores the naive forecast and trains{' '}
        {LADDER_RUNGS.filter((x) => x.example).map((x) => x.label).join(', ')}: the gallery's Jena graphs with their Window adapted to the data and
        half their units, with the same seed and split every time, so the table repeats. About a minute on a 2-core CPU with backend cpu;
        WebGPU without a graphics card (software) takes about six, a real GPU less.
      </p>
      <div className="train-row">
        <button type="button" className="button primary" data-testid="ladder-button" disabled={busy} onClick={() => void trainLadder()}>Train the ladder</button>
        <label className="train-field small">
          <span>epochs per rung (early stopping on)</span>
          <input data-testid="ladder-epochs" inputMode="numeric" value={epochs} disabled={busy} onChange={(e) => set({ ladderEpochs: e.target.value })} />
        </label>
        {running ? <button type="button" className="button" data-testid="ladder-stop" onClick={stopTraining}>Stop</button> : null}
      </div>
      {ladder ? (
        <p className="train-summary" role="status" data-testid="ladder-status">
          {ladder.current
            ? <>Rung {ladder.current.index + 1} of {ladder.count}: <strong>{ladder.current.rung.label}</strong> ({ladder.current.rung.lesson}). Progress in 4 · Train, results in Runs.</>
            : ladder.stopped
              ? <>Stopped after {ladder.done} of {ladder.count} rungs; the finished ones are in Runs.</>
              : <>{ladder.done} of {ladder.count} rungs trained: the table and chart are in Runs.</>}
        </p>
      ) : null}
    </Section>
  );
}

// ---------- data ----------

function DataSection() {
  const source = useTrain((s) => s.source);
  const datasetId = useTrain((s) => s.datasetId);
  const pick = useTrain((s) => s.pick);
  const csv = useTrain((s) => s.csv);
  const synthetic = useTrain((s) => s.synthetic);
  const images = useTrain((s) => s.images);
  const loaded = useTrain((s) => s.loaded);
  const dataError = useTrain((s) => s.dataError);
  const job = useTrain((s) => s.job);
  const busy = job.state === 'loading' || job.state === 'running';
  const dataset = getDataset(datasetId);
  const load = () => void loadData(editorStore.getState().graph);

  return (
    <Section title="1 · Data" testid="train-data">
      <div className="train-row" role="radiogroup" aria-label="Data source">
        {([['dataset', 'Built-in'], ['csv', 'CSV file'], ['synthetic', 'Synthetic']] as const).map(([k, label]) => (
          <label key={k} className="train-radio">
            <input type="radio" name="train-source" checked={source === k} disabled={busy} onChange={() => set({ source: k, dataError: null })} /> {label}
          </label>
        ))}
      </div>
      {source === 'dataset' ? (
        <>
          <div className="train-row">
            <label className="train-field">
              <span>Dataset</span>
              <select data-testid="dataset-select" value={datasetId} disabled={busy} onChange={(e) => { set({ datasetId: e.target.value }); if (getDataset(e.target.value).kind === 'series') load(); }}>
                {DATASETS.map((d) => <option key={d.id} value={d.id}>{d.title}</option>)}
              </select>
            </label>
            {dataset.kind === 'series' && dataset.pick ? (
              <label className="train-field">
                <span>{dataset.pick.column}</span>
                <select data-testid="pick-select" value={pick} disabled={busy} onChange={(e) => { set({ pick: e.target.value }); load(); }}>
                  {dataset.pick.values.map((v) => <option key={v} value={v}>{v}</option>)}
                </select>
              </label>
            ) : null}
          </div>
          {dataset.kind === 'images' ? (
            <div className="train-row">
              {(['train', 'val', 'test'] as const).map((k) => (
                <label key={k} className="train-field small">
                  <span>{k === 'val' ? 'validation' : k} images</span>
                  <input inputMode="numeric" value={images[k]} disabled={busy} onChange={(e) => set({ images: { ...images, [k]: e.target.value } })} />
                </label>
              ))}
            </div>
          ) : null}
          <p className="hint">{dataset.description}</p>
          {dataset.kind === 'series' ? <SeasonToggle busy={busy} onChange={load} /> : null}
          {dataset.kind === 'images' || !loaded ? <button type="button" className="button" data-testid="load-data" disabled={busy} onClick={load}>Load {dataset.id}</button> : null}
        </>
      ) : null}
      {source === 'csv' ? <CsvChooser csvName={csv?.fileName} busy={busy} onLoad={load} /> : null}
      {source === 'synthetic' ? (
        <div className="train-row">
          <label className="train-field">
            <span>Shape</span>
            <select value={synthetic.shape} disabled={busy} onChange={(e) => set({ synthetic: { ...synthetic, shape: e.target.value as 'sine' | 'walk' } })}>
              <option value="sine">noisy sine (learnable)</option>
              <option value="walk">random walk (naive is hard to beat)</option>
            </select>
          </label>
          <label className="train-field small"><span>rows</span><input inputMode="numeric" value={synthetic.length} disabled={busy} onChange={(e) => set({ synthetic: { ...synthetic, length: e.target.value } })} /></label>
          <label className="train-field small"><span>seed</span><input inputMode="numeric" value={synthetic.seed} disabled={busy} onChange={(e) => set({ synthetic: { ...synthetic, seed: e.target.value } })} /></label>
          <button type="button" className="button" disabled={busy} onClick={load}>Generate</button>
        </div>
      ) : null}
      {job.state === 'loading' ? <p className="hint" role="status">{job.step}</p> : null}
      {dataError ? <p className="train-error" role="alert" data-testid="data-error">{dataError}</p> : null}
      {loaded?.kind === 'series' ? <SeriesLine series={loaded.series} /> : null}
      {loaded?.kind === 'images' ? (
        <p className="train-summary" data-testid="data-summary">
          MNIST: {fmt(loaded.train.count)} training, {fmt(loaded.val.count)} validation, {fmt(loaded.test.count)} test images of 28×28×1, 10 classes (disjoint, seeded)
        </p>
      ) : null}
    </Section>
  );
}

/** day_sin / day_cos from the date column: what a window of a few weeks needs to know the season. */
function SeasonToggle({ busy, onChange }: { busy: boolean; onChange?: () => void }) {
  const season = useTrain((s) => s.season);
  return (
    <label className="train-radio" title="sin and cos of 2π·(day of the year)/(days in the year): tells a short window whether the year is warming or cooling">
      <input type="checkbox" data-testid="season-toggle" checked={season} disabled={busy} onChange={(e) => { set({ season: e.target.checked }); onChange?.(); }} />
      add day-of-year columns (day_sin, day_cos) from the dates
    </label>
  );
}

function SeriesLine({ series }: { series: Series }) {
  const d = describeSeries(series);
  return (
    <p className="train-summary" data-testid="data-summary">
      <strong>{series.name}</strong>: {fmt(d.rows)} rows · {d.columns} column{d.columns === 1 ? '' : 's'} ({series.columns.join(', ')})
      {d.from != null ? <> · {d.orderColumn} {d.from} – {d.to}</> : null}
    </p>
  );
}

function CsvChooser({ csvName, busy, onLoad }: { csvName?: string; busy: boolean; onLoad: () => void }) {
  const csv = useTrain((s) => s.csv);
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      openCsv(file.name, await file.text());
    } catch (e) {
      set({ dataError: `${file.name}: ${errorText(e)}` });
    }
  };
  return (
    <>
      <label className="train-field">
        <span>CSV file</span>
        <input type="file" accept=".csv,text/csv" data-testid="csv-input" disabled={busy} onChange={(e) => void onFile(e.target.files?.[0])} />
      </label>
      {csv ? (
        <>
          <p className="hint">{csvName}: {csv.header.length} columns. The order column sorts the rows (dates or numbers); the ticked columns must hold numbers in every row.</p>
          <div className="train-row">
            <label className="train-field">
              <span>Date / order column</span>
              <select value={csv.orderColumn} disabled={busy} onChange={(e) => set({ csv: { ...csv, orderColumn: e.target.value, columns: csv.columns.filter((c) => c !== e.target.value) } })}>
                <option value="">(none: keep file order)</option>
                {csv.header.map((h) => <option key={h} value={h}>{h}</option>)}
              </select>
            </label>
          </div>
          <fieldset className="train-columns">
            <legend>Numeric columns</legend>
            {csv.header.filter((h) => h !== csv.orderColumn).map((h) => (
              <label key={h}>
                <input type="checkbox" checked={csv.columns.includes(h)} disabled={busy}
                  onChange={(e) => set({ csv: { ...csv, columns: e.target.checked ? csv.header.filter((c) => c === h || csv.columns.includes(c)) : csv.columns.filter((c) => c !== h) } })} /> {h}
              </label>
            ))}
          </fieldset>
          {csv.orderColumn ? <SeasonToggle busy={busy} /> : null}
          <button type="button" className="button" disabled={busy} onClick={onLoad}>Read {csvName}</button>
        </>
      ) : null}
    </>
  );
}

// ---------- binding ----------

interface Preview {
  prepared: PreparedSeries | null;
  error: string | null;
  /** The setting the error is about (`nSteps`, `split`, …). */
  errorField?: string;
  lines: string[];
  count: number;
}

function usePreview(series: Series, w: WindowBinding, features: string[], targets: string[], split: { train: string; val: string }): Preview {
  return useMemo(() => {
    if (!w.ok) return { prepared: null, error: null, lines: [], count: 0 };
    try {
      const idx = (names: string[]) => names.map((n) => series.columns.indexOf(n));
      const spec = { nSteps: w.nSteps, horizon: w.horizon, stride: w.stride, features: idx(features), targets: idx(targets) };
      const p = previewWindows(series.rows, spec, 3);
      const lines = p.X.map((x, i) => windowLine(x, p.y[i]));
      const prepared = prepareSeries(series, { nSteps: w.nSteps, horizon: w.horizon, stride: w.stride, features, targets, split: { train: Number(split.train), val: Number(split.val) } });
      return { prepared, error: null, lines, count: p.count };
    } catch (e) {
      return { prepared: null, error: errorText(e), errorField: e instanceof DataError ? e.where.field : undefined, lines: [], count: windowCount(series.rows.length, w.nSteps, w.horizon, w.stride) };
    }
  }, [series, w, features, targets, split]);
}

function SeriesBinding({ series }: { series: Series }) {
  const graph = useEditor((s) => s.graph);
  const features = useTrain((s) => s.features);
  const targets = useTrain((s) => s.targets);
  const split = useTrain((s) => s.split);
  const busy = useTrain((s) => s.job.state === 'running');
  const suggested = useTrain((s) => {
    const d = s.source === 'dataset' ? getDataset(s.datasetId) : null;
    return d?.kind === 'series' ? d.suggestedNSteps : undefined;
  });
  const w = useMemo(() => findWindow(graph), [graph]);
  const preview = usePreview(series, w, features, targets, split);
  const fit = useMemo(
    () => (w.ok ? windowFit(w, series.rows.length, features.length, { train: Number(split.train), val: Number(split.val) }, suggested) : null),
    [w, series, features.length, split, suggested],
  );
  const toggle = (list: string[], c: string, on: boolean) => (on ? series.columns.filter((x) => x === c || list.includes(x)) : list.filter((x) => x !== c));

  if (!w.ok) {
    return (
      <Section title="2 · Window" testid="train-binding">
        <p className="train-warn" data-testid="window-missing">{w.message}</p>
      </Section>
    );
  }
  const tooLong = !!fit && !fit.nStepsFit;
  const mismatch = features.length !== w.features && !tooLong;
  return (
    <Section title="2 · Window" testid="train-binding">
      <p className="train-summary" data-testid="window-settings">
        Window <code>{w.node.name}</code>: nSteps <strong>{w.nSteps}</strong> · horizon <strong>{w.horizon}</strong> · stride <strong>{w.stride}</strong> · features <strong>{w.features}</strong>
        {' → '}<strong data-testid="window-count">{fmt(preview.count)}</strong> samples from {fmt(series.rows.length)} rows
      </p>
      <WindowFields id={w.node.id} nSteps={w.nSteps} horizon={w.horizon} stride={w.stride} busy={busy} />
      <fieldset className="train-columns" data-testid="feature-columns">
        <legend>Feature columns ({features.length} chosen, the Window takes {w.features})</legend>
        {series.columns.map((c) => (
          <label key={c}><input type="checkbox" data-column={c} checked={features.includes(c)} disabled={busy} onChange={(e) => set({ features: toggle(features, c, e.target.checked) })} /> {c}</label>
        ))}
      </fieldset>
      {mismatch ? (
        <p className="train-warn" data-testid="feature-mismatch">
          The Window takes {w.features} feature{w.features === 1 ? '' : 's'} per row, {features.length} column{features.length === 1 ? ' is' : 's are'} chosen.{' '}
          {features.length > 0 ? (
            <button type="button" className="button" data-testid="fix-features" disabled={busy} onClick={() => editorStore.getState().setParam(w.node.id, 'features', features.length)}>
              Set the Window's features to {features.length}
            </button>
          ) : 'Tick at least one column.'}
        </p>
      ) : null}
      {tooLong ? <AdaptWindow w={w} fit={fit} chosen={features.length} busy={busy} /> : null}
      <fieldset className="train-columns" data-testid="target-columns">
        <legend>Target column{targets.length === 1 ? '' : 's'} (predicted {w.horizon} row{w.horizon === 1 ? '' : 's'} after each window)</legend>
        {series.columns.map((c) => (
          <label key={c}><input type="checkbox" data-column={c} checked={targets.includes(c)} disabled={busy} onChange={(e) => set({ targets: toggle(targets, c, e.target.checked) })} /> {c}</label>
        ))}
      </fieldset>
      {preview.lines.length ? (
        <div className="train-preview" data-testid="window-preview">
          <p className="hint">First windows as split_sequence prints them (X rows, then y), in the data's units:</p>
          <pre>{preview.lines.join('\n')}</pre>
        </div>
      ) : null}
      <div className="train-row">
        <label className="train-field small"><span>train share</span><input value={split.train} disabled={busy} onChange={(e) => set({ split: { ...split, train: e.target.value } })} /></label>
        <label className="train-field small"><span>validation share</span><input value={split.val} disabled={busy} onChange={(e) => set({ split: { ...split, val: e.target.value } })} /></label>
        <span className="hint">the rest is the test part</span>
      </div>
      {preview.error && !(tooLong && preview.errorField === 'nSteps') ? <p className="train-error" role="alert" data-testid="binding-error">{preview.error}</p> : null}
      {preview.prepared ? <SplitTable p={preview.prepared} orderColumn={series.orderColumn} /> : null}
    </Section>
  );
}

/**
 * A Window too long for the data (a gallery graph made for other data): one
 * offer that sets both features and nSteps as one editor change, so Ctrl+Z
 * puts the graph back as it was.
 */
function AdaptWindow({ w, fit, chosen, busy }: { w: Extract<WindowBinding, { ok: true }>; fit: NonNullable<ReturnType<typeof windowFit>>; chosen: number; busy: boolean }) {
  const part = fit.shortest.part === 'val' ? 'validation' : fit.shortest.part;
  const { features, nSteps } = fit.adapted;
  const apply = () => {
    const graph = editorStore.getState().graph;
    editorStore.getState().replaceGraph(withWindowParams(graph, w.node.id, { features, nSteps }));
  };
  return (
    <div className="train-warn" data-testid="window-adapt">
      <p>
        The Window <code>{w.node.name}</code> was made for other data:{' '}
        {!fit.featuresFit ? <>it takes {w.features} feature{w.features === 1 ? '' : 's'} per row, {chosen} column{chosen === 1 ? ' is' : 's are'} chosen; </> : null}
        nSteps {w.nSteps} + horizon {w.horizon} need {fmt(w.nSteps + w.horizon)} rows, the {part} part has {fmt(fit.shortest.rows)}.
      </p>
      {fit.possible ? (
        <p>
          <button type="button" className="button" data-testid="adapt-window" disabled={busy || chosen === 0} onClick={apply}>Adapt the Window to this data</button>{' '}
          sets {fit.featuresFit ? '' : <>features <strong>{features}</strong> and </>}nSteps <strong>{nSteps}</strong> (horizon {w.horizon} and the layers stay; Ctrl+Z undoes it).
        </p>
      ) : (
        <p>Even one row per window leaves the {part} part without a sample: lower the Window's horizon below {fmt(fit.shortest.rows)} or change the split.</p>
      )}
    </div>
  );
}

function SplitTable({ p, orderColumn }: { p: PreparedSeries; orderColumn?: string }) {
  const trainRange = p.ranges.find((r) => r.part === 'train')!;
  return (
    <>
      <table className="train-table" data-testid="split-ranges">
        <thead><tr><th>part</th><th>rows</th><th>{orderColumn ?? 'from'}</th><th /><th className="num">samples</th></tr></thead>
        <tbody>
          {p.ranges.map((r) => (
            <tr key={r.part} data-part={r.part}>
              <td>{r.part === 'val' ? 'validation' : r.part}</td>
              <td className="num">{fmt(r.start)}–{fmt(Math.max(r.start, r.end - 1))}</td>
              <td>{r.from ?? '—'}</td>
              <td>{r.to != null ? `– ${r.to}` : ''}</td>
              <td className="num">{fmt(r.samples)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint" data-testid="normalisation">
        Chronological split: windows never cross a boundary. Normalisation uses the {fmt(trainRange.rows)} training rows only
        ({p.targets.map((t, k) => `${t}: mean ${p.stats.mean[p.targetColumns[k]].toFixed(2)}, std ${p.stats.std[p.targetColumns[k]].toFixed(2)}`).join('; ')}), so the model never sees the future through its statistics.
      </p>
    </>
  );
}

function ImageBinding() {
  const graph = useEditor((s) => s.graph);
  const b = useMemo(() => findImageInput(graph), [graph]);
  return (
    <Section title="2 · Image input" testid="train-binding">
      {!b.ok ? <p className="train-warn">{b.message}</p> : b.matches ? (
        <p className="train-summary">Input <code>{b.node.name}</code> takes 28×28×1 images: the digits feed it directly; the last layer needs 10 units (softmax).</p>
      ) : (
        <p className="train-warn">
          Input <code>{b.node.name}</code> takes [{b.shape.join(', ')}], the digits are [28, 28, 1].{' '}
          <button type="button" className="button" onClick={() => editorStore.getState().setParam(b.node.id, 'shape', [28, 28, 1])}>Set its shape to [28, 28, 1]</button>
        </p>
      )}
    </Section>
  );
}

// ---------- settings and run ----------

function SettingsSection({ kind }: { kind: 'series' | 'images' }) {
  const form = useTrain((s) => s.form);
  const busy = useTrain((s) => s.job.state === 'running');
  const field = (k: keyof SettingsForm, label: string, hint?: string) => (
    <label className="train-field small" title={hint}>
      <span>{label}</span>
      <input data-setting={k} value={form[k]} placeholder={hint ? 'off' : undefined} disabled={busy} onChange={(e) => set({ form: { ...trainStore.getState().form, [k]: e.target.value } })} />
    </label>
  );
  const losses = kind === 'series' ? [['mse', 'mse'], ['mae', 'mae']] : [['sparseCategoricalCrossentropy', 'sparse categorical crossentropy'], ['categoricalCrossentropy', 'categorical crossentropy']];
  return (
    <Section title="3 · Training settings" testid="train-settings">
      <div className="train-grid">
        <label className="train-field small">
          <span>optimizer</span>
          <select data-setting="optimizer" value={form.optimizer} disabled={busy} onChange={(e) => set({ form: { ...form, optimizer: e.target.value } })}>
            {['adam', 'rmsprop', 'sgd'].map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        </label>
        {field('learningRate', 'learning rate')}
        <label className="train-field small">
          <span>loss</span>
          <select data-setting="loss" value={form.loss} disabled={busy} onChange={(e) => set({ form: { ...form, loss: e.target.value } })}>
            {losses.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select>
        </label>
        {field('epochs', 'epochs')}
        {field('batchSize', 'batch size')}
        {field('clipnorm', 'clipnorm', 'rescale each gradient to this L2 norm at most; empty = off')}
        {field('clipvalue', 'clipvalue', 'clip each gradient element to ±this; empty = off')}
        {field('patience', 'early-stop patience', 'epochs without improvement before stopping; empty = off')}
        {field('seed', 'seed')}
      </div>
      <p className="hint">The model keeps the weights of its best epoch (lowest validation loss).</p>
    </Section>
  );
}

function BackendBadge({ choice }: { choice: BackendChoice | null }) {
  if (!choice) return <span className="backend-badge" data-testid="train-backend">backend: starts with the first run (WebGPU first)</span>;
  return (
    <span className={`backend-badge ${choice.reason ? 'fallback' : 'preferred'}`} data-testid="train-backend" data-backend={choice.backend}>
      <strong>{choice.backend}</strong>
      {choice.adapter ? <span className="backend-adapter"> · {choice.adapter}</span> : null}
      {choice.reason ? <span className="backend-reason"> · fallback: {choice.reason}</span> : null}
    </span>
  );
}

function RunSection({ label }: { label: string }) {
  const job = useTrain((s) => s.job);
  const backend = useTrain((s) => s.backend);
  const preference = useTrain((s) => s.preference);
  const curve = useTrain((s) => s.curve);
  const valCurve = useTrain((s) => s.valCurve);
  const hasModel = useTrain((s) => s.hasModel);
  const running = job.state === 'running';
  const progress = job.state === 'running' ? job.progress : null;
  const fraction = progress?.fraction ?? (curve.length && !running ? 1 : 0);
  return (
    <Section title="4 · Train" testid="train-run">
      <div className="train-row">
        <BackendBadge choice={backend} />
        <label className="train-field">
          <span>Backend</span>
          <select value={preference} disabled={running || job.state === 'loading'} onChange={(e) => void pickBackend(e.target.value as BackendPreference)} data-testid="train-backend-select">
            <option value="auto">auto (WebGPU first)</option>
            {BACKENDS.map((b) => <option key={b} value={b}>{b}</option>)}
          </select>
        </label>
      </div>
      <div className="train-row">
        <button type="button" className="button primary" data-testid="train-button" disabled={running || job.state === 'loading'} onClick={() => void train(editorStore.getState().graph, label)}>Train</button>
        <button type="button" className="button" data-testid="stop-button" disabled={!running} onClick={stopTraining}>Stop</button>
        <button type="button" className="button" data-testid="export-button" disabled={running || !hasModel} onClick={() => void exportTrained()} title="model.json + model.weights.bin, loadable by tf.loadLayersModel">Export trained model</button>
      </div>
      {running || curve.length ? (
        <>
          <div className="train-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)} data-testid="train-progress">
            <div className="train-progress-fill" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
          </div>
          <p className="hint" role="status" data-testid="train-status">
            {progress ? progressLine(progress) : running ? job.step : `done: ${curve.length} batches`}
          </p>
          <LossChart train={curve} val={valCurve} />
          {running ? <p className="hint">The browser pauses training while this tab is hidden; keep it in view.</p> : null}
        </>
      ) : null}
    </Section>
  );
}

// ---------- results ----------

function Mae({ label, mae, naive, testid }: { label: string; mae: number; naive: number; testid: string }) {
  return (
    <tr data-testid={testid}>
      <th scope="row">{label}</th>
      <td className="num" data-value={mae}>{mae.toFixed(3)}</td>
      <td className="num" data-value={naive}>{naive.toFixed(3)}</td>
      <td className={mae < naive ? 'good' : 'bad'}>{verdict(mae, naive)}</td>
    </tr>
  );
}

const naiveHeader = (h: number, unit: string) => (h === 1 ? 'naive: tomorrow = today' : `naive: in ${h} ${unit} = today`);

function ResultsSection() {
  const last = useTrain((s) => s.last);
  const run = useTrain((s) => s.runs.find((r) => r.id === s.last?.runId));
  if (!last || !run) return null;
  const stopped = run.stopped === 'completed' ? '' : run.stopped === 'aborted' ? ' (stopped)' : ' (early stopping)';
  const head = `${run.label}: ${run.epochsRun} epoch${run.epochsRun === 1 ? '' : 's'}${stopped}, best epoch ${run.bestEpoch} kept · ${run.seconds.toFixed(1)} s on ${run.backend}`;
  if (last.kind === 'images') {
    return (
      <Section title="5 · Results" testid="train-results">
        <p className="train-summary">{head}</p>
        <p className="train-big" data-testid="accuracy">Test accuracy <strong>{percentText(last.test.accuracy)}</strong> on {fmt(last.test.samples)} held-out digits</p>
        <ConfusionMatrix confusion={last.test.confusion} />
      </Section>
    );
  }
  const unitsOf = last.val.targets.map((t) => t.name).join(', ');
  const shown = last.test ?? last.val;
  return (
    <Section title="5 · Results" testid="train-results">
      <p className="train-summary">{head}</p>
      <table className="train-table">
        <thead><tr><th /><th className="num">MAE ({unitsOf})</th><th className="num">{naiveHeader(run.data.window?.horizon ?? 1, run.ladder ? 'days' : 'rows')}</th><th /></tr></thead>
        <tbody>
          <Mae label="validation" mae={last.val.mae} naive={last.val.naiveMae} testid="val-mae" />
          {last.test ? <Mae label="test" mae={last.test.mae} naive={last.test.naiveMae} testid="test-mae" /> : null}
        </tbody>
      </table>
      {shown.targets.map((t) => <PredictionChart key={t.name} actual={t.actual} predicted={t.predicted} name={t.name} part={last.test ? 'test' : 'validation'} />)}
    </Section>
  );
}

function MaeCell({ v }: { v: { mae: number; naive: number } | null }) {
  if (!v) return <td className="num" />;
  return (
    <td className={`num mae ${v.mae < v.naive ? 'good' : v.mae === v.naive ? '' : 'bad'}`} data-value={v.mae} data-naive={v.naive}>
      {v.mae.toFixed(3)}<span className="naive-ref">naive {v.naive.toFixed(3)}</span>
    </td>
  );
}

function RunList() {
  const runs = useTrain((s) => s.runs);
  const rungGraphs = useTrain((s) => s.rungGraphs);
  const busy = useTrain((s) => s.job.state === 'running');
  const bars = useMemo(() => ladderBars(runs), [runs]);
  const table = useMemo(() => runRows(runs), [runs]);
  if (!runs.length) return null;
  const { rows, show, backends } = table;
  const open = (id: string) => {
    const g = rungGraphs[id];
    if (g) editorStore.getState().load(g, `the ladder's ${g.title ?? g.name}`);
  };
  return (
    <Section title="Runs" testid="run-list">
      {bars.length ? <LadderChart bars={bars} unit="°C" /> : null}
      <div className="train-scroll">
        <table className="train-table runs">
          <thead>
            <tr>
              <th>run</th><th className="num">params</th><th className="num" title="(early): stopped by early stopping, best epoch kept">epochs</th>
              {show.bestValLoss ? <th className="num">best val loss</th> : null}
              {show.val ? <th className="num">val MAE</th> : null}
              {show.test ? <th className="num">test MAE</th> : null}
              {show.accuracy ? <th className="num">accuracy</th> : null}
              {show.backend ? <th>backend</th> : null}
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-run={r.id} data-rung={runs.find((x) => x.id === r.id)?.ladder?.rung} className={r.reference ? 'reference' : undefined}>
                <td className="run-label">
                  {r.label}
                  {rungGraphs[r.id] ? <button type="button" className="link-button" disabled={busy} title="Open this rung's graph on the canvas (undoable)" onClick={() => open(r.id)}>Open</button> : null}
                </td>
                <td className="num">{r.params}</td>
                <td className="num">{r.epochs}</td>
                {show.bestValLoss ? <td className="num">{r.bestValLoss}</td> : null}
                {show.val ? <MaeCell v={r.val} /> : null}
                {show.test ? <MaeCell v={r.test} /> : null}
                {show.accuracy ? <td className="num">{r.accuracy}</td> : null}
                {show.backend ? <td>{r.backend}</td> : null}
                <td><button type="button" className="button small" aria-label={`Remove run ${r.label}`} onClick={() => removeRun(r.id)}>×</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">
        MAE is in the target's units (°C for temp_max); under each, the naive forecast on the same windows.
        {!show.backend && backends.length === 1 ? <> All trained on {backends[0]}.</> : null}
        {' '}Rename the network (title) before a run to label variants: GRU, GRU + dropout, stacked, bidirectional.
      </p>
    </Section>
  );
}

/**
 * The Window's nSteps, horizon and stride, edited where the samples they give
 * are shown: each change is an undoable edit of the graph (shapes and counts follow).
 */
function WindowFields({ id, nSteps, horizon, stride, busy }: { id: string; nSteps: number; horizon: number; stride: number; busy: boolean }) {
  return (
    <div className="train-window-fields" data-testid="window-fields">
      <WindowField id={id} field="nSteps" value={nSteps} busy={busy} />
      <WindowField id={id} field="horizon" value={horizon} busy={busy} />
      <WindowField id={id} field="stride" value={stride} busy={busy} />
    </div>
  );
}

function WindowField({ id, field, value, busy }: { id: string; field: 'nSteps' | 'horizon' | 'stride'; value: number; busy: boolean }) {
  const [text, setText] = useState(String(value));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setText(String(value)), [value]);
  const apply = () => {
    const v = Number(text.trim());
    const reason = Number.isInteger(v) ? editorStore.getState().setParam(id, field, v) : `${field} must be a whole number; e.g. ${value}`;
    setProblem(reason);
  };
  return (
    <label className="train-window-field" data-field={field}>
      {field}{' '}
      <input
        type="number" min={1} step={1} value={text} disabled={busy} aria-label={`Window ${field}`}
        onChange={(e) => setText(e.target.value)} onBlur={apply} onKeyDown={(e) => { if (e.key === 'Enter') apply(); }}
      />
      {problem ? <span className="train-warn" role="alert">{problem}</span> : null}
    </label>
  );
}
