/** What panels outside the canvas may ask of it (set by the canvas while mounted). */
import type { Position } from '../../engine/index.ts';

export const canvasApi: {
  /** The flow position at the centre of the visible canvas. */
  viewCentre: () => Position;
  /**
   * The view a network opens with: everything when that keeps node text legible,
   * else the top of the network at a readable zoom (the minimap shows the rest).
   */
  fitView: () => void;
  /** Everything in view, as small as it takes (within the canvas's zoom limits): the Fit button and F. */
  fitAll: () => void;
  /** A layer's measured box on the canvas, if it has been drawn. */
  nodeSize: (id: string) => { width: number; height: number } | undefined;
  /** ELK positions for the graph or `only` (its edge routes kept for drawing), or null when there is nothing to lay out. */
  layout: (only?: ReadonlySet<string>) => Promise<Map<string, Position> | null>;
  /** After opening a network: lay it out (up to LAYOUT_ON_OPEN nodes) as part of opening, then the first view. */
  openLaidOut: () => Promise<void>;
} = {
  viewCentre: () => ({ x: 0, y: 0 }),
  fitView: () => undefined,
  fitAll: () => undefined,
  nodeSize: () => undefined,
  layout: async () => null,
  openLaidOut: async () => undefined,
};
