/**
 * The selected layer: its name and a form generated from its kind's schema,
 * then its arithmetic, its cost in the summary's convention (multiply-adds or
 * FLOPs) and, where PyTorch counts it otherwise, PyTorch's count and why.
 */
import { useEffect, useState } from 'react';
import { blockUse, blockUseResult, fmt, getLayer, shapeText, type ParamSchemaMap } from '../../engine/index.ts';
import { BlockInspector } from './BlockInspector.tsx';
import { AttentionCost } from './AttentionCost.tsx';
import { COST_LABEL, costText, torchOf } from '../../store/conventions.ts';
import { fieldText, receptiveField } from '../../store/receptive-field.ts';
import { editorStore, useEditor, useView } from '../state.ts';
import { ParamField } from './ParamField.tsx';
import { ShareField } from './ShareField.tsx';

function NameField({ id, name }: { id: string; name: string }) {
  const [text, setText] = useState(name);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setText(name);
    setProblem(null);
  }, [name, id]);
  return (
    <div className={`field${problem ? ' invalid' : ''}`}>
      <label htmlFor="layer-name">name</label>
      <input
        id="layer-name"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setProblem(editorStore.getState().rename(id, e.target.value));
        }}
      />
      {problem ? <p className="field-problem" role="alert">{problem}</p> : null}
    </div>
  );
}

export function Inspector() {
  const selection = useEditor((s) => s.selection);
  const id = selection.length === 1 ? selection[0] : null;
  const node = useEditor((s) => (id ? s.graph.nodes.find((n) => n.id === id) : undefined));
  const result = useEditor((s) => (id ? s.analysis.byId.get(id) : undefined));
  const field = useEditor((s) => (id ? fieldText(receptiveField(s.analysis, id)) : ''));
  const torch = useEditor((s) => (id ? torchOf(s.analysis, id) : null));
  const cost = useView((s) => s.cost);

  if (!node || !result) {
    return (
      <div className="inspector empty">
        <p className="hint">{selection.length > 1 ? `${selection.length} layers selected.` : 'Select a layer to edit its parameters.'}</p>
      </div>
    );
  }
  const spec = getLayer(node.kind);
  const use = blockUse(node);
  const schema = (spec?.params ?? {}) as ParamSchemaMap;
  return (
    <div className="inspector" aria-label={`Inspector for ${result.name}`}>
      <h2>
        {result.kind} <span className="aside">{spec?.doc}</span>
      </h2>
      <NameField id={node.id} name={node.name} />
      {use ? <BlockInspector use={use} result={blockUseResult(result)} /> : null}
      {Object.entries(schema).map(([field, s]) => (
        <ParamField
          key={`${node.id}.${field}`}
          id={node.id}
          field={field}
          schema={s}
          value={result.params[field]}
          apply={(v) => editorStore.getState().setParam(node.id, field, v)}
        />
      ))}
      {use ? null : <ShareField id={node.id} />}
      <dl className="facts">
        <dt>Output shape</dt>
        <dd className="mono">{result.status === 'ok' ? shapeText(result.outputShape) : result.status}</dd>
        <dt>Parameters</dt>
        <dd className="mono" data-testid="inspector-formula">{result.formula || fmt(result.paramCount)}</dd>
        {torch ? (
          <>
            <dt>PyTorch view</dt>
            <dd data-testid="inspector-pytorch">
              <span className="mono">{torch.formula}</span>
              <span className="aside torch-why">{torch.why}</span>
            </dd>
          </>
        ) : null}
        <dt>{COST_LABEL[cost].inspector}</dt>
        <dd className="mono" data-testid="inspector-cost">{costText(result.macs, cost)}</dd>
        {field ? (
          <>
            <dt>Receptive field</dt>
            <dd className="mono" data-testid="receptive-field">{field}</dd>
          </>
        ) : null}
        {result.weights.length ? (
          <>
            <dt>Weights</dt>
            <dd className="mono">{result.weights.map((w) => `${w.name} ${w.shape.join('×')}${w.trainable ? '' : ' (frozen)'}`).join(', ')}</dd>
          </>
        ) : null}
      </dl>
      <AttentionCost result={result} />
      {result.errors.length ? (
        <ul className="problems">{result.errors.map((e, i) => <li key={i}>{e.message}</li>)}</ul>
      ) : null}
    </div>
  );
}
