"""Probe for lesson 04's ``batch_norm``: the student's function on batches drawn from the seed.

One training call and one evaluation call on square batches (as many examples as
neurons, so that statistics over the wrong dimension still broadcast), with a
``momentum`` and an ``eps`` that are not the defaults; then three training steps and
one evaluation on batches of another shape, with the defaults. For each call it records
the output, the running statistics left behind, the input afterwards, and whether
PyTorch's own BatchNorm ran (``F.batch_norm``, ``torch.batch_norm``, ``nn.BatchNorm1d``).
"""

from __future__ import annotations

import random
from collections.abc import Callable

import torch
from torch.overrides import TorchFunctionMode

from course_utils.probes import where
from course_utils.probes.crash_text import explain

STEPS = (True, True, True, False)  # the modes of the steps with the defaults


class _Reads(TorchFunctionMode):
    """Remember which of some tensors torch functions received, and whether a BatchNorm ran."""

    def __init__(self, *watched: torch.Tensor) -> None:
        super().__init__()
        self.watched, self.read, self.builtin = watched, set(), False

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        self.builtin |= getattr(func, "__name__", "") == "batch_norm"
        for value in (*args, *kwargs.values()):
            self.read.update(i for i, t in enumerate(self.watched) if value is t)
        return func(*args, **kwargs)


def _batch(g: torch.Generator, n: int, c: int) -> dict[str, torch.Tensor]:
    """A batch whose neurons have different means and scales, running statistics far
    from the batch's, and γ, β."""
    means, scales = torch.linspace(-3, 3, c), torch.linspace(0.5, 3, c)
    perm = torch.randperm(c, generator=g)
    return {
        "x": means[perm] + scales * torch.randn(n, c, generator=g),
        "running_mean": torch.randn(c, generator=g),
        "running_var": 0.5 + 1.5 * torch.rand(c, generator=g),
        "weight": 1 + 0.5 * torch.randn(c, generator=g),
        "bias": torch.randn(c, generator=g),
    }


def problem(seed: int) -> dict:
    """The problem ``seed``: the square batches, momentum and eps, and the steps' batches."""
    rng, g = random.Random(seed), torch.Generator().manual_seed(seed)
    n, m, c = rng.randint(6, 10), rng.randint(11, 14), rng.randint(4, 6)
    return {
        "momentum": round(rng.uniform(0.2, 0.4), 2),
        "eps": round(rng.uniform(0.05, 0.2), 2),
        "train": _batch(g, n, n),
        "eval": _batch(g, n, n),
        "start": _batch(g, m, c),
        "steps": [_batch(g, m, c)["x"] for _ in STEPS],
    }


def _output(out: object, shape: torch.Size) -> dict:
    tensor = isinstance(out, torch.Tensor)
    return {
        "kind": type(out).__name__[:60],
        "shape": list(out.shape) if tensor else None,
        "out": out.detach().clone() if tensor and out.shape == shape else None,
        "grad": bool(out.requires_grad) if tensor else False,
    }


def _call(student: Callable, batch: dict, training: bool, *options: float) -> dict:
    """Run the student's function on copies of ``batch``; what it returned and left behind."""
    x = batch["x"].clone().requires_grad_(torch.is_grad_enabled())
    rm, rv = batch["running_mean"].clone(), batch["running_var"].clone()
    w, b = (batch[k].clone().requires_grad_(torch.is_grad_enabled()) for k in ("weight", "bias"))
    with _Reads(rm, rv) as reads:
        out = student(x, rm, rv, w, b, training, *options)
    return {
        **_output(out, x.shape),
        "builtin": reads.builtin,
        "read": sorted(reads.read),
        "x": x.detach().clone(),
        "running_mean": rm.detach().clone(),
        "running_var": rv.detach().clone(),
        "running_grad": bool(rm.requires_grad or rv.requires_grad),
    }


def _steps(student: Callable, p: dict) -> dict:
    """Three training steps and one evaluation with the defaults, the running statistics
    carried from one to the next; a crash on the way is recorded, not raised."""
    start, steps = p["start"], []
    rm, rv = start["running_mean"], start["running_var"]
    try:
        for x, training in zip(p["steps"], STEPS, strict=True):
            with torch.no_grad():
                step = _call(student, {**start, "x": x, "running_mean": rm, "running_var": rv},
                             training)  # fmt: skip
            steps.append(step)
            rm, rv = step["running_mean"], step["running_var"]
    except Exception as error:  # the student's code: the judge says so if nothing else is wrong
        crash = {"error": type(error).__name__[:100], "what": explain(error)[:300]}
        return {"steps": steps, "crash": {**crash, "line": where(error)}}
    return {"steps": steps, "crash": None}


def batch_norm(student: Callable, *, seed: int) -> dict:
    """What the student's ``batch_norm`` did on the problem ``seed``."""
    p = problem(seed)
    options = p["momentum"], p["eps"]
    with torch.enable_grad():  # the output's gradient is part of the answer
        train = _call(student, p["train"], True, *options)
        evaluation = _call(student, p["eval"], False, *options)
    return {"train": train, "eval": evaluation, **_steps(student, p)}
