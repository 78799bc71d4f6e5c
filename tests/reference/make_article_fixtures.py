"""
Write PyTorch references for the article's three models (article_models.py, transcribed
verbatim) to tests/reference/fixtures/article/<model>.json.

Run with Debian's PyTorch (/usr/bin/python3, python3-torch 1.13); the output is committed.
Each file holds:
- "failures": the model run as the article runs it (input 512, hidden 256, 10 classes /
  5 objects / 100 frames) and at a few other sizes that fail at other steps, each with the
  module PyTorch was inside when it failed ("" for the model itself) and PyTorch's own message;
- "cases": sizes where the model does run, in the nn fixture format (nn_fixture_lib.py):
  weights, input, output, r, and the gradients of sum(out * r) for the input and every parameter;
- for ObjectTracker, "grid": where it fails or runs for frames with 1 or 3 channels over a grid
  of widths, heights and input/hidden sizes.
"""

import itertools
import json
import pathlib
import sys
import zlib

sys.dont_write_bytecode = True

import torch  # noqa: E402

from article_models import ObjectTracker, VideoClassifier, VideoGenerator  # noqa: E402
from fixture_lib import randn  # noqa: E402
from nn_fixture_lib import layer_case, spec  # noqa: E402

OUT_DIR = pathlib.Path(__file__).resolve().parent / "fixtures" / "article"

CLASSES = {"VideoClassifier": VideoClassifier, "ObjectTracker": ObjectTracker, "VideoGenerator": VideoGenerator}


def run(name, args, shape):
    """
    Run model `name(*args)` on randn(shape). Returns where it failed (the innermost module
    whose forward had started but not finished, as a dotted path) and PyTorch's message, or
    the output shape when it ran.
    """
    model = CLASSES[name](*args)
    running = []

    def enter(path):
        return lambda _module, _input: running.append(path)

    def leave(_module, _input, _output):
        # A forward hook's return value would replace the module's output, so return nothing.
        running.pop()

    for path, m in model.named_modules():
        m.register_forward_pre_hook(enter(path))
        m.register_forward_hook(leave)
    try:
        with torch.no_grad():
            out = model(torch.randn(shape))
    except (RuntimeError, IndexError) as e:  # IndexError: a dim out of range
        return {"model": name, "args": list(args), "shape": list(shape), "path": running[-1], "error": str(e)}
    return {"model": name, "args": list(args), "shape": list(shape), "path": None, "outputShape": list(out.shape)}


def failure(name, args, shape):
    result = run(name, args, shape)
    if result["path"] is None:
        raise AssertionError(f"{name}{tuple(args)} unexpectedly ran on {list(shape)}")
    return result


def case(name, args, shape):
    title = f"{name}({', '.join(map(str, args))}) on {list(shape)}"
    return layer_case(title, spec(name, *args), lambda: CLASSES[name](*args), [randn(*shape)])


def video_classifier():
    return {
        "failures": [
            failure("VideoClassifier", (512, 256, 10), (2, 16, 512)),
            failure("VideoClassifier", (512, 256, 10), (2, 16, 256)),
            failure("VideoClassifier", (16, 16, 10), (2, 16)),
        ],
        "cases": [
            case("VideoClassifier", (16, 16, 10), (2, 5, 16)),
            # One weight per frame broadcasts over the features: the article's idea, working.
            case("VideoClassifier", (16, 1, 10), (2, 5, 16)),
        ],
    }


# Frames with 1 or 3 channels; widths from degenerate (as wide as the channel count) to the
# article's 512; (input_dim, hidden_dim) pairs including the article's and ones that broadcast.
GRID_CHANNELS = (1, 3)
GRID_HEIGHTS = (1, 7)
GRID_WIDTHS = (1, 3, 4, 32, 224, 256, 512)
GRID_SIZES = ((512, 256), (512, 512), (256, 256), (256, 512), (32, 16), (32, 32), (4, 4), (3, 3), (3, 2), (3, 1), (1, 1), (1, 4))


def object_tracker():
    grid = [
        run("ObjectTracker", (i, h, 5), (2, c, height, w))
        for c, height, w, (i, h) in itertools.product(GRID_CHANNELS, GRID_HEIGHTS, GRID_WIDTHS, GRID_SIZES)
    ]
    return {
        "failures": [
            failure("ObjectTracker", (512, 256, 5), (2, 3, 32, 32)),
            failure("ObjectTracker", (512, 256, 5), (2, 3, 32, 512)),
            failure("ObjectTracker", (512, 256, 5), (2, 3, 224, 224)),
            failure("ObjectTracker", (16, 16, 5), (2, 3, 8, 16)),
            failure("ObjectTracker", (16, 16, 5), (2, 8, 16)),
        ],
        # It only runs on a frame exactly as wide as it has channels, with input_dim equal to both.
        "cases": [case("ObjectTracker", (3, 3, 5), (2, 3, 4, 3))],
        "grid": grid,
    }


def video_generator():
    return {
        "failures": [
            failure("VideoGenerator", (512, 256, 100), (2, 3, 32, 32)),
            failure("VideoGenerator", (512, 256, 100), (2, 3, 32, 512)),
            failure("VideoGenerator", (512, 256, 100), (2, 3, 224, 224)),
            failure("VideoGenerator", (16, 16, 100), (2, 8, 32)),
            failure("VideoGenerator", (1, 4, 100), (2, 3, 8, 1)),
        ],
        "cases": [case("VideoGenerator", (16, 16, 100), (2, 3, 8, 16))],
    }


MODELS = {"videoClassifier": video_classifier, "objectTracker": object_tracker, "videoGenerator": video_generator}


def main(only):
    torch.set_default_dtype(torch.float32)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    unknown = set(only) - set(MODELS)
    if unknown:
        sys.exit(f"unknown model(s): {', '.join(sorted(unknown))}; known: {', '.join(MODELS)}")
    total_bytes = 0
    for name, build in MODELS.items():
        if only and name not in only:
            continue
        torch.manual_seed(zlib.crc32(name.encode()))
        text = json.dumps({"model": name, "torch": torch.__version__, **build()}, separators=(",", ":"))
        (OUT_DIR / f"{name}.json").write_text(text + "\n")
        total_bytes += len(text) + 1
    print(f"wrote {len(only) or len(MODELS)} models ({total_bytes / 1024:.0f} KiB) to {OUT_DIR}")


if __name__ == "__main__":
    main(sys.argv[1:])
