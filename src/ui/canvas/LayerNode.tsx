/**
 * One layer on the canvas: kind, name, key parameters, output shape and
 * parameter count, an error badge or a blocked mark. Re-renders only when its
 * own analysis result, ports or selection change. A block use can open in
 * place to list its inner layers (read-only; the inspector edits the block).
 *
 * Zoomed far out the canvas adds `lod-far` to its container and CSS hides the
 * text, so no node re-renders when the zoom crosses the threshold.
 */
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { fmt, shapeText, type NodeResult } from '../../engine/index.ts';
import { useEditor } from '../state.ts';
import { innerLayers } from './block-layers.ts';
import { expandedStore, useExpanded } from './expanded.ts';
import { shownText } from '../text.ts';

export interface LayerData extends Record<string, unknown> {
  result: NodeResult;
  /** Input ports offered now (merge layers get one more than connected). */
  ports: readonly string[];
  /** Names of the upstream layers in error, for blocked nodes. */
  blockedByNames: string;
}

export type LayerFlowNode = Node<LayerData, 'layer'>;

/** `×3` for a block used three times in a chain. */
function repeatText(r: NodeResult): string {
  const n = (r as { repeat?: number }).repeat;
  return n && n > 1 ? ` ×${n}` : '';
}

/** The inner layers of an open block use; subscribes to the analysis only while open. */
function BlockLayers({ id }: { id: string }) {
  const analysis = useEditor((s) => s.analysis);
  const list = innerLayers(analysis, id) ?? [];
  let copy: number | null = null;
  return (
    <ol className="block-layers nowheel nodrag" data-testid={`block-layers-${id}`} aria-label="Layers inside this block">
      {list.flatMap((r) => {
        const head = r.copy !== null && r.copy !== copy && r.depth === 0
          ? [<li key={`copy-${r.copy}`} className="block-copy">copy {r.copy}</li>]
          : [];
        if (r.depth === 0) copy = r.copy;
        return [
          ...head,
          <li key={r.id} className={`block-layer status-${r.status}`} data-layer={r.id} style={r.depth ? { paddingLeft: `${r.depth * 10}px` } : undefined}>
            <span className="block-layer-name" title={shownText(`${r.kind} ${r.name}`)}>{shownText(r.name)}</span>
            <span className="block-layer-shape">{r.shape ?? r.status}</span>
            <span className="block-layer-params">{fmt(r.paramCount)}</span>
          </li>,
        ];
      })}
    </ol>
  );
}

function BlockToggle({ id, open }: { id: string; open: boolean }) {
  return (
    <>
      <button
        type="button"
        className="block-toggle nodrag"
        aria-expanded={open}
        data-testid={`block-toggle-${id}`}
        title={open ? 'Hide the layers inside' : 'Show the layers inside'}
        onClick={(e) => {
          e.stopPropagation();
          expandedStore.getState().toggle(id);
        }}
      >
        {open ? '▾ hide layers' : '▸ show layers'}
      </button>
      {open ? <BlockLayers id={id} /> : null}
    </>
  );
}

function LayerNodeView({ data, selected }: NodeProps<LayerFlowNode>) {
  const r = data.result;
  const n = data.ports.length;
  const error = r.status === 'error' ? r.errors.map((e) => e.message).join('; ') : '';
  const open = useExpanded(r.id) && r.kind === 'Block';
  return (
    <div className={`layer-node status-${r.status}${r.kind === 'Block' ? ' block-use' : ''}${open ? ' expanded' : ''}${selected ? ' selected' : ''}`} data-testid={`node-${r.id}`} data-kind={r.kind}>
      {data.ports.map((p, i) => (
        <Handle key={p} type="target" position={Position.Top} id={p} style={{ left: `${((i + 1) / (n + 1)) * 100}%` }} data-port={p} />
      ))}
      <div className="layer-head">
        <span className="layer-kind">{shownText(r.kind === 'Block' ? `${(r as { block?: string }).block ?? 'Block'}${repeatText(r)}` : r.kind)}</span>
        <span className="layer-name">{shownText(r.name)}</span>
      </div>
      {r.describe ? <div className="layer-describe">{r.describe}</div> : null}
      <div className="layer-numbers">
        <span className="layer-shape" title="Output shape">{r.status === 'ok' ? shapeText(r.outputShape) : r.status}</span>
        <span className="layer-params" title="Parameters">{fmt(r.paramCount)}</span>
      </div>
      {r.status === 'error' ? (
        <div className="layer-error" role="alert" title={error}>
          <span className="badge" aria-hidden="true">!</span> {shownText(error)}
        </div>
      ) : null}
      {r.status === 'blocked' ? <div className="layer-blocked">blocked by {shownText(data.blockedByNames) || 'an upstream problem'}</div> : null}
      {r.kind === 'Block' ? <BlockToggle id={r.id} open={open} /> : null}
      <Handle type="source" position={Position.Bottom} id="out" />
    </div>
  );
}

/** Equal when the node's own result, ports and selection are the same objects. */
export const LayerNode = memo(
  LayerNodeView,
  (a, b) => a.data.result === b.data.result && a.data.ports === b.data.ports && a.selected === b.selected &&
    a.data.blockedByNames === b.data.blockedByNames,
);
