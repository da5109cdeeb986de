/**
 * Seeded mutations of real model.json files (values replaced by wrong types,
 * keys removed, references broken) never make the importer or the analysis
 * of what it imports throw: bad files get problems, not crashes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, serializeGraph } from '../../src/engine/index.ts';
import { importKerasModel } from '../../src/interop/import-keras.ts';

const dir = new URL('./fixtures/reference/', import.meta.url);
const docs = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => {
  const d = JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
  delete d.weightsManifest;
  return d;
});

/** mulberry32: small, seeded, reproducible. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WRONG: unknown[] = [null, -1, 0, 1e12, 'x', '', true, [], {}, [null], [[]], { __proto__: { polluted: 1 } }, ['nowhere', 0, 0, {}], [-3, 'a'], NaN];

/** Every container (object or array) in the document with its keys. */
function containers(v: unknown, out: (Record<string, unknown> | unknown[])[] = []) {
  if (v && typeof v === 'object') {
    out.push(v as Record<string, unknown>);
    for (const x of Object.values(v)) containers(x, out);
  }
  return out;
}

describe('import fuzz', () => {
  it('1,000 mutated model.json files import or are refused, and analyse, without throwing', () => {
    const rand = rng(7);
    let refused = 0;
    let imported = 0;
    for (let i = 0; i < 1000; i++) {
      const doc = structuredClone(docs[i % docs.length]);
      const all = containers(doc);
      for (let m = 0; m < 1 + Math.floor(rand() * 3); m++) {
        const c = all[Math.floor(rand() * all.length)];
        const keys = Object.keys(c);
        if (!keys.length) continue;
        const k = keys[Math.floor(rand() * keys.length)];
        if (rand() < 0.2 && !Array.isArray(c)) delete (c as Record<string, unknown>)[k];
        else (c as Record<string, unknown>)[k] = structuredClone(WRONG[Math.floor(rand() * WRONG.length)]);
      }
      const r = importKerasModel(doc);
      if (!r.ok) {
        refused++;
        expect(r.problems[0].message.length).toBeGreaterThan(10);
        continue;
      }
      imported++;
      const a = analyze(r.graph);
      expect(a.nodes.length).toBe(new Set(r.graph.nodes.map((n) => n.id)).size);
      serializeGraph(r.graph);
    }
    expect(refused).toBeGreaterThan(0);
    expect(imported).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
