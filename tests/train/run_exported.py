"""
Load models written by exportToPyTorch and run them, for tests/train/export.test.ts.

    /usr/bin/python3 run_exported.py manifest.json results.json

The manifest is a list of {name, python, weights, inputs, indexInputs, demo}. Each model is
loaded with its own file's load_model() and its inputs with that file's load_safetensors()
(tensors "input.0", "input.1", ... in order; those numbered in indexInputs become int64
indices), so the test exercises the exported code only. A model's outputs are flattened in
order: tuples and lists (a transformer's per-layer attention) are opened, None is left out.
results.json maps each name to {"outputs": [{shape, data}], "demo": what running the file as a script
printed} or, if anything failed, {"error": the traceback}.
"""

import contextlib
import importlib.util
import io
import json
import runpy
import sys
import traceback

import torch


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_as_script(path, weights):
    argv, sys.argv = sys.argv, [path, weights]
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            runpy.run_path(path, run_name="__main__")
    finally:
        sys.argv = argv
    return printed.getvalue()


def flatten(output):
    if output is None:
        return []
    if isinstance(output, (tuple, list)):
        return [t for o in output for t in flatten(o)]
    return [output]


def run(entry):
    module = load_module(entry["name"], entry["python"])
    model = module.load_model(entry["weights"])
    tensors = module.load_safetensors(entry["inputs"])
    inputs = [tensors[f"input.{i}"] for i in range(len(tensors))]
    inputs = [x.long() if i in entry["indexInputs"] else x for i, x in enumerate(inputs)]
    with torch.no_grad():
        output = model(*inputs)
    outputs = flatten(output)
    result = {"outputs": [{"shape": list(o.shape), "data": o.reshape(-1).tolist()} for o in outputs]}
    if entry["demo"]:
        result["demo"] = run_as_script(entry["python"], entry["weights"])
    return result


def main(manifest_path, results_path):
    with open(manifest_path) as f:
        manifest = json.load(f)
    results = {}
    for entry in manifest:
        try:
            results[entry["name"]] = run(entry)
        except Exception:
            results[entry["name"]] = {"error": traceback.format_exc()}
    with open(results_path, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main(*sys.argv[1:])
