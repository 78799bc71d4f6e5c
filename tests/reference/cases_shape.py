"""View and layout ops: reshape, transpose, permute, squeeze, unsqueeze, expand, slice, select, cat, stack.

Their values are copies, so these fixtures mostly pin down shapes, element order and how
gradients route back (summing where expand repeats an element, zeros where slice drops one).
"""

import torch

from fixture_lib import case, randn


def reshape_cases():
    settings = [((2, 3, 4), [6, 4]), ((2, 3, 4), [-1]), ((2, 3, 4), [4, -1, 3]), ((1,), []), ((6,), [2, 1, 3])]
    return [
        case(f"{list(s)} to {shape}", lambda x, shape=shape: x.reshape(shape), [randn(*s)], {"shape": shape})
        for s, shape in settings
    ]


def transpose_cases():
    settings = [((3, 4), 0, 1), ((2, 3, 4), -1, -3), ((2, 3, 4, 2), 1, 2)]
    return [
        case(f"{list(s)} dims {a},{b}", lambda x, a=a, b=b: x.transpose(a, b), [randn(*s)], {"dim0": a, "dim1": b})
        for s, a, b in settings
    ]


def permute_cases():
    settings = [((2, 3, 4), [2, 0, 1]), ((2, 3, 4), [-1, 0, 1]), ((2, 1, 3, 2), [3, 1, 0, 2])]
    return [case(f"{list(s)} to {dims}", lambda x, d=dims: x.permute(d), [randn(*s)], {"dims": dims}) for s, dims in settings]


def squeeze_cases():
    settings = [((1, 3, 1, 2), None), ((1, 3), 0), ((2, 1, 3), -2), ((2, 3), 1)]
    return [
        case(
            f"{list(s)} dim={dim}" + (" (not size 1: unchanged)" if dim is not None and s[dim] != 1 else ""),
            lambda x, dim=dim: x.squeeze() if dim is None else x.squeeze(dim),
            [randn(*s)],
            {"dim": dim},
        )
        for s, dim in settings
    ]


def unsqueeze_cases():
    settings = [((2, 3), 0), ((2, 3), -1), ((2, 3), 1), ((), 0)]
    return [case(f"{list(s)} dim={dim}", lambda x, d=dim: x.unsqueeze(d), [randn(*s)], {"dim": dim}) for s, dim in settings]


def expand_cases():
    settings = [((3, 1), [3, 4]), ((1, 3), [2, 4, 3]), ((3, 1), [-1, 4]), ((), [2, 3]), ((2, 1, 1), [2, 3, 2])]
    return [case(f"{list(s)} to {shape}", lambda x, sh=shape: x.expand(sh), [randn(*s)], {"shape": shape}) for s, shape in settings]


def _slice(x, dim, start, end, step):
    index = [slice(None)] * x.dim()
    index[dim] = slice(start, end, step)
    return x[tuple(index)]


def slice_cases():
    settings = [
        ((5, 4), 0, 1, 3, 1),
        ((3, 6), -1, 0, 6, 2),
        ((4, 5), 1, -3, None, 1),
        ((7, 2), 0, 1, 100, 3),
        ((2, 6, 3), 1, -5, -1, 2),
    ]
    return [
        case(
            f"{list(s)} dim={dim} [{start}:{'' if end is None else end}:{step}]",
            lambda x, a=(dim, start, end, step): _slice(x, *a),
            [randn(*s)],
            {"dim": dim, "start": start, "end": end, "step": step},
        )
        for s, dim, start, end, step in settings
    ]


def select_cases():
    settings = [((3, 4), 0, 1), ((2, 3, 4), -1, -1), ((2, 3, 4), 1, 2), ((4,), 0, 3)]
    return [
        case(f"{list(s)} dim={dim} index={i}", lambda x, d=dim, i=i: x.select(d, i), [randn(*s)], {"dim": dim, "index": i})
        for s, dim, i in settings
    ]


def cat_cases():
    settings = [([(2, 3), (4, 3)], 0), ([(2, 3), (2, 1), (2, 2)], -1), ([(2, 1, 3), (2, 2, 3)], 1), ([(3,), (2,)], 0)]
    return [
        case(
            f"{' + '.join(str(list(s)) for s in shapes)} dim={dim}",
            lambda *xs, d=dim: torch.cat(xs, d),
            [randn(*s) for s in shapes],
            {"dim": dim},
        )
        for shapes, dim in settings
    ]


def stack_cases():
    settings = [(2, (2, 3), 0), (3, (2, 3), -1), (2, (3,), 1), (2, (2, 3), 1)]
    return [
        case(f"{n} x {list(s)} dim={dim}", lambda *xs, d=dim: torch.stack(xs, d), [randn(*s) for _ in range(n)], {"dim": dim})
        for n, s, dim in settings
    ]


OPS = {
    "reshape": reshape_cases,
    "transpose": transpose_cases,
    "permute": permute_cases,
    "squeeze": squeeze_cases,
    "unsqueeze": unsqueeze_cases,
    "expand": expand_cases,
    "slice": slice_cases,
    "select": select_cases,
    "cat": cat_cases,
    "stack": stack_cases,
}
