/**
 * One layer on the canvas: kind, name, key parameters, output shape and
 * parameter count, an error badge or a blocked mark. Re-renders only when its
 * own analysis result, ports or selection change.
 */
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { fmt, shapeText, type NodeResult } from '../../engine/index.ts';

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

function LayerNodeView({ data, selected }: NodeProps<LayerFlowNode>) {
  const r = data.result;
  const n = data.ports.length;
  const error = r.status === 'error' ? r.errors.map((e) => e.message).join('; ') : '';
  return (
    <div className={`layer-node status-${r.status}${r.kind === 'Block' ? ' block-use' : ''}${selected ? ' selected' : ''}`} data-testid={`node-${r.id}`} data-kind={r.kind}>
      {data.ports.map((p, i) => (
        <Handle key={p} type="target" position={Position.Top} id={p} style={{ left: `${((i + 1) / (n + 1)) * 100}%` }} data-port={p} />
      ))}
      <div className="layer-head">
        <span className="layer-kind">{r.kind === 'Block' ? `${(r as { block?: string }).block ?? 'Block'}${repeatText(r)}` : r.kind}</span>
        <span className="layer-name">{r.name}</span>
      </div>
      {r.describe ? <div className="layer-describe">{r.describe}</div> : null}
      <div className="layer-numbers">
        <span className="layer-shape" title="Output shape">{r.status === 'ok' ? shapeText(r.outputShape) : r.status}</span>
        <span className="layer-params" title="Parameters">{fmt(r.paramCount)}</span>
      </div>
      {r.status === 'error' ? (
        <div className="layer-error" role="alert" title={error}>
          <span className="badge" aria-hidden="true">!</span> {error}
        </div>
      ) : null}
      {r.status === 'blocked' ? <div className="layer-blocked">blocked by {data.blockedByNames || 'an upstream problem'}</div> : null}
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
