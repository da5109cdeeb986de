/** What panels outside the canvas may ask of it (set by the canvas while mounted). */
import type { Position } from '../../engine/index.ts';

export const canvasApi: {
  /** The flow position at the centre of the visible canvas. */
  viewCentre: () => Position;
  fitView: () => void;
} = {
  viewCentre: () => ({ x: 0, y: 0 }),
  fitView: () => undefined,
};
