/**
 * Every layer kind, grouped by category, and the open network's blocks, with
 * search. Drag onto the canvas; Enter (or a click) adds under the selected
 * layer, wired from it. A search lists the matches best first (exact name,
 * prefix, word prefix, substring, description); ArrowUp/ArrowDown move the
 * highlighted one and Enter adds it.
 */
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { CATEGORIES, LAYERS } from '../../engine/index.ts';
import { canvasApi } from '../canvas/canvas-api.ts';
import { KIND_MIME } from '../canvas/Canvas.tsx';
import { editorStore, useEditor, viewStore } from '../state.ts';
import { rankEntries, type PaletteEntry } from './palette-rank.ts';

/** Palette entries for the open network's blocks carry this prefix. */
export const BLOCK_PREFIX = 'block:';

/** Adds a layer kind, or a use of a block (`block:<name>`), at `p`. */
export function addItem(item: string, p: { x: number; y: number }) {
  const ed = editorStore.getState();
  if (item.startsWith(BLOCK_PREFIX)) ed.addBlockUse(item.slice(BLOCK_PREFIX.length), p);
  else ed.addNode(item, p);
}

/** Adds under the selected (or lowest) layer, where it covers no other, and brings it into view. */
function addBelow(item: string) {
  const c = canvasApi.viewCentre();
  const id = editorStore.getState().addBelow(item, { x: c.x - 100, y: c.y - 40 }, canvasApi.nodeSize);
  if (id) requestAnimationFrame(() => requestAnimationFrame(() => revealIfHidden(id)));
}

/** Centres the view on a new layer only when it landed outside the visible canvas. */
function revealIfHidden(id: string) {
  const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
  const el = document.querySelector(`.react-flow__node[data-id="${CSS.escape(id)}"]`)?.getBoundingClientRect();
  if (!pane) return;
  const inside = el && el.width > 0 && el.top >= pane.top && el.bottom <= pane.bottom && el.left >= pane.left && el.right <= pane.right;
  if (!inside) viewStore.getState().focusNode(id);
}

function PaletteItem({ entry, active, onPick }: { entry: PaletteEntry; active?: boolean; onPick?: () => void }) {
  return (
    <li>
      <button
        type="button"
        className={`palette-item${active ? ' active' : ''}`}
        draggable
        data-kind={entry.item}
        id={`palette-${entry.item}`}
        aria-selected={active === undefined ? undefined : active}
        role={active === undefined ? undefined : 'option'}
        title={entry.doc}
        onDragStart={(e) => {
          e.dataTransfer.setData(KIND_MIME, entry.item);
          e.dataTransfer.effectAllowed = 'copy';
        }}
        onClick={(e) => {
          // A drag that ends where it started is not a click; only a real click (detail ≥ 1) or Enter adds.
          if (e.detail >= 1) {
            onPick?.();
            addBelow(entry.item);
          }
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            addBelow(entry.item);
          }
        }}
      >
        {entry.label}
      </button>
    </li>
  );
}

export function Palette() {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const blocks = useEditor((s) => s.graph.blocks);
  const blockEntries = useMemo(() => Object.entries(blocks ?? {}).map(([name, d]) => ({
    item: BLOCK_PREFIX + name, label: name, doc: d.title ?? d.description ?? `the block ${name} of this network`,
  })), [blocks]);
  const groups = useMemo(() => {
    const layers = CATEGORIES.map((c) => ({
      category: c as string,
      items: LAYERS.filter((l) => l.category === c).map((l) => ({ item: l.kind, label: l.kind, doc: l.doc })),
    }));
    return [...layers, { category: 'Blocks', items: blockEntries }].filter((g) => g.items.length);
  }, [blockEntries]);
  const matches = useMemo(
    () => (query.trim() ? rankEntries(query, groups.flatMap((g) => g.items)) : null),
    [query, groups],
  );
  useEffect(() => setActive(0), [query]);
  const current = matches?.[Math.min(active, matches.length - 1)];

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!matches?.length) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      const next = (Math.min(active, matches.length - 1) + step + matches.length) % matches.length;
      setActive(next);
      document.getElementById(`palette-${matches[next].item}`)?.scrollIntoView({ block: 'nearest' });
    } else if (e.key === 'Enter' && current) {
      e.preventDefault();
      addBelow(current.item);
    }
  };

  return (
    <aside className="palette" aria-label="Layer palette">
      <input
        type="search"
        className="palette-search"
        placeholder="Search layers…"
        aria-label="Search layers"
        aria-controls="palette-matches"
        aria-activedescendant={current ? `palette-${current.item}` : undefined}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onSearchKey}
      />
      {matches ? (
        <section className="palette-group">
          <h3>{matches.length ? 'Matches · ↑↓ Enter' : 'No layer matches'}</h3>
          <ul id="palette-matches" role="listbox" aria-label="Matching layers">
            {matches.map((x, i) => (
              <PaletteItem key={x.item} entry={x} active={x === current} onPick={() => setActive(i)} />
            ))}
          </ul>
        </section>
      ) : groups.map((g) => (
        <section key={g.category} className="palette-group">
          <h3>{g.category}</h3>
          <ul>
            {g.items.map((x) => <PaletteItem key={x.item} entry={x} />)}
          </ul>
        </section>
      ))}
    </aside>
  );
}
