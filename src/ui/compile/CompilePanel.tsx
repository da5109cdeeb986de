/**
 * Compile, verify and run the current graph on TF.js (WebGPU first).
 * The editor mounts this panel; it owns everything about backends and models.
 * TF.js is imported only when one of its actions is used (see runtime.ts).
 */
import { useEffect, useRef, useState } from 'react';
import { bytesText, fmt, sameNetwork, shapeText, type Analysis, type Graph, type Problem } from '../../engine/index.ts';
import { BACKENDS, type BackendChoice, type BackendPreference } from '../../compile/backend.ts';
import { compileProblems, CompileError } from '../../compile/compile.ts';
import type { RunResult } from '../../compile/run.ts';
import type { Verification } from '../../compile/verify.ts';
import { activeBackend, loadRuntime, switchBackend } from './runtime.ts';
import './CompilePanel.css';
import { shownText } from '../text.ts';

export interface CompilePanelProps {
  graph: Graph;
  analysis: Analysis;
}

type Phase =
  | { state: 'idle' }
  | { state: 'busy'; step: string }
  | { state: 'failed'; message: string; problems: Problem[] };

interface Memory {
  numTensors: number;
  numBytes: number;
}

/** Lets React paint the progress line before a long synchronous step (building layers). */
const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function CompilePanel({ graph, analysis }: CompilePanelProps) {
  const [preference, setPreference] = useState<BackendPreference>('auto');
  const [backend, setBackend] = useState<BackendChoice | null>(activeBackend);
  const [phase, setPhase] = useState<Phase>({ state: 'idle' });
  const [verification, setVerification] = useState<Verification | null>(null);
  const [run, setRun] = useState<RunResult | null>(null);
  const [memory, setMemory] = useState<Memory | null>(null);

  const refreshMemory = async () => {
    const { tf } = await loadRuntime();
    const m = tf.memory();
    setMemory({ numTensors: m.numTensors, numBytes: m.numBytes });
  };

  // The network being edited: a new graph object only when the network itself changed. Moving, laying out
  // or grouping layers changes the graph object but not the network (sameNetwork), so it stays.
  const network = useRef(graph);
  if (!sameNetwork(network.current, graph)) network.current = graph;
  const current = network.current;
  // A changed network makes the compiled model stale: dispose it (only once TF.js was ever loaded).
  useEffect(() => {
    setVerification(null);
    setRun(null);
    if (!activeBackend()) return;
    void loadRuntime().then(({ session }) => {
      const kept = session.model;
      session.sync(current);
      if (kept && !session.model) void refreshMemory();
      else if (kept && session.model) setVerification(session.model.verification);
    });
  }, [current]);

  const busy = phase.state === 'busy';
  const blocking = compileProblems(analysis);

  const ensureBackend = async (wanted: BackendPreference): Promise<BackendChoice> => {
    const now = activeBackend();
    if (now && (wanted === 'auto' ? true : now.backend === wanted)) return now;
    const chosen = await switchBackend(wanted);
    setBackend(chosen);
    return chosen;
  };

  const onPickBackend = async (wanted: BackendPreference) => {
    setPreference(wanted);
    setVerification(null);
    setRun(null);
    setPhase({ state: 'busy', step: 'Starting the backend…' });
    try {
      await loadRuntime();
      setBackend(await switchBackend(wanted));
      setPhase({ state: 'idle' });
    } catch (e) {
      setPhase({ state: 'failed', message: errorText(e), problems: [] });
    }
    await refreshMemory().catch(() => undefined);
  };

  const onCompile = async () => {
    const target = current;
    setVerification(null);
    setRun(null);
    try {
      setPhase({ state: 'busy', step: 'Loading TF.js…' });
      const { session } = await loadRuntime();
      setPhase({ state: 'busy', step: 'Starting the backend…' });
      await ensureBackend(preference);
      setPhase({ state: 'busy', step: `Building ${fmt(analysis.nodes.length)} layers…` });
      await nextFrame();
      if (network.current !== target) {
        setPhase({ state: 'idle' });
        return; // edited meanwhile; the user compiles the new graph
      }
      const compiled = session.compile(target);
      setVerification(compiled.verification);
      setPhase({ state: 'idle' });
    } catch (e) {
      setPhase(e instanceof CompileError
        ? { state: 'failed', message: 'The graph cannot be compiled yet:', problems: e.problems }
        : { state: 'failed', message: `Compiling failed: ${errorText(e)}`, problems: [] });
    }
    await refreshMemory().catch(() => undefined);
  };

  const onRun = async () => {
    try {
      setPhase({ state: 'busy', step: 'Running a forward pass…' });
      const { session } = await loadRuntime();
      setRun(await session.run({ batch: 2 }));
      setPhase({ state: 'idle' });
    } catch (e) {
      setPhase({ state: 'failed', message: `Running failed: ${errorText(e)}`, problems: [] });
    }
    await refreshMemory().catch(() => undefined);
  };

  return (
    <section className="compile-panel" aria-label="Compile and run">
      <div className="compile-row">
        <BackendBadge choice={backend} />
        <label className="compile-control">
          <span>Backend</span>
          <select value={preference} disabled={busy} onChange={(e) => void onPickBackend(e.target.value as BackendPreference)} data-testid="backend-select">
            <option value="auto">auto (WebGPU first)</option>
            {BACKENDS.map((b) => <option key={b} value={b}>{b}</option>)}
          </select>
        </label>
      </div>

      <div className="compile-row">
        <button type="button" className="button" data-testid="compile-button" disabled={busy || blocking.length > 0} onClick={() => void onCompile()}>
          {busy && phase.step.startsWith('Building') ? 'Compiling…' : 'Compile'}
        </button>
        <button type="button" className="button" data-testid="run-button" disabled={busy || !verification} onClick={() => void onRun()}>
          Run
        </button>
        {busy ? <span className="compile-progress" role="status" data-testid="compile-progress">{phase.step}</span> : null}
      </div>

      {blocking.length > 0 && phase.state !== 'failed' ? (
        <div className="compile-problems">
          <p>Fix these before compiling:</p>
          <ProblemLines problems={blocking} />
        </div>
      ) : null}
      {phase.state === 'failed' ? (
        <div className="compile-problems" role="alert">
          <p>{phase.message}</p>
          {phase.problems.length ? <ProblemLines problems={phase.problems} /> : null}
        </div>
      ) : null}

      {verification ? <VerifyStatus v={verification} /> : null}

      {run ? (
        <p className="compile-run" data-testid="run-result">
          output {run.outputShapes.map(shapeText).join(', ')} · {run.ms.toFixed(1)} ms for a batch of {run.batch} · {run.backend}
        </p>
      ) : null}

      <p className="compile-memory" data-testid="memory-status">
        {memory ? `tf.memory(): ${fmt(memory.numTensors)} tensors · ${bytesText(memory.numBytes)}` : 'tf.memory(): TF.js not loaded yet'}
      </p>
    </section>
  );
}

function BackendBadge({ choice }: { choice: BackendChoice | null }) {
  if (!choice) {
    return <span className="backend-badge" data-testid="backend-badge">backend: not started (TF.js loads on Compile)</span>;
  }
  return (
    <span className={`backend-badge ${choice.reason ? 'fallback' : 'preferred'}`} data-testid="backend-badge" data-backend={choice.backend}>
      <strong>{choice.backend}</strong>
      {choice.adapter ? <span className="backend-adapter"> · {choice.adapter}</span> : null}
      {choice.reason ? <span className="backend-reason"> · fallback: {choice.reason}</span> : null}
    </span>
  );
}

function ProblemLines({ problems }: { problems: Problem[] }) {
  return (
    <ul>
      {problems.map((p, i) => (
        <li key={i}>
          {p.nodeId ? <code>{p.nodeId}</code> : null}
          {p.field ? <> · <code>{p.field}</code></> : null}
          {p.nodeId || p.field ? ': ' : ''}
          {p.message}
        </li>
      ))}
    </ul>
  );
}

function VerifyStatus({ v }: { v: Verification }) {
  if (v.ok) {
    return (
      <p className="verify-ok" data-testid="verify-status" data-ok="true">
        <span aria-hidden="true">✓</span> verified: {fmt(v.layers)} layers, {fmt(v.total.tfParams)} params
      </p>
    );
  }
  const bad = v.rows.filter((r) => !r.ok);
  return (
    <div className="verify-diff" data-testid="verify-status" data-ok="false">
      <p>
        <span aria-hidden="true">✗</span> {bad.length} of {fmt(v.layers)} layers differ from TF.js
        {v.total.ok ? '' : ` · total params: netloom ${fmt(v.total.engineParams)}, TF.js ${fmt(v.total.tfParams)}`}
      </p>
      <table>
        <thead>
          <tr><th>layer</th><th>netloom shape</th><th>TF.js shape</th><th>netloom params</th><th>TF.js params</th></tr>
        </thead>
        <tbody>
          {bad.map((r) => (
            <tr key={r.nodeId}>
              <td>{shownText(r.name)} <span className="aside">({shownText(r.kind)})</span></td>
              <td>{shapeText(r.engineShape)}</td>
              <td>{r.tfShape ? shapeText(r.tfShape) : 'no such layer'}</td>
              <td className="num">{fmt(r.engineParams)}</td>
              <td className="num">{r.tfParams === null ? '—' : fmt(r.tfParams)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
