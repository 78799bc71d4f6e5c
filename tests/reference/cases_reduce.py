"""Reductions: sum, mean, max (torch.amax semantics) and var, over dims with and without keepdim.

Attrs mirror the engine's signature: `dim` is null (every dim), an int or a list, and may be
negative; `keepdim` keeps reduced dims as size 1.
"""

import torch

from fixture_lib import case, distinct, randn

# (dim, keepdim) settings tried on a [2,3,4] tensor.
DIM_SETTINGS = [
    (None, False),
    (None, True),
    (1, False),
    (-1, True),
    ([0, 2], False),
    ([0, -1], True),
]


def _dims(dim, ndim):
    if dim is None:
        return tuple(range(ndim))
    return tuple(dim) if isinstance(dim, list) else (dim,)


def _name(dim, keepdim, shape):
    return f"{list(shape)} dim={dim} keepdim={str(keepdim).lower()}"


def _reduce_cases(reduce, make):
    cases = []
    for dim, keepdim in DIM_SETTINGS:
        fn = lambda x, dim=dim, keepdim=keepdim: reduce(x, _dims(dim, x.dim()), keepdim)
        cases.append(case(_name(dim, keepdim, (2, 3, 4)), fn, [make(2, 3, 4)], {"dim": dim, "keepdim": keepdim}))
    cases.append(case("1-D [5] dim=0", lambda x: reduce(x, (0,), False), [make(5)], {"dim": 0, "keepdim": False}))
    cases.append(case("size-1 dim [3,1,2] dim=1", lambda x: reduce(x, (1,), False), [make(3, 1, 2)], {"dim": 1, "keepdim": False}))
    return cases


def _sum(x, dims, keepdim):
    return torch.sum(x, dims, keepdim=keepdim)


def _mean(x, dims, keepdim):
    return torch.mean(x, dims, keepdim=keepdim)


def _amax(x, dims, keepdim):
    return torch.amax(x, dims, keepdim=keepdim)


# PyTorch reads an empty dim list as every dim (NumPy reads it as none).
EMPTY_DIMS = [(False, "[2,3] dim=[] keepdim=false"), (True, "[2,3] dim=[] keepdim=true")]


def _empty_dim_cases(reduce, make):
    return [case(name, lambda x, k=keepdim: reduce(x, [], k), [make(2, 3)], {"dim": [], "keepdim": keepdim}) for keepdim, name in EMPTY_DIMS]


def sum_cases():
    return (
        _reduce_cases(_sum, randn)
        + _empty_dim_cases(_sum, randn)
        + [case("0-d [] dim=null", lambda x: x.sum(), [randn()], {"dim": None, "keepdim": False})]
    )


def var_cases():
    cases = []
    for dim, keepdim, correction in [(None, False, 1), (None, False, 0), (1, False, 1), (-1, True, 0), ([0, 2], False, 1)]:
        fn = lambda x, dim=dim, keepdim=keepdim, c=correction: torch.var(x, _dims(dim, x.dim()), unbiased=c == 1, keepdim=keepdim)
        attrs = {"dim": dim, "keepdim": keepdim, "correction": correction}
        cases.append(case(f"{_name(dim, keepdim, (2, 3, 4))} correction={correction}", fn, [randn(2, 3, 4)], attrs))
    return cases


OPS = {
    "sum": sum_cases,
    "mean": lambda: _reduce_cases(_mean, randn) + _empty_dim_cases(_mean, randn),
    "max": lambda: _reduce_cases(_amax, distinct) + _empty_dim_cases(_amax, distinct),
    "var": var_cases,
}
