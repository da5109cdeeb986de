/**
 * Reading files the user picks or drops: netloom graphs, TF.js Layers `model.json` and Keras
 * `model.to_json()` documents (the store detects which). Files are untrusted: failures leave the graph as it is.
 */
import { serializeGraph, type Graph } from '../../engine/index.ts';
import { editorStore } from '../state.ts';
import { bytesText, LIMITS } from '../../engine/index.ts';

/** Larger files are refused before reading them into memory. */
/** The same limit as the command line's, so a file opens in both or in neither. */
export const MAX_FILE_BYTES = LIMITS.fileBytes;

/** Binary model formats people try first, and what to give netloom instead. */
const BINARY_FORMATS: [RegExp, string][] = [
  [/\.(h5|hdf5|keras)$/i, 'a Keras weights file; in Python, save the architecture with open("model.json", "w").write(model.to_json()) and open that'],
  [/\.bin$/i, 'a TF.js weights shard; open the model.json beside it'],
  [/\.(pb|onnx|tflite|pt|pth|safetensors)$/i, 'a binary model format netloom does not read; export the Keras model.to_json() or a TF.js model.json'],
];

/**
 * The text of a model file the user picked, or null with a notice saying why
 * not (a binary format, too large, unreadable); `then` ends the notice (what
 * stays as it was).
 */
export async function readModelFile(file: File, then = 'Your network is unchanged.'): Promise<string | null> {
  const ed = editorStore.getState();
  const binary = BINARY_FORMATS.find(([re]) => re.test(file.name));
  if (binary) {
    ed.notify({ kind: 'error', text: `Could not open ${file.name}: it is ${binary[1]}. ${then}` });
    return null;
  }
  if (file.size > MAX_FILE_BYTES) {
    ed.notify({ kind: 'error', text: `${file.name} is ${bytesText(file.size)}; netloom opens files up to ${bytesText(MAX_FILE_BYTES)} (a model's weights belong in its .bin files, which netloom does not need). ${then}` });
    return null;
  }
  try {
    return await file.text();
  } catch (e) {
    ed.notify({ kind: 'error', text: `Could not read ${file.name}: ${(e as Error).message}. ${then}` });
    return null;
  }
}

export async function openFile(file: File): Promise<boolean> {
  const text = await readModelFile(file);
  return text !== null && editorStore.getState().loadText(text, file.name);
}

/** Downloads the graph as `<name>.netloom.json`. */
export function downloadGraph(graph: Graph): void {
  const blob = new Blob([serializeGraph(graph)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${graph.name || 'network'}.netloom.json`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
