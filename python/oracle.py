"""Keras 3 as an oracle for netloom's tests: builds many models in one process
(importing Keras costs seconds, so callers batch) and reports every layer's
output shape and weight counts as Keras itself computes them.

    python oracle.py < request.json > answer.json

Request (one JSON object on stdin):
    {"cases": [{"id": "a", "model": {...}}, {"id": "b", "script": "/abs/path.py"}],
     "toJson": false, "prelude": "..."}
  prelude Python run once before the cases (the custom layer classes netloom's
          exports define), optional.
  model   a Keras model config: {"class_name": "Model" | "Functional" |
          "Sequential", "config": {...}} in the Keras 2 / TF.js dialect, a
          Keras 3 model.to_json() dict, or either wrapped as a TF.js
          model.json ({"modelTopology": ...}) or {"model_config": ...}.
  script  a Python file netloom exported; its build_model() is called.

Answer (one JSON object on stdout, nothing else is written there):
    {"keras": "3.x", "backend": "jax", "results": [
      {"id", "ok": true, "layers": [{"name", "className", "outputShape",
       "params", "trainable", "nonTrainable", "calls"}],
       "totals": {"params", "trainable", "nonTrainable"},
       "translated": [...], "json": {...}, "seconds"},
      {"id", "ok": false, "error": "ValueError: ...", "seconds"}]}
One failing case never stops the others: its error is its result (its
traceback is on stderr). "translated" lists every change made to a Keras 2 /
TF.js config so Keras 3 reads it (see _translate); "calls" counts a layer's
calls in the model (a shared layer's outputShape is its first call's).
"""
import os

# Before Keras is imported: the backend it loads, and quiet C++ logging (TensorFlow's, were
# it the backend). Whatever is still printed goes to stderr, below.
os.environ.setdefault('KERAS_BACKEND', 'jax')
os.environ.setdefault('JAX_PLATFORMS', 'cpu')
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')

import copy
import importlib.util
import itertools
import json
import math
import sys
import time
import traceback
import warnings

# The answer is the only thing on stdout: keep the real stdout aside and point fd 1
# (Python prints and C-level writes alike) at stderr while Keras runs.
_ANSWER = os.fdopen(os.dup(1), 'w', encoding='utf-8')
os.dup2(2, 1)
sys.stdout = sys.stderr
warnings.simplefilter('ignore')

import keras  # noqa: E402
from keras.src.layers.layer import Layer  # noqa: E402
from keras.src.ops.function import make_node_key  # noqa: E402

_add_weight = Layer.add_weight


def _zeros_add_weight(self, *args, **kwargs):
    """Every weight starts as zeros: only shapes are compared, and random or
    orthogonal initialisers (a QR per recurrent kernel, 138M draws for VGG16)
    would dominate the build time. Arrays given as initial values are kept."""
    if len(args) > 1:
        if args[1] is None or isinstance(args[1], str) or callable(args[1]):
            args = (args[0], 'zeros', *args[2:])
    else:
        init = kwargs.get('initializer')
        if init is None or isinstance(init, str) or callable(init):
            kwargs['initializer'] = 'zeros'
    return _add_weight(self, *args, **kwargs)


Layer.add_weight = _zeros_add_weight


def _size(weights):
    return int(sum(math.prod(int(d) for d in w.shape) for w in weights))


def _dims(shape):
    return [None if d is None else int(d) for d in shape]


def _shape_of(tensors):
    """One output: its dims; several (a list, tuple or dict of tensors): a list of dims."""
    flat = keras.tree.flatten(tensors)
    if len(flat) == 1 and not isinstance(tensors, (list, tuple, dict)):
        return _dims(flat[0].shape)
    return [_dims(t.shape) for t in flat]


def _graph_of(model):
    # A Sequential rebuilds its graph after every add(), leaving its layers with one node per
    # rebuild; the graph that counts is the last, kept in _functional.
    if isinstance(model, keras.Sequential):
        return getattr(model, '_functional', None) or model
    return model


def _calls(layer, graph):
    """The layer's nodes in this model's graph: one per call (several for a shared layer)."""
    keys = getattr(graph, '_nodes', None)
    nodes = list(getattr(layer, '_inbound_nodes', []))
    if keys is None:
        return nodes
    return [n for i, n in enumerate(nodes) if make_node_key(layer, i) in keys]


def _output_shape(layer, calls):
    # layer.output refuses to choose between the calls of a shared layer: report the first.
    if calls:
        out = calls[0].output_tensors
        return _shape_of(out[0] if len(out) == 1 else out)
    return _shape_of(layer.output)


def _layers_of(model):
    # Sequential.layers hides its InputLayer; _layers keeps it, so Sequential and Functional rows agree.
    if isinstance(model, keras.Sequential):
        return list(model._layers)
    return list(model.layers)


def _row(layer, graph):
    calls = _calls(layer, graph)
    return {
        'name': layer.name,
        'className': layer.__class__.__name__,
        'outputShape': _output_shape(layer, calls),
        # count_params() without its "built" check: the same sum over layer.weights.
        'params': _size(layer.weights),
        'trainable': _size(layer.trainable_weights),
        'nonTrainable': _size(layer.non_trainable_weights),
        'calls': len(calls),
    }


def _unwrap(doc, notes):
    """The {class_name, config} inside a TF.js model.json, modelTopology or {model_config}."""
    while isinstance(doc, dict) and isinstance(doc.get('modelTopology'), dict):
        doc = doc['modelTopology']
        notes.append('took the model config from modelTopology')
    if isinstance(doc, dict) and isinstance(doc.get('model_config'), dict):
        doc = doc['model_config']
        notes.append('took the model config from model_config')
    return doc


# Where Keras 3 looks up each top-level model class (keras.Functional is not exported).
_MODULES = {'Model': 'keras', 'Sequential': 'keras', 'Functional': 'keras.src.models.functional'}


def _translate(model, notes):
    """The TF.js / Keras 2 dialect where Keras 3 cannot read it as it is. Each
    change is listed in `notes`; layer configs are otherwise passed as given."""
    model = copy.deepcopy(model)
    if not isinstance(model, dict) or not isinstance(model.get('class_name'), str):
        raise ValueError('a model must be {"class_name": ..., "config": {...}}')
    # Keras 2 and TF.js configs name no module, and Keras 3's model_from_json finds a
    # class without one only if it was registered by hand. Naming the module of the
    # top-level model is enough: Keras 3 reads module-less layers inside it through its
    # own legacy (H5) path.
    if 'module' not in model and model['class_name'] in _MODULES:
        model['module'] = _MODULES[model['class_name']]
        notes.append(f'added "module": "{model["module"]}" to the top-level {model["class_name"]} (Keras 2 / TF.js configs name none)')
    # keras.Functional is not public: a config naming it in "keras" or "keras.models" cannot resolve.
    elif model['class_name'] == 'Functional' and model.get('module') in ('keras', 'keras.models'):
        notes.append(f'"module": "{model["module"]}" -> "{_MODULES["Functional"]}" for the top-level Functional (keras.Functional is not exported)')
        model['module'] = _MODULES['Functional']
    config = model.get('config')
    layers = config.get('layers') if isinstance(config, dict) else config
    # The top-level model's own layers; a model nested inside is read as it is.
    for layer in layers if isinstance(layers, list) else []:
        _batch_input_shape(layer, notes)
        _wrapped_modules(layer, notes)
    return model


def _batch_input_shape(layer, notes):
    """Keras 3's legacy reader passes a non-InputLayer's batch_input_shape on as
    input_shape, batch axis included, so Sequential([Dense(batch_input_shape=[None, 3])])
    gets an Input of shape (None, None, 3). Keras 2 meant input_shape = batch_input_shape[1:]."""
    if not isinstance(layer, dict) or 'module' in layer or layer.get('class_name') == 'InputLayer':
        return
    config = layer.get('config')
    if isinstance(config, dict) and isinstance(config.get('batch_input_shape'), list) and config['batch_input_shape']:
        shape = config.pop('batch_input_shape')
        config['input_shape'] = shape[1:]
        notes.append(f'{layer.get("class_name")} {config.get("name")!r}: batch_input_shape {json.dumps(shape)} -> input_shape {json.dumps(shape[1:])}')


def _wrapped_modules(layer, notes):
    """A wrapper's inner layer (Bidirectional, TimeDistributed) is deserialised by the
    wrapper's from_config, which has no legacy path: name its module, keras.layers."""
    if not isinstance(layer, dict) or not isinstance(layer.get('config'), dict):
        return
    for key in ('layer', 'backward_layer'):
        inner = layer['config'].get(key)
        if isinstance(inner, dict) and isinstance(inner.get('class_name'), str):
            if 'module' not in inner:
                inner['module'] = 'keras.layers'
                notes.append(f'added "module": "keras.layers" to the {inner["class_name"]} inside {layer.get("class_name")} {layer.get("name") or layer["config"].get("name")!r} (its {key!r})')
            _wrapped_modules(inner, notes)


_SCRIPTS = itertools.count()


def _build(case, notes):
    if 'script' in case:
        path = os.path.abspath(case['script'])
        # A fresh module name per case: two scripts with the same file name stay apart.
        spec = importlib.util.spec_from_file_location(f'netloom_oracle_script_{next(_SCRIPTS)}', path)
        if spec is None or spec.loader is None:
            raise ImportError(f'cannot import {path}')
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.build_model()
    model = case['model']
    if isinstance(model, str):
        model = json.loads(model)
    model = _translate(_unwrap(model, notes), notes)
    return keras.models.model_from_json(json.dumps(model))


def _run(case, to_json):
    notes = []
    if not isinstance(case, dict) or ('model' in case) == ('script' in case):
        raise ValueError('a case needs exactly one of "model" and "script"')
    model = _build(case, notes)
    graph = _graph_of(model)
    result = {
        'id': case.get('id'),
        'ok': True,
        'layers': [_row(layer, graph) for layer in _layers_of(model)],
        # Model weights are de-duplicated, so a shared layer counts once.
        'totals': {'params': int(model.count_params()), 'trainable': _size(model.trainable_weights), 'nonTrainable': _size(model.non_trainable_weights)},
        'translated': notes,
    }
    if to_json:
        result['json'] = json.loads(model.to_json())
    return result


_MAX_MESSAGE = 2000


def main():
    request = json.load(sys.stdin)
    to_json = bool(request.get('toJson'))
    # The custom layer classes netloom's Python export defines inline (keras_hub's
    # PositionEmbedding, ClassToken), registered so model_from_json finds them.
    if isinstance(request.get('prelude'), str):
        exec(compile(request['prelude'], 'netloom-custom-layers', 'exec'), {'keras': keras})
    results = []
    for case in request.get('cases', []):
        cid = case.get('id') if isinstance(case, dict) else None
        started = time.perf_counter()
        try:
            result = _run(case, to_json)
            # Serialised here, so a value JSON cannot hold (NaN in a config) fails this case only.
            json.dumps(result, allow_nan=False)
        # SystemExit too: a script that exits on import is that case's error, not the batch's end.
        except (Exception, SystemExit) as e:  # noqa: BLE001 - every error is a result
            traceback.print_exc(file=sys.stderr)
            # Keras quotes the whole config in some messages; the full text is on stderr.
            message = str(e)
            if len(message) > _MAX_MESSAGE:
                message = message[:_MAX_MESSAGE] + ' …'
            result = {'id': cid, 'ok': False, 'error': f'{type(e).__name__}: {message}'}
        result['seconds'] = round(time.perf_counter() - started, 3)
        results.append(result)
        # Fresh name counters per case: an unnamed layer is dense, not dense_7, as in its own process.
        keras.backend.clear_session()
    answer = {'keras': keras.__version__, 'backend': keras.backend.backend(), 'results': results}
    _ANSWER.write(json.dumps(answer, allow_nan=False))
    _ANSWER.write('\n')
    _ANSWER.flush()


if __name__ == '__main__':
    main()
