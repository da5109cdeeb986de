import { describe, expect, it } from 'vitest';
import { analyze, evaluateExpression, fmt, formulaValue, GraphBuilder, LAYERS } from '../../src/engine/index.ts';
import { randomGraph } from '../support/random-graphs.ts';

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
    for (let s = 0; s < 300; s++) {
      for (const r of analyze(randomGraph(5000 + s)).nodes) {
        if (!r.weights.length) {
          expect(r.formula).toBe('');
          continue;
        }
        kindsWithWeights.add(r.kind);
        expect(formulaValue(r.formula), `${r.kind} ${r.formula}`).toBe(r.paramCount);
        expect(r.formula.endsWith(`= ${fmt(r.paramCount)}`)).toBe(true);
      }
    }
    // Random graphs keep to what TF.js builds: the other kinds with weights, at their defaults on an image.
    for (const l of LAYERS.filter((k) => k.weights && !k.isModelInput && !kindsWithWeights.has(k.kind))) {
      const b = new GraphBuilder(l.kind);
      const id = b.add(l.kind, {}, [b.add('Input', { shape: [9, 8, 3] }, [], 'x')], 'layer');
      const r = analyze(b.build()).byId.get(id)!;
      if (!r.weights.length) continue;
      kindsWithWeights.add(r.kind);
      expect(formulaValue(r.formula), `${r.kind} ${r.formula}`).toBe(r.paramCount);
    }
    const declaring = LAYERS.filter((l) => l.weights).map((l) => l.kind);
    expect([...kindsWithWeights].sort()).toEqual([...declaring].sort());
  });
});
