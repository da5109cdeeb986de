/**
 * Every layer kind, grouped by category, and the open network's blocks, with
 * search. Drag onto the canvas, or Enter to add at the view's centre.
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import { CATEGORIES, LAYERS } from '../../engine/index.ts';
import { canvasApi } from '../canvas/canvas-api.ts';
import { KIND_MIME } from '../canvas/Canvas.tsx';
import { editorStore, useEditor } from '../state.ts';

/** Palette entries for the open network's blocks carry this prefix. */
export const BLOCK_PREFIX = 'block:';

/** Adds a layer kind, or a use of a block (`block:<name>`), at `p`. */
export function addItem(item: string, p: { x: number; y: number }) {
  const ed = editorStore.getState();
  if (item.startsWith(BLOCK_PREFIX)) ed.addBlockUse(item.slice(BLOCK_PREFIX.length), p);
  else ed.addNode(item, p);
}

function addAtCentre(item: string) {
  const c = canvasApi.viewCentre();
  addItem(item, { x: c.x - 100, y: c.y - 40 });
}

function PaletteItem({ item, label, doc }: { item: string; label: string; doc: string }) {
  return (
    <li>
      <button
        type="button"
        className="palette-item"
        draggable
        data-kind={item}
        title={doc}
        onDragStart={(e) => {
          e.dataTransfer.setData(KIND_MIME, item);
          e.dataTransfer.effectAllowed = 'copy';
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            addAtCentre(item);
          }
        }}
      >
        {label}
      </button>
    </li>
  );
}

export function Palette() {
  const [query, setQuery] = useState('');
  const blocks = useEditor((s) => s.graph.blocks);
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const hit = (l: (typeof LAYERS)[number]) => !q || l.kind.toLowerCase().includes(q) || l.doc.toLowerCase().includes(q);
    const layers = CATEGORIES.map((c) => ({
      category: c as string,
      items: LAYERS.filter((l) => l.category === c && hit(l)).map((l) => ({ item: l.kind, label: l.kind, doc: l.doc })),
    }));
    const defs = Object.entries(blocks ?? {})
      .filter(([name, d]) => !q || name.toLowerCase().includes(q) || (d.title ?? '').toLowerCase().includes(q))
      .map(([name, d]) => ({ item: BLOCK_PREFIX + name, label: name, doc: d.title ?? d.description ?? `the block ${name} of this network` }));
    return [...layers, { category: 'Blocks', items: defs }].filter((g) => g.items.length);
  }, [query, blocks]);

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    const first = groups[0]?.items[0];
    if (e.key === 'Enter' && first) addAtCentre(first.item);
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
            {g.items.map((x) => <PaletteItem key={x.item} {...x} />)}
          </ul>
        </section>
      ))}
    </aside>
  );
}
