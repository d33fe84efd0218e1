"""Judge of lesson 01's ``sgd_step``: one step of gradient descent, written by hand.

The probe (:mod:`course_utils.probes.sgd`) has the student's function step small
networks drawn from the seed, right after one backward pass, with a learning rate
drawn from it too. Two of their layers took no part in the loss, so their gradients
are None: one between the others, one last. The parameters must end at
p − lr · p.grad (those layers untouched), still leaves that require gradients, with
their gradients cleared. Each usual way of getting there wrong leaves other values,
so it is named.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from course_utils import checks
from course_utils.checks.sgd_text import _
from course_utils.probes import sgd as probe


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


@dataclass
class _Step:
    """One run: the parameters and gradients before the student's step, and after it."""

    before: list[torch.Tensor]
    grads: list[torch.Tensor | None]
    lr: float
    after: list[torch.Tensor]
    left: list[torch.Tensor | None]  # the gradients the step left behind
    leaves: list[bool]


def _read(run: object, n: int) -> tuple[list, list, list]:
    """A run's record (after, grads, leaves), one of each per parameter; else ValueError."""
    after, left, leaves = run["after"], run["grads"], run["leaves"]
    if not all(isinstance(v, list) and len(v) == n for v in (after, left, leaves)):
        raise ValueError("one value, gradient and leaf flag per parameter")
    if not all(isinstance(a, torch.Tensor) for a in after):
        raise ValueError("parameters are tensors")
    if not all(g is None or isinstance(g, torch.Tensor) for g in left):
        raise ValueError("gradients are tensors or None")
    if not all(isinstance(leaf, bool) for leaf in leaves):
        raise ValueError("leaf flags are booleans")
    return after, left, leaves


def _steps(seed: int, data: dict) -> list[_Step]:
    """The probe's three runs: the main problem (a generator, then a list), the second."""
    runs, (main, other) = data["runs"], probe.problem(seed)
    if not isinstance(runs, list) or len(runs) != 3:
        raise ValueError("three runs")
    steps = []
    for run, (net, lr) in zip(runs, [main, main, other], strict=True):
        params = list(net.parameters())
        before, grads = [p.detach() for p in params], [p.grad for p in params]
        steps.append(_Step(before, grads, lr, *_read(run, len(params))))
    return steps


def _close(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.shape == b.shape and torch.allclose(a.to(b.dtype), b, atol=1e-6)


def _same(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.shape == b.shape and torch.equal(a.to(b.dtype), b)


def _cleared(step: _Step) -> bool:
    return all(g is None or not g.any() for g in step.left)


def _stops_at_none(step: _Step, right: list[torch.Tensor]) -> bool:
    """Right up to the first parameter without a gradient, untouched from there on."""
    gap = next(i for i, g in enumerate(step.grads) if g is None)
    done = zip(step.after[:gap], right[:gap], strict=True)
    kept = zip(step.after[gap:], step.before[gap:], strict=True)
    return all(_close(a, r) for a, r in done) and all(_same(a, b) for a, b in kept)


def _rate(step: _Step) -> float | None:
    """The one factor of its gradient the first parameter moved by, if there is one."""
    first, before, grad = step.after[0], step.before[0].double(), step.grads[0].double()
    if first.shape != before.shape or not grad.any():
        return None
    moved = before - first.double()
    rate = ((moved * grad).sum() / (grad * grad).sum()).item()  # least squares
    return rate if torch.allclose(moved, rate * grad, atol=1e-5) else None


def _update_mistake(step: _Step) -> checks.Mistake | None:
    lr, pairs = step.lr, list(zip(step.after, step.before, step.grads, strict=True))
    right = [b if g is None else b - lr * g for _a, b, g in pairs]
    if all(_close(a, r) for a, r in zip(step.after, right, strict=True)):
        return None
    if all(_same(a, b) for a, b, _g in pairs):
        return _mistake("zeroed_first" if _cleared(step) else "rebinds")
    if _stops_at_none(step, right):
        return _mistake("stops_at_none")
    if (rate := _rate(step)) is not None:
        if abs(rate - lr) >= 1e-5:
            keys = {"ascent": -lr, "no_lr": 1.0}
            key = next((k for k, r in keys.items() if abs(rate - r) < 1e-5), "ignores_lr")
            return _mistake(key, lr=lr, rate=rate)
        if all(_same(a, b) for a, b, _g in pairs[1:]):
            return _mistake("only_first")
    diffs = [(a.to(r.dtype) - r).abs().max().item() for a, r in zip(step.after, right, strict=True)
             if a.shape == r.shape]  # fmt: skip
    return _mistake("wrong_update", diff=max(diffs) if len(diffs) == len(right) else float("inf"))


def _mistakes(step: _Step) -> list[checks.Mistake]:
    def update() -> None:
        if found := _update_mistake(step):
            raise found

    def leaves() -> None:
        if not all(step.leaves):
            raise _mistake("detaches")

    def reset() -> None:
        if not _cleared(step):
            raise _mistake("no_reset")

    return checks.collect(update, leaves, reset)


def _judge(seed: int, data: dict) -> list[checks.Mistake]:
    steps, optimizer_steps = _steps(seed, data), data["optimizer_steps"]
    if type(optimizer_steps) is not int:
        raise ValueError("a count of optimizer steps")
    if optimizer_steps:
        raise _mistake("uses_optimizer")
    if found := _mistakes(steps[0]):
        return [_mistake("iterates_twice")] if not _mistakes(steps[1]) else found
    return _mistakes(steps[2])


# sgd_step(parameters, lr): p ← p − lr · p.grad for every parameter with a gradient, then
# the gradients cleared, as torch.optim.SGD's step and zero_grad. No course module has one.
sgd_step = checks.Exercise("sgd_step", probe.sgd_step, _judge, _)
