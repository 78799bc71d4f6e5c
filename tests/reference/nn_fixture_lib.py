"""
The machinery behind make_nn_fixtures.py: build a torch.nn layer on the fixture grid, run it in
float32 and float64, and record what the TypeScript test needs (see make_nn_fixtures.py).
"""

import copy

import torch

from fixture_lib import ATOL, RTOL, SIG_DIGITS, decimals, quantize


def spec(type_, *args, **opts):
    """How the TypeScript test builds the layer: `new <type>(...args, opts)`."""
    return {"type": type_, "args": list(args), "opts": opts}


def _flat(t):
    return [float(f"{v:.{SIG_DIGITS}g}") for v in t.detach().reshape(-1).tolist()]


def _check(what, got, want):
    err = (got.double() - want).abs()
    bound = ATOL + RTOL * want.abs()
    if bool((err > bound).any()):
        raise AssertionError(f"{what}: PyTorch float32 misses the float64 reference by {float((err - bound).max()):.3g} beyond tolerance")


def _prepare(module):
    """Quantize parameters; constant ones (zero biases, LayerNorm's ones) are randomised first so they are tested."""
    with torch.no_grad():
        for p in module.parameters():
            if bool((p == p.reshape(-1)[0]).all()):
                p.uniform_(-0.5, 0.5)
            p.copy_(quantize(p))
    return module


def _run(module, call, args, rs):
    outs = [o for o in call(module, *args) if o is not None]
    loss = sum((o * r.to(o.dtype)).sum() for o, r in zip(outs, rs))
    wrt = [a for a in args if a.is_floating_point() and a.requires_grad]
    grads = torch.autograd.grad(loss, wrt + list(module.parameters()))
    it = iter(grads[: len(wrt)])
    input_grads = [next(it) if a.is_floating_point() and a.requires_grad else None for a in args]
    return outs, input_grads, dict(zip([k for k, _ in module.named_parameters()], grads[len(wrt) :]))


def layer_case(name, layer_spec, make, inputs, call=None, names=("output",), refs=None, options=None, training=False):
    """
    One case: `make()` builds the torch layer; `call(module, *tensors)` returns a tuple of
    outputs named `names` (None entries, such as MHA's weights with need_weights=False, drop out).
    `refs` maps the layer's positional arguments to `inputs` (so self-attention passes one tensor thrice).
    """
    refs = refs if refs is not None else list(range(len(inputs)))
    m32 = _prepare(make()).train(training)
    m64 = copy.deepcopy(m32).double()
    base = call or (lambda m, *xs: m(*xs))

    def forward(m, *xs):
        out = base(m, *[xs[i] for i in refs])
        return out if isinstance(out, tuple) else (out,)

    shapes = [o.shape for o in forward(m32, *[i.t32 for i in inputs]) if o is not None]
    rs = [quantize(torch.randn(s, dtype=torch.float64)) for s in shapes]
    outs64, in64, par64 = _run(m64, forward, [i.as_float64() for i in inputs], [r.double() for r in rs])
    outs32, in32, par32 = _run(m32, forward, [i.as_float32() for i in inputs], rs)
    for k, (o32, o64) in enumerate(zip(outs32, outs64)):
        _check(f"{name}: output {k}", o32, o64.detach())
    for k, (g32, g64) in enumerate(zip(in32, in64)):
        if g64 is not None:
            _check(f"{name}: grad of input {k}", g32, g64)
    for key in par64:
        _check(f"{name}: grad of {key}", par32[key], par64[key])
    return {
        "name": name,
        "spec": layer_spec,
        "repr": repr(m32),
        "training": training,
        "state": [{"key": k, "shape": list(v.shape), "data": decimals(v)} for k, v in m32.state_dict().items()],
        "inputs": [i.to_json() for i in inputs],
        "refs": refs,
        "options": options or {},
        "outputs": [{"name": n, "shape": list(o.shape), "data": _flat(o)} for n, o in zip(names, outs64)],
        "r": [decimals(r) for r in rs],
        "grads": {"inputs": [None if g is None else _flat(g) for g in in64], "params": {k: _flat(g) for k, g in par64.items()}},
    }
