/**
 * The first page: pick an example graph (or open a local .json) and read its
 * Keras-style summary. The graph editor will grow around this.
 */
import { Component, useEffect, useRef, useState, type ChangeEvent, type ErrorInfo, type ReactNode } from 'react';
import { analyze, parseGraphText, type Analysis, type LoadResult, type Problem } from '../engine/index.ts';
import { ProblemList, SummaryTable } from './SummaryTable.tsx';

/** Example graphs, loaded lazily as text when chosen. */
const exampleLoaders = import.meta.glob<string>('../../examples/*.json', { query: '?raw', import: 'default' });

interface Example {
  /** File name without `.json`; also the page's `#hash`. */
  key: string;
  load: () => Promise<string>;
}

const EXAMPLES: Example[] = Object.entries(exampleLoaders)
  .map(([path, load]) => ({ key: path.slice(path.lastIndexOf('/') + 1).replace(/\.json$/i, ''), load }))
  .sort((a, b) => a.key.localeCompare(b.key));

/** Larger files are refused before reading them into memory. */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

type View =
  | { state: 'empty' }
  | { state: 'loading'; source: string }
  | { state: 'failed'; source: string; message: string; problems: Problem[] }
  | { state: 'loaded'; source: string; analysis: Analysis; migratedFrom?: number };

const STAGE_MESSAGES: Record<Extract<LoadResult, { ok: false }>['stage'], string> = {
  parse: 'is not valid JSON',
  migrate: 'is not a netloom graph this version can open',
  validate: 'does not match the netloom graph format',
};

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Text → view. Never throws: every failure becomes a message. */
function evaluate(source: string, text: string): View {
  let loaded: LoadResult;
  try {
    loaded = parseGraphText(text);
  } catch (e) {
    return { state: 'failed', source, message: `Could not read ${source}: ${errorText(e)}`, problems: [] };
  }
  if (!loaded.ok) {
    return { state: 'failed', source, message: `${source} ${STAGE_MESSAGES[loaded.stage]}.`, problems: loaded.problems };
  }
  try {
    const analysis = analyze(loaded.graph);
    return { state: 'loaded', source, analysis, ...(loaded.migratedFrom !== undefined ? { migratedFrom: loaded.migratedFrom } : {}) };
  } catch (e) {
    return { state: 'failed', source, message: `Could not analyse ${source}: ${errorText(e)}`, problems: [] };
  }
}

function hashKey(): string {
  try {
    return decodeURIComponent(window.location.hash.slice(1));
  } catch {
    return '';
  }
}

function setHash(key: string): void {
  const url = `${window.location.pathname}${window.location.search}${key ? `#${encodeURIComponent(key)}` : ''}`;
  window.history.replaceState(null, '', url);
}

async function readView(source: string, read: () => Promise<string>): Promise<View> {
  try {
    return evaluate(source, await read());
  } catch (e) {
    return { state: 'failed', source, message: `Could not read ${source}: ${errorText(e)}`, problems: [] };
  }
}

export interface InitialState {
  selected: string;
  view: View;
}

/**
 * The example named by the URL's #hash, else the first one, already loaded,
 * so the page's first paint shows a summary rather than a loading line.
 */
export async function loadInitialState(): Promise<InitialState> {
  const wanted = hashKey();
  const ex = EXAMPLES.find((x) => x.key === wanted) ?? EXAMPLES[0];
  if (!ex) return { selected: '', view: { state: 'empty' } };
  setHash(ex.key);
  return { selected: ex.key, view: await readView(`${ex.key}.json`, ex.load) };
}

export function App({ initial }: { initial?: InitialState }) {
  const [selected, setSelected] = useState<string>(initial?.selected ?? '');
  const [view, setView] = useState<View>(initial?.view ?? { state: 'empty' });
  const seq = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);

  /** Loads text from `read`; a newer load supersedes an older one still in flight. */
  const load = async (source: string, read: () => Promise<string>) => {
    const mine = ++seq.current;
    setView({ state: 'loading', source });
    const next = await readView(source, read);
    if (mine === seq.current) setView(next);
  };

  const openExample = (key: string) => {
    const ex = EXAMPLES.find((x) => x.key === key);
    setSelected(ex ? key : '');
    setHash(ex ? key : '');
    if (ex) void load(`${ex.key}.json`, ex.load);
  };

  // Without a preloaded initial state, open the example named by the #hash (else the first).
  // Later edits of the hash (or going back to one) open that example too.
  useEffect(() => {
    if (!initial) {
      const wanted = hashKey();
      const first = EXAMPLES.find((x) => x.key === wanted) ?? EXAMPLES[0];
      if (first) openExample(first.key);
    }
    const onHash = () => {
      const key = hashKey();
      if (key !== '' && EXAMPLES.some((x) => x.key === key)) openExample(key);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    const title = view.state === 'loaded' ? view.analysis.graph.title ?? view.analysis.graph.name : '';
    document.title = title ? `${title} · netloom` : 'netloom';
  }, [view]);

  const onPickFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = ''; // picking the same file again reloads it
    if (!file) return;
    setSelected('');
    setHash('');
    if (file.size > MAX_FILE_BYTES) {
      seq.current++;
      setView({
        state: 'failed', source: file.name, problems: [],
        message: `${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB; netloom opens graph files up to ${MAX_FILE_BYTES / 1024 / 1024} MB.`,
      });
      return;
    }
    void load(file.name, () => file.text());
  };

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">netloom</span>
        <label className="control">
          <span>Examples</span>
          <select
            value={selected}
            onChange={(e) => openExample(e.target.value)}
            disabled={EXAMPLES.length === 0}
          >
            {EXAMPLES.length === 0 ? <option value="">No examples yet</option> : null}
            {EXAMPLES.length > 0 && selected === '' ? <option value="">—</option> : null}
            {EXAMPLES.map((x) => (
              <option key={x.key} value={x.key}>{x.key}</option>
            ))}
          </select>
        </label>
        <button type="button" className="button" onClick={() => fileInput.current?.click()}>
          Open file…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          className="visually-hidden"
          tabIndex={-1}
          aria-label="Open a netloom graph file"
          onChange={onPickFile}
        />
      </header>

      <main className="content">
        <ErrorBoundary resetKey={view}>
          <ViewBody view={view} />
        </ErrorBoundary>
      </main>
    </div>
  );
}

function ViewBody({ view }: { view: View }) {
  switch (view.state) {
    case 'empty':
      return (
        <div className="notice">
          <h1>No graph open</h1>
          <p>
            {EXAMPLES.length === 0
              ? 'There are no example graphs in examples/ yet. '
              : 'Choose an example above. '}
            Use <strong>Open file…</strong> to read a netloom graph (.json) from your computer.
          </p>
        </div>
      );
    case 'loading':
      return <p className="hint" role="status">Loading {view.source}…</p>;
    case 'failed':
      return (
        <div className="notice error" role="alert">
          <h1>Could not open the graph</h1>
          <p>{view.message}</p>
          {view.problems.length ? <ProblemList problems={view.problems} /> : null}
        </div>
      );
    case 'loaded': {
      const g = view.analysis.graph;
      return (
        <article>
          <header className="graph-header">
            <h1>{g.title ?? g.name}</h1>
            <p className="graph-meta">
              <code>{g.name}</code>
              <span className="aside"> · {view.source}</span>
              {view.migratedFrom !== undefined ? (
                <span className="aside"> · upgraded from file version {view.migratedFrom}</span>
              ) : null}
            </p>
            {g.description ? <p className="description">{g.description}</p> : null}
          </header>
          <SummaryTable analysis={view.analysis} />
        </article>
      );
    }
  }
}

/** Shows a message instead of a blank page if rendering a graph ever throws. */
class ErrorBoundary extends Component<{ children: ReactNode; resetKey: unknown }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  override componentDidUpdate(prev: { resetKey: unknown }) {
    if (this.state.error && prev.resetKey !== this.props.resetKey) this.setState({ error: null });
  }

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <div className="notice error" role="alert">
          <h1>Could not show the graph</h1>
          <p>{this.state.error.message}</p>
        </div>
      );
    }
    return this.props.children;
  }
}
