"""Shared machinery for the PyTorch reference fixtures.

Every float input is a multiple of 1e-4, written to JSON as a short decimal. JavaScript
parses that decimal to the nearest float64 and `Float32Array` rounds it to float32; the
helpers here take exactly the same two steps, so PyTorch and the engine start from
bit-identical float32 inputs. References (outputs and gradients) are then computed in
float64 from those float32 values, so the expected numbers carry no float32 rounding of
their own and the engine is judged only on its own arithmetic.
"""

import math

import torch

QUANTUM = 1e-4
DECIMALS = 4

# The tolerance the TypeScript helper checks with (allclose: |a - b| <= atol + rtol * |b|).
# PyTorch's own float32 result must pass it, or the case is too ill-conditioned to be fair.
RTOL = 1e-5
ATOL = 1e-6

# Stored references keep 9 significant digits: float32 needs ~7.2, and 9 makes the
# rounding of the stored number (5e-9 relative) negligible next to RTOL.
SIG_DIGITS = 9


class Input:
    """One op input: a float32 tensor (or integer indices / a boolean mask) and whether it needs grad."""

    def __init__(self, t32, kind="float", grad=True):
        self.t32 = t32
        self.kind = kind
        self.grad = grad and kind == "float"

    def to_json(self):
        data = self.t32.reshape(-1).tolist()
        if self.kind == "mask":
            data = [int(v) for v in data]
        elif self.kind == "float":
            data = decimals(self.t32)
        return {"shape": list(self.t32.shape), "data": data, "kind": self.kind, "requiresGrad": self.grad}

    def as_float64(self):
        if self.kind != "float":
            return self.t32
        return self.t32.double().requires_grad_(self.grad)

    def as_float32(self):
        if self.kind != "float":
            return self.t32
        return self.t32.clone().requires_grad_(self.grad)


def quantize(t):
    """Round to the 1e-4 grid and go float64 -> float32, as JSON.parse + Float32Array do."""
    q = torch.round(t.double() / QUANTUM) * QUANTUM
    return torch.tensor([round(v, DECIMALS) for v in q.reshape(-1).tolist()], dtype=torch.float64).reshape(q.shape).float()


def decimals(t32):
    """The short decimals a quantized float32 tensor came from (recoverable while |v| < 1e3)."""
    out = [round(v, DECIMALS) for v in t32.reshape(-1).tolist()]
    if not torch.equal(torch.tensor(out, dtype=torch.float64).float().reshape(t32.shape), t32):
        raise AssertionError("values too large to be written as 4-decimal numbers that read back bit-identically")
    return out


def randn(*shape, scale=1.0, grad=True):
    return Input(quantize(torch.randn(shape, dtype=torch.float64) * scale), grad=grad)


def uniform(lo, hi, *shape, grad=True):
    return Input(quantize(lo + (hi - lo) * torch.rand(shape, dtype=torch.float64)), grad=grad)


def away_from_zero(lo, hi, *shape, grad=True):
    """Magnitudes in [lo, hi] with random signs: keeps values off kinks at 0 (abs, relu, division)."""
    mag = lo + (hi - lo) * torch.rand(shape, dtype=torch.float64)
    sign = torch.where(torch.rand(shape) < 0.5, -1.0, 1.0).double()
    return Input(quantize(mag * sign), grad=grad)


def distinct(*shape, spread=4.0, grad=True):
    """Evenly spaced values in random order: no ties, so max/argmax gradients are unambiguous."""
    n = math.prod(shape)
    step = max(round(spread / max(n, 1), DECIMALS), 10 * QUANTUM)
    perm = torch.randperm(n, dtype=torch.float64)
    return Input(quantize((perm - (n - 1) / 2) * step).reshape(shape), grad=grad)


def values(data, grad=True):
    """Explicit values (already on the 1e-4 grid)."""
    return Input(quantize(torch.tensor(data, dtype=torch.float64)), grad=grad)


def index(high, *shape):
    return Input(torch.randint(0, high, shape), kind="index")


def index_values(data):
    return Input(torch.tensor(data, dtype=torch.int64), kind="index")


def mask(*shape, p=0.5):
    return Input(torch.rand(shape) < p, kind="mask")


def _flat(t):
    return [float(f"{v:.{SIG_DIGITS}g}") for v in t.detach().reshape(-1).tolist()]


def _run(fn, args, r):
    out = fn(*args)
    diff = [a for a in args if a.is_floating_point() and a.requires_grad]
    grads = torch.autograd.grad((out * r.to(out.dtype)).sum(), diff, allow_unused=False) if diff else []
    it = iter(grads)
    return out, [next(it) if a.is_floating_point() and a.requires_grad else None for a in args]


def _assert_close(what, got, want):
    err = (got.double() - want).abs()
    bound = ATOL + RTOL * want.abs()
    if bool((err > bound).any()):
        worst = int(torch.argmax(err - bound))
        raise AssertionError(
            f"{what}: PyTorch float32 misses the float64 reference by {float(err.reshape(-1)[worst]):.3g} "
            f"(allowed {float(bound.reshape(-1)[worst]):.3g}); the case is too ill-conditioned for the test tolerance"
        )


def case(name, fn, inputs, attrs=None):
    """
    Build one fixture case: run `fn` in float64 on `inputs`, and take the gradient of
    sum(out * r) for a random r of the output's shape with respect to every input that
    requires grad. `fn` receives tensors positionally (indices as int64, masks as bool).
    """
    r = quantize(torch.randn(fn(*[i.t32 for i in inputs]).shape, dtype=torch.float64))
    out64, grads64 = _run(fn, [i.as_float64() for i in inputs], r.double())
    out32, grads32 = _run(fn, [i.as_float32() for i in inputs], r)
    _assert_close(f"{name}: output", out32, out64.detach())
    for k, (g32, g64) in enumerate(zip(grads32, grads64)):
        if g64 is not None:
            _assert_close(f"{name}: grad of input {k}", g32, g64)
    return {
        "name": name,
        "inputs": [i.to_json() for i in inputs],
        "attrs": attrs or {},
        "out": {"shape": list(out64.shape), "data": _flat(out64)},
        "r": decimals(r),
        "grads": [None if g is None else _flat(g) for g in grads64],
    }
