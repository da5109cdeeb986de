/**
 * The README's excerpts are what the commands print: every fenced block that
 * starts with `$ npx netloom …` is run through the CLI and compared line by
 * line. A block whose command is followed by `(rows A–B of N)` or `(… of the
 * output)` is an excerpt: its lines must appear in the output in one run (at
 * the end for "end of the output"); any other block is the whole output.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

interface Excerpt {
  command: string[];
  note: string;
  lines: string[];
}

function excerpts(readme: string): Excerpt[] {
  const out: Excerpt[] = [];
  for (const m of readme.matchAll(/```[a-z]*\n(\$ npx netloom [^\n]*)\n([\s\S]*?)```/g)) {
    const head = /^\$ npx netloom (.*?)(?:\s{2,}\((.*)\))?$/.exec(m[1])!;
    out.push({ command: head[1].trim().split(/\s+/), note: head[2] ?? '', lines: m[2].replace(/\n$/, '').split('\n').map((l) => l.trimEnd()) });
  }
  return out;
}

async function run(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  await main(args, { out: (s) => lines.push(...s.split('\n')), err: () => undefined });
  return lines.map((l) => l.trimEnd());
}

/** Index where `part` starts as one contiguous run inside `whole`, or -1. */
function indexOfRun(whole: string[], part: string[]): number {
  for (let i = 0; i + part.length <= whole.length; i++) {
    if (part.every((l, j) => whole[i + j] === l)) return i;
  }
  return -1;
}

const found = excerpts(readFileSync('README.md', 'utf8'));

describe('README excerpts', () => {
  it('has command excerpts to check', () => {
    expect(found.length).toBeGreaterThanOrEqual(3);
  });

  for (const x of found) {
    it(`${x.command.join(' ')}${x.note ? ` (${x.note})` : ''} prints what the README shows`, async () => {
      const output = await run(x.command);
      if (!x.note) {
        expect(output.join('\n').trimEnd()).toBe(x.lines.join('\n').trimEnd());
        return;
      }
      const at = indexOfRun(output, x.lines);
      expect(at, `these lines are not in the output, in this order:\n${x.lines.join('\n')}\n\noutput:\n${output.join('\n')}`).toBeGreaterThanOrEqual(0);
      if (/end of the output/.test(x.note)) expect(output.slice(at + x.lines.length).join('').trim()).toBe('');
    });
  }
});
