/** The keyboard shortcut list, opened with `?`. */
import { SHORTCUTS } from './keyboard.ts';
import { useView, viewStore } from './state.ts';

export function Shortcuts() {
  const open = useView((s) => s.shortcutsOpen);
  if (!open) return null;
  return (
    <div className="overlay" onClick={() => viewStore.getState().toggleShortcuts(false)}>
      <div className="dialog" role="dialog" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map(([k, what]) => (
              <tr key={k}><th scope="row"><kbd>{k}</kbd></th><td>{what}</td></tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="button" onClick={() => viewStore.getState().toggleShortcuts(false)}>Close</button>
      </div>
    </div>
  );
}
