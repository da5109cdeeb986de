/**
 * "Compare with…" in the files bar: the last saved version (the document as
 * last saved to a file or opened, not an autosave), a file, or an example.
 * Choosing one turns compare mode on; "Stop comparing" (here or in the
 * changes panel) turns it off.
 */
import { useRef, useState, type ChangeEvent } from 'react';
import { loadAnyModelText } from '../../interop/load.ts';
import { importedName, type SavedVersion } from '../../store/editor.ts';
import type { CompareReference } from '../../store/compare.ts';
import { exampleInfos, type ExampleInfo } from '../files/examples.ts';
import { readModelFile } from '../files/open-file.ts';
import { compareStore, editorStore, useCompare, useEditor } from '../state.ts';
import { shownText } from '../text.ts';
import './compare.css';

const time = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** `alexnet.json, as opened at 14:02`. */
export const savedLabel = (s: SavedVersion): string => `${s.source}, as ${s.how} at ${time(s.at)}`;

/** Parses a picked file as a reference; a failure says why and leaves compare mode as it was. */
async function compareWithFile(file: File): Promise<void> {
  const then = 'Nothing was compared.';
  const text = await readModelFile(file, then);
  if (text === null) return;
  const ed = editorStore.getState();
  let r: ReturnType<typeof loadAnyModelText>;
  try {
    r = loadAnyModelText(text, { name: importedName(file.name) });
  } catch (e) {
    ed.notify({ kind: 'error', text: `Could not compare with ${file.name}: ${(e as Error).message}. ${then}` });
    return;
  }
  if (!r.ok) {
    const first = r.problems.slice(0, 2).map((p) => p.message).join('; ');
    ed.notify({ kind: 'error', text: `Could not compare with ${file.name}: ${first}. ${then}` });
    return;
  }
  start({ graph: r.graph, label: `${file.name} (file)`, from: 'file' });
}

function start(ref: CompareReference) {
  compareStore.getState().start(ref);
}

export function CompareMenu() {
  const [open, setOpen] = useState(false);
  const [examples, setExamples] = useState<ExampleInfo[] | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const comparing = useCompare((s) => s.reference !== null);
  const saved = useEditor((s) => s.saved);

  const toggle = () => {
    setOpen(!open);
    if (!examples) void exampleInfos().then(setExamples);
  };
  const choose = (ref: CompareReference) => {
    setOpen(false);
    start(ref);
  };
  const onPick = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) void compareWithFile(file);
  };

  return (
    <div className="menu compare-menu">
      <button type="button" className={`button${comparing ? ' active' : ''}`} aria-expanded={open} onClick={toggle} data-testid="compare-menu"
        title="Colour the canvas by what changed against another version: a file, an example or the last saved version">
        {comparing ? 'Comparing ▾' : 'Compare with… ▾'}
      </button>
      <input ref={fileInput} type="file" accept=".json,application/json" className="visually-hidden" tabIndex={-1} aria-label="Compare with a netloom, TF.js or Keras JSON file" onChange={onPick} data-testid="compare-file" />
      {open ? (
        <ul className="menu-list compare-list" role="menu" aria-label="Compare with">
          {comparing ? (
            <li role="none">
              <button type="button" role="menuitem" className="menu-item" data-compare="stop" onClick={() => { setOpen(false); compareStore.getState().stop(); }}>
                <span className="menu-title">Stop comparing</span>
                <span className="menu-aside">the canvas draws as usual again</span>
              </button>
            </li>
          ) : null}
          <li role="none">
            <button type="button" role="menuitem" className="menu-item" data-compare="saved"
              onClick={() => choose({ graph: saved.graph, label: savedLabel(saved), from: 'saved' })}>
              <span className="menu-title">The last saved version</span>
              <span className="menu-aside">{shownText(savedLabel(saved))}: the network as you last saved it to a file or opened it</span>
            </button>
          </li>
          <li role="none">
            <button type="button" role="menuitem" className="menu-item" data-compare="file" onClick={() => { setOpen(false); fileInput.current?.click(); }}>
              <span className="menu-title">A file…</span>
              <span className="menu-aside">a netloom graph, a TF.js model.json or a Keras model.to_json() file</span>
            </button>
          </li>
          <li role="none" className="menu-heading">An example</li>
          {!examples ? <li className="hint">Loading…</li> : null}
          {examples?.map((x) => (
            <li key={x.key} role="none">
              <button type="button" role="menuitem" className="menu-item" data-compare-example={x.key}
                onClick={() => choose({ graph: x.graph, label: `${x.key}.json (example)`, from: 'example' })}>
                <span className="menu-title">{x.title}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
