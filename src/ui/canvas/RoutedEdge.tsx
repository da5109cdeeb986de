/**
 * An edge drawn along the route ELK gave it (orthogonal, around the node
 * boxes), so a skip connection or a branch stays visible beside the layers it
 * passes. When its ends have moved since (a node was dragged) the route no
 * longer fits and the edge falls back to a smooth-step path until the next
 * layout; both ends moved together (a whole selection dragged) keep the route,
 * shifted. The tensor shape it carries shows on hover, or always (a setting).
 */
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type Edge, type EdgeProps } from '@xyflow/react';
import { memo, useState } from 'react';
import type { Position } from '../../engine/index.ts';
import { useLayout } from './layout-state.ts';

export interface RoutedData extends Record<string, unknown> {
  /** Output shape of the source, `(None, 56, 56, 64)`, or '' when it has none. */
  shape: string;
}
export type RoutedFlowEdge = Edge<RoutedData, 'routed'>;

/** Handles sit a few pixels off the box ELK saw: up to this far an end is snapped onto the handle. */
const SNAP = 10;

/** The route fitted to the handles now, or null when it no longer fits. */
export function fitRoute(route: readonly Position[] | undefined, sx: number, sy: number, tx: number, ty: number): Position[] | null {
  if (!route || route.length < 2) return null;
  let pts = route.map((p) => ({ ...p }));
  const a = pts[0];
  const b = pts[pts.length - 1];
  const near = (p: Position, x: number, y: number) => Math.abs(p.x - x) <= SNAP && Math.abs(p.y - y) <= SNAP;
  if (!near(a, sx, sy) || !near(b, tx, ty)) {
    // Both ends moved by the same amount: the whole route moves with them.
    const dx = sx - a.x;
    const dy = sy - a.y;
    if (Math.abs(tx - b.x - dx) > SNAP || Math.abs(ty - b.y - dy) > SNAP) return null;
    pts = pts.map((p) => ({ x: p.x + dx, y: p.y + dy }));
  }
  snapEnd(pts, 0, 1, sx, sy);
  snapEnd(pts, pts.length - 1, pts.length - 2, tx, ty);
  return pts;
}

/** Moves end `i` onto (x, y) and drags its neighbour `j` along the shared axis, so segments stay orthogonal. */
function snapEnd(pts: Position[], i: number, j: number, x: number, y: number) {
  const p = pts[i];
  const q = pts[j];
  if (q && q !== p && pts.length > 2) {
    if (Math.abs(p.x - q.x) < 0.5) q.x = x;
    else if (Math.abs(p.y - q.y) < 0.5) q.y = y;
  }
  p.x = x;
  p.y = y;
}

/** An SVG path through the points with corners rounded by up to `r`. */
export function roundedPath(pts: readonly Position[], r = 6): string {
  let d = `M ${pts[0].x} ${pts[0].y}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const p = pts[i - 1];
    const c = pts[i];
    const n = pts[i + 1];
    const l1 = Math.hypot(c.x - p.x, c.y - p.y);
    const l2 = Math.hypot(n.x - c.x, n.y - c.y);
    const k = Math.min(r, l1 / 2, l2 / 2);
    if (k < 0.5) {
      d += ` L ${c.x} ${c.y}`;
      continue;
    }
    const ax = c.x + ((p.x - c.x) / l1) * k;
    const ay = c.y + ((p.y - c.y) / l1) * k;
    const bx = c.x + ((n.x - c.x) / l2) * k;
    const by = c.y + ((n.y - c.y) / l2) * k;
    d += ` L ${ax} ${ay} Q ${c.x} ${c.y} ${bx} ${by}`;
  }
  const z = pts[pts.length - 1];
  return `${d} L ${z.x} ${z.y}`;
}

/** Where a label sits: the middle of the longest segment. */
function labelAt(pts: readonly Position[]): Position {
  let best = 0;
  let at = { x: (pts[0].x + pts[1].x) / 2, y: (pts[0].y + pts[1].y) / 2 };
  for (let i = 1; i < pts.length; i++) {
    const l = Math.hypot(pts[i].x - pts[i - 1].x, pts[i].y - pts[i - 1].y);
    if (l > best) {
      best = l;
      at = { x: (pts[i].x + pts[i - 1].x) / 2, y: (pts[i].y + pts[i - 1].y) / 2 };
    }
  }
  return at;
}

function RoutedEdgeView(props: EdgeProps<RoutedFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd, style, interactionWidth } = props;
  const route = useLayout((s) => s.routes.get(id));
  const always = useLayout((s) => s.edgeShapes === 'always');
  const [hover, setHover] = useState(false);
  const pts = fitRoute(route, sourceX, sourceY, targetX, targetY);
  let path: string;
  let label: Position;
  if (pts) {
    path = roundedPath(pts);
    label = labelAt(pts);
  } else {
    const [p, lx, ly] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 6 });
    path = p;
    label = { x: lx, y: ly };
  }
  const shape = data?.shape ?? '';
  const show = shape && (always || hover || selected);
  return (
    <>
      <g onMouseEnter={() => setHover(true)} onMouseLeave={() => setHover(false)} data-routed={pts ? 'elk' : 'step'}>
        <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} interactionWidth={interactionWidth ?? 14} />
      </g>
      {show ? (
        <EdgeLabelRenderer>
          <div className="edge-shape nodrag nopan" data-testid={`edge-shape-${id}`} style={{ transform: `translate(-50%, -50%) translate(${label.x}px, ${label.y}px)` }}>
            {shape}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const RoutedEdge = memo(RoutedEdgeView);
