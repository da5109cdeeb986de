/** What a group's buttons do (set by the canvas while mounted, which knows how to lay out again). */
export const groupActions: {
  toggle: (group: string) => void;
  ungroup: (group: string) => void;
  /** Groups the selected layers. */
  groupSelection: () => void;
  /** Collapses (true) or expands (false) every group. */
  all: (collapsed: boolean) => void;
} = {
  toggle: () => undefined,
  ungroup: () => undefined,
  groupSelection: () => undefined,
  all: () => undefined,
};
