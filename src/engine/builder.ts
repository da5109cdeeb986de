/**
 * A small programmatic way to write graphs (examples, tests, generators):
 * `const x = b.add(KIND.Conv2D, { filters: 64 }, [input], 'conv1')`.
 */
import { BLOCK_KIND } from './blocks.ts';
import { getLayer } from './layers/index.ts';
import type { ParamSchemaMap } from './params.ts';
import type { BlockDef, Graph, GraphNode } from './types.ts';
import { portName } from './types.ts';

export class GraphBuilder {
  readonly graph: Graph;
  private counts = new Map<string, number>();
  private edgeSeq = 0;

  constructor(name: string, meta: { title?: string; description?: string } = {}) {
    this.graph = { name, ...meta, nodes: [], edges: [] };
  }

  /** Adds a node fed by `inputs` (in port order) and returns its id (= its name). */
  add(kind: string, params: Record<string, unknown> = {}, inputs: string[] = [], name?: string, extra: Partial<GraphNode> = {}): string {
    const id = name ?? this.autoName(kind);
    this.graph.nodes.push({ id, kind, name: id, params, ...extra });
    inputs.forEach((src, i) => {
      this.graph.edges.push({ id: `e${++this.edgeSeq}`, source: src, target: id, targetPort: portName(i) });
    });
    return id;
  }

  /**
   * Defines a reusable block. `body` adds the block's layers to a fresh
   * builder, reading its inputs as `'@name'`, and returns the output id.
   * Parameter values may be expressions: `{ $: 'filters * 4' }`.
   */
  defineBlock(
    name: string,
    decl: { params: Record<string, unknown>; inputs?: string[]; title?: string; description?: string },
    body: (b: GraphBuilder, inputs: Record<string, string>) => string,
  ): string {
    const inputs = decl.inputs ?? ['x'];
    const inner = new GraphBuilder(name);
    const output = body(inner, Object.fromEntries(inputs.map((i) => [i, `@${i}`])));
    const built = inner.build();
    const def: BlockDef = {
      ...(decl.title ? { title: decl.title } : {}),
      ...(decl.description ? { description: decl.description } : {}),
      params: decl.params, inputs, output, nodes: built.nodes, edges: built.edges,
    };
    this.graph.blocks = { ...(this.graph.blocks ?? {}), [name]: def };
    return name;
  }

  /** A node using `block`; `repeat` chains copies, numbered from `repeatStart` in layer names. */
  use(block: string, args: Record<string, unknown>, inputs: string[], name: string, o: { repeat?: number; repeatStart?: number } = {}): string {
    return this.add(BLOCK_KIND, { block, repeat: o.repeat ?? 1, repeatStart: o.repeatStart ?? 1, args }, inputs, name);
  }

  /** A chain of single-input layers; returns the last id. */
  chain(from: string, layers: [kind: string, params?: Record<string, unknown>, name?: string][]): string {
    return layers.reduce((prev, [kind, params, name]) => this.add(kind, params ?? {}, [prev], name), from);
  }

  private autoName(kind: string): string {
    const base = kind.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    const n = (this.counts.get(base) ?? 0) + 1;
    this.counts.set(base, n);
    return `${base}_${n}`;
  }

  /** Fills missing params with the kind's defaults, so files are explicit. */
  build(): Graph {
    for (const n of this.graph.nodes) {
      const spec = getLayer(n.kind);
      if (!spec) continue;
      const full: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(spec.params as ParamSchemaMap)) full[k] = k in n.params ? n.params[k] : s.default;
      n.params = full;
    }
    return this.graph;
  }
}
