"""
Write PyTorch references for the layers in src/lib/nn to tests/reference/fixtures/nn/<layer>.json.

Run with Debian's PyTorch (/usr/bin/python3, python3-torch 1.13); the output is committed.
Each case builds a torch.nn layer, moves its parameters onto the same 1e-4 grid as the
inputs (see fixture_lib.py) so the engine loads bit-identical float32 weights, and records:
the layer's spec (how the TypeScript test builds the same layer), its repr, its state dict
(keys in PyTorch's order, shapes, values), the inputs, every output, one random `r` per
output, and the float64 gradients of sum(out * r) with respect to the inputs and every
parameter. Each layer's cases are drawn from torch.manual_seed(crc32(layer)).
"""

import json
import pathlib
import sys
import zlib

sys.dont_write_bytecode = True

import torch  # noqa: E402
from torch import nn  # noqa: E402

from glance_layers import AttentionModule, AttentionPooling, SpatialAttention  # noqa: E402
from fixture_lib import distinct, index, index_values, mask, randn  # noqa: E402
from nn_fixture_lib import layer_case, spec  # noqa: E402

OUT_DIR = pathlib.Path(__file__).resolve().parent / "fixtures" / "nn"


def linear_cases():
    return [
        layer_case("[2,3,4] → 5 with bias", spec("Linear", 4, 5), lambda: nn.Linear(4, 5), [randn(2, 3, 4)]),
        layer_case("[3,4] → 2 without bias", spec("Linear", 4, 2, bias=False), lambda: nn.Linear(4, 2, bias=False), [randn(3, 4)]),
        layer_case("1-D [6] → 3", spec("Linear", 6, 3), lambda: nn.Linear(6, 3), [randn(6)]),
    ]


def activation_cases():
    return [
        layer_case("ReLU on [3,4]", spec("ReLU"), nn.ReLU, [randn(3, 4)]),
        layer_case("GELU on [3,4]", spec("GELU"), nn.GELU, [randn(3, 4)]),
        layer_case("Softmax(dim=1) on [2,3,4]", spec("Softmax", 1), lambda: nn.Softmax(dim=1), [randn(2, 3, 4)]),
        layer_case("Softmax(dim=-1) on [2,3,4]", spec("Softmax", -1), lambda: nn.Softmax(dim=-1), [randn(2, 3, 4)]),
    ]


def sequential_cases():
    mlp = spec("Sequential", spec("Linear", 4, 6), spec("ReLU"), spec("Linear", 6, 3))
    head = spec("Sequential", spec("Linear", 5, 4), spec("GELU"), spec("Dropout", 0.5), spec("Linear", 4, 3), spec("Softmax", -1))
    return [
        layer_case("Linear → ReLU → Linear", mlp, lambda: nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3)), [randn(2, 4)]),
        layer_case(
            "Linear → GELU → Dropout (eval) → Linear → Softmax",
            head,
            lambda: nn.Sequential(nn.Linear(5, 4), nn.GELU(), nn.Dropout(0.5), nn.Linear(4, 3), nn.Softmax(dim=-1)),
            [randn(2, 3, 5)],
        ),
    ]


def conv2d_cases():
    return [
        layer_case("3×3, padding 1", spec("Conv2d", 2, 3, 3, padding=1), lambda: nn.Conv2d(2, 3, 3, padding=1), [randn(2, 2, 5, 5)]),
        layer_case(
            "2×3 kernel, stride 2, no bias",
            spec("Conv2d", 3, 2, [2, 3], stride=2, bias=False),
            lambda: nn.Conv2d(3, 2, (2, 3), stride=2, bias=False),
            [randn(1, 3, 6, 7)],
        ),
    ]


def max_pool2d_cases():
    return [
        layer_case("kernel 2", spec("MaxPool2d", 2), lambda: nn.MaxPool2d(2), [distinct(2, 2, 4, 4)]),
        layer_case(
            "kernel 3, stride 2, padding 1",
            spec("MaxPool2d", 3, stride=2, padding=1),
            lambda: nn.MaxPool2d(3, stride=2, padding=1),
            [distinct(1, 2, 5, 5)],
        ),
    ]


def layer_norm_cases():
    return [
        layer_case("over the last dim", spec("LayerNorm", 6), lambda: nn.LayerNorm(6), [randn(2, 3, 6)]),
        layer_case("over the last two dims", spec("LayerNorm", [3, 4]), lambda: nn.LayerNorm([3, 4]), [randn(2, 3, 4)]),
        layer_case(
            "without affine, eps 1e-3",
            spec("LayerNorm", 5, eps=1e-3, elementwiseAffine=False),
            lambda: nn.LayerNorm(5, eps=1e-3, elementwise_affine=False),
            [randn(4, 5)],
        ),
    ]


def dropout_cases():
    return [
        layer_case("p=0.5 in eval mode is the identity", spec("Dropout", 0.5), lambda: nn.Dropout(0.5), [randn(3, 4)]),
        layer_case("p=0 in training mode is the identity", spec("Dropout", 0), lambda: nn.Dropout(0.0), [randn(3, 4)], training=True),
    ]


def embedding_cases():
    return [
        layer_case("[2,3] with repeats", spec("Embedding", 7, 4), lambda: nn.Embedding(7, 4), [index_values([[1, 3, 1], [6, 0, 3]])]),
        layer_case("1-D indices", spec("Embedding", 10, 3), lambda: nn.Embedding(10, 3), [index(10, 5)]),
    ]


def _mha(m, q, k, v, mask_=None, need_weights=True, average=True):
    if mask_ is not None and mask_.is_floating_point():
        mask_ = mask_.to(q.dtype)
    return m(q, k, v, attn_mask=mask_, need_weights=need_weights, average_attn_weights=average)


def multi_head_attention_cases():
    E, H, B, T, S = 8, 2, 2, 3, 4

    def make(**kw):
        return lambda: nn.MultiheadAttention(E, H, batch_first=True, **kw)

    causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
    bool_mask = mask(T, S, p=0.4)
    bool_mask.t32[:, 0] = False  # every query keeps one key, so no row is all −inf
    additive = randn(B * H, T, S, grad=False)
    return [
        layer_case(
            "cross-attention T=3, S=4, averaged weights",
            spec("MultiHeadAttention", E, H),
            make(),
            [randn(B, T, E), randn(B, S, E), randn(B, S, E)],
            call=_mha,
            names=("output", "weights"),
        ),
        layer_case(
            "causal self-attention (one tensor as q, k, v)",
            spec("MultiHeadAttention", E, H),
            make(),
            [randn(B, T, E)],
            call=lambda m, q, k, v: _mha(m, q, k, v, causal),
            names=("output", "weights"),
            refs=[0, 0, 0],
            options={"causal": True},
        ),
        layer_case(
            "boolean [T,S] mask, per-head weights",
            spec("MultiHeadAttention", E, H),
            make(),
            [randn(B, T, E), randn(B, S, E), randn(B, S, E)],
            call=lambda m, q, k, v: _mha(m, q, k, v, bool_mask.t32, average=False),
            names=("output", "weights"),
            options={"attnMask": bool_mask.to_json(), "averageAttnWeights": False},
        ),
        layer_case(
            "additive [B·H,T,S] mask, needWeights false",
            spec("MultiHeadAttention", E, H),
            make(),
            [randn(B, T, E), randn(B, S, E), randn(B, S, E)],
            call=lambda m, q, k, v: _mha(m, q, k, v, additive.t32, need_weights=False),
            options={"attnMask": additive.to_json(), "needWeights": False},
        ),
        layer_case(
            "no bias, dropout 0.3 in eval mode, causal",
            spec("MultiHeadAttention", E, H, bias=False, dropout=0.3),
            make(bias=False, dropout=0.3),
            [randn(B, T, E), randn(B, T, E), randn(B, T, E)],
            call=lambda m, q, k, v: _mha(m, q, k, v, causal),
            names=("output", "weights"),
            options={"causal": True},
        ),
    ]


def attention_module_cases():
    return [
        layer_case("6 → 6 on [2,4,6] (softmax over time)", spec("AttentionModule", 6, 6), lambda: AttentionModule(6, 6), [randn(2, 4, 6)]),
        layer_case("5 → 5 on [3,5] (softmax over features)", spec("AttentionModule", 5, 5), lambda: AttentionModule(5, 5), [randn(3, 5)]),
    ]


def article_sizes_error():
    """PyTorch's own failure on the article's sizes, kept beside the cases for the lessons to quote."""
    try:
        AttentionModule(512, 256)(torch.randn(2, 16, 512))
    except RuntimeError as e:
        return str(e)
    raise AssertionError("AttentionModule(512, 256) unexpectedly ran")


POOLED = ("pooled", "weights")


def attention_pooling_cases():
    return [layer_case("[2,5,4]", spec("AttentionPooling", 4), lambda: AttentionPooling(4), [randn(2, 5, 4)], names=POOLED)]


def spatial_attention_cases():
    return [
        layer_case("query-free on [2,4,3,3]", spec("SpatialAttention", 4), lambda: SpatialAttention(4), [randn(2, 4, 3, 3)], names=POOLED),
        layer_case(
            "with a [2,5] query on [2,4,3,2]",
            spec("SpatialAttention", 4, queryDim=5),
            lambda: SpatialAttention(4, 5),
            [randn(2, 4, 3, 2), randn(2, 5)],
            names=POOLED,
        ),
    ]


LAYERS = {
    "linear": linear_cases,
    "activation": activation_cases,
    "sequential": sequential_cases,
    "conv2d": conv2d_cases,
    "maxPool2d": max_pool2d_cases,
    "layerNorm": layer_norm_cases,
    "dropout": dropout_cases,
    "embedding": embedding_cases,
    "multiHeadAttention": multi_head_attention_cases,
    "attentionModule": attention_module_cases,
    "attentionPooling": attention_pooling_cases,
    "spatialAttention": spatial_attention_cases,
}
EXTRAS = {"attentionModule": lambda: {"articleSizesError": article_sizes_error()}}


def main(only):
    torch.set_default_dtype(torch.float32)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    unknown = set(only) - set(LAYERS)
    if unknown:
        sys.exit(f"unknown layer(s): {', '.join(sorted(unknown))}; known: {', '.join(LAYERS)}")
    total_cases = total_bytes = 0
    for name, build in LAYERS.items():
        if only and name not in only:
            continue
        torch.manual_seed(zlib.crc32(name.encode()))
        cases = build()
        doc = {"layer": name, "torch": torch.__version__, "cases": cases, **EXTRAS.get(name, dict)()}
        text = json.dumps(doc, separators=(",", ":"))
        (OUT_DIR / f"{name}.json").write_text(text + "\n")
        total_cases += len(cases)
        total_bytes += len(text) + 1
    print(f"wrote {total_cases} cases for {len(only) or len(LAYERS)} layers ({total_bytes / 1024:.0f} KiB) to {OUT_DIR}")


if __name__ == "__main__":
    main(sys.argv[1:])
