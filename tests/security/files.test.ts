/** Graph files from untrusted sources: byte-order marks, oversized documents and unparseable text. */
import { describe, expect, it } from 'vitest';
import { jsonSyntaxMessage, loadGraphDocument, parseGraphText } from '../../src/engine/file.ts';

const graph = (nodes: unknown[], extra: Record<string, unknown> = {}) => ({ format: 'netloom.graph', version: 2, name: 'g', nodes, edges: [], ...extra });
const dense = (i: number) => ({ id: `n${i}`, kind: 'Dense', name: 'n', params: { units: 1 } });
const problemsOf = (r: ReturnType<typeof loadGraphDocument>) => (r.ok ? [] : r.problems);

describe('byte-order mark', () => {
  it('a UTF-8 file saved with a BOM opens', () => {
    const r = parseGraphText(`\ufeff${JSON.stringify(graph([{ id: 'in', kind: 'Input', name: 'in', params: { shape: [4] } }]))}`);
    expect(problemsOf(r)).toEqual([]);
    expect(r.ok && r.graph.nodes.map((n) => n.id)).toEqual(['in']);
  });
});

describe('documents over the size limits', () => {
  it('a 1,000,000-node document is refused by its count, naming the limit', () => {
    const doc = graph(Array.from({ length: 1_000_000 }, (_, i) => dense(i)));
    const r = loadGraphDocument(doc);
    expect(r.ok).toBe(false);
    expect(problemsOf(r)).toEqual([{ path: '/nodes', message: '/nodes has 1,000,000 entries, more than the limit of 100,000; split the graph into smaller files' }]);
  });

  it('edges and block bodies are counted too', () => {
    const edges = Array.from({ length: 200_001 }, (_, i) => ({ id: `e${i}`, source: 'a', target: 'b', targetPort: 'in0' }));
    expect(problemsOf(loadGraphDocument(graph([], { edges })))).toEqual([
      { path: '/edges', message: '/edges has 200,001 entries, more than the limit of 200,000; split the graph into smaller files' },
    ]);
    const body = { params: {}, inputs: ['x'], output: 'n0', nodes: Array.from({ length: 100_001 }, (_, i) => dense(i)), edges: [] };
    expect(problemsOf(loadGraphDocument(graph([], { blocks: { big: body } })))).toEqual([
      { path: '/blocks/big/nodes', message: '/blocks/big/nodes has 100,001 entries, more than the limit of 100,000; split the graph into smaller files' },
    ]);
  });
});

describe('unparseable text', () => {
  const hostile = '\x1b[2J\x1b]0;title\x07\x1b]52;c;aGk=\x07\x1b[8m\x9b31m\u202e';

  it('the message gives the line and column, never the file\'s bytes', () => {
    for (const text of [`{"a": ${hostile}}`, `${hostile}`, `{"a": "${hostile}"}`, `{\n  "a": 1,\n  "b": x${hostile}\n}`]) {
      const r = parseGraphText(text);
      expect(r.ok).toBe(false);
      const msg = problemsOf(r)[0].message;
      expect(msg).toMatch(/^not valid JSON \(.* at line \d+, column \d+\); check the file/);
      expect(msg).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
      expect(msg).not.toContain('title');
    }
  });

  it('names what it found where', () => {
    const at = (text: string) => { try { JSON.parse(text); } catch (e) { return jsonSyntaxMessage(text, e); } return ''; };
    expect(at('{"a": \x1b[2J}')).toBe('unexpected character U+001B at line 1, column 7');
    expect(at('{\n  "format": ')).toBe('unexpected end of the text at line 2, column 13');
    expect(at('{"a": 1,}')).toBe('unexpected character \'}\' at line 1, column 9');
    expect(at('{"a": "x\ny"}')).toBe('unexpected character U+000A at line 1, column 9');
    expect(at('[1, 2] x')).toBe('unexpected character \'x\' at line 1, column 8');
    expect(at('{"a": 01}')).toBe('unexpected character \'1\' at line 1, column 8');
    expect(at('"\\q"')).toBe('unexpected character \'q\' at line 1, column 3');
    expect(at('{"a": tru}')).toBe('unexpected character \'}\' at line 1, column 10');
    expect(at('{"a": 1.}')).toBe('unexpected character \'}\' at line 1, column 9');
  });

  it('finds the error where JSON.parse does, in 10,000 seeded mutations of a graph file', () => {
    const base = JSON.stringify(graph([{ id: 'a', kind: 'Dense', name: 'a\u00e9', params: { units: 1, x: [1.5, -2e3, true, null, false], s: 'q\\"\n' } }]), null, 1);
    const alphabet = '{}[]",:0123456789-+.eEtrufalsn \n\t\\u\x01\x1b\u00e9';
    let seed = 0x6e6c3031;
    const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 * k) | 0;
    let compared = 0;
    for (let k = 0; k < 10_000; k++) {
      const t = base.split('');
      for (let m = 1 + rnd(3); m > 0; m--) t.splice(rnd(t.length), rnd(2), ...(rnd(3) ? [alphabet[rnd(alphabet.length)]] : []));
      const text = t.join('');
      let error: unknown = null;
      try { JSON.parse(text); } catch (e) { error = e; }
      if (!error) continue;
      const msg = jsonSyntaxMessage(text, error);
      expect(msg, text).toMatch(/^unexpected (character (U\+[0-9A-F]{4}|'.')|end of the text) at line \d+, column \d+$/);
      // Where the engine's message gives a position, the line and column are that position.
      const pos = /at position (\d+)/.exec((error as Error).message);
      if (!pos) continue;
      const before = text.slice(0, Number(pos[1]));
      expect(msg, text).toMatch(new RegExp(`at line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}$`));
      compared++;
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
