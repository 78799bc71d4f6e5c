"""Indexing ops: gather, indexSelect and maskedFill.

Indices are stored as integers and masks as 0/1; the engine reads both as float tensors.
Repeated indices are included on purpose: their gradients must accumulate, not overwrite.
"""

import torch

from fixture_lib import case, index, index_values, mask, randn


def gather_cases():
    settings = [
        ("[3,4] dim=1 index [3,2]", (3, 4), 1, index(4, 3, 2)),
        ("[3,4] dim=0 index [2,4]", (3, 4), 0, index(3, 2, 4)),
        ("[2,3,4] dim=-1 index [2,3,5] (repeats)", (2, 3, 4), -1, index(4, 2, 3, 5)),
        ("[3,4] dim=1 index [2,2] (smaller than input in dim 0)", (3, 4), 1, index(4, 2, 2)),
    ]
    return [
        case(name, lambda x, i, d=dim: torch.gather(x, d, i), [randn(*s), idx], {"dim": dim}) for name, s, dim, idx in settings
    ]


def index_select_cases():
    settings = [
        ("[4,3] dim=0 index [3] with a repeat", (4, 3), 0, index_values([2, 0, 2])),
        ("[2,5] dim=-1 index [4]", (2, 5), -1, index_values([4, 1, 3, 0])),
        ("[2,3,4] dim=1 index [2]", (2, 3, 4), 1, index_values([1, 2])),
        ("[3] dim=0 index [1]", (3,), 0, index_values([1])),
    ]
    return [
        case(name, lambda x, i, d=dim: torch.index_select(x, d, i), [randn(*s), idx], {"dim": dim})
        for name, s, dim, idx in settings
    ]


def masked_fill_cases():
    settings = [
        ("[3,4] same-shape mask, value -1e9 (attention masking)", (3, 4), (3, 4), -1e9),
        ("[3,4] mask [1,4] broadcast, value 0.5", (3, 4), (1, 4), 0.5),
        ("[2,3,4] mask [4] broadcast, value 0", (2, 3, 4), (4,), 0.0),
        ("[2,3,4] mask [3,1] broadcast, value -2.25", (2, 3, 4), (3, 1), -2.25),
    ]
    return [
        case(name, lambda x, m, v=value: x.masked_fill(m, v), [randn(*s), mask(*ms)], {"value": value})
        for name, s, ms, value in settings
    ]


OPS = {
    "gather": gather_cases,
    "indexSelect": index_select_cases,
    "maskedFill": masked_fill_cases,
}
