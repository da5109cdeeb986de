/**
 * The inspector's `shares` field: a select of the layers whose weights this
 * one could use (same kind and weights, or an Embedding a bias-free Dense
 * head is tied to), and "own weights" to clear it. The owner counts the
 * weights once; the choice is one undoable edit.
 */
import { useMemo, useState } from 'react';
import { shareCandidates } from '../../engine/index.ts';
import { editorStore, useEditor } from '../state.ts';

export function ShareField({ id }: { id: string }) {
  const analysis = useEditor((s) => s.analysis);
  const shares = useEditor((s) => s.graph.nodes.find((n) => n.id === id)?.shares);
  const [problem, setProblem] = useState<string | null>(null);
  const options = useMemo(() => shareCandidates(analysis, id), [analysis, id]);
  // A current owner stays selectable even when it no longer fits, so the field shows what the file says.
  const listed = shares !== undefined && !options.some((o) => o.id === shares)
    ? [...options, { id: shares, name: analysis.byId.get(shares)?.name ?? shares }]
    : options;
  if (!listed.length) return null;
  return (
    <div className={`field${problem ? ' invalid' : ''}`} data-field="shares">
      <label htmlFor="layer-shares">
        shares <span className="aside">weights of another layer</span>
      </label>
      <select
        id="layer-shares"
        value={shares ?? ''}
        onChange={(e) => setProblem(editorStore.getState().setShares(id, e.target.value || null))}
      >
        <option value="">own weights</option>
        {listed.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
      </select>
      {problem ? <p className="field-problem" role="alert">{problem}</p> : null}
      <p className="hint">the weights are counted once, at the layer they belong to; this layer still costs its multiply-adds</p>
    </div>
  );
}
