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

/** The Examples menu's families, in menu order. */
export const FAMILIES = [
  'Classic CNNs', 'ResNets, DenseNets and ConvNeXt', 'Mobile and efficient', 'Transformers', 'Recurrent and Jena weather', 'Text', 'Teaching', 'Other',
] as const;
export type Family = (typeof FAMILIES)[number];

/** Families by example file name, first match wins; a new example lands by its name's pattern. */
const FAMILY_RULES: [RegExp, Family][] = [
  [/^(receptive-field|one-by-one|fcn-convolutionalization|lstm-split-sequence)/, 'Teaching'],
  [/^(resnet|densenet|resnext|wide-resnet|convnext|inception-resnet)/, 'ResNets, DenseNets and ConvNeXt'],
  [/^(mobilenet|efficientnet|squeezenet|shufflenet|mnasnet|nasnet)/, 'Mobile and efficient'],
  [/^(vit|bert|gpt|transformer)/, 'Transformers'],
  [/^(imdb|text)/, 'Text'],
  [/^(jena|conv1d-gru|keras-lstm|keras-bidirectional|.*(gru|lstm|rnn))/, 'Recurrent and Jena weather'],
  [/^(lenet|alexnet|vgg|googlenet|inception|xception|yolo|zfnet|nin)/, 'Classic CNNs'],
];

export function familyOf(key: string): Family {
  return FAMILY_RULES.find(([re]) => re.test(key))?.[1] ?? 'Other';
}

/** The examples by family (menu order), each family smallest network first. */
export function byFamily(infos: readonly ExampleInfo[]): { family: Family; examples: ExampleInfo[] }[] {
  return FAMILIES.map((family) => ({
    family,
    examples: infos.filter((x) => familyOf(x.key) === family).sort((a, b) => a.params - b.params || a.key.localeCompare(b.key)),
  })).filter((g) => g.examples.length);
}
