"""Network ops: matmul, softmax/logSoftmax, conv2d, max/avg pooling and dropout."""

import torch
import torch.nn.functional as F

from fixture_lib import Input, case, distinct, randn

MATMUL_SHAPES = [
    ("[3,4] @ [4,5]", (3, 4), (4, 5)),
    ("1-D [4] @ 1-D [4] (dot)", (4,), (4,)),
    ("1-D [3] @ [3,5]", (3,), (3, 5)),
    ("[2,3] @ 1-D [3]", (2, 3), (3,)),
    ("batched [2,3,4] @ [2,4,5]", (2, 3, 4), (2, 4, 5)),
    ("broadcast batch [2,1,3,4] @ [3,4,2]", (2, 1, 3, 4), (3, 4, 2)),
    ("[3,4] @ batched [2,4,5]", (3, 4), (2, 4, 5)),
    ("1-D [4] @ batched [2,4,3]", (4,), (2, 4, 3)),
    ("batched [2,3,4] @ 1-D [4]", (2, 3, 4), (4,)),
]


def matmul_cases():
    return [case(name, torch.matmul, [randn(*a), randn(*b)]) for name, a, b in MATMUL_SHAPES]


def _softmax_cases(fn):
    settings = [
        ("[3,5] dim=1", (3, 5), 1, 1.0),
        ("[2,3,4] dim=-1", (2, 3, 4), -1, 1.0),
        ("[2,3,4] dim=0", (2, 3, 4), 0, 1.0),
        ("[2,3,4] dim=1", (2, 3, 4), 1, 1.0),
        ("[5] dim=0", (5,), 0, 1.0),
        ("large logits x30 [4,6] dim=-1 (needs max subtraction)", (4, 6), -1, 30.0),
    ]
    return [case(name, lambda x, d=dim: fn(x, d), [randn(*s, scale=scale)], {"dim": dim}) for name, s, dim, scale in settings]


def conv2d_cases():
    settings = [
        ("x [1,2,5,5] w [3,2,3,3] with bias", (1, 2, 5, 5), (3, 2, 3, 3), True, [1, 1], [0, 0]),
        ("x [2,3,6,6] w [4,3,3,3] stride 2 padding 1 no bias", (2, 3, 6, 6), (4, 3, 3, 3), False, [2, 2], [1, 1]),
        ("x [1,1,6,5] w [2,1,2,3] stride [2,1] padding [1,0]", (1, 1, 6, 5), (2, 1, 2, 3), True, [2, 1], [1, 0]),
        ("1x1 kernel x [2,2,4,4] w [3,2,1,1]", (2, 2, 4, 4), (3, 2, 1, 1), True, [1, 1], [0, 0]),
        ("kernel larger than stride, padding 2: x [1,2,4,4] w [2,2,3,3]", (1, 2, 4, 4), (2, 2, 3, 3), False, [1, 1], [2, 2]),
    ]
    cases = []
    for name, xs, ws, bias, stride, padding in settings:
        inputs = [randn(*xs), randn(*ws, scale=0.5)] + ([randn(ws[0])] if bias else [])
        fn = lambda x, w, b=None, s=stride, p=padding: F.conv2d(x, w, b, stride=s, padding=p)
        cases.append(case(name, fn, inputs, {"stride": stride, "padding": padding}))
    return cases


# (name, input shape, kernel, stride, padding) for both pools.
POOL_SETTINGS = [
    ("[1,2,4,4] kernel 2", (1, 2, 4, 4), [2, 2], [2, 2], [0, 0]),
    ("[2,1,5,5] kernel 3 stride 2 padding 1", (2, 1, 5, 5), [3, 3], [2, 2], [1, 1]),
    ("[1,2,4,6] kernel [2,3] stride [1,2]", (1, 2, 4, 6), [2, 3], [1, 2], [0, 0]),
    ("[1,1,5,5] overlapping kernel 3 stride 1", (1, 1, 5, 5), [3, 3], [1, 1], [0, 0]),
]


def _pool_cases(pool, make):
    return [
        case(name, lambda x, k=k, s=s, p=p: pool(x, k, s, p), [make(*shape)], {"kernel": k, "stride": s, "padding": p})
        for name, shape, k, s, p in POOL_SETTINGS
    ]


def dropout_cases():
    """
    Dropout's randomness comes from the engine's own Rng, so the fixture fixes the keep-mask
    and checks the formula PyTorch uses with it: x * mask / (1 - p).
    """
    settings = [("[3,4] p=0.5", (3, 4), 0.5), ("[2,3,4] p=0.2", (2, 3, 4), 0.2), ("[6] p=0.9", (6,), 0.9)]
    cases = []
    for name, shape, p in settings:
        keep = Input(torch.rand(*shape) >= p, kind="mask")
        cases.append(case(name, lambda x, m, p=p: x * m / (1 - p), [randn(*shape), keep], {"p": p}))
    return cases


OPS = {
    "matmul": matmul_cases,
    "softmax": lambda: _softmax_cases(torch.softmax),
    "logSoftmax": lambda: _softmax_cases(torch.log_softmax),
    "conv2d": conv2d_cases,
    "maxPool2d": lambda: _pool_cases(F.max_pool2d, distinct),
    "avgPool2d": lambda: _pool_cases(F.avg_pool2d, randn),
    "dropout": dropout_cases,
}
