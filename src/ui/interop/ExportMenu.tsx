/** Export ▾ in the top bar: the graph as netloom JSON, TF.js model.json, Keras Python, TF.js JavaScript, SVG or PNG. */
import { useEffect, useRef, useState } from 'react';
import { editorStore } from '../state.ts';
import { buildExport, download, EXPORTS, refusalText, type ExportEntry } from './exports.ts';
import './interop.css';

export function ExportMenu() {
  const [open, setOpen] = useState(false);
  const [distribute, setDistribute] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('pointerdown', away);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('pointerdown', away);
      document.removeEventListener('keydown', esc);
    };
  }, [open]);

  const run = async (entry: ExportEntry) => {
    const ed = editorStore.getState();
    setBusy(entry.format);
    try {
      // The Keras script trains on what the Data & train tab chose (its store is loaded only with the tab).
      const python = entry.format === 'python' ? (await import('../train/trainStore.ts')).pythonExportOptions() : undefined;
      const file = await buildExport(entry.format, ed.graph, { distribute, python });
      download(file);
      if (entry.format === 'netloom') ed.markSaved();
      editorStore.getState().notify({ kind: 'info', text: `Exported ${file.fileName}.` });
    } catch (e) {
      editorStore.getState().notify({ kind: 'error', text: refusalText(entry, e) });
    } finally {
      setBusy(null);
      setOpen(false);
    }
  };

  return (
    <div className="menu export-menu" ref={root}>
      <button type="button" className="button" aria-expanded={open} aria-haspopup="menu" onClick={() => setOpen(!open)}>Export ▾</button>
      {open ? (
        <ul className="menu-list" role="menu" aria-label="Export the network">
          {EXPORTS.map((x) => (
            <li key={x.format} role="none">
              <button type="button" role="menuitem" className="menu-item" data-export={x.format} disabled={busy !== null} onClick={() => void run(x)}>
                <span className="menu-title">{x.label}{busy === x.format ? ' …' : ''}</span>
                <span className="menu-aside">{x.aside}</span>
              </button>
              {x.format === 'python' ? (
                <label className="export-option">
                  <input type="checkbox" checked={distribute} onChange={(e) => setDistribute(e.target.checked)} data-testid="export-distribute" />
                  distributed: every device and host (keras.distribution, tf.distribute)
                </label>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
