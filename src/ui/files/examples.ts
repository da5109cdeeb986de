/** The example gallery: files in examples/, each loaded (and analysed) only when the menu opens. */
import { analyze, parseGraphText, type Graph } from '../../engine/index.ts';

const loaders = import.meta.glob<string>('../../../examples/*.json', { query: '?raw', import: 'default' });

export interface ExampleEntry {
  key: string;
  load: () => Promise<string>;
}

export const EXAMPLES: ExampleEntry[] = Object.entries(loaders)
  .map(([path, load]) => ({ key: path.slice(path.lastIndexOf('/') + 1).replace(/\.json$/i, ''), load }))
  .sort((a, b) => a.key.localeCompare(b.key));

export interface ExampleInfo {
  key: string;
  title: string;
  params: number;
  layers: number;
  graph: Graph;
}

let infos: Promise<ExampleInfo[]> | null = null;

/** Titles and totals of every example (read once). */
export function exampleInfos(): Promise<ExampleInfo[]> {
  infos ??= Promise.all(EXAMPLES.map(async (ex) => {
    const r = parseGraphText(await ex.load());
    if (!r.ok) return null;
    const a = analyze(r.graph);
    return { key: ex.key, title: r.graph.title ?? r.graph.name, params: a.totals.params, layers: r.graph.nodes.length, graph: r.graph };
  })).then((xs) => xs.filter((x): x is ExampleInfo => x !== null));
  return infos;
}
