/** Every layer kind, grouped by category, with search. Drag onto the canvas, or Enter to add at the view's centre. */
import { useMemo, useState, type KeyboardEvent } from 'react';
import { CATEGORIES, LAYERS } from '../../engine/index.ts';
import { canvasApi } from '../canvas/canvas-api.ts';
import { KIND_MIME } from '../canvas/Canvas.tsx';
import { editorStore } from '../state.ts';

function addAtCentre(kind: string) {
  const c = canvasApi.viewCentre();
  editorStore.getState().addNode(kind, { x: c.x - 100, y: c.y - 40 });
}

export function Palette() {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const hit = (l: (typeof LAYERS)[number]) => !q || l.kind.toLowerCase().includes(q) || l.doc.toLowerCase().includes(q);
    return CATEGORIES.map((c) => ({ category: c, kinds: LAYERS.filter((l) => l.category === c && hit(l)) })).filter((g) => g.kinds.length);
  }, [query]);

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    const first = groups[0]?.kinds[0];
    if (e.key === 'Enter' && first) addAtCentre(first.kind);
  };

  return (
    <aside className="palette" aria-label="Layer palette">
      <input
        type="search"
        className="palette-search"
        placeholder="Search layers…"
        aria-label="Search layers"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onSearchKey}
      />
      {groups.map((g) => (
        <section key={g.category} className="palette-group">
          <h3>{g.category}</h3>
          <ul>
            {g.kinds.map((l) => (
              <li key={l.kind}>
                <button
                  type="button"
                  className="palette-item"
                  draggable
                  data-kind={l.kind}
                  title={l.doc}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(KIND_MIME, l.kind);
                    e.dataTransfer.effectAllowed = 'copy';
                  }}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      addAtCentre(l.kind);
                    }
                  }}
                >
                  {l.kind}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </aside>
  );
}
