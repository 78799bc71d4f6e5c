"""Losses: crossEntropy, mseLoss, smoothL1Loss, bceWithLogits and bce, with every reduction."""

import torch
import torch.nn.functional as F

from fixture_lib import Input, case, index, quantize, randn, uniform


def cross_entropy_cases():
    settings = [
        ("[4,5] mean", (4, 5), 0.0, "mean", 1.0),
        ("[4,5] label smoothing 0.1", (4, 5), 0.1, "mean", 1.0),
        ("K-dim logits [2,3,4] target [2,4]", (2, 3, 4), 0.0, "mean", 1.0),
        ("K-dim logits [2,3,2,2] label smoothing 0.2, sum", (2, 3, 2, 2), 0.2, "sum", 1.0),
        ("[3,4] reduction none", (3, 4), 0.0, "none", 1.0),
        ("confident logits x8 [4,6] label smoothing 0.05", (4, 6), 0.05, "mean", 8.0),
    ]
    cases = []
    for name, shape, smoothing, reduction, scale in settings:
        target = index(shape[1], shape[0], *shape[2:])
        fn = lambda x, t, ls=smoothing, red=reduction: F.cross_entropy(x, t, label_smoothing=ls, reduction=red)
        cases.append(case(name, fn, [randn(*shape, scale=scale), target], {"labelSmoothing": smoothing, "reduction": reduction}))
    return cases


def mse_cases():
    settings = [("[3,4] mean", (3, 4), "mean"), ("[2,3] sum", (2, 3), "sum"), ("[5] none", (5,), "none")]
    return [
        case(name, lambda a, b, red=red: F.mse_loss(a, b, reduction=red), [randn(*s), randn(*s)], {"reduction": red})
        for name, s, red in settings
    ]


def _pair_with_gaps(shape, beta):
    """
    An (input, target) pair whose differences stay clear of the loss's kinks: 0 (where |d|
    bends) and ±beta (where the quadratic meets the linear part).
    """
    n = torch.Size(shape).numel()
    far = torch.rand(n, dtype=torch.float64) < 0.5
    lo = torch.where(far, torch.full((n,), beta + 0.05), torch.full((n,), 0.05)).double()
    hi = torch.where(far, torch.full((n,), beta + 2.0), torch.full((n,), max(beta - 0.05, 0.06))).double()
    sign = torch.where(torch.rand(n) < 0.5, -1.0, 1.0).double()
    d = quantize((lo + (hi - lo) * torch.rand(n, dtype=torch.float64)) * sign).double()
    x = randn(*shape)
    target = quantize(x.t32.double() - d.reshape(shape))
    return [x, Input(target)]


def smooth_l1_cases():
    settings = [
        ("[3,4] beta 1 mean", (3, 4), 1.0, "mean"),
        ("[3,4] beta 0.5 mean", (3, 4), 0.5, "mean"),
        ("[2,5] beta 1 sum", (2, 5), 1.0, "sum"),
        ("[6] beta 0.5 none", (6,), 0.5, "none"),
        ("[2,3] beta 0 (pure L1) mean", (2, 3), 0.0, "mean"),
    ]
    return [
        case(
            name,
            lambda a, b, beta=beta, red=red: F.smooth_l1_loss(a, b, beta=beta, reduction=red),
            _pair_with_gaps(s, beta),
            {"beta": beta, "reduction": red},
        )
        for name, s, beta, red in settings
    ]


def _hard_targets(*shape):
    return Input(quantize((torch.rand(*shape) < 0.5).double()), grad=False)


def bce_with_logits_cases():
    settings = [
        ("[3,4] hard targets mean", randn(3, 4, scale=2.0), _hard_targets(3, 4), "mean"),
        ("[2,3] soft targets with grad, mean", randn(2, 3, scale=2.0), uniform(0.0, 1.0, 2, 3), "mean"),
        ("[5] large logits sum", uniform(-15.0, 15.0, 5), _hard_targets(5), "sum"),
        ("[2,2] none", randn(2, 2), uniform(0.0, 1.0, 2, 2, grad=False), "none"),
    ]
    return [
        case(name, lambda x, t, red=red: F.binary_cross_entropy_with_logits(x, t, reduction=red), [x, t], {"reduction": red})
        for name, x, t, red in settings
    ]


def bce_cases():
    settings = [
        ("[3,4] hard targets mean", (3, 4), "hard", "mean"),
        ("[2,3] soft targets with grad, sum", (2, 3), "soft+grad", "sum"),
        ("[5] none", (5,), "soft", "none"),
    ]
    cases = []
    for name, shape, kind, red in settings:
        target = _hard_targets(*shape) if kind == "hard" else uniform(0.0, 1.0, *shape, grad=kind == "soft+grad")
        fn = lambda p, t, red=red: F.binary_cross_entropy(p, t, reduction=red)
        cases.append(case(name, fn, [uniform(0.05, 0.95, *shape), target], {"reduction": red}))
    return cases


OPS = {
    "crossEntropy": cross_entropy_cases,
    "mseLoss": mse_cases,
    "smoothL1Loss": smooth_l1_cases,
    "bceWithLogits": bce_with_logits_cases,
    "bce": bce_cases,
}
