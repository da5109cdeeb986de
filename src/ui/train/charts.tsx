/** Plain SVG charts of the Data & train panel: loss curves, predictions against actual values, a confusion matrix. */
import { fmt } from '../../engine/format.ts';
import { chartGeometry, sampleIndices, type CurvePoint, type LadderBar } from './view.ts';

const W = 420;
const H = 150;

/** Training loss (per batch, a running mean within each epoch) and validation loss (per epoch). */
export function LossChart({ train, val }: { train: CurvePoint[]; val: CurvePoint[] }) {
  const g = chartGeometry([train, val], W, H, 6);
  const sx = (x: number) => 6 + (x / g.xMax) * (W - 12);
  const sy = (y: number) => H - 6 - ((y - g.yMin) / (g.yMax - g.yMin)) * (H - 12);
  return (
    <figure className="train-chart" data-testid="loss-chart" data-points={train.length} data-val-points={val.length}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Loss per epoch: ${train.length} training points, ${val.length} validation points`}>
        <rect x="0" y="0" width={W} height={H} className="chart-frame" />
        {Array.from({ length: Math.floor(g.xMax) + 1 }, (_, e) => <line key={e} x1={sx(e)} x2={sx(e)} y1={0} y2={H} className="chart-grid" />)}
        <polyline points={g.lines[0]} className="line-train" />
        <polyline points={g.lines[1]} className="line-val" />
        {val.filter((p) => Number.isFinite(p.y)).map((p) => <circle key={p.x} cx={sx(p.x)} cy={sy(p.y)} r={3} className="dot-val" />)}
      </svg>
      <figcaption>
        <span className="key-train">training loss</span> · <span className="key-val">validation loss</span> · epochs 0–{g.xMax.toFixed(0)} · loss {fmtAxis(g.yMin)}–{fmtAxis(g.yMax)}
      </figcaption>
    </figure>
  );
}

const fmtAxis = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));

/** Predicted against actual values of one target over the evaluated windows, in the data's units. */
export function PredictionChart({ actual, predicted, name, part }: { actual: number[]; predicted: number[]; name: string; part: string }) {
  const idx = sampleIndices(actual.length, 300);
  const pick = (a: number[]) => idx.map((i, k) => ({ x: k, y: a[i] }));
  const curves = [pick(actual), pick(predicted)];
  const g = chartGeometry(curves, W, H, 6);
  return (
    <figure className="train-chart" data-testid="prediction-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${name}: predicted against actual on the ${part} windows`}>
        <rect x="0" y="0" width={W} height={H} className="chart-frame" />
        <polyline points={g.lines[0]} className="line-actual" />
        <polyline points={g.lines[1]} className="line-pred" />
      </svg>
      <figcaption>
        {name}, {part} part ({fmt(actual.length)} windows{idx.length < actual.length ? `, ${idx.length} shown` : ''}): <span className="key-actual">actual</span> · <span className="key-pred">predicted</span> · {fmtAxis(g.yMin)}–{fmtAxis(g.yMax)}
      </figcaption>
    </figure>
  );
}

/** confusion[actual][predicted]; the diagonal is right. */
export function ConfusionMatrix({ confusion }: { confusion: number[][] }) {
  const max = Math.max(1, ...confusion.flat());
  return (
    <table className="confusion" data-testid="confusion-matrix">
      <caption>Confusion matrix (rows: actual digit, columns: predicted)</caption>
      <thead>
        <tr><th />{confusion.map((_, c) => <th key={c} scope="col">{c}</th>)}</tr>
      </thead>
      <tbody>
        {confusion.map((row, r) => (
          <tr key={r}>
            <th scope="row">{r}</th>
            {row.map((v, c) => (
              <td key={c} className={r === c ? 'diag' : undefined} style={{ background: `rgba(${r === c ? '46,125,50' : '179,38,30'}, ${(v / max) * 0.6})` }}>{v}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The ladder in one picture: per rung a validation and a test bar (MAE),
 * with the naive forecast's two values as dashed lines across, so a rung
 * that beats common sense ends left of them.
 */
export function LadderChart({ bars, unit }: { bars: LadderBar[]; unit: string }) {
  const naive = bars.find((b) => b.naive);
  const rungs = bars.filter((b) => !b.naive);
  const label = 124;
  const values = 78;
  const row = 28;
  const top = 8;
  const width = 520;
  const axis = 16;
  const height = top * 2 + Math.max(1, rungs.length) * row + axis;
  const max = Math.max(1e-9, ...bars.flatMap((b) => [b.val, b.test ?? 0])) * 1.05;
  const sx = (v: number) => label + (v / max) * (width - label - values);
  const bar = (v: number, y: number, cls: string) => <rect x={label} y={y} width={Math.max(0.5, sx(v) - label)} height={10} className={cls} />;
  const step = max > 12 ? 5 : max > 6 ? 2 : 1;
  const ticks = Array.from({ length: Math.floor(max / step) }, (_, i) => (i + 1) * step);
  const beats = (v: number | null, n: number | null | undefined) => v != null && n != null && v < n;
  return (
    <figure className="train-chart ladder-chart" data-testid="ladder-chart" data-rungs={rungs.length}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Temperature ladder: validation and test MAE of ${rungs.length} rungs against the naive forecast`}>
        <rect x="0" y="0" width={width} height={height} className="chart-frame" />
        {ticks.map((t) => (
          <g key={t}>
            <line x1={sx(t)} x2={sx(t)} y1={top} y2={height - axis} className="chart-grid" />
            <text x={sx(t)} y={height - 4} className="chart-tick">{t}</text>
          </g>
        ))}
        <text x={width - 6} y={height - 4} className="chart-label">val · test</text>
        {rungs.map((b, i) => {
          const y = top + i * row;
          const val = beats(b.val, naive?.val);
          const test = beats(b.test, naive?.test);
          return (
            <g key={b.runId} data-rung-bar={b.label}>
              <text x={label - 6} y={y + row / 2 + 3} className="chart-label">{b.label}</text>
              {bar(b.val, y + 3, `bar-val${val ? ' beats' : ''}`)}
              {b.test != null ? bar(b.test, y + 14, `bar-test${test ? ' beats' : ''}`) : null}
              <text x={width - 6} y={y + row / 2 + 3} className="chart-label">
                <tspan className={val ? 'value-beats' : 'value-worse'}>{b.val.toFixed(2)}</tspan>
                {' · '}
                <tspan className={test ? 'value-beats' : 'value-worse'}>{b.test?.toFixed(2) ?? '—'}</tspan>
              </text>
            </g>
          );
        })}
        {naive ? <line x1={sx(naive.val)} x2={sx(naive.val)} y1={top - 4} y2={height - axis} className="naive-val" /> : null}
        {naive?.test != null ? <line x1={sx(naive.test)} x2={sx(naive.test)} y1={top - 4} y2={height - axis} className="naive-test" /> : null}
      </svg>
      <figcaption>
        MAE ({unit}), lower is better: <span className="key-val-bar">validation</span> · <span className="key-test-bar">test</span>
        {naive ? <> · dashed: naive forecast ({naive.val.toFixed(2)} validation, {naive.test?.toFixed(2) ?? '—'} test); pale bars and red numbers do not beat it</> : null}
      </figcaption>
    </figure>
  );
}
