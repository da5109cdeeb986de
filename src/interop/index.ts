/**
 * Interop: Keras / TF.js models in, TF.js model.json, Keras Python, TF.js
 * JavaScript and diagrams out. Pure functions the editor and the CLI call.
 */
export { loadAnyModel, loadAnyModelText, kerasTotal, type AnyLoadResult } from './load.ts';
export { importKerasModel, detectFormat, OPEN_AXIS_SIZE, type ImportNote, type ImportResult, type ModelFormat, type SharedCall } from './import-keras.ts';
export { asciiJson, toTfjsModelJson, toTfjsModelJsonText, type TfjsModelJson, type WeightsManifestEntry } from './export-tfjs.ts';
export { ExportOptionError, kerasPythonFiles, toKerasPython, type KerasPythonOptions, type PythonData } from './export-python.ts';
export { toTfjsCode } from './export-js.ts';
export { toSvg, escapeXml } from './export-svg.ts';
export { svgToPng, toPng } from './export-png.ts';
export { prepareExport, ExportError } from './prepare.ts';
