/** Plain SVG charts of the Data & train panel: loss curves, predictions against actual values, a confusion matrix. */
import { chartGeometry, sampleIndices, type CurvePoint } from './view.ts';

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
        {name}, {part} part ({actual.length.toLocaleString('en-US')} windows{idx.length < actual.length ? `, ${idx.length} shown` : ''}): <span className="key-actual">actual</span> · <span className="key-pred">predicted</span> · {fmtAxis(g.yMin)}–{fmtAxis(g.yMax)}
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
