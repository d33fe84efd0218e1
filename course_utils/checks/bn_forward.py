"""Check for lesson 04's ``batch_norm``: BatchNorm's forward pass by hand, both modes.

The student's function runs on small batches beside ``torch.nn.functional.batch_norm``;
its output and the running statistics it leaves behind are compared, and when they
differ, compared again with what each usual mistake would produce. The batches are
square (8 examples, 8 neurons) so that statistics taken over the wrong dimension still
broadcast and can be named; ``momentum`` and ``eps`` are not the defaults, so that
ignoring either shows. Another shape with the defaults confirms a function that passed.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

from course_utils import checks
from course_utils.checks.bn_forward_text import _

N = C = 8
MOMENTUM, EPS = 0.3, 0.1


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _close(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.shape == b.shape and torch.allclose(a, b, atol=1e-4, rtol=1e-4)


def _diff(a: torch.Tensor, b: torch.Tensor) -> float:
    return (a - b).abs().max().item()


class _Reads(TorchFunctionMode):
    """Remember which torch functions ran and which of some tensors they received."""

    def __init__(self, *watched: torch.Tensor) -> None:
        super().__init__()
        self.watched, self.read, self.names = watched, set(), set()

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        self.names.add(getattr(func, "__name__", ""))
        for value in (*args, *kwargs.values()):
            self.read.update(i for i, t in enumerate(self.watched) if value is t)
        return func(*args, **kwargs)


def _problem(seed: int, n: int = N, c: int = C) -> dict[str, torch.Tensor]:
    """A batch whose neurons have different means and scales, running statistics far
    from the batch's, and γ, β as parameters that need gradients."""
    g = torch.Generator().manual_seed(seed)
    means, scales = torch.linspace(-3, 3, c), torch.linspace(0.5, 3, c)
    perm = torch.randperm(c, generator=g)
    return {
        "x": means[perm] + scales * torch.randn(n, c, generator=g),
        "running_mean": torch.randn(c, generator=g),
        "running_var": 0.5 + 1.5 * torch.rand(c, generator=g),
        "weight": 1 + 0.5 * torch.randn(c, generator=g),
        "bias": torch.randn(c, generator=g),
    }


def _call(student: Callable, p: dict, training: bool, *options: float) -> dict:
    """Run the student's function on copies of ``p``; return what it left behind."""
    x = p["x"].clone().requires_grad_(True)
    rm, rv = p["running_mean"].clone(), p["running_var"].clone()
    w, b = (p[k].clone().requires_grad_(True) for k in ("weight", "bias"))
    with _Reads(rm, rv) as reads:
        out = student(x, rm, rv, w, b, training, *options)
    if "batch_norm" in reads.names:  # F.batch_norm, torch.batch_norm, nn.BatchNorm1d
        raise _mistake("uses_builtin")
    if not isinstance(out, torch.Tensor) or out.shape != x.shape:
        got = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        raise _mistake("returns", shape=tuple(x.shape), got=got)
    return {"out": out, "rm": rm, "rv": rv, "read": reads.read,
            "changed": not torch.equal(x.detach(), p["x"])}  # fmt: skip


def _reference(p: dict, training: bool, *options: float) -> dict:
    rm, rv = p["running_mean"].clone(), p["running_var"].clone()
    out = F.batch_norm(p["x"], rm, rv, p["weight"], p["bias"], training, *options)
    return {"out": out, "rm": rm, "rv": rv}


def _output_mistakes(p: dict, out: torch.Tensor, right: torch.Tensor) -> None:
    x, w, b = p["x"], p["weight"], p["bias"]
    mean, biased, unbiased = x.mean(0), x.var(0, unbiased=False), x.var(0)
    rows = [(x.mean(1), x.var(1, unbiased=False)),
            (x.mean(1, keepdim=True), x.var(1, unbiased=False, keepdim=True))]  # fmt: skip
    candidates = [
        *(("wrong_dim", w * (x - m) / torch.sqrt(v + EPS) + b) for m, v in rows),
        ("no_affine", (x - mean) / torch.sqrt(biased + EPS)),
        ("unbiased_normalization", w * (x - mean) / torch.sqrt(unbiased + EPS) + b),
        ("no_eps", w * (x - mean) / torch.sqrt(biased) + b),
        ("eps_outside_sqrt", w * (x - mean) / (torch.sqrt(biased) + EPS) + b),
    ]
    for key, candidate in candidates:
        if _close(out, candidate):
            raise _mistake(key, eps=EPS)
    raise _mistake("wrong_output", diff=_diff(out, right))


def _running_mistakes(p: dict, got: dict, right: dict) -> None:
    rm0, rv0, x, y = p["running_mean"], p["running_var"], p["x"], got["out"].detach()
    stale = [name for name, key in (("running_mean", "rm"), ("running_var", "rv"))
             if torch.equal(got[key], p[name])]  # fmt: skip
    if stale:
        names = ", ".join(stale)
        raise _mistake("not_in_place" if got["read"] else "no_running_update", names=names)
    m, keep = MOMENTUM, 1 - MOMENTUM
    if _close(got["rm"], m * rm0 + keep * x.mean(0)):
        raise _mistake("momentum_reversed")
    if _close(got["rm"], keep * rm0 + m * y.mean(0)):
        raise _mistake("running_tracks_output")
    if not _close(got["rm"], right["rm"]):
        raise _mistake("wrong_running", name="running_mean", diff=_diff(got["rm"], right["rm"]))
    if _close(got["rv"], keep * rv0 + m * x.var(0, unbiased=False)):
        raise _mistake("biased_running_var")
    raise _mistake("wrong_running", name="running_var", diff=_diff(got["rv"], right["rv"]))


def _diagnose(student: Callable) -> list[checks.Mistake]:
    p, q = _problem(0), _problem(1)
    got, right = _call(student, p, True, MOMENTUM, EPS), _reference(p, True, MOMENTUM, EPS)
    seen, expected = _call(student, q, False, MOMENTUM, EPS), _reference(q, False, MOMENTUM, EPS)
    output_right = _close(got["out"].detach(), right["out"])

    def output() -> None:
        if not output_right:
            _output_mistakes(p, got["out"].detach(), right["out"])

    def detached() -> None:
        if not got["out"].requires_grad:
            raise _mistake("output_detached")

    def input_changed() -> None:
        if got["changed"] or seen["changed"]:
            raise _mistake("changes_input")

    def running() -> None:
        if not (_close(got["rm"], right["rm"]) and _close(got["rv"], right["rv"])):
            _running_mistakes(p, got, right)

    def running_grad() -> None:
        if got["rm"].requires_grad or got["rv"].requires_grad:
            raise _mistake("running_has_grad")

    def evaluation() -> None:
        out, x = seen["out"].detach(), q["x"]
        if _close(out, expected["out"]):
            return
        for variance in (x.var(0, unbiased=False), x.var(0)):
            batch = q["weight"] * (x - x.mean(0)) / torch.sqrt(variance + EPS) + q["bias"]
            if _close(out, batch):
                raise _mistake("eval_uses_batch_stats")
        if output_right:
            raise _mistake("eval_wrong", diff=_diff(out, expected["out"]))

    def eval_running() -> None:
        saved = q["running_mean"], q["running_var"]
        if not all(map(torch.equal, (seen["rm"], seen["rv"]), saved)):
            raise _mistake("eval_updates_running")

    found = checks.collect(output, detached, input_changed, running, running_grad,
                           eval_running, evaluation)  # fmt: skip
    return found or _confirm(student)


def _confirm(student: Callable) -> list[checks.Mistake]:
    """Three training steps and one evaluation on 12 × 5 batches, with the defaults."""
    p = _problem(2, n=12, c=5)
    rm, rv, w, b = p["running_mean"], p["running_var"], p["weight"], p["bias"]
    mine_m, mine_v = rm.clone(), rv.clone()
    for step, training in enumerate((True, True, True, False)):
        x = _problem(3 + step, n=12, c=5)["x"]
        with torch.no_grad():
            right = F.batch_norm(x, rm, rv, w, b, training)
            out = student(x.clone(), mine_m, mine_v, w.clone(), b.clone(), training)
        if not isinstance(out, torch.Tensor) or out.shape != x.shape:
            got = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
            raise _mistake("returns", shape=tuple(x.shape), got=got)
        if not _close(out, right):
            raise _mistake("wrong_output" if training else "eval_wrong", diff=_diff(out, right))
        if not (_close(mine_m, rm) and _close(mine_v, rv)):
            name = "running_mean" if not _close(mine_m, rm) else "running_var"
            return [
                _mistake("wrong_running", name=name, diff=_diff(mine_m, rm) + _diff(mine_v, rv))
            ]
    return []


def batch_norm(student: Callable) -> checks.Result:
    """Check ``batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)``:
    its output and running statistics match ``nn.BatchNorm1d``'s in both modes."""
    return checks.run("batch_norm", lambda: _diagnose(student), student=student)
