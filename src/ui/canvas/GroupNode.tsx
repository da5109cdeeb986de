/**
 * Groups on the canvas. Collapsed, a group is one box with its title, how
 * many layers it holds, their parameter subtotal and the shapes going in and
 * out; edges into and out of its layers attach to the box. Expanded, a thin
 * frame with a header lies behind its layers. The header and the box toggle
 * the group; the frame's body lets clicks through to the canvas.
 */
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { fmt } from '../../engine/index.ts';
import { shownText } from '../text.ts';
import { useLayout } from './layout-state.ts';
import { groupActions } from './group-actions.ts';
import { boxTint, useOverlay, type MetricValues } from './overlay.ts';

export interface GroupBoxData extends Record<string, unknown> {
  group: string;
  title: string;
  layers: number;
  inputs: readonly string[];
  outputs: readonly string[];
  /** Parameters (the subtotal shown), multiply-adds, memory and share summed over the layers inside; the overlay tints the box by them. */
  values: MetricValues;
}
export interface GroupFrameData extends Record<string, unknown> {
  group: string;
  title: string;
  layers: number;
  params: number;
  width: number;
  height: number;
  depth: number;
}
export type GroupBoxNode = Node<GroupBoxData, 'groupBox'>;
export type GroupFrameNode = Node<GroupFrameData, 'groupFrame'>;

function GroupBoxView({ data, selected }: NodeProps<GroupBoxNode>) {
  const across = useLayout((s) => s.direction === 'RIGHT');
  const tint = useOverlay((s) => boxTint(s, data.values));
  return (
    <div
      className={`group-box${selected ? ' selected' : ''}`} data-testid={`group-${data.group}`} data-group={data.group} data-collapsed="yes"
      data-tint={tint ?? undefined} style={tint ? { background: tint } : undefined}
    >
      <Handle type="target" position={across ? Position.Left : Position.Top} id="in" />
      <div className="group-head">
        <button type="button" className="group-toggle nodrag" aria-expanded={false} data-testid={`group-toggle-${data.group}`} title="Show the layers of this group"
          onClick={(e) => { e.stopPropagation(); groupActions.toggle(data.group); }}>▸</button>
        <span className="group-title">{shownText(data.title)}</span>
        <span className="group-count">{data.layers} layers</span>
      </div>
      <div className="group-shapes" title="What goes in and what comes out">
        <span className="group-label">in</span> <span className="group-in">{data.inputs.join(', ') || '—'}</span>
      </div>
      <div className="group-numbers">
        <span className="group-shapes"><span className="group-label">out</span> <span className="group-out">{data.outputs.join(', ') || '—'}</span></span>
        <span className="group-params" title="Parameters of the layers inside" data-testid={`group-params-${data.group}`}>{fmt(data.values.params)}</span>
      </div>
      <Handle type="source" position={across ? Position.Right : Position.Bottom} id="out" />
    </div>
  );
}

function GroupFrameView({ data }: NodeProps<GroupFrameNode>) {
  return (
    <div className={`group-frame depth-${Math.min(data.depth, 3)}`} style={{ width: data.width, height: data.height }} data-testid={`group-${data.group}`} data-group={data.group} data-collapsed="no">
      <div className="group-frame-head">
        <button type="button" className="group-toggle nodrag" aria-expanded data-testid={`group-toggle-${data.group}`} title="Collapse this group into one box"
          onClick={(e) => { e.stopPropagation(); groupActions.toggle(data.group); }}>▾</button>
        <span className="group-title">{shownText(data.title)}</span>
        <span className="group-count">{data.layers} layers · {fmt(data.params)}</span>
        <button type="button" className="group-ungroup nodrag" title="Ungroup: keep the layers, drop the group" data-testid={`group-ungroup-${data.group}`}
          onClick={(e) => { e.stopPropagation(); groupActions.ungroup(data.group); }}>×</button>
      </div>
    </div>
  );
}

export const GroupBox = memo(GroupBoxView);
export const GroupFrame = memo(GroupFrameView);
