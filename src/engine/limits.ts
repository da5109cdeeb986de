/**
 * Every size limit netloom enforces, in one place: files, imports, share links,
 * block expansion and the editor check against these before doing the work, so
 * no input costs unbounded time or memory, and whatever netloom opens it can
 * also save and reopen. The README's reliability section lists them.
 */
export const LIMITS = {
  /** Absolute value of a node position. */
  coordinate: 1e9,
  /** Characters in a node id. */
  id: 200,
  /** Characters in a node, graph or block name. */
  name: 200,
  /** Characters in a title. */
  title: 500,
  /** Characters in a description. */
  description: 20_000,
  /** Nodes in a graph or a block body, as written in the file. */
  nodes: 100_000,
  /** Edges in a graph or a block body. */
  edges: 200_000,
  /** Nesting depth of any JSON value in a graph file (a node's pads param is 6 levels down). */
  depth: 32,
  /** Layers a graph may expand to once block uses are replaced by their layers. */
  expandedNodes: 200_000,
  /** Blocks that use blocks, counted from the top-level use. */
  blockDepth: 8,
  /** A block use's repeat count. */
  repeat: 1000,
  /** Characters in a node kind. */
  kind: 100,
  /** Inputs one node may take (ports in0 … in9999). */
  ports: 10_000,
  /** Edges a graph may expand to once block uses are replaced by their layers. */
  expandedEdges: 400_000,
  /** Nesting depth of an imported Keras or TF.js document (each nested model adds three or four levels). */
  importDepth: 100,
  /** Bytes of a file the CLI reads (a graph or model JSON; weights live in separate files). */
  fileBytes: 64 * 1024 * 1024,
  /** Characters of CSV text (its size in bytes for ASCII files). */
  csvChars: 64 * 1024 * 1024,
  /** Columns of a CSV file. */
  csvColumns: 1000,
  /** Data rows of a CSV file (the header not counted). */
  csvRows: 1_000_000,
} as const;

export type LimitName = keyof typeof LIMITS;
