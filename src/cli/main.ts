/**
 * `netloom` command line: summary, validation and conversion of graph files
 * and of Keras / TF.js models (the format is detected from the content).
 * Exit codes: 0 success; 1 invalid graph (one `nodeId: message` line per
 * problem on stderr); 2 input that cannot be read or parsed, or bad usage.
 * `diff` answers like diff(1): 0 equivalent, 1 different, 2 trouble (a file
 * that does not load is trouble there, not a difference).
 * Files are untrusted: everything printed passes through terminal.ts, and no
 * failure ends in a stack trace.
 */
import { open, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { analyze, type Analysis } from '../engine/analyze.ts';
import { diffGraphs } from '../engine/diff.ts';
import { serializeGraph, withoutBom } from '../engine/file.ts';
import { bytesText, fmt } from '../engine/format.ts';
import { LIMITS } from '../engine/limits.ts';
import { summaryJson, summaryText } from '../engine/summary.ts';
import type { Graph, Problem } from '../engine/types.ts';
import { kerasTotal, loadAnyModelText } from '../interop/load.ts';
import { ExportOptionError, kerasPythonFiles, type PythonData } from '../interop/export-python.ts';
import { toTfjsCode } from '../interop/export-js.ts';
import { toSvg } from '../interop/export-svg.ts';
import { asciiJson, toKerasModelJson, toTfjsModelJsonText } from '../interop/export-tfjs.ts';
import { ExportError } from '../interop/prepare.ts';
import { diffText } from './diff.ts';
import { MEMORY_FLAGS, memoryOptions, memoryText, withMemoryJson } from './memory.ts';
import { cliSummaryText } from './summary-text.ts';
import { printable, printableLine, terminalJson } from './terminal.ts';

export const USAGE = `netloom — exact shapes, parameters and cost of neural-network graphs

Usage:
  netloom summary FILE [--json] [--expand] [--flops]
                [--memory [--batch N] [--optimizer NAME] [--dtype fp32|fp16|bf16]]
                                  Keras-style table (or JSON) with the arithmetic per layer;
                                  block uses are one row each, --expand lists their layers;
                                  --flops shows the cost as FLOPs (2 × multiply-adds);
                                  --memory adds the memory to train per layer and in total
                                  (default batch 32, adam, fp32; optimizers sgd, momentum,
                                  adam, adamw, rmsprop) and the largest batch for 8-80 GB
  netloom diff A B [--json]       layers added, removed and changed from A to B (matched by
                                  name, then id, then structure; block uses compared expanded),
                                  with the parameter, shape and cost deltas and both totals;
                                  exit 0 when equivalent, 1 when they differ
  netloom validate FILE           check a graph file; print one "nodeId: message" line per problem
  netloom convert FILE -o OUT [--to FORMAT] [--distribute]
                  [--data CSV --features a,b [--target c] [--order-column date] | --dataset ID]
                                  write FILE as FORMAT: netloom (a graph file), tfjs (model.json),
                                  keras-json (model_from_json; keeps what TF.js refuses),
                                  keras-py (a Keras 3 training script), tfjs-js (JavaScript) or svg
                                  (diagram); without --to, OUT's extension decides (.py .js .svg),
                                  else netloom. keras-py only: --distribute trains on every device
                                  and host; --data copies the CSV beside the script, --dataset picks
                                  a built-in one (default: the one the network's input fits)

FILE, A and B may each be a netloom graph, a TF.js Layers model.json or a Keras model.to_json() file.

Exit codes: 0 ok · 1 invalid graph (or nested too deeply) · 2 unreadable, unparseable or oversized
            input, or bad usage · diff: 0 equivalent, 1 different, 2 a file that cannot be compared`;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const stdio: Io = {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
};

/** One line per problem: a newline inside a name or message cannot start a line of its own. */
export function problemLine(p: Problem): string {
  return printableLine(`${p.nodeId ?? p.edgeId ?? (p.path || '/')}: ${p.message}`);
}

/** Every line goes out through printable(), so no path can forget it. */
function terminalIo(io: Io): Io {
  return { out: (s) => io.out(printable(s)), err: (s) => io.err(printable(s)) };
}

/**
 * The file as UTF-8 text without a byte-order mark. A file over
 * LIMITS.fileBytes is refused from its size before it is read; pipes and
 * devices, which have no size, are read to one chunk past the limit at most.
 */
async function readText(file: string, io: Io): Promise<string | null> {
  const cannot = (e: unknown) => {
    io.err(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path`);
    return null;
  };
  const tooLarge = (what: string) => {
    io.err(`${file}: ${what} the ${bytesText(LIMITS.fileBytes)} netloom reads; check it is a graph or model JSON file (a model's weights belong in its .bin files)`);
    return null;
  };
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    return cannot(e);
  }
  try {
    const { size } = await fh.stat();
    if (size > LIMITS.fileBytes) return tooLarge(`the file is ${bytesText(size)}, more than`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffer } = await fh.read(Buffer.alloc(1 << 20), 0, 1 << 20, null);
      if (!bytesRead) break;
      total += bytesRead;
      if (total > LIMITS.fileBytes) return tooLarge('the input is more than');
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return withoutBom(Buffer.concat(chunks, total).toString('utf8'));
  } catch (e) {
    return cannot(e);
  } finally {
    await fh.close();
  }
}

const TARGETS = ['netloom', 'tfjs', 'keras-json', 'keras-py', 'tfjs-js', 'svg'] as const;
type Target = (typeof TARGETS)[number];

/** Options that take a value, by spelling. */
const VALUED: Record<string, string> = {
  '-o': '--out', '--out': '--out', '--to': '--to',
  '--data': '--data', '--dataset': '--dataset', '--features': '--features', '--target': '--target', '--order-column': '--order-column',
  '--batch': '--batch', '--optimizer': '--optimizer', '--dtype': '--dtype',
};

/** Options only the Keras Python script takes: it alone trains (and distributes). */
const PYTHON_ONLY = ['--distribute', '--data', '--dataset', '--features', '--target', '--order-column'];

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

/** The files to write for `target`: OUT itself, and for keras-py with --data the CSV beside it. */
function render(target: Target, graph: Graph, out: string, python: { distribute: boolean; data?: PythonData }): { path: string; text: string }[] {
  switch (target) {
    case 'netloom': return [{ path: out, text: serializeGraph(graph) }];
    case 'tfjs': return [{ path: out, text: toTfjsModelJsonText(graph) }];
    case 'keras-json': return [{ path: out, text: `${asciiJson(JSON.stringify(toKerasModelJson(graph), null, 2))}\n` }];
    case 'keras-py': return kerasPythonFiles(graph, python, basename(out)).map((f, i) => ({ path: i ? join(dirname(out), f.name) : out, text: f.text }));
    case 'tfjs-js': return [{ path: out, text: toTfjsCode(graph) }];
    case 'svg': return [{ path: out, text: toSvg(graph) }];
  }
}

/** What the Python script trains on, from --data / --dataset; undefined: its default; null: refused (the reason is printed). */
async function pythonData(values: Map<string, string>, io: Io): Promise<PythonData | undefined | null> {
  const list = (v: string | undefined) => v?.split(',').map((c) => c.trim()).filter(Boolean);
  const features = list(values.get('--features'));
  const targets = list(values.get('--target'));
  const csv = values.get('--data');
  if (csv && values.has('--dataset')) {
    io.err('--data and --dataset: choose one (a CSV file, or a built-in dataset)');
    return null;
  }
  if (csv) {
    if (!features?.length) {
      io.err('--data needs --features a,b,...: the CSV columns the Window reads, as many as its features');
      return null;
    }
    const text = await readText(csv, io);
    if (text === null) return null;
    return { kind: 'csv', fileName: basename(csv), text, features, targets, orderColumn: values.get('--order-column') };
  }
  const id = values.get('--dataset');
  if (id) return { kind: 'dataset', id, features, targets };
  if (features || targets || values.has('--order-column')) {
    io.err('--features, --target and --order-column choose columns of --data or --dataset; add one of them');
    return null;
  }
  return undefined;
}

/** What main was doing, for the message when something fails unexpectedly. */
interface Progress {
  file: string;
  stage: string;
  /** The exit code for a file too deeply nested to load: 1, or 2 for diff, whose 1 means "different". */
  invalid: number;
}

export async function main(argv: string[], terminal: Io = stdio): Promise<number> {
  const io = terminalIo(terminal);
  const at: Progress = { file: '', stage: 'reading the command line', invalid: 1 };
  try {
    return await run(argv, io, at);
  } catch (e) {
    return failed(e, at, io);
  }
}

/**
 * One line instead of a stack trace. Running out of stack while loading or
 * analysing means the input nests models or blocks too deeply (exit 1, like
 * any other invalid graph); anything else is netloom's own fault (exit 2).
 */
function failed(e: unknown, at: Progress, io: Io): number {
  const where = at.file || 'netloom';
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError && /call stack/i.test(message) && (at.stage === 'loading' || at.stage === 'analysing' || at.stage === 'comparing')) {
    io.err(at.stage === 'loading'
      ? `${where}: the model is nested too deeply to load (models inside models); flatten the nesting`
      : `${where}: blocks are nested too deeply to expand (at most ${LIMITS.blockDepth} levels and ${fmt(LIMITS.expandedNodes)} layers once expanded); flatten some blocks or lower their repeat`);
    return at.invalid;
  }
  io.err(`${where}: internal error while ${at.stage}: ${message.slice(0, 500)}; please report it`);
  return 2;
}

/** A file loaded and analysed, or the exit code when it cannot be (the reasons are printed). */
type Loaded = { graph: Graph; analysis: Analysis } | { code: number };

/**
 * Reads, loads and analyses one FILE of any format netloom opens, printing
 * the import notes. A file that does not load ends with 2 when unparseable,
 * else 1 (an invalid graph); `invalid` replaces that 1 (diff's 1 means "different").
 */
async function load(file: string, io: Io, at: Progress, invalid = 1): Promise<Loaded> {
  at.file = file;
  at.stage = 'reading the file';
  const text = await readText(file, io);
  if (text === null) return { code: 2 };
  at.stage = 'loading';
  const loaded = loadAnyModelText(text, { name: basename(file).replace(/(\.netloom)?\.json$/i, '') });
  if (!loaded.ok) {
    for (const p of loaded.problems) io.err(problemLine(p));
    return { code: loaded.stage === 'parse' ? 2 : invalid };
  }
  for (const n of loaded.notes) io.err(printableLine(`note: ${n.nodeId ? `${n.nodeId}: ` : ''}${n.message}`));
  at.stage = 'analysing';
  const analysis = analyze(loaded.graph);
  // Each later call shares the first's weights, so the totals agree; they differ only where a call's sharing does not hold.
  const keras = loaded.shared.length ? kerasTotal(analysis, loaded.shared) : analysis.totals.params;
  if (keras !== analysis.totals.params) {
    io.err(`note: some calls of shared layers count their weights again here (see their shares errors); Keras counts ${fmt(keras)} parameters, netloom ${fmt(analysis.totals.params)}`);
  }
  return { graph: loaded.graph, analysis };
}

/** Options each command takes. */
const KNOWN: Record<string, string[]> = {
  summary: ['--json', '--expand', '--flops', '--memory', ...Object.values(MEMORY_FLAGS)],
  validate: [],
  convert: ['--out', '--to', ...PYTHON_ONLY],
  diff: ['--json'],
};

async function run(argv: string[], io: Io, at: Progress): Promise<number> {
  const args = parseArgs(argv);
  const { flags, values } = args;
  const [command, file] = args.positional;
  if (flags.has('--help') || command === 'help' || !command) {
    io.out(USAGE);
    return command || flags.has('--help') ? 0 : 2;
  }
  const known = KNOWN;
  if (!Object.hasOwn(known, command)) {
    io.err(`unknown command '${command}'; use summary, validate, convert or diff\n\n${USAGE}`);
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
  if (command === 'diff') return diff(args, io, at);
  if (!file) {
    io.err(`${command} needs a FILE\n\n${USAGE}`);
    return 2;
  }
  const target = command === 'convert' ? targetOf(values.get('--to'), values.get('--out')) : null;
  if (command === 'convert' && !target) {
    io.err(`unknown --to '${values.get('--to')}'; use one of ${TARGETS.join(', ')}`);
    return 2;
  }
  const pythonOnly = PYTHON_ONLY.filter((f) => flags.has(f) || values.has(f));
  if (command === 'convert' && target !== 'keras-py' && pythonOnly.length) {
    io.err(`${pythonOnly.join(', ')}: only the Keras Python script trains, so only it takes ${pythonOnly.length > 1 ? 'these' : 'this'}; use --to keras-py (or an OUT ending in .py), not ${target}`);
    return 2;
  }
  if (command === 'convert' && !values.get('--out')) {
    io.err('convert needs -o OUT, the file to write');
    return 2;
  }
  const memorySetup = Object.values(MEMORY_FLAGS).filter((f) => values.has(f));
  if (memorySetup.length && !flags.has('--memory')) {
    io.err(`${memorySetup.join(', ')} ${memorySetup.length > 1 ? 'set' : 'sets'} up the memory estimate; add --memory`);
    return 2;
  }
  const memory = flags.has('--memory') ? memoryOptions(values) : undefined;
  if (memory && 'errors' in memory) {
    for (const e of memory.errors) io.err(e);
    return 2;
  }
  const loaded = await load(file, io, at);
  if ('code' in loaded) return loaded.code;
  const { analysis } = loaded;
  if (command === 'convert') {
    const data = target === 'keras-py' ? await pythonData(values, io) : undefined;
    if (data === null) return 2;
    return convert(loaded.graph, analysis.problems, target!, values.get('--out')!, { distribute: flags.has('--distribute'), data }, io, at);
  }
  if (command === 'summary') {
    at.stage = 'printing the summary';
    const view = { expand: flags.has('--expand') };
    // JSON.stringify escapes C0 controls; terminalJson the rest, keeping the JSON valid.
    const mo = memory?.options;
    if (flags.has('--json')) {
      const json = summaryJson(analysis, view);
      io.out(terminalJson(JSON.stringify(mo ? withMemoryJson(json, analysis, mo) : json, null, 2)));
    } else {
      const text = cliSummaryText(summaryText(analysis, view), analysis, { ...view, flops: flags.has('--flops') });
      io.out(mo ? `${text}\n${memoryText(analysis, mo, view)}` : text);
    }
  } else if (!analysis.problems.length) {
    const t = analysis.totals;
    io.out(`${file}: valid · ${analysis.nodes.length} layers · ${fmt(t.params)} parameters`);
  }
  for (const p of analysis.problems) io.err(problemLine(p));
  return analysis.problems.length ? 1 : 0;
}

/**
 * `diff A B`: 0 when equivalent, 1 when they differ, 2 when either cannot be
 * compared. A graph with problems is still compared (its layers in error
 * have no shape); its problems go to stderr, named by file.
 */
async function diff(args: Args, io: Io, at: Progress): Promise<number> {
  const files = args.positional.slice(1);
  if (files.length !== 2) {
    io.err(`diff needs two files, A and B; got ${files.length}\n\n${USAGE}`);
    return 2;
  }
  at.invalid = 2;
  const loaded: { graph: Graph; analysis: Analysis }[] = [];
  for (const f of files) {
    const l = await load(f, io, at, 2);
    if ('code' in l) return l.code;
    loaded.push(l);
  }
  at.file = `${files[0]} and ${files[1]}`;
  at.stage = 'comparing';
  const d = diffGraphs(loaded[0].graph, loaded[1].graph);
  at.stage = 'printing the comparison';
  io.out(args.flags.has('--json') ? terminalJson(JSON.stringify(d, null, 2)) : diffText(d, files[0], files[1]));
  loaded.forEach((l, i) => {
    for (const p of l.analysis.problems) io.err(`${printableLine(files[i])}: ${problemLine(p)}`);
  });
  return d.equivalent ? 0 : 1;
}

/**
 * A netloom file is written even when the graph has problems (an imported
 * model with an unsupported layer opens in the editor, which shows them);
 * models and code are written only for graphs that build.
 */
async function convert(graph: Graph, problems: Problem[], target: Target, out: string, python: { distribute: boolean; data?: PythonData }, io: Io, at: Progress): Promise<number> {
  let files: { path: string; text: string }[];
  at.stage = `converting to ${target}`;
  try {
    files = render(target, graph, out, python);
  } catch (e) {
    if (e instanceof ExportOptionError) {
      io.err(printableLine(e.message));
      return 2;
    }
    if (!(e instanceof ExportError)) throw e;
    for (const p of e.problems) io.err(problemLine(p));
    io.err(`nothing written: fix the problems above to export ${target}`);
    return 1;
  }
  for (const f of files) {
    at.stage = `writing ${f.path}`;
    try {
      await writeFile(f.path, f.text);
    } catch (e) {
      io.err(`${f.path}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the folder exists and is writable`);
      return 2;
    }
  }
  for (const p of problems) io.err(problemLine(p));
  io.out(`${out}: ${target} written${files.length > 1 ? ` (with ${files.slice(1).map((f) => basename(f.path)).join(', ')} beside it)` : ''}`);
  return problems.length ? 1 : 0;
}
