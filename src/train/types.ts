/**
 * What a training run takes and gives back, as plain JSON-able values so the
 * editor can keep runs in its store, compare them side by side and save them.
 */

export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';
export type LossName = 'mse' | 'mae' | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy';
export type MetricName = 'mae' | 'mse' | 'accuracy';

export interface EarlyStopping {
  /** Epochs without improvement of the monitored loss before stopping. */
  patience: number;
  /** Smallest decrease that counts as an improvement (default 0). */
  minDelta?: number;
}

export interface TrainSettings {
  optimizer: OptimizerName;
  learningRate: number;
  loss: LossName;
  metrics?: MetricName[];
  epochs: number;
  batchSize: number;
  /** Each gradient is rescaled so its L2 norm is at most this (Keras `clipnorm`): the remedy for exploding gradients. */
  clipnorm?: number;
  /** Each gradient element is clipped to [−clipvalue, clipvalue] (Keras `clipvalue`). */
  clipvalue?: number;
  earlyStopping?: EarlyStopping;
  /** Put the weights of the epoch with the lowest monitored loss back at the end (default true). */
  restoreBestWeights?: boolean;
  /** Shuffle the training samples each epoch (default true; seeded). */
  shuffle?: boolean;
  /** Seeds the shuffling, the dropout masks and, where the model is built for the run, the initial weights: the same seed repeats the run. */
  seed?: number;
}

/**
 * Samples as flat arrays: `x` holds `count` samples of shape `xShape`
 * (row-major), `y` holds `count` targets of shape `yShape` (`[]` for sparse
 * class labels, `[classes]` for one-hot, `[targets]` for series).
 */
export interface TrainData {
  count: number;
  x: Float32Array;
  xShape: number[];
  y: Float32Array;
  yShape: number[];
}

export interface BatchProgress {
  /** 1-based. */
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** Mean training loss of this epoch's batches so far. */
  loss: number;
  /** Share of the whole run done, 0–1 (for the progress bar). */
  fraction: number;
  elapsedMs: number;
  /** Estimated time left, from the time per batch so far. */
  etaMs: number;
  samplesPerSecond: number;
}

export interface EpochProgress {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss?: number;
  metrics: Record<string, number>;
  valMetrics: Record<string, number>;
  /** The monitored loss reached a new best (its weights are kept). */
  improved: boolean;
  elapsedMs: number;
  etaMs: number;
}

/** Per-epoch curves, index i = epoch i + 1. */
export interface History {
  loss: number[];
  valLoss: number[];
  metrics: Record<string, number[]>;
  valMetrics: Record<string, number[]>;
}

export type StopReason = 'completed' | 'early-stopping' | 'aborted';

export interface TrainResult {
  history: History;
  epochsRun: number;
  /** 1-based epoch whose weights the model holds at the end (the best one when restoring). */
  bestEpoch: number;
  bestLoss: number;
  /** 'val_loss' when there is validation data, else 'loss'. */
  monitor: 'val_loss' | 'loss';
  stopped: StopReason;
  seconds: number;
  samplesPerSecond: number;
}
