/** Beside Layout: top-down or left-right (choosing lays the graph out again), and edge shapes on hover or always. */
import { useEditor } from '../state.ts';
import { groupActions } from './group-actions.ts';
import { useLayout, layoutStore } from './layout-state.ts';

export function LayoutChoices({ relayout }: { relayout: () => void }) {
  const direction = useLayout((s) => s.direction);
  const shapes = useLayout((s) => s.edgeShapes);
  const busy = useLayout((s) => s.busy);
  const done = useLayout((s) => s.done);
  const ms = useLayout((s) => s.lastMs);
  const groups = useEditor((s) => s.graph.groups?.length ?? 0);
  const picked = useEditor((s) => s.selection.length);
  return (
    <span className="layout-choices" role="group" aria-label="Layout choices" data-busy={busy ? 'yes' : undefined} data-layouts={done} data-layout-ms={ms === null ? undefined : Math.round(ms)} data-testid="layout-choices">
      <button
        type="button" className="button layout-direction" data-testid="layout-direction" aria-pressed={direction === 'RIGHT'}
        title={direction === 'DOWN' ? 'Layers flow top-down: switch to left-right and lay out again' : 'Layers flow left-right: switch to top-down and lay out again'}
        onClick={() => {
          layoutStore.getState().setDirection(direction === 'DOWN' ? 'RIGHT' : 'DOWN');
          relayout();
        }}
      >
        {direction === 'DOWN' ? '↓' : '→'}
      </button>
      <button type="button" className="button" data-testid="group-selection" disabled={!picked} onClick={() => groupActions.groupSelection()} title="Group the selected layers (collapse the group from its header)">Group</button>
      {groups ? (
        <>
          <button type="button" className="button" data-testid="groups-collapse" onClick={() => groupActions.all(true)} title="Collapse every block into one box">⊟</button>
          <button type="button" className="button" data-testid="groups-expand" onClick={() => groupActions.all(false)} title="Expand every group">⊞</button>
        </>
      ) : null}
      <label className="layout-shapes" title="Show each edge's tensor shape always, or only when the pointer is over it">
        <input type="checkbox" data-testid="edge-shapes" checked={shapes === 'always'} onChange={(e) => layoutStore.getState().setEdgeShapes(e.target.checked ? 'always' : 'hover')} />
        shapes
      </label>
    </span>
  );
}
