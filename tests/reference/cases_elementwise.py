"""Elementwise ops: broadcasting binary arithmetic and unary maths/activations."""

import torch
import torch.nn.functional as F

from fixture_lib import away_from_zero, case, randn, uniform, values

# Shape pairs every broadcasting binary op is tried on: equal shapes, missing leading dims,
# size-1 dims on both sides, a 0-d operand.
BROADCAST_PAIRS = [
    ("same shape [3,4]", (3, 4), (3, 4)),
    ("broadcast [2,1,4] with [3,1]", (2, 1, 4), (3, 1)),
    ("size-1 dims [1,3] with [4,1]", (1, 3), (4, 1)),
    ("0-d [] with [2,3]", (), (2, 3)),
]


def _binary(fn, make_a, make_b):
    cases = [case(name, fn, [make_a(sa), make_b(sb)]) for name, sa, sb in BROADCAST_PAIRS]
    cases.append(case("[2,3] with [3], second without grad", fn, [make_a((2, 3)), make_b((3,), grad=False)]))
    return cases


def _normal(shape, grad=True):
    return randn(*shape, grad=grad)


def _denominator(shape, grad=True):
    return away_from_zero(0.5, 2.0, *shape, grad=grad)


def _positive(shape, grad=True):
    return uniform(0.5, 2.0, *shape, grad=grad)


def _exponent(shape, grad=True):
    return uniform(-2.0, 2.0, *shape, grad=grad)


def pow_cases():
    fn = torch.pow
    cases = _binary(fn, _positive, _exponent)
    cases.append(case("0-d exponent 0.5 with grad", fn, [_positive((2, 3)), values(0.5)]))
    cases.append(case("negative base squared (exponent without grad)", fn, [away_from_zero(0.1, 2.0, 3, 4), values(2.0, grad=False)]))
    cases.append(case("negative base cubed (exponent without grad)", fn, [away_from_zero(0.1, 2.0, 5), values(3.0, grad=False)]))
    return cases


# Shapes every unary op is tried on, including a 0-d tensor and a size-1 dim.
UNARY_SHAPES = [(3, 4), (2, 1, 3), ()]


def _unary(fn, make, extra=()):
    cases = [case(f"shape {list(s)}", fn, [make(s)]) for s in UNARY_SHAPES]
    return cases + [case(name, fn, [inp]) for name, inp in extra]


def _gelu(x):
    return F.gelu(x)


BINARY = {
    "add": lambda: _binary(torch.add, _normal, _normal),
    "sub": lambda: _binary(torch.sub, _normal, _normal),
    "mul": lambda: _binary(torch.mul, _normal, _normal),
    "div": lambda: _binary(torch.div, _normal, _denominator),
    "pow": pow_cases,
}

UNARY = {
    "neg": lambda: _unary(torch.neg, _normal),
    "exp": lambda: _unary(torch.exp, _normal, [("wide range [-6, 6]", uniform(-6.0, 6.0, 10))]),
    "log": lambda: _unary(torch.log, lambda s: uniform(0.1, 5.0, *s), [("near zero [0.01, 0.1]", uniform(0.01, 0.1, 6))]),
    "sqrt": lambda: _unary(torch.sqrt, lambda s: uniform(0.1, 5.0, *s)),
    "abs": lambda: _unary(torch.abs, lambda s: away_from_zero(0.05, 3.0, *s)),
    "relu": lambda: _unary(torch.relu, lambda s: away_from_zero(0.05, 3.0, *s)),
    "sigmoid": lambda: _unary(torch.sigmoid, _normal, [("saturating [-12, 12]", uniform(-12.0, 12.0, 10))]),
    "tanh": lambda: _unary(torch.tanh, _normal, [("saturating [-6, 6]", uniform(-6.0, 6.0, 10))]),
    "gelu": lambda: _unary(_gelu, _normal, [("wide range [-6, 6]", uniform(-6.0, 6.0, 10))]),
}

OPS = {**BINARY, **UNARY}
