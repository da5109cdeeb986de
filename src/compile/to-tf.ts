/**
 * Engine graph → `tf.LayersModel` through the functional API. Each kind maps
 * to its `tf.layers` counterpart with the same parameter names; layer names
 * are node names. What TF.js cannot express is reported before building.
 *
 * The tf namespace is passed in, so the same code runs with `@tensorflow/tfjs`
 * in Node (CPU) and in the browser (WebGPU/WebGL).
 */
import type * as tfType from '@tensorflow/tfjs';
import { analyze, type Analysis, type NodeResult } from '../engine/analyze.ts';
import type { Graph, Problem } from '../engine/types.ts';

type Tf = typeof tfType;
type Sym = tfType.SymbolicTensor;
type P = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Options TF.js cannot express, per node; each message names the fix. */
export function tfUnsupported(a: Analysis): Problem[] {
  const out: Problem[] = [];
  for (const r of a.nodes) {
    const p = r.params as P;
    if ((r.kind === 'GRU' || (r.kind === 'Bidirectional' && p.layer === 'GRU')) && p.resetAfter) {
      out.push({ nodeId: r.id, field: 'resetAfter', message: 'TF.js has no GRU with resetAfter true (the TF2 Keras default); set resetAfter to false to compile it (the bias then has 3·units instead of 2×3·units values)' });
    }
    if (r.kind === 'DepthwiseConv2D' && (p.dilationRate as number[]).some((d) => d > 1)) {
      out.push({ nodeId: r.id, field: 'dilationRate', message: 'TF.js infers the wrong output size for DepthwiseConv2D with dilationRate > 1 (it ignores the dilation); use dilationRate [1, 1] or a SeparableConv2D' });
    }
    if (r.kind === 'Conv1D' && p.padding === 'causal') {
      out.push({ nodeId: r.id, field: 'padding', message: "TF.js cannot run Conv1D with padding 'causal'; use 'valid' after a ZeroPadding or 'same'" });
    }
  }
  return out;
}

const common = (r: NodeResult) => ({ name: r.name });

function cellConfig(p: P) {
  return {
    units: p.units, returnSequences: p.returnSequences, activation: p.activation, useBias: p.useBias,
    dropout: p.dropout, recurrentDropout: p.recurrentDropout,
  };
}

/** The `tf.layers` layer for one analysed node (not for model inputs). */
export function makeLayer(tf: Tf, r: NodeResult): tfType.layers.Layer {
  // tf.layers mutates some arguments (Reshape turns -1 into null in place): hand it a copy.
  const p = structuredClone(r.params) as P;
  const L = tf.layers;
  const c = common(r);
  const convBase = { kernelSize: p.kernelSize, strides: p.strides, padding: p.padding, activation: p.activation, useBias: p.useBias };
  switch (r.kind) {
    case 'Conv1D':
      return L.conv1d({ ...c, ...convBase, filters: p.filters, dilationRate: p.dilationRate });
    case 'Conv2D':
      return L.conv2d({ ...c, ...convBase, filters: p.filters, dilationRate: p.dilationRate });
    case 'Conv2DTranspose':
      return L.conv2dTranspose({ ...c, ...convBase, filters: p.filters });
    case 'DepthwiseConv2D':
      return L.depthwiseConv2d({ ...c, ...convBase, depthMultiplier: p.depthMultiplier, dilationRate: p.dilationRate });
    case 'SeparableConv2D':
      return L.separableConv2d({ ...c, ...convBase, filters: p.filters, depthMultiplier: p.depthMultiplier, dilationRate: p.dilationRate });
    case 'MaxPooling1D':
      return L.maxPooling1d({ ...c, poolSize: p.poolSize, strides: p.strides ?? p.poolSize, padding: p.padding });
    case 'AveragePooling1D':
      return L.averagePooling1d({ ...c, poolSize: p.poolSize, strides: p.strides ?? p.poolSize, padding: p.padding });
    case 'MaxPooling2D':
      return L.maxPooling2d({ ...c, poolSize: p.poolSize, strides: p.strides ?? p.poolSize, padding: p.padding });
    case 'AveragePooling2D':
      return L.averagePooling2d({ ...c, poolSize: p.poolSize, strides: p.strides ?? p.poolSize, padding: p.padding });
    case 'GlobalMaxPooling1D':
      return L.globalMaxPooling1d(c);
    case 'GlobalAveragePooling1D':
      return L.globalAveragePooling1d(c);
    case 'GlobalMaxPooling2D':
      return L.globalMaxPooling2d(c);
    case 'GlobalAveragePooling2D':
      return L.globalAveragePooling2d(c);
    case 'ZeroPadding2D':
      return L.zeroPadding2d({ ...c, padding: p.padding });
    case 'Cropping2D':
      return L.cropping2D({ ...c, cropping: p.cropping });
    case 'UpSampling2D':
      return L.upSampling2d({ ...c, size: p.size, interpolation: p.interpolation });
    case 'SimpleRNN':
      return L.simpleRNN({ ...c, ...cellConfig(p) });
    case 'LSTM':
      return L.lstm({ ...c, ...cellConfig(p), recurrentActivation: p.recurrentActivation });
    case 'GRU':
      return L.gru({ ...c, ...cellConfig(p), recurrentActivation: p.recurrentActivation });
    case 'Bidirectional': {
      const cell = { ...cellConfig(p), name: `${r.name}_${String(p.layer).toLowerCase()}` };
      const inner = p.layer === 'LSTM'
        ? L.lstm({ ...cell, recurrentActivation: p.recurrentActivation })
        : p.layer === 'GRU'
          ? L.gru({ ...cell, recurrentActivation: p.recurrentActivation })
          : L.simpleRNN(cell);
      return L.bidirectional({ ...c, layer: inner as tfType.RNN, mergeMode: p.mergeMode });
    }
    case 'Add':
      return L.add(c);
    case 'Multiply':
      return L.multiply(c);
    case 'Concatenate':
      return L.concatenate({ ...c, axis: p.axis });
    case 'Dense':
      return L.dense({ ...c, units: p.units, activation: p.activation, useBias: p.useBias });
    case 'Flatten':
      return L.flatten(c);
    case 'Reshape':
      // TF.js leaves a -1 dimension unknown in its symbolic shape (Keras infers it): pass the inferred one.
      return L.reshape({ ...c, targetShape: r.outputShape!.slice(1) as number[] });
    case 'Dropout':
      return L.dropout({ ...c, rate: p.rate });
    case 'Activation':
      return L.activation({ ...c, activation: p.activation });
    case 'LeakyReLU':
      return L.leakyReLU({ ...c, alpha: p.alpha });
    case 'Embedding':
      return L.embedding({ ...c, inputDim: p.inputDim, outputDim: p.outputDim });
    case 'BatchNormalization':
      return L.batchNormalization({ ...c, axis: p.axis, momentum: p.momentum, epsilon: p.epsilon, center: p.center, scale: p.scale });
    case 'LayerNormalization':
      return L.layerNormalization({ ...c, axis: p.axis, epsilon: p.epsilon, center: p.center, scale: p.scale });
    default:
      throw new Error(`${r.id}: no TF.js mapping for kind ${r.kind}`);
  }
}

export class CompileError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.nodeId ?? p.path ?? ''}: ${p.message}`).join('\n'));
    this.name = 'CompileError';
  }
}

/**
 * Builds the functional model. Throws `CompileError` (every problem, each
 * naming its node and fix) when the graph has errors or uses options TF.js
 * cannot express.
 */
export function toTfModel(tf: Tf, graph: Graph, analysis: Analysis = analyze(graph)): tfType.LayersModel {
  const problems = [...analysis.problems, ...tfUnsupported(analysis)];
  if (problems.length) throw new CompileError(problems);
  if (!analysis.outputs.length) throw new CompileError([{ message: 'the graph has no layers; add an Input and a layer' }]);
  const tensors = new Map<string, Sym>();
  for (const r of analysis.nodes) {
    const p = r.params as P;
    if (r.kind === 'Input') {
      tensors.set(r.id, tf.input({ shape: p.shape, name: r.name, dtype: 'float32' }));
    } else if (r.kind === 'Window') {
      tensors.set(r.id, tf.input({ shape: [p.nSteps, p.features], name: r.name }));
    } else {
      const ins = r.inputIds.map((id) => tensors.get(id)!);
      const out = makeLayer(tf, r).apply(ins.length === 1 ? ins[0] : ins) as Sym;
      tensors.set(r.id, out);
    }
  }
  return tf.model({
    name: analysis.graph.name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'model',
    inputs: analysis.inputs.map((id) => tensors.get(id)!),
    outputs: analysis.outputs.map((id) => tensors.get(id)!),
  });
}
