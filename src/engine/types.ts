/** Core data types of a netloom graph. Plain JSON: no classes, no callbacks. */

/** A tensor shape with the batch dimension first, `null` as Keras's `None`. */
export type Shape = (number | null)[];

export interface Position {
  x: number;
  y: number;
}

export interface GraphNode {
  id: string;
  kind: string;
  name: string;
  params: Record<string, unknown>;
  position?: Position;
  /**
   * Optional display group: nodes sharing a group (e.g. the two towers of one
   * AlexNet layer) also get a combined row with their joint arithmetic.
   */
  group?: string;
  /**
   * Id of another node whose weights this node uses instead of its own (one
   * Keras layer called on two inputs; a head tied to its embedding). The owner
   * counts the weights; this node counts none.
   */
  shares?: string;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** Input port of the target: `in0`, `in1`, … (order matters for Concatenate). */
  targetPort: string;
}

export interface Graph {
  name: string;
  title?: string;
  description?: string;
  /** Reusable subgraphs by name, used by block-use nodes (kind BLOCK_KIND, file version 2). */
  blocks?: Record<string, BlockDef>;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /**
   * Optional canvas groups (engine/grouping.ts): named sets of nodes that the
   * canvas can collapse into one box and expand in place. Display only: no
   * shape or count depends on them. Not the node's `group` (a summary row).
   */
  groups?: GraphGroup[];
}

/** A canvas group: its own nodes, and optionally the group it sits in (a block inside a stage). */
export interface GraphGroup {
  id: string;
  title: string;
  /** Ids of the nodes directly in this group (a node is in at most one group). */
  nodes: string[];
  /** Id of the enclosing group, for nesting. */
  parent?: string;
  /** Drawn as one box. */
  collapsed?: boolean;
}

/** A value in a block body: a literal, or `{ "$": "filters * 4" }` computed from the block's parameters. */
export type BlockValue = unknown;

/**
 * A reusable subgraph: declared parameters, named inputs, one output node.
 * Inside, edges take a block input as `"@name"`; parameter values may be
 * expressions `{ "$": "..." }` over the declared parameters and `i` (the
 * 1-based copy number when the use repeats the block).
 */
export interface BlockDef {
  title?: string;
  description?: string;
  /** Declared parameters and their defaults (numbers, strings, booleans or lists of numbers). */
  params: Record<string, unknown>;
  /** Input names, in port order: the use's `in0` feeds `@inputs[0]`, … */
  inputs: string[];
  /** Id of the inner node whose output is the block's output. */
  output: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** A problem found in a file or graph, located by node id and/or JSON path. */
export interface Problem {
  nodeId?: string;
  edgeId?: string;
  path?: string;
  field?: string;
  message: string;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  trainable: boolean;
}

export const portName = (i: number): string => `in${i}`;
const portCache = new Map<string, number>();
export const portIndex = (port: string): number => {
  const hit = portCache.get(port);
  if (hit !== undefined) return hit;
  const m = typeof port === 'string' ? /^in(0|[1-9][0-9]{0,3})$/.exec(port) : null;
  const v = m ? Number(m[1]) : -1;
  if (m) portCache.set(port, v);
  return v;
};
