/**
 * The network's title in the top bar; clicking it edits the title, the
 * description and the file name (exports are named after it). Text only:
 * whatever a file carries is shown as typed, never as markup.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { editorStore, useEditor } from '../state.ts';
import './files.css';
import { shownText } from '../text.ts';

export function DocTitle() {
  const title = useEditor((s) => s.graph.title ?? s.graph.name);
  const dirty = useEditor((s) => s.dirty);
  const [editing, setEditing] = useState(false);

  return (
    <div className="doc-title-wrap">
      <button
        type="button"
        className="doc-title"
        title={`${shownText(title)} (click to edit the title and description)`}
        onClick={() => setEditing(!editing)}
        aria-expanded={editing}
        data-testid="doc-title"
      >
        {shownText(title)}{dirty ? ' •' : ''}
      </button>
      {editing ? <MetaForm onClose={() => setEditing(false)} /> : null}
    </div>
  );
}

function MetaForm({ onClose }: { onClose: () => void }) {
  const graph = editorStore.getState().graph;
  const [title, setTitle] = useState(graph.title ?? '');
  const [description, setDescription] = useState(graph.description ?? '');
  const [name, setName] = useState(graph.name);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    first.current?.focus();
    first.current?.select();
  }, []);

  const save = (e: FormEvent) => {
    e.preventDefault();
    const g = editorStore.getState().graph;
    const meta: { title?: string; description?: string; name?: string } = {};
    if (title !== (g.title ?? '')) meta.title = title;
    if (description !== (g.description ?? '')) meta.description = description;
    if (name !== g.name) meta.name = name;
    if (Object.keys(meta).length) editorStore.getState().setMeta(meta);
    onClose();
  };

  return (
    <form
      className="meta-form"
      aria-label="Network title and description"
      onSubmit={save}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <label>
        Title
        <input ref={first} value={title} maxLength={500} onChange={(e) => setTitle(e.target.value)} data-testid="meta-title" />
      </label>
      <label>
        Description
        <textarea value={description} rows={5} maxLength={10_000} onChange={(e) => setDescription(e.target.value)} data-testid="meta-description" />
      </label>
      <label>
        File name <span className="hint">(Save and Export name files after it)</span>
        <input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} data-testid="meta-name" spellCheck={false} />
      </label>
      <div className="meta-actions">
        <button type="submit" className="button primary">Apply</button>
        <button type="button" className="button" onClick={onClose}>Cancel</button>
      </div>
    </form>
  );
}
