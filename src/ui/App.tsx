/**
 * The editor: files bar, palette, canvas, and a side panel with the selected
 * layer, the summary, the compile panel and the data & train panel (each loaded
 * only when opened, since they bring TF.js).
 */
import { ReactFlowProvider } from '@xyflow/react';
import { lazy, Suspense, type CSSProperties } from 'react';
import type { Autosaved } from '../store/autosave.ts';
import { NoticeBar, RestoreOffer } from './Banners.tsx';
import { Canvas } from './canvas/Canvas.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { FileMenu } from './files/FileMenu.tsx';
import { useShortcuts } from './keyboard.ts';
import { Inspector } from './panels/Inspector.tsx';
import { Palette } from './panels/Palette.tsx';
import { SideResizer, useSideWidth } from './panels/SideResizer.tsx';
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

function SidePanel({ width, setWidth }: { width: number; setWidth: (w: number) => void }) {
  const tab = useView((s) => s.tab);
  return (
    <aside className="side">
      <SideResizer width={width} setWidth={setWidth} />
      <div className="tabs" role="tablist">
        {TABS.map(([t, label]) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className="tab" onClick={() => viewStore.getState().setTab(t)}>
            {label}
          </button>
        ))}
      </div>
      <div className="side-body">
        {tab === 'compile' ? (
          <ErrorBoundary what="the compiler"><CompileTab /></ErrorBoundary>
        ) : tab === 'train' ? (
          <ErrorBoundary what="the trainer"><TrainTab /></ErrorBoundary>
        ) : (
          <>
            <ErrorBoundary what="the inspector"><Inspector /></ErrorBoundary>
            <ErrorBoundary what="the summary"><SummaryPanel /></ErrorBoundary>
          </>
        )}
      </div>
    </aside>
  );
}

export function App({ offer }: { offer: Autosaved | null }) {
  useShortcuts();
  const [sideWidth, setSideWidth] = useSideWidth();
  return (
    <ReactFlowProvider>
      <div className="editor" style={{ '--side-width': `${sideWidth}px` } as CSSProperties}>
        <ErrorBoundary what="the files bar"><FileMenu /></ErrorBoundary>
        <div className="banners">
          <ErrorBoundary what="the notices">
            <RestoreOffer offer={offer} />
            <NoticeBar />
          </ErrorBoundary>
        </div>
        <div className="workspace">
          <ErrorBoundary what="the palette"><Palette /></ErrorBoundary>
          <ErrorBoundary what="the canvas"><Canvas /></ErrorBoundary>
          <SidePanel width={sideWidth} setWidth={setSideWidth} />
        </div>
        <Shortcuts />
      </div>
    </ReactFlowProvider>
  );
}
