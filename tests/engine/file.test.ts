/** The graph file: parse → migrate → validate → build, and byte-exact deterministic saving. */
import { readdirSync, readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, parseGraphText, serializeGraph } from '../../src/engine/index.ts';
import { schemaText } from '../../scripts/gen-schema.ts';

const schemaFile = new URL('../../graph-schemas/netloom.graph.v2.schema.json', import.meta.url);
const examples = readdirSync(new URL('../../examples/', import.meta.url)).filter((f) => f.endsWith('.json'));
const read = (f: string) => readFileSync(new URL(`../../examples/${f}`, import.meta.url), 'utf8');

function small(): string {
  const b = new GraphBuilder('small', { title: 'Small', description: 'A test graph.' });
  const x = b.add('Input', { shape: [8, 8, 1] }, [], 'input', { position: { x: 0, y: 0 } });
  b.add('Conv2D', { filters: 2 }, [x], 'conv', { position: { x: 0, y: 100.123 } });
  return serializeGraph(b.build());
}

describe('graph file', () => {
  it('the committed JSON Schema is generated from the layer registry (run `npm run schema`)', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(schemaText());
  });

  it('every example validates against the published schema and round-trips byte for byte', () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    expect(examples.length).toBeGreaterThan(0);
    for (const f of examples) {
      const text = read(f);
      expect(validate(JSON.parse(text)), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
      const loaded = parseGraphText(text);
      expect(loaded.ok).toBe(true);
      if (loaded.ok) expect(serializeGraph(loaded.graph)).toBe(text);
    }
  });

  it('saving is deterministic: key order does not depend on how the file was written', () => {
    const text = small();
    const doc = JSON.parse(text);
    const shuffled = JSON.stringify({ edges: doc.edges, nodes: doc.nodes.map((n: object) => Object.fromEntries(Object.entries(n).reverse())), name: doc.name, version: 1, description: doc.description, format: doc.format, title: doc.title });
    const loaded = parseGraphText(shuffled);
    expect(loaded.ok && serializeGraph(loaded.graph)).toBe(text);
  });

  it('fills omitted parameters explicitly, so later default changes cannot alter old files', () => {
    const loaded = parseGraphText(JSON.stringify({ format: 'netloom.graph', version: 1, name: 'g', nodes: [{ id: 'd', kind: 'GRU', name: 'd', params: {} }], edges: [] }));
    expect(loaded.ok).toBe(true);
    if (loaded.ok) expect(JSON.parse(serializeGraph(loaded.graph)).nodes[0].params.resetAfter).toBe(false);
  });

  it('keeps what it cannot interpret (unknown params stay in the file)', () => {
    const loaded = parseGraphText(JSON.stringify({ format: 'netloom.graph', version: 1, name: 'g', nodes: [{ id: 'd', kind: 'Dense', name: 'd', params: { units: 3, futureOption: 7 } }], edges: [] }));
    expect(loaded.ok && JSON.parse(serializeGraph(loaded.graph)).nodes[0].params.futureOption).toBe(7);
  });

  it('names the path and the fix for structural problems', () => {
    const bad = JSON.parse(small());
    delete bad.nodes[1].name;
    bad.edges[0].targetPort = 'left';
    bad.extra = 1;
    const r = parseGraphText(JSON.stringify(bad));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.stage).toBe('validate');
    expect(r.problems).toEqual(expect.arrayContaining([
      { path: '/nodes/1', nodeId: 'conv', message: '/nodes/1 is missing "name"; add it' },
      { path: '/edges/0/targetPort', message: '/edges/0/targetPort must look like in0, in1, …' },
      { path: '/', message: 'the file has an unknown field "extra"; remove it' },
    ]));
  });

  it('distinguishes unparseable text, foreign formats and newer versions', () => {
    const notJson = parseGraphText('{"format": ');
    expect(!notJson.ok && notJson.stage).toBe('parse');
    const keras = parseGraphText('{"modelTopology": {}}');
    expect(!keras.ok && keras.problems[0].message).toMatch(/"format" is .*netloom\.graph.*imported, not opened/);
    const newer = parseGraphText(JSON.stringify({ format: 'netloom.graph', version: 9, name: 'x', nodes: [], edges: [] }));
    expect(!newer.ok && newer.problems[0].message).toMatch(/version 9, written by a newer netloom/);
    const arr = parseGraphText('[1, 2]');
    expect(!arr.ok && arr.problems[0].message).toMatch(/holds \[1,2\], not a graph object/);
  });
});
