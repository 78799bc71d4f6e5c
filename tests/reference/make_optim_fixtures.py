"""
Write PyTorch reference fixtures for src/lib/optim and the checkpoint reader to
tests/reference/fixtures/optim/*.json and tests/reference/fixtures/checkpoint/.

Run with Debian's PyTorch (/usr/bin/python3, python3-torch 1.13). The output is committed.

Optimizers: a few seeded parameters and three steps of seeded gradients (parameter 1 gets
no gradient on step 2, to pin PyTorch's skip-and-keep-state rule); the parameters after
steps 1 and 3 of each configuration come from PyTorch in float32, the precision the engine
is judged at. Each configuration is also run in float64 and must agree with float32 within
half the test tolerance, or the case is too ill-conditioned to judge by.

Schedules: the learning rate PyTorch's schedulers give before each of N optimizer steps.
Clipping: total norm and clipped gradients from clip_grad_norm_ for several norms.
Checkpoint: a safetensors file built byte by byte per the published format (the
`safetensors` package is not installed here) with the values it holds as JSON.
"""

import json
import math
import pathlib
import struct
import sys
import warnings

sys.dont_write_bytecode = True

import torch  # noqa: E402

from fixture_lib import decimals, quantize  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent / "fixtures"
SHAPES = [[3, 4], [4], [2, 1, 3]]
STEPS = 3
SKIP = (1, 1)  # (param index, 0-based step) that gets no gradient
TOL = 1e-6  # the TypeScript tests' atol and rtol; float64 must land within half of it

OPTIMIZERS = [
    ("sgd plain", "SGD", {"lr": 0.1}),
    ("sgd weight decay", "SGD", {"lr": 0.1, "weightDecay": 0.05}),
    ("sgd momentum", "SGD", {"lr": 0.05, "momentum": 0.9}),
    ("sgd momentum dampening", "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3, "weightDecay": 0.01}),
    ("sgd nesterov", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("sgd nesterov weight decay", "SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weightDecay": 0.1}),
    ("adam defaults", "Adam", {"lr": 0.01}),
    ("adam betas eps", "Adam", {"lr": 0.02, "betas": [0.8, 0.95], "eps": 1e-6}),
    ("adam weight decay", "Adam", {"lr": 0.01, "weightDecay": 0.1}),
    ("adam amsgrad", "Adam", {"lr": 0.01, "amsgrad": True}),
    ("adamw defaults", "AdamW", {"lr": 0.01}),
    ("adamw weight decay", "AdamW", {"lr": 0.05, "weightDecay": 0.2}),
    ("adamw amsgrad", "AdamW", {"lr": 0.01, "weightDecay": 0.05, "amsgrad": True, "betas": [0.9, 0.99]}),
]

TORCH_NAMES = {"weightDecay": "weight_decay"}


def flat(t):
    return [float(f"{v:.9g}") for v in t.detach().reshape(-1).tolist()]


def run_optimizer(kind, options, params, grads, dtype):
    ps = [p.to(dtype).clone().requires_grad_(True) for p in params]
    kwargs = {TORCH_NAMES.get(k, k): tuple(v) if k == "betas" else v for k, v in options.items()}
    opt = getattr(torch.optim, kind)(ps, **kwargs)
    after = {}
    for step in range(STEPS):
        for p, g in zip(ps, grads[step]):
            p.grad = None if g is None else g.to(dtype).clone()
        opt.step()
        if step in (0, STEPS - 1):
            after[str(step + 1)] = [p.detach().clone() for p in ps]
    return after


def optimizer_fixture():
    torch.manual_seed(1234)
    params = [quantize(torch.randn(*s, dtype=torch.float64)) for s in SHAPES]
    grads = [[quantize(torch.randn(*s, dtype=torch.float64) * 0.5) for s in SHAPES] for _ in range(STEPS)]
    grads[SKIP[1]][SKIP[0]] = None
    cases = []
    for name, kind, options in OPTIMIZERS:
        got32 = run_optimizer(kind, options, params, grads, torch.float32)
        got64 = run_optimizer(kind, options, params, grads, torch.float64)
        for step, ps in got32.items():
            for a, b in zip(ps, got64[step]):
                excess = float(((a.double() - b).abs() - (TOL + TOL * b.abs()) / 2).max())
                if excess > 0:
                    raise AssertionError(f"{name}, step {step}: float32 misses float64 by {excess:.3g} beyond half the tolerance")
        cases.append({"name": name, "optimizer": kind, "options": options, "after": {k: [flat(p) for p in v] for k, v in got32.items()}})
    return {
        "torch": torch.__version__,
        "shapes": SHAPES,
        "params": [decimals(p) for p in params],
        "grads": [[None if g is None else decimals(g) for g in step] for step in grads],
        "cases": cases,
    }


def lrs(make, steps, lr=0.1):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr)
    sched = make(opt)
    out = []
    for _ in range(steps):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return out


def schedule_fixture():
    S = torch.optim.lr_scheduler
    warm = lambda w: (lambda t: min(1.0, (t + 1) / w))  # noqa: E731
    cases = [
        ("step", {"type": "StepLR", "lr": 0.1, "stepSize": 3, "gamma": 0.5}, lambda o: S.StepLR(o, 3, gamma=0.5), 12),
        ("step default gamma", {"type": "StepLR", "lr": 0.1, "stepSize": 4}, lambda o: S.StepLR(o, 4), 10),
        ("cosine", {"type": "CosineAnnealingLR", "lr": 0.1, "tMax": 10}, lambda o: S.CosineAnnealingLR(o, 10), 11),
        (
            "cosine eta_min past tMax",
            {"type": "CosineAnnealingLR", "lr": 0.1, "tMax": 8, "etaMin": 0.001},
            lambda o: S.CosineAnnealingLR(o, 8, eta_min=0.001),
            25,
        ),
        ("linear warmup", {"type": "LinearWarmup", "lr": 0.1, "steps": 5}, lambda o: S.LambdaLR(o, warm(5)), 9),
        (
            "warmup then cosine",
            {"type": "warmupCosine", "lr": 0.1, "warmupSteps": 4, "totalSteps": 16, "etaMin": 0.002},
            lambda o: S.SequentialLR(o, [S.LambdaLR(o, warm(4)), S.CosineAnnealingLR(o, 12, eta_min=0.002)], milestones=[4]),
            17,
        ),
    ]
    return {"torch": torch.__version__, "cases": [{"name": n, "schedule": spec, "lrs": lrs(make, steps)} for n, spec, make, steps in cases]}


def clip_fixture():
    torch.manual_seed(99)
    grads = [quantize(torch.randn(*s, dtype=torch.float64)) for s in SHAPES]
    cases = []
    for max_norm, norm_type in [(1.0, 2.0), (100.0, 2.0), (0.5, math.inf), (2.0, 1.0), (1.5, 3.0), (0.0, 2.0)]:
        ps = [torch.zeros(*s, requires_grad=True) for s in SHAPES]
        for p, g in zip(ps, grads):
            p.grad = g.clone()
        total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
        cases.append(
            {
                "maxNorm": max_norm,
                "normType": "Infinity" if norm_type == math.inf else norm_type,
                "total": float(f"{float(total):.9g}"),
                "grads": [flat(p.grad) for p in ps],
            }
        )
    return {"torch": torch.__version__, "shapes": SHAPES, "grads": [decimals(g) for g in grads], "cases": cases}


def safetensors_bytes(tensors, metadata):
    """Serialize as the reference implementation does: metadata first, data contiguous, header space-padded to 8 bytes."""
    header = {"__metadata__": metadata}
    chunks, offset = [], 0
    for name, (dtype, shape, values) in tensors.items():
        code = {"F32": "<f", "F64": "<d", "F16": "<e"}[dtype]
        raw = b"".join(struct.pack(code, v) for v in values)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def checkpoint_fixture():
    torch.manual_seed(7)
    w = quantize(torch.randn(2, 3, dtype=torch.float64))
    tensors = {
        "fc.weight": ("F32", [2, 3], decimals(w)),
        "fc.bias": ("F32", [2], [0.5, -0.25]),
        "scale": ("F64", [], [math.pi]),
        "half": ("F16", [3], [1.0, -2.5, 0.0999755859375]),
        "empty": ("F32", [0, 4], []),
    }
    blob = safetensors_bytes(tensors, {"format": "pt", "source": "make_optim_fixtures.py"})
    expected = {name: {"dtype": d, "shape": s, "data": v} for name, (d, s, v) in tensors.items()}
    return blob, {"metadata": {"format": "pt", "source": "make_optim_fixtures.py"}, "tensors": expected}


def write(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, separators=(",", ":")) + "\n")


def main():
    torch.set_default_dtype(torch.float32)
    # SequentialLR itself calls scheduler.step(0), which PyTorch 1.13 warns about.
    warnings.filterwarnings("ignore", message="The epoch parameter", category=UserWarning)
    write(ROOT / "optim" / "optimizers.json", optimizer_fixture())
    write(ROOT / "optim" / "schedules.json", schedule_fixture())
    write(ROOT / "optim" / "clip.json", clip_fixture())
    blob, expected = checkpoint_fixture()
    (ROOT / "checkpoint").mkdir(parents=True, exist_ok=True)
    (ROOT / "checkpoint" / "reference.safetensors").write_bytes(blob)
    write(ROOT / "checkpoint" / "reference.json", expected)
    print(f"wrote optimizer, schedule, clipping and checkpoint fixtures to {ROOT}")


if __name__ == "__main__":
    main()
