import { describe, expect, it } from 'vitest';
import { analyze, evaluateExpression, fmt, formulaValue, LAYERS } from '../../src/engine/index.ts';
import { randomGraph, targetedGraph } from '../support/random-graphs.ts';

describe('arithmetic text', () => {
  it('evaluates lecture-style expressions', () => {
    expect(evaluateExpression('5·5·3·4 + 4')).toBe(304);
    expect(evaluateExpression('2 × (4·(64·(10+64) + 64))')).toBe(38400);
    expect(() => evaluateExpression('5·5 +')).toThrow();
    expect(() => evaluateExpression('5·(5')).toThrow();
  });

  it('formats counts like Keras', () => {
    expect(fmt(98816)).toBe('98,816');
    expect(fmt(138357544)).toBe('138,357,544');
    expect(fmt(33)).toBe('33');
  });

  it('every formula of 300 random graphs equals the count derived from weight shapes', () => {
    const kindsWithWeights = new Set<string>();
    const declaring = LAYERS.filter((l) => l.weights).map((l) => l.kind);
    // Kinds the random graphs cannot reach (TF.js has no layer, or no random input has their rank) get a targeted graph each.
    const graphs = Array.from({ length: 300 }, (_, s) => randomGraph(5000 + s));
    const reached = new Set(graphs.flatMap((g) => g.nodes.map((n) => n.kind)));
    for (const [i, kind] of declaring.filter((k) => !reached.has(k)).entries()) {
      const g = targetedGraph(kind, i + 1, false);
      if (g) graphs.push(g);
    }
    for (const g of graphs) {
      for (const r of analyze(g).nodes) {
        if (!r.weights.length) {
          expect(r.formula).toBe('');
          continue;
        }
        kindsWithWeights.add(r.kind);
        expect(formulaValue(r.formula), `${r.kind} ${r.formula}`).toBe(r.paramCount);
        expect(r.formula.endsWith(`= ${fmt(r.paramCount)}`)).toBe(true);
      }
    }
    expect([...kindsWithWeights].sort()).toEqual([...declaring].sort());
  });
});
