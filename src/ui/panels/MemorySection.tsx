/**
 * Memory to train, in the summary panel: a batch size, a dtype and an
 * optimizer give the bytes of one training step (parameters, gradients,
 * optimizer state, kept activations, the peak) and of inference, each with
 * its arithmetic on hover, and the largest batch that fits common
 * accelerators' memory or a size the user types. The engine does the
 * counting (engine/memory.ts); this computes only when the analysis or an
 * option changes, never per render.
 */
import { useMemo, useState } from 'react';
import { bytesText, fmt, type Analysis } from '../../engine/index.ts';
import {
  DTYPES, GB, largestBatch, MAX_BATCH, MEMORY_PRESETS_GB, memoryArithmetic, memoryOptionProblems, OPTIMIZERS, trainingMemory,
  type Dtype, type MemoryBytes, type Optimizer, type TrainingMemory,
} from '../../engine/memory.ts';
import { useView, viewStore, type ViewState } from '../state.ts';

export const OPTIMIZER_LABEL: Record<Optimizer, string> = {
  sgd: 'SGD', momentum: 'SGD + momentum', adam: 'Adam', adamw: 'AdamW', rmsprop: 'RMSprop',
};

const ROWS: [keyof MemoryBytes, string][] = [
  ['params', 'Parameters'],
  ['grads', 'Gradients'],
  ['optimizer', 'Optimizer state'],
  ['activations', 'Activations kept'],
  ['peak', 'Peak, training'],
  ['inference', 'Inference'],
];

/** Above this many layers memory is counted on request, not on every edit. */
export const MEMORY_AUTO_LAYERS = 1000;

type Computed = { m: TrainingMemory; arithmetic: Record<keyof MemoryBytes, string> } | { error: string };

/** `1,234`, `none`, or `any` for a network whose activations do not grow with the batch. */
function batchText(b: number): string {
  if (b === MAX_BATCH) return 'any';
  return b === 0 ? 'none (batch 1 is over)' : fmt(b);
}

/** The largest batch whose training peak fits `gb`, or null when it cannot be said. */
function fitBatch(a: Analysis, dtype: Dtype, optimizer: Optimizer, gb: number): number | null {
  try {
    return largestBatch(a, { dtype, optimizer }, gb * GB);
  } catch {
    return null;
  }
}

export function MemorySection({ analysis }: { analysis: Analysis }) {
  const { batch, dtype, optimizer, customGb, open } = useView((s) => s.memory);
  const [batchInput, setBatchText] = useState(String(batch));
  const [gbText, setGbText] = useState(customGb === null ? '' : String(customGb));
  const set = (m: Partial<ViewState['memory']>) => viewStore.getState().setMemory(m);

  // A large network is counted when asked (a 20,000-layer one takes half a second), a small one on every edit while open.
  const auto = analysis.nodes.length <= MEMORY_AUTO_LAYERS;
  const [asked, setAsked] = useState<Analysis | null>(null);
  const target = !open ? null : auto ? analysis : asked;
  const result = useMemo((): Computed | null => {
    if (!target?.nodes.length) return null;
    try {
      const m = trainingMemory(target, { batch, dtype, optimizer });
      return { m, arithmetic: memoryArithmetic(m) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }, [target, batch, dtype, optimizer]);
  const stale = target !== null && target !== analysis;

  const presets = useMemo(
    () => (target && result && 'm' in result ? MEMORY_PRESETS_GB.map((gb) => ({ gb, batch: fitBatch(target, dtype, optimizer, gb) })) : []),
    [result, target, dtype, optimizer],
  );
  const custom = useMemo(
    () => (target && result && 'm' in result && customGb !== null ? fitBatch(target, dtype, optimizer, customGb) : null),
    [result, target, dtype, optimizer, customGb],
  );

  const batchProblem = memoryOptionProblems({ batch: Number(batchInput), dtype, optimizer }).find((p) => p.field === 'batch');
  const gbValue = Number(gbText);
  const gbProblem = gbText.trim() !== '' && !(Number.isFinite(gbValue) && gbValue > 0 && gbValue <= 1_000_000)
    ? 'a memory size in GB, above 0 (e.g. 40)' : null;

  return (
    <details
      className="memory-section" aria-label="Memory to train" data-testid="memory" open={open}
      onToggle={(e) => viewStore.getState().setMemory({ open: e.currentTarget.open })}
    >
      <summary>
        <h3>Memory to train</h3>
        {result && 'm' in result ? (
          <span className="aside"> peak {bytesText(result.m.total.peak)} at batch {fmt(batch)}, {OPTIMIZER_LABEL[optimizer]}, {dtype}</span>
        ) : null}
      </summary>
      <div className="memory-options">
        <label className={batchProblem && batchInput !== '' ? 'invalid' : ''}>
          Batch
          <input
            type="number" min={1} step={1} value={batchInput} data-testid="memory-set-batch"
            onChange={(e) => {
              setBatchText(e.target.value);
              const n = Number(e.target.value);
              if (!memoryOptionProblems({ batch: n, dtype, optimizer }).some((p) => p.field === 'batch')) set({ batch: n });
            }}
          />
        </label>
        <label>
          Dtype
          <select value={dtype} onChange={(e) => set({ dtype: e.target.value as Dtype })} data-testid="memory-set-dtype">
            {DTYPES.map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
        </label>
        <label>
          Optimizer
          <select value={optimizer} onChange={(e) => set({ optimizer: e.target.value as Optimizer })} data-testid="memory-set-optimizer">
            {OPTIMIZERS.map((o) => <option key={o} value={o}>{OPTIMIZER_LABEL[o]}</option>)}
          </select>
        </label>
      </div>
      {batchProblem && batchInput !== '' ? <p className="field-problem" role="alert">{batchProblem.message}</p> : null}
      {!auto && (!asked || stale) ? (
        <p className="hint">
          {stale ? 'The network changed since these numbers. ' : `${fmt(analysis.nodes.length)} layers: counted when you ask. `}
          <button type="button" className="button" onClick={() => setAsked(analysis)} data-testid="memory-compute">{stale ? 'Count again' : 'Count memory'}</button>
        </p>
      ) : null}
      {!result && auto ? <p className="hint">Add layers to see what training them takes.</p> : null}
      {result && 'error' in result ? <p className="field-problem" role="alert">{result.error}</p> : null}
      {result && 'm' in result ? (
        <>
          <dl className="memory-totals">
            {ROWS.map(([k, label]) => (
              <div key={k} className={`memory-row memory-${k}`} title={result.arithmetic[k]}>
                <dt>{label}{k === 'peak' ? <span className="aside"> ({result.m.phase})</span> : null}</dt>
                <dd className="num" data-testid={`memory-${k}`}>{bytesText(result.m.total[k])}</dd>
              </div>
            ))}
          </dl>
          <p className="hint memory-note">
            At batch {fmt(batch)}, {dtype === 'fp32' ? 'fp32' : `${dtype} mixed precision (fp32 master weights)`}, {OPTIMIZER_LABEL[optimizer]}; hover a number for its arithmetic.
            {result.m.incomplete.length ? ` ${result.m.incomplete.length} layer${result.m.incomplete.length === 1 ? ' is' : 's are'} left out (no shape, or a size unknown before runtime).` : ''}
          </p>
          <table className="memory-fits" data-testid="memory-fits">
            <caption>Largest batch that fits</caption>
            <thead>
              <tr>
                {presets.map((b) => <th key={b.gb} scope="col" className="num">{fmt(b.gb)} GB</th>)}
                <th scope="col" className="memory-custom">
                  <input
                    type="number" min={0} step="any" placeholder="custom" value={gbText} aria-label="Custom memory size in GB" data-testid="memory-custom-gb"
                    className={gbProblem ? 'invalid' : ''}
                    onChange={(e) => {
                      setGbText(e.target.value);
                      const v = Number(e.target.value);
                      set({ customGb: e.target.value.trim() !== '' && Number.isFinite(v) && v > 0 && v <= 1_000_000 ? v : null });
                    }}
                  /> GB
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                {presets.map((b) => (
                  <td key={b.gb} className="num" data-testid={`memory-fit-${b.gb}`}>{b.batch === null ? '—' : batchText(b.batch)}</td>
                ))}
                <td className="num" data-testid="memory-fit-custom">
                  {customGb === null ? <span className="hint">{gbProblem ?? 'type a size'}</span> : custom === null ? '—' : batchText(custom)}
                </td>
              </tr>
            </tbody>
          </table>
        </>
      ) : null}
    </details>
  );
}
