/** Beside Layout: top-down or left-right (choosing lays the graph out again), and edge shapes on hover or always. */
import { useLayout, layoutStore } from './layout-state.ts';

export function LayoutChoices({ relayout }: { relayout: () => void }) {
  const direction = useLayout((s) => s.direction);
  const shapes = useLayout((s) => s.edgeShapes);
  const busy = useLayout((s) => s.busy);
  const done = useLayout((s) => s.done);
  return (
    <span className="layout-choices" role="group" aria-label="Layout choices" data-busy={busy ? 'yes' : undefined} data-layouts={done} data-testid="layout-choices">
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
      <label className="layout-shapes" title="Show each edge's tensor shape always, or only when the pointer is over it">
        <input type="checkbox" data-testid="edge-shapes" checked={shapes === 'always'} onChange={(e) => layoutStore.getState().setEdgeShapes(e.target.checked ? 'always' : 'hover')} />
        shapes
      </label>
    </span>
  );
}
