/**
 * One layer on the canvas: kind, name, key parameters, output shape and
 * parameter count, an error badge or a blocked mark, and in compare mode what
 * changed. Re-renders only when its own analysis result, ports, selection or
 * compare mark change. A block use can open in
 * place to list its inner layers (read-only; the inspector edits the block).
 *
 * Zoomed far out the canvas adds `lod-far` to its container and CSS hides the
 * text, so no node re-renders when the zoom crosses the threshold.
 */
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { blockUseResult, fmt, isBlockUse, shapeText, type NodeResult } from '../../engine/index.ts';
import { BADGE, paramsDelta, type NodeMark } from '../../store/compare.ts';
import { useCompare, useEditor } from '../state.ts';
import { innerLayers } from './block-layers.ts';
import { nodeTint, useOverlay } from './overlay.ts';
import { expandedStore, useExpanded } from './expanded.ts';
import { shownText } from '../text.ts';
import { useLayout } from './layout-state.ts';
import { portFraction } from './elk-layout.ts';

/** An input port: its handle id (`in0`, …, what edges name) and the name it shows. */
export interface PortView {
  id: string;
  name: string;
}

export interface LayerData extends Record<string, unknown> {
  result: NodeResult;
  /** Input ports offered now (merge layers get one more than connected). */
  ports: readonly PortView[];
  /** Names of the upstream layers in error, for blocked nodes. */
  blockedByNames: string;
}

export type LayerFlowNode = Node<LayerData, 'layer'>;

/** What the head names: the kind, or for a block use its block (`bottleneck ×3` for three copies in a chain). */
function kindText(r: NodeResult): string {
  const use = blockUseResult(r);
  if (!use) return r.kind;
  return use.repeat > 1 ? `${use.block} ×${use.repeat}` : use.block;
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

/**
 * Compare mode's line: a text badge (not colour alone), the parameter delta
 * and the status word; under it what changed, for a layer that was itself
 * edited (a block use or a layer changed only by what feeds it keeps it in
 * the tooltip and the panel, so nodes grow as little as they can).
 */
function CompareLine({ mark, block }: { mark: NodeMark; block: boolean }) {
  const detail = !block && !mark.upstream;
  return (
    <div className="layer-compare" data-testid="layer-compare" data-status={mark.status} title={shownText(mark.detail)}>
      <div className="layer-compare-line">
        <span className={`cmp-badge cmp-${mark.status}`} aria-hidden="true">{BADGE[mark.status]}</span>
        <span className="layer-compare-delta">{paramsDelta(mark.deltaParams)}</span>
        <span className="layer-compare-word">{mark.upstream ? 'via inputs' : mark.status}</span>
      </div>
      {detail ? <div className="layer-compare-detail">{shownText(mark.detail)}</div> : null}
    </div>
  );
}

function LayerNodeView({ data, selected }: NodeProps<LayerFlowNode>) {
  const r = data.result;
  const n = data.ports.length;
  const error = r.status === 'error' ? [...new Set(r.errors.map((e) => e.message))].join('; ') : '';
  const blocked = r.status === 'blocked' ? `blocked by ${shownText(data.blockedByNames) || 'an upstream problem'}` : '';
  const use = isBlockUse(r);
  const open = useExpanded(r.id) && use;
  const head = kindText(r);
  // Subscribes to this node's own mark: a recomputed comparison re-renders the nodes whose mark changed.
  const mark = useCompare((s) => s.view?.marks.get(r.id));
  // The overlay's tint (a string: the node re-renders only when its own colour changes).
  const tint = useOverlay((s) => nodeTint(s, r));
  // Left-to-right layouts take inputs on the left and give the output on the right.
  const across = useLayout((s) => s.direction === 'RIGHT');
  return (
    <div
      className={`layer-node status-${r.status}${use ? ' block-use' : ''}${open ? ' expanded' : ''}${selected ? ' selected' : ''}${mark ? ` cmp-${mark.status}${mark.upstream ? ' cmp-upstream' : ''}` : ''}`}
      data-testid={`node-${r.id}`} data-kind={r.kind} data-compare={mark?.status}
      data-tint={tint ?? undefined} style={tint ? { background: tint } : undefined}
    >
      {data.ports.map((p, i) => (
        <Handle key={p.id} type="target" position={across ? Position.Left : Position.Top} id={p.id} style={{ [across ? 'top' : 'left']: `${portFraction(i, n) * 100}%` }} data-port={p.id} title={shownText(p.name)} />
      ))}
      <div className="layer-head">
        <span className="layer-kind">{shownText(head)}</span>
        <span className="layer-name">{shownText(r.name)}</span>
      </div>
      {/* A block use's description is its head (`res ×2`): shown once. */}
      {r.describe && r.describe !== head ? <div className="layer-describe">{shownText(r.describe)}</div> : null}
      {/* A block use is a collapsed piece of network: what goes in, as a group box shows it, then what comes out. */}
      {use && r.status === 'ok' && r.inputShapes.length ? (
        <div className="layer-block-in" title="Input shape" data-testid={`block-in-${r.id}`}>in {r.inputShapes.map((x) => shapeText(x)).join(', ')}</div>
      ) : null}
      <div className="layer-numbers">
        <span className="layer-shape" title="Output shape">{r.status === 'ok' ? shapeText(r.outputShape) : r.status}</span>
        <span className="layer-params" title="Parameters">{fmt(r.paramCount)}</span>
      </div>
      {r.status === 'error' ? (
        // A chip on the corner, not a line of text: the node keeps its size (and its neighbours their room)
        // while the message is in the tooltip, the inspector and the Problems list.
        <div className="layer-error" role="alert" title={shownText(error)} data-testid={`error-${r.id}`}>
          <span className="badge" aria-hidden="true">!</span>
          <span className="visually-hidden">{shownText(error)}</span>
        </div>
      ) : null}
      {blocked ? (
        // The same corner, in grey: waiting on an upstream layer changes no node's size either.
        <div className="layer-blocked" title={blocked} data-testid={`blocked-${r.id}`}>
          <span className="badge" aria-hidden="true">…</span>
          <span className="visually-hidden">{blocked}</span>
        </div>
      ) : null}
      {mark ? <CompareLine mark={mark} block={use} /> : null}
      {use ? <BlockToggle id={r.id} open={open} /> : null}
      <Handle type="source" position={across ? Position.Right : Position.Bottom} id="out" />
    </div>
  );
}

/** Equal when the node's own result, ports and selection are the same objects. */
export const LayerNode = memo(
  LayerNodeView,
  (a, b) => a.data.result === b.data.result && a.data.ports === b.data.ports && a.selected === b.selected &&
    a.data.blockedByNames === b.data.blockedByNames,
);
