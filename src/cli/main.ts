/**
 * `netloom` command line: summary and validation of graph files.
 * Exit codes: 0 success; 1 invalid graph (one `nodeId: message` line per
 * problem on stderr); 2 input that cannot be read or parsed, or bad usage.
 */
import { readFile } from 'node:fs/promises';
import { analyze } from '../engine/analyze.ts';
import { parseGraphText } from '../engine/file.ts';
import { summaryJson, summaryText } from '../engine/summary.ts';
import type { Problem } from '../engine/types.ts';

export const USAGE = `netloom — exact shapes, parameters and cost of neural-network graphs

Usage:
  netloom summary FILE [--json]   Keras-style table (or JSON) with the arithmetic per layer
  netloom validate FILE           check a graph file; print one "nodeId: message" line per problem

Exit codes: 0 ok · 1 invalid graph · 2 unreadable or unparseable input`;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const stdio: Io = {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
};

export function problemLine(p: Problem): string {
  return `${p.nodeId ?? p.edgeId ?? (p.path || '/')}: ${p.message}`;
}

async function readText(file: string, io: Io): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    io.err(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path`);
    return null;
  }
}

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const args = argv.filter((a) => !a.startsWith('--'));
  const [command, file] = args;
  if (flags.has('--help') || command === 'help' || !command) {
    io.out(USAGE);
    return command || flags.has('--help') ? 0 : 2;
  }
  const known: Record<string, string[]> = { summary: ['--json'], validate: [] };
  if (!known[command]) {
    io.err(`unknown command '${command}'; use summary or validate\n\n${USAGE}`);
    return 2;
  }
  const badFlag = [...flags].find((f) => !known[command].includes(f));
  if (badFlag) {
    io.err(`unknown option ${badFlag} for ${command}${known[command].length ? `; it takes ${known[command].join(', ')}` : ''}`);
    return 2;
  }
  if (!file) {
    io.err(`${command} needs a FILE\n\n${USAGE}`);
    return 2;
  }
  const text = await readText(file, io);
  if (text === null) return 2;
  const loaded = parseGraphText(text);
  if (!loaded.ok) {
    for (const p of loaded.problems) io.err(problemLine(p));
    return loaded.stage === 'parse' ? 2 : 1;
  }
  const analysis = analyze(loaded.graph);
  if (command === 'summary') {
    io.out(flags.has('--json') ? JSON.stringify(summaryJson(analysis), null, 2) : summaryText(analysis));
  } else if (!analysis.problems.length) {
    const t = analysis.totals;
    io.out(`${file}: valid · ${analysis.nodes.length} layers · ${t.params.toLocaleString('en-US')} parameters`);
  }
  for (const p of analysis.problems) io.err(problemLine(p));
  return analysis.problems.length ? 1 : 0;
}
