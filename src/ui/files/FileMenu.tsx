/** Top bar: the title (click to edit), New, Open (netloom, TF.js and Keras files), Save, Export, Examples, Compare with…, Recover, Share, Layout, Fit, Undo/Redo, shortcut list. */
import { useRef, useState, type ChangeEvent } from 'react';
import { fmt } from '../../engine/index.ts';
import { encodeShare } from '../../store/share.ts';
import { canvasApi } from '../canvas/canvas-api.ts';
import { CompareMenu } from '../compare/CompareMenu.tsx';
import { LayoutChoices } from '../canvas/LayoutChoices.tsx';
import { moveNodes } from '../../store/ops.ts';
import { ExportMenu } from '../interop/ExportMenu.tsx';
import { editorStore, useEditor, viewStore } from '../state.ts';
import { DocTitle } from './DocTitle.tsx';
import { byFamily, exampleInfos, type ExampleInfo } from './examples.ts';
import { releaseModels } from '../compile/release.ts';
import { downloadGraph, openFile } from './open-file.ts';
import { openRecover, RecoverDialog } from './RecoverDialog.tsx';

export function FileMenu() {
  const fileInput = useRef<HTMLInputElement>(null);
  const canUndo = useEditor((s) => s.history.past.length > 0);
  const canRedo = useEditor((s) => s.history.future.length > 0);
  const [examples, setExamples] = useState<ExampleInfo[] | null>(null);
  const [examplesOpen, setExamplesOpen] = useState(false);
  const [shareUrl, setShareUrl] = useState('');

  const onPick = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) void openFile(file).then((ok) => ok && void canvasApi.openLaidOut());
  };

  const toggleExamples = () => {
    setExamplesOpen(!examplesOpen);
    if (!examples) void exampleInfos().then(setExamples);
  };

  const openExample = (x: ExampleInfo) => {
    setExamplesOpen(false);
    editorStore.getState().load(x.graph, `${x.key}.json`);
    void canvasApi.openLaidOut();
  };

  /** A new network: the compiled and trained models of the old one are disposed, so their tensors leave memory. */
  const newNetwork = () => {
    releaseModels();
    editorStore.getState().load({ name: 'untitled', title: 'Untitled network', nodes: [], edges: [] }, 'a new network');
  };

  const share = async () => {
    const frag = await encodeShare(editorStore.getState().graph);
    const url = `${location.origin}${location.pathname}#${frag}`;
    setShareUrl(url);
    try {
      await navigator.clipboard.writeText(url);
      editorStore.getState().notify({ kind: 'info', text: 'Share link copied to the clipboard.' });
    } catch {
      editorStore.getState().notify({ kind: 'info', text: 'Share link ready: copy it from the box.' });
    }
  };

  const layout = async () => {
    const ed = editorStore.getState();
    const only = ed.selection.length > 1 ? new Set(ed.selection) : undefined;
    const before = ed.graph;
    const pos = await canvasApi.layout(only);
    if (!pos || editorStore.getState().graph !== before) return;
    ed.replaceGraph(moveNodes(before, pos));
    if (!only) setTimeout(() => canvasApi.fitView(), 50);
  };

  return (
    <header className="topbar">
      <span className="brand">netloom</span>
      <DocTitle />
      <button type="button" className="button" onClick={newNetwork}>New</button>
      <button type="button" className="button" onClick={() => fileInput.current?.click()} title="Open a netloom graph, a TF.js model.json or a Keras model.to_json() file (or drop one on the canvas)">Open…</button>
      <input ref={fileInput} type="file" accept=".json,application/json" className="visually-hidden" tabIndex={-1} aria-label="Open a netloom graph, TF.js model.json or Keras JSON file" onChange={onPick} />
      <button type="button" className="button" onClick={() => { downloadGraph(editorStore.getState().graph); editorStore.getState().markSaved(); }}>Save</button>
      <ExportMenu />
      <div className="menu">
        <button type="button" className="button" aria-expanded={examplesOpen} onClick={toggleExamples}>Examples ▾</button>
        {examplesOpen ? (
          <ul className="menu-list examples-menu" role="menu">
            {!examples ? <li className="hint">Loading…</li> : null}
            {examples ? byFamily(examples).map((g) => (
              <li key={g.family} role="none" className="menu-group">
                <div className="menu-group-title" role="presentation">{g.family}</div>
                <ul role="group" aria-label={g.family} data-family={g.family}>
                  {g.examples.map((x) => (
                    <li key={x.key} role="none">
                      <button type="button" role="menuitem" className="menu-item" data-example={x.key} onClick={() => openExample(x)}>
                        <span className="menu-title">{x.title}</span>
                        <span className="menu-aside">{fmt(x.params)} params · {x.layers} layers</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </li>
            )) : null}
          </ul>
        ) : null}
      </div>
      <CompareMenu />
      <button type="button" className="button" onClick={openRecover} title="Networks autosaved in this browser: other tabs, earlier visits, work an open replaced">Recover…</button>
      <button type="button" className="button" onClick={() => void share()}>Share</button>
      <span className="spacer" />
      <button type="button" className="button" disabled={!canUndo} onClick={() => editorStore.getState().undo()} title="Undo (Ctrl+Z)">Undo</button>
      <button type="button" className="button" disabled={!canRedo} onClick={() => editorStore.getState().redo()} title="Redo (Ctrl+Shift+Z)">Redo</button>
      <button type="button" className="button" onClick={() => void layout()} title="Auto-layout the graph, or the selection (L)">Layout</button>
      <LayoutChoices relayout={() => void layout()} />
      <button type="button" className="button" onClick={() => canvasApi.fitAll()} title="Fit everything in view (F)">Fit</button>
      <button type="button" className="button" onClick={() => viewStore.getState().toggleShortcuts(true)} title="Keyboard shortcuts (?)">?</button>
      {shareUrl ? (
        <input className="share-url" readOnly value={shareUrl} aria-label="Share link" onFocus={(e) => e.currentTarget.select()} data-testid="share-url" />
      ) : null}
      <RecoverDialog />
    </header>
  );
}
