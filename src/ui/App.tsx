/**
 * The editor: files bar, palette, canvas, and a side panel with the selected
 * layer, the summary, the compile panel and the data & train panel (each loaded
 * only when opened, since they bring TF.js).
 */
import { ReactFlowProvider } from '@xyflow/react';
import { Component, lazy, Suspense, type ErrorInfo, type ReactNode } from 'react';
import type { Autosaved } from '../store/autosave.ts';
import { NoticeBar, RestoreOffer } from './Banners.tsx';
import { Canvas } from './canvas/Canvas.tsx';
import { FileMenu } from './files/FileMenu.tsx';
import { useShortcuts } from './keyboard.ts';
import { Inspector } from './panels/Inspector.tsx';
import { Palette } from './panels/Palette.tsx';
import { SummaryPanel } from './panels/SummaryPanel.tsx';
import { Shortcuts } from './Shortcuts.tsx';
import { useEditor, useView, viewStore, type SideTab } from './state.ts';

const CompilePanel = lazy(() => import('./compile/CompilePanel.tsx').then((m) => ({ default: m.CompilePanel })));

function CompileTab() {
  const graph = useEditor((s) => s.graph);
  const analysis = useEditor((s) => s.analysis);
  return (
    <Suspense fallback={<p className="hint">Loading the compiler…</p>}>
      <CompilePanel graph={graph} analysis={analysis} />
    </Suspense>
  );
}

const TrainPanel = lazy(() => import('./train/TrainPanel.tsx').then((m) => ({ default: m.TrainPanel })));

function TrainTab() {
  return (
    <Suspense fallback={<p className="hint">Loading the trainer…</p>}>
      <TrainPanel />
    </Suspense>
  );
}

const TABS: [SideTab, string][] = [['summary', 'Layer & summary'], ['compile', 'Compile & run'], ['train', 'Data & train']];

function SidePanel() {
  const tab = useView((s) => s.tab);
  return (
    <aside className="side">
      <div className="tabs" role="tablist">
        {TABS.map(([t, label]) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className="tab" onClick={() => viewStore.getState().setTab(t)}>
            {label}
          </button>
        ))}
      </div>
      <div className="side-body">
        {tab === 'compile' ? (
          <ErrorBoundary><CompileTab /></ErrorBoundary>
        ) : tab === 'train' ? (
          <ErrorBoundary><TrainTab /></ErrorBoundary>
        ) : (
          <>
            <Inspector />
            <SummaryPanel />
          </>
        )}
      </div>
    </aside>
  );
}

export function App({ offer }: { offer: Autosaved | null }) {
  useShortcuts();
  return (
    <ReactFlowProvider>
      <div className="editor">
        <FileMenu />
        <div className="banners">
          <RestoreOffer offer={offer} />
          <NoticeBar />
        </div>
        <div className="workspace">
          <Palette />
          <ErrorBoundary><Canvas /></ErrorBoundary>
          <SidePanel />
        </div>
        <Shortcuts />
      </div>
    </ReactFlowProvider>
  );
}

/** A panel that throws shows a message instead of blanking the editor. */
class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

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
          <p>Something went wrong showing this panel: {this.state.error.message}</p>
          <button type="button" className="button" onClick={() => this.setState({ error: null })}>Try again</button>
        </div>
      );
    }
    return this.props.children;
  }
}
