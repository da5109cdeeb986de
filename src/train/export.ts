/**
 * Trained model → the two files TF.js loads: `model.json` (topology and a
 * weights manifest pointing at `model.weights.bin`) and the weights as one
 * binary. `model.save` writes through a custom IOHandler, so the same code
 * makes the download in the browser and the bytes in Node; put both files in
 * one folder and `tf.loadLayersModel('…/model.json')` reads them back.
 */
import type * as tfType from '@tensorflow/tfjs';

type Tf = typeof tfType;

export const WEIGHTS_FILE = 'model.weights.bin';

export interface ExportedModel {
  /** The text of model.json. */
  modelJson: string;
  /** The bytes of model.weights.bin. */
  weights: ArrayBuffer;
}

/** Saves `model` into memory as model.json text and the weights binary. */
export async function exportModel(model: tfType.LayersModel): Promise<ExportedModel> {
  let result: ExportedModel | null = null;
  const handler: tfType.io.IOHandler = {
    async save(a: tfType.io.ModelArtifacts) {
      const weightData = a.weightData;
      const weights = weightData == null
        ? new ArrayBuffer(0)
        : Array.isArray(weightData)
          ? concat(weightData)
          : weightData;
      const json = {
        format: a.format ?? 'layers-model',
        generatedBy: a.generatedBy,
        convertedBy: a.convertedBy ?? null,
        modelTopology: a.modelTopology,
        ...(a.trainingConfig ? { trainingConfig: a.trainingConfig } : {}),
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: a.weightSpecs ?? [] }],
      };
      // ASCII, like every netloom export: names with bidi controls stay visible as escapes.
      result = { modelJson: JSON.stringify(json).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), weights };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    },
  };
  await model.save(handler);
  return result!;
}

function concat(buffers: ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let o = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), o);
    o += b.byteLength;
  }
  return out.buffer;
}

/** Loads exported files back without a server (`tf.io.fromMemory`): the round trip of `exportModel`. */
export async function loadExported(tf: Tf, e: ExportedModel): Promise<tfType.LayersModel> {
  const json = JSON.parse(e.modelJson) as { modelTopology: object; weightsManifest: { weights: tfType.io.WeightsManifestEntry[] }[] };
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: e.weights,
  }));
}

/** Offers both files as downloads (browser only). */
export function downloadExported(e: ExportedModel, doc: Document = document): void {
  const files: [string, BlobPart, string][] = [['model.json', e.modelJson, 'application/json'], [WEIGHTS_FILE, e.weights, 'application/octet-stream']];
  for (const [name, data, type] of files) {
    const url = URL.createObjectURL(new Blob([data], { type }));
    const a = doc.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
