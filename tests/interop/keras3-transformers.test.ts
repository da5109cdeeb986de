/**
 * The Transformer examples against Keras 3 itself:
 *   - the keras.io "Text classification with Transformer" model, run from the
 *     page's own code, has examples/transformer-text-classifier.json's totals,
 *     and its two custom layers (TokenAndPositionEmbedding, TransformerBlock)
 *     hold what the example's matching layers and block use hold;
 *   - a Transformer block's Keras 3 `model.to_json()` imports into netloom
 *     with Keras's totals and every layer's count.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, parseGraphText, type Analysis } from '../../src/engine/index.ts';
import { importKerasModel } from '../../src/interop/import-keras.ts';
import { keras3, type Keras3Result } from '../support/keras3.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const FIXTURES = join(ROOT, 'tests', 'interop', 'fixtures');

let results: Map<string, Keras3Result>;
beforeAll(() => {
  const answer = keras3([
    { id: 'keras-io', script: join(FIXTURES, 'keras-io-text-transformer.py') },
    { id: 'block', script: join(FIXTURES, 'keras-transformer-block.py') },
  ], { toJson: true });
  results = new Map(answer.map((r) => [r.id, r]));
}, 300_000);

const ok = (id: string) => {
  const r = results.get(id);
  if (!r || !r.ok) throw new Error(`Keras 3 could not build ${id}: ${r && !r.ok ? r.error : 'no result'}`);
  return r;
};

function example(file: string): Analysis {
  const loaded = parseGraphText(readFileSync(join(ROOT, 'examples', file), 'utf8'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return analyze(loaded.graph);
}

describe('keras.io text classifier: the page\'s code under Keras 3 and the example', () => {
  it('have the same totals and trainable split', () => {
    const k = ok('keras-io');
    const a = example('transformer-text-classifier.json');
    expect(a.problems).toEqual([]);
    expect({ params: a.totals.params, trainable: a.totals.trainable, nonTrainable: a.totals.params - a.totals.trainable }).toEqual(k.totals);
  });

  it('hold the same parameters in the embedding, the Transformer block and each Dense', () => {
    const k = new Map(ok('keras-io').layers.map((l) => [l.name, l.params]));
    const a = example('transformer-text-classifier.json');
    const count = (name: string) => {
      const n = a.nodes.find((r) => r.name === name);
      if (!n) throw new Error(`no layer ${name}`);
      return n.paramCount;
    };
    // TokenAndPositionEmbedding is a token Embedding and a position embedding, added.
    expect(count('token_emb') + count('pos_emb')).toBe(k.get('token_and_position_embedding'));
    const block = a.blocks.find((u) => u.name === 'transformer_block');
    expect(block?.paramCount).toBe(k.get('transformer_block'));
    expect(count('dense_2')).toBe(k.get('dense_2'));
    expect(count('dense_3')).toBe(k.get('dense_3'));
  });
});

describe('a Transformer block\'s Keras 3 to_json() imports with Keras\'s counts', () => {
  it('totals and every layer', () => {
    const k = ok('block');
    const imported = importKerasModel(k.json);
    expect(imported.ok, JSON.stringify(!imported.ok && imported.problems)).toBe(true);
    if (!imported.ok) return;
    const a = analyze(imported.graph);
    expect(a.problems).toEqual([]);
    expect({ params: a.totals.params, trainable: a.totals.trainable, nonTrainable: a.totals.params - a.totals.trainable }).toEqual(k.totals);
    const netloom = Object.fromEntries(a.nodes.map((n) => [n.name, n.paramCount]));
    expect(netloom).toEqual(Object.fromEntries(k.layers.map((l) => [l.name, l.params])));
    // Self-attention: one source feeds the query and the value port.
    const mha = a.nodes.find((n) => n.name === 'attention')!;
    expect(mha.kind).toBe('MultiHeadAttention');
    expect(mha.inputIds[0]).toBe(mha.inputIds[1]);
  });
});
