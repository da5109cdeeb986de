/**
 * The JSON Schema (2020-12) of the netloom graph file, generated from the
 * layer registry so that it can never drift from the kinds' parameter specs.
 * `npm run schema` writes it to graph-schemas/; a test checks the copy.
 */
import { BLOCK_KIND } from './blocks.ts';
import { LAYERS } from './layers/index.ts';
import { LIMITS } from './limits.ts';
import type { ParamSchema, ParamSchemaMap } from './params.ts';

export const GRAPH_FORMAT = 'netloom.graph';
export const GRAPH_VERSION = 2;


const intS = (min: number, max: number) => ({ type: 'integer', minimum: min, maximum: max });

function paramJsonSchema(p: ParamSchema): Record<string, unknown> {
  const doc = p.doc ? { description: p.doc } : {};
  switch (p.type) {
    case 'int':
      return { ...intS(p.min, p.max), default: p.default, ...doc };
    case 'float':
      return { type: 'number', minimum: p.min, ...(p.maxExclusive ? { exclusiveMaximum: p.max } : { maximum: p.max }), default: p.default, ...doc };
    case 'bool':
      return { type: 'boolean', default: p.default, ...doc };
    case 'enum':
      return { enum: [...p.values], default: p.default, ...doc };
    case 'tuple':
      return { type: 'array', items: intS(p.min, p.max), minItems: p.length, maxItems: p.length, default: p.default, ...doc };
    case 'list': {
      const items = p.allowInfer ? { anyOf: [intS(p.min, p.max), { const: -1 }] } : p.allowNull ? { anyOf: [intS(p.min, p.max), { type: 'null' }] } : intS(p.min, p.max);
      const arr = { type: 'array', items, minItems: p.minLength, maxItems: p.maxLength };
      return p.optional ? { anyOf: [{ type: 'null' }, arr], default: p.default, ...doc } : { ...arr, default: p.default, ...doc };
    }
    case 'pads':
      return {
        type: 'array', minItems: p.axes, maxItems: p.axes, default: p.default,
        items: { type: 'array', items: intS(0, p.max), minItems: 2, maxItems: 2 }, ...doc,
      };
    case 'optInt':
      return { anyOf: [{ type: 'null' }, intS(p.min, p.max)], default: p.default, ...doc };
    case 'axes':
      return { anyOf: [intS(p.min, p.max), { type: 'array', items: intS(p.min, p.max), minItems: 1, maxItems: 8, uniqueItems: true }], default: p.default, ...doc };
    case 'optFloat':
      return { anyOf: [{ type: 'null' }, { type: 'number', minimum: p.min, maximum: p.max }], default: p.default, ...doc };
    case 'optTuple':
      return {
        anyOf: [{ type: 'null' }, { type: 'array', items: intS(p.min, p.max), minItems: p.length, maxItems: p.length }],
        default: p.default, ...doc,
      };
  }
}

export function graphJsonSchema(): Record<string, unknown> {
  const kinds = LAYERS.map((l) => l.kind);
  const paramDefs = Object.fromEntries(
    LAYERS.map((l) => [
      `${l.kind}Params`,
      {
        description: l.doc,
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(Object.entries(l.params as ParamSchemaMap).map(([k, s]) => [k, paramJsonSchema(s)])),
      },
    ]),
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://netloom.dev/schemas/netloom.graph.v${GRAPH_VERSION}.schema.json`,
    title: `netloom graph file, version ${GRAPH_VERSION}`,
    description: 'A neural-network graph: layer nodes and the edges between them, and reusable blocks (named subgraphs used by nodes of kind Block). Parameter names copy tf.layers.',
    type: 'object',
    required: ['format', 'version', 'name', 'nodes', 'edges'],
    additionalProperties: false,
    properties: {
      format: { const: GRAPH_FORMAT },
      version: { const: GRAPH_VERSION },
      name: { type: 'string', minLength: 1, maxLength: LIMITS.name },
      title: { type: 'string', maxLength: LIMITS.title },
      description: { type: 'string', maxLength: LIMITS.description },
      blocks: {
        type: 'object',
        description: 'reusable subgraphs by name',
        maxProperties: 1000,
        propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,99}$' },
        additionalProperties: { $ref: '#/$defs/block' },
      },
      nodes: { type: 'array', maxItems: LIMITS.nodes, items: { $ref: '#/$defs/node' } },
      edges: { type: 'array', maxItems: LIMITS.edges, items: { $ref: '#/$defs/edge' } },
      groups: {
        type: 'array',
        maxItems: LIMITS.nodes,
        description: 'canvas groups: nodes the canvas can collapse into one box (display only; no number depends on them)',
        items: {
          type: 'object',
          required: ['id', 'title', 'nodes'],
          additionalProperties: false,
          properties: {
            id: { $ref: '#/$defs/id' },
            title: { type: 'string', minLength: 1, maxLength: LIMITS.name },
            nodes: { type: 'array', maxItems: LIMITS.nodes, items: { $ref: '#/$defs/id' }, description: 'ids of the nodes directly in the group' },
            parent: { $ref: '#/$defs/id', description: 'id of the enclosing group' },
            collapsed: { type: 'boolean', description: 'drawn as one box' },
          },
        },
      },
    },
    $defs: {
      id: { type: 'string', minLength: 1, maxLength: LIMITS.id },
      coordinate: { type: 'number', minimum: -LIMITS.coordinate, maximum: LIMITS.coordinate },
      node: {
        type: 'object',
        required: ['id', 'kind', 'name', 'params'],
        additionalProperties: false,
        properties: {
          id: { $ref: '#/$defs/id' },
          kind: { type: 'string', minLength: 1, maxLength: 100, description: `one of ${kinds.join(', ')}` },
          name: { type: 'string', minLength: 1, maxLength: LIMITS.name },
          params: { type: 'object' },
          position: {
            type: 'object', required: ['x', 'y'], additionalProperties: false,
            properties: { x: { $ref: '#/$defs/coordinate' }, y: { $ref: '#/$defs/coordinate' } },
          },
          group: { type: 'string', minLength: 1, maxLength: LIMITS.name, description: 'display group: members also get a combined row' },
          shares: { $ref: '#/$defs/id', description: 'id of another node whose weights this node uses instead of its own; the owner counts them once' },
        },
        allOf: [
          ...LAYERS.map((l) => ({
            if: { properties: { kind: { const: l.kind } }, required: ['kind'] },
            then: { properties: { params: { $ref: `#/$defs/${l.kind}Params` } } },
          })),
          {
            if: { properties: { kind: { const: BLOCK_KIND } }, required: ['kind'] },
            then: { properties: { params: { $ref: '#/$defs/BlockUseParams' } } },
          },
        ],
      },
      BlockUseParams: {
        type: 'object',
        description: 'a use of a block: which block, how many chained copies, its parameter values',
        required: ['block'],
        additionalProperties: false,
        properties: {
          block: { type: 'string', minLength: 1, maxLength: 100, description: 'name of a block in the file\'s blocks' },
          repeat: { type: 'integer', minimum: 1, maximum: 1000, default: 1, description: 'copies chained output → input' },
          repeatStart: { type: 'integer', minimum: 0, maximum: 1000000, default: 1, description: 'number of the first copy in layer names' },
          args: { type: 'object', description: 'values for the block\'s declared parameters' },
        },
      },
      block: {
        type: 'object',
        required: ['params', 'inputs', 'output', 'nodes', 'edges'],
        additionalProperties: false,
        properties: {
          title: { type: 'string', maxLength: LIMITS.title },
          description: { type: 'string', maxLength: LIMITS.description },
          params: { type: 'object', description: 'declared parameters and their defaults' },
          inputs: { type: 'array', maxItems: 64, items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }, description: 'input names; inner edges take them as "@name"' },
          output: { $ref: '#/$defs/id' },
          nodes: {
            type: 'array', maxItems: LIMITS.nodes,
            items: {
              type: 'object', required: ['id', 'kind', 'name', 'params'], additionalProperties: false,
              properties: {
                id: { $ref: '#/$defs/id' },
                kind: { type: 'string', minLength: 1, maxLength: 100 },
                name: { type: 'string', minLength: 1, maxLength: LIMITS.name },
                params: { type: 'object', description: 'values or expressions {"$": "filters * 4"}' },
                position: {
                  type: 'object', required: ['x', 'y'], additionalProperties: false,
                  properties: { x: { $ref: '#/$defs/coordinate' }, y: { $ref: '#/$defs/coordinate' } },
                },
                shares: { $ref: '#/$defs/id', description: 'id of another layer of this block whose weights this layer uses; each copy shares within itself' },
              },
            },
          },
          edges: { type: 'array', maxItems: LIMITS.edges, items: { $ref: '#/$defs/edge' } },
        },
      },
      edge: {
        type: 'object',
        required: ['id', 'source', 'target', 'targetPort'],
        additionalProperties: false,
        properties: {
          id: { $ref: '#/$defs/id' },
          source: { $ref: '#/$defs/id' },
          target: { $ref: '#/$defs/id' },
          targetPort: { type: 'string', pattern: '^in(0|[1-9][0-9]{0,3})$', description: 'in0, in1, … (order matters for Concatenate)' },
        },
      },
      ...paramDefs,
    },
  };
}
