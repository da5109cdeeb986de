/**
 * `netloom` command line: summary, validation and conversion of graph files
 * and of Keras / TF.js models (the format is detected from the content).
 * Exit codes: 0 success; 1 invalid graph (one `nodeId: message` line per
 * problem on stderr); 2 input that cannot be read or parsed, or bad usage.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { analyze } from '../engine/analyze.ts';
import { serializeGraph } from '../engine/file.ts';
import { fmt } from '../engine/formula.ts';
import { summaryJson, summaryText } from '../engine/summary.ts';
import type { Graph, Problem } from '../engine/types.ts';
import { kerasTotal, loadAnyModelText } from '../interop/load.ts';
import { toKerasPython } from '../interop/export-python.ts';
import { toTfjsCode } from '../interop/export-js.ts';
import { toSvg } from '../interop/export-svg.ts';
import { toTfjsModelJson } from '../interop/export-tfjs.ts';
import { ExportError } from '../interop/prepare.ts';

export const USAGE = `netloom — exact shapes, parameters and cost of neural-network graphs

Usage:
  netloom summary FILE [--json] [--expand]
                                  Keras-style table (or JSON) with the arithmetic per layer;
                                  block uses are one row each, --expand lists their layers
  netloom validate FILE           check a graph file; print one "nodeId: message" line per problem
  netloom convert FILE -o OUT [--to FORMAT] [--distribute]
                                  write FILE as FORMAT: netloom (a graph file), tfjs (model.json),
                                  keras-py (Python), tfjs-js (JavaScript) or svg (diagram); without
                                  --to, OUT's extension decides (.py .js .svg), else netloom

FILE may be a netloom graph, a TF.js Layers model.json or a Keras model.to_json() file.

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

const TARGETS = ['netloom', 'tfjs', 'keras-py', 'tfjs-js', 'svg'] as const;
type Target = (typeof TARGETS)[number];

/** Options that take a value, by spelling. */
const VALUED: Record<string, string> = { '-o': '--out', '--out': '--out', '--to': '--to' };

interface Args {
  positional: string[];
  flags: Set<string>;
  values: Map<string, string>;
  error?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { positional: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const key = eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUED[key]) {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') a.error ??= `${key} needs a value`;
      else a.values.set(VALUED[key], v);
    } else if (arg.startsWith('-') && arg !== '-') {
      a.flags.add(arg);
    } else {
      a.positional.push(arg);
    }
  }
  return a;
}

function targetOf(to: string | undefined, out: string | undefined): Target | null {
  if (to) return (TARGETS as readonly string[]).includes(to) ? (to as Target) : null;
  if (out?.endsWith('.py')) return 'keras-py';
  if (out && /\.m?js$/.test(out)) return 'tfjs-js';
  if (out?.endsWith('.svg')) return 'svg';
  return 'netloom';
}

function render(target: Target, graph: Graph, distribute: boolean): string {
  switch (target) {
    case 'netloom': return serializeGraph(graph);
    case 'tfjs': return `${JSON.stringify(toTfjsModelJson(graph), null, 2)}\n`;
    case 'keras-py': return toKerasPython(graph, { distribute });
    case 'tfjs-js': return toTfjsCode(graph);
    case 'svg': return toSvg(graph);
  }
}

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const args = parseArgs(argv);
  const { flags, values } = args;
  const [command, file] = args.positional;
  if (flags.has('--help') || command === 'help' || !command) {
    io.out(USAGE);
    return command || flags.has('--help') ? 0 : 2;
  }
  const known: Record<string, string[]> = { summary: ['--json', '--expand'], validate: [], convert: ['--out', '--to', '--distribute'] };
  if (!known[command]) {
    io.err(`unknown command '${command}'; use summary, validate or convert\n\n${USAGE}`);
    return 2;
  }
  const badFlag = [...flags, ...values.keys()].find((f) => !known[command].includes(f));
  if (badFlag) {
    io.err(`unknown option ${badFlag} for ${command}${known[command].length ? `; it takes ${known[command].join(', ')}` : ''}`);
    return 2;
  }
  if (args.error) {
    io.err(args.error);
    return 2;
  }
  if (!file) {
    io.err(`${command} needs a FILE\n\n${USAGE}`);
    return 2;
  }
  const target = command === 'convert' ? targetOf(values.get('--to'), values.get('--out')) : null;
  if (command === 'convert' && !target) {
    io.err(`unknown --to '${values.get('--to')}'; use one of ${TARGETS.join(', ')}`);
    return 2;
  }
  if (command === 'convert' && !values.get('--out')) {
    io.err('convert needs -o OUT, the file to write');
    return 2;
  }
  const text = await readText(file, io);
  if (text === null) return 2;
  const loaded = loadAnyModelText(text, { name: basename(file).replace(/(\.netloom)?\.json$/i, '') });
  if (!loaded.ok) {
    for (const p of loaded.problems) io.err(problemLine(p));
    return loaded.stage === 'parse' ? 2 : 1;
  }
  for (const n of loaded.notes) io.err(`note: ${n.nodeId ? `${n.nodeId}: ` : ''}${n.message}`);
  const analysis = analyze(loaded.graph);
  if (loaded.shared.length) {
    io.err(`note: shared layers are counted once per call here; Keras counts ${fmt(kerasTotal(analysis, loaded.shared))} parameters, netloom ${fmt(analysis.totals.params)}`);
  }
  if (command === 'convert') return convert(loaded.graph, analysis.problems, target!, values.get('--out')!, flags.has('--distribute'), io);
  if (command === 'summary') {
    const view = { expand: flags.has('--expand') };
    io.out(flags.has('--json') ? JSON.stringify(summaryJson(analysis, view), null, 2) : summaryText(analysis, view));
  } else if (!analysis.problems.length) {
    const t = analysis.totals;
    io.out(`${file}: valid · ${analysis.nodes.length} layers · ${t.params.toLocaleString('en-US')} parameters`);
  }
  for (const p of analysis.problems) io.err(problemLine(p));
  return analysis.problems.length ? 1 : 0;
}

/**
 * A netloom file is written even when the graph has problems (an imported
 * model with an unsupported layer opens in the editor, which shows them);
 * models and code are written only for graphs that build.
 */
async function convert(graph: Graph, problems: Problem[], target: Target, out: string, distribute: boolean, io: Io): Promise<number> {
  let text: string;
  try {
    text = render(target, graph, distribute);
  } catch (e) {
    if (!(e instanceof ExportError)) throw e;
    for (const p of e.problems) io.err(problemLine(p));
    io.err(`nothing written: fix the problems above to export ${target}`);
    return 1;
  }
  try {
    await writeFile(out, text);
  } catch (e) {
    io.err(`${out}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the folder exists and is writable`);
    return 2;
  }
  for (const p of problems) io.err(problemLine(p));
  io.out(`${out}: ${target} written`);
  return problems.length ? 1 : 0;
}
