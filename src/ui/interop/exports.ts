/**
 * The editor's exports: one entry per format, each producing a file named after
 * the graph. The exporters are loaded on first use so the editor starts without them.
 */
import { serializeGraph, type Graph } from '../../engine/index.ts';
import type { KerasPythonOptions } from '../../interop/export-python.ts';

export type ExportFormat = 'netloom' | 'tfjs' | 'python' | 'javascript' | 'svg' | 'png';

export interface ExportEntry {
  format: ExportFormat;
  label: string;
  /** What the file is for, shown under the label. */
  aside: string;
}

export const EXPORTS: readonly ExportEntry[] = [
  { format: 'netloom', label: 'netloom JSON', aside: 'the graph file (same as Save); keeps layers with problems' },
  { format: 'tfjs', label: 'TF.js model.json', aside: 'Layers topology for tf.loadLayersModel' },
  { format: 'python', label: 'Keras Python', aside: 'Keras 3 training script: the Data & train choices, fit, naive forecast, model.save' },
  { format: 'javascript', label: 'TF.js JavaScript', aside: 'code that builds the model with tf.layers' },
  { format: 'svg', label: 'SVG diagram', aside: 'one box per layer with its shape and parameters' },
  { format: 'png', label: 'PNG diagram', aside: 'the same diagram as an image, twice the size' },
];

export interface ExportOptions {
  /** Keras Python: train on every device and host (keras.distribution on jax, tf.distribute on TensorFlow). */
  distribute?: boolean;
  /** Keras Python: what the Data & train tab chose (data, settings, split). */
  python?: Omit<KerasPythonOptions, 'distribute'>;
}

export interface ExportedFile {
  fileName: string;
  blob: Blob;
  /** Files that go beside it (the CSV a training script reads). */
  extra?: ExportedFile[];
}

/** File names keep letters, digits, `_`, `.` and `-`. */
export const fileBase = (graph: Graph): string => graph.name.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '') || 'network';

/** Builds the file; rejects with the exporter's message (an `ExportError` names the node) when it cannot. */
export async function buildExport(format: ExportFormat, graph: Graph, opts: ExportOptions = {}): Promise<ExportedFile> {
  const base = fileBase(graph);
  const text = (body: string, type: string) => new Blob([body], { type });
  if (format === 'netloom') return { fileName: `${base}.netloom.json`, blob: text(serializeGraph(graph), 'application/json') };
  const io = await import('../../interop/index.ts');
  switch (format) {
    case 'tfjs':
      return { fileName: `${base}.model.json`, blob: text(io.toTfjsModelJsonText(graph, { indent: 1 }), 'application/json') };
    case 'python': {
      const [script, ...beside] = io.kerasPythonFiles(graph, { ...opts.python, distribute: !!opts.distribute }, `${base}.py`);
      return { fileName: script.name, blob: text(script.text, 'text/x-python'), extra: beside.map((f) => ({ fileName: f.name, blob: text(f.text, 'text/csv') })) };
    }
    case 'javascript':
      return { fileName: `${base}.js`, blob: text(io.toTfjsCode(graph), 'text/javascript') };
    case 'svg':
      return { fileName: `${base}.svg`, blob: text(io.toSvg(graph), 'image/svg+xml') };
    case 'png':
      return { fileName: `${base}.png`, blob: await io.toPng(graph) };
  }
}

/** Hands `file` to the browser as a download. */
export function download(file: ExportedFile): void {
  const url = URL.createObjectURL(file.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  file.extra?.forEach(download);
}

/** The sentence the notice shows when an export is refused. */
export function refusalText(entry: ExportEntry, error: unknown): string {
  const problems = error instanceof Error && error.name === 'ExportError' && 'problems' in error
    ? (error as Error & { problems: { nodeId?: string; edgeId?: string; path?: string; message: string }[] }).problems
    : null;
  if (!problems) return `Could not export ${entry.label}: ${error instanceof Error ? error.message : String(error)}.`;
  const listed = problems.slice(0, 3).map((p) => {
    const where = p.nodeId ?? p.edgeId ?? (p.path && p.path !== '/' ? p.path : '');
    return where ? `${where}: ${p.message}` : p.message;
  });
  const more = problems.length > 3 ? ` (+${problems.length - 3} more)` : '';
  return `Cannot export ${entry.label}: ${listed.join('; ')}${more}. Fix it first; netloom JSON saves the graph as it is.`;
}
