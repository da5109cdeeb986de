/** A block use: how many copies, the block's arguments, and what the block contains. */
import { useEffect, useState } from 'react';
import { blockDef, fmt, type BlockUseResult, type BlockUseView } from '../../engine/index.ts';
import { editorStore, useEditor } from '../state.ts';
import { shownText } from '../text.ts';

function ArgField({ id, name, value, fallback }: { id: string; name: string; value: unknown; fallback: unknown }) {
  const shown = value ?? fallback;
  const [text, setText] = useState(JSON.stringify(shown));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setText(JSON.stringify(shown)), [shown]);
  const apply = (t: string) => {
    setText(t);
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      v = t; // a bare word is a string argument
    }
    setProblem(editorStore.getState().setBlockParam(id, `args.${name}`, v));
  };
  return (
    <div className={`field${problem ? ' invalid' : ''}`} data-field={`args.${name}`}>
      <label htmlFor={`arg-${id}-${name}`}>{name}</label>
      <input id={`arg-${id}-${name}`} value={text} onChange={(e) => apply(e.target.value)} />
      {problem ? <p className="field-problem" role="alert">{problem}</p> : null}
    </div>
  );
}

/** `result` is null while the use cannot expand (its problem is shown with the layer's). */
export function BlockInspector({ use: p, result }: { use: BlockUseView; result: BlockUseResult | null }) {
  const node = p.node;
  const def = useEditor((s) => (p.block ? blockDef(s.graph.blocks, p.block) : undefined));
  const [repeat, setRepeat] = useState(String(p.repeat));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setRepeat(String(p.repeat)), [p.repeat]);
  return (
    <>
      <p className="hint">
        Uses block <code>{shownText(p.block)}</code>{def?.title ? `: ${shownText(def.title)}` : ''}.
        {def ? '' : ' This network defines no such block: open a file that defines it, or pick another block.'}
        {result?.members ? ` ${fmt(result.paramCount)} parameters in ${result.members.length} layers.` : ''}
      </p>
      <div className={`field${problem ? ' invalid' : ''}`} data-field="repeat">
        <label htmlFor={`repeat-${node.id}`}>repeat <span className="aside">copies in a chain</span></label>
        <input
          id={`repeat-${node.id}`}
          type="number"
          min={1}
          value={repeat}
          onChange={(e) => {
            setRepeat(e.target.value);
            setProblem(editorStore.getState().setBlockParam(node.id, 'repeat', e.target.value === '' ? NaN : Number(e.target.value)));
          }}
        />
        {problem ? <p className="field-problem" role="alert">{problem}</p> : null}
      </div>
      {Object.entries(def?.params ?? {}).map(([name, fallback]) => (
        <ArgField key={name} id={node.id} name={name} value={p.args[name]} fallback={fallback} />
      ))}
      {def ? (
        <details className="block-def">
          <summary>Definition ({def.nodes.length} layers)</summary>
          <ol>{def.nodes.map((n) => <li key={n.id}><code>{n.id}</code> {n.kind}</li>)}</ol>
        </details>
      ) : null}
      {result?.copyParams && result.copyParams.length > 1 ? (
        <p className="mono">{result.copyParams.map(fmt).join(' + ')} = {fmt(result.paramCount)}</p>
      ) : null}
    </>
  );
}
