"""Checks for lesson 01's exercise: one epoch of the training loop.

The student's ``train_epoch`` runs on a tiny fixed classification problem (20
samples, batches of 8, 8 and 4) with a model, a loss and an optimizer that record
what happens: which forward passes a backward pass reached and in which mode, the
gradients at every step, and the weights at the end, compared with those of a
correct loop and of the usual mistakes.
"""

from __future__ import annotations

import copy
import numbers
from collections.abc import Callable

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import checks
from course_utils.checks import spies
from course_utils.checks.training_text import _

LR = 0.1


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _problem() -> tuple[spies.SpyModel, DataLoader]:
    g = torch.Generator().manual_seed(0)
    X, y = torch.randn(20, 4, generator=g), torch.randint(0, 3, (20,), generator=g)
    with torch.random.fork_rng():
        torch.manual_seed(0)
        net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    return spies.SpyModel(net), DataLoader(TensorDataset(X, y), batch_size=8)


def _run(student: Callable, model: spies.SpyModel, loader: DataLoader, epochs: int = 1) -> dict:
    """Run the student's epoch(s) on ``model``, left in eval mode as by an earlier evaluation."""
    seen = {"backward": 0, "steps": [], "result": None}
    for p in model.parameters():
        p.register_hook(lambda g: seen.__setitem__("backward", seen["backward"] + 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)

    def before_step(opt, args, kwargs):
        grads = [p.grad for p in model.parameters()]
        seen["steps"].append(any(g is not None and g.abs().sum() > 0 for g in grads))

    optimizer.register_step_pre_hook(before_step)
    seen["criterion"] = spies.SpyLoss(list(loader), lambda: _mistake("wrong_tensors"))
    model.eval()
    for _epoch in range(epochs):
        seen["result"] = student(model, loader, seen["criterion"], optimizer, device="cpu")
    return seen


def _full_loss(model: spies.SpyModel, loader: DataLoader) -> float:
    X, y = loader.dataset.tensors
    with torch.no_grad():
        return nn.functional.cross_entropy(model.net(X), y).item()


def _check_steps(seen: dict) -> None:
    if not seen["backward"]:
        raise _mistake("no_backward")
    if not seen["steps"]:
        raise _mistake("no_step")
    if not any(seen["steps"]):
        raise _mistake("cleared")


def _check_weights(student: Callable, start, model: spies.SpyModel, loader, seen) -> None:
    _check_steps(seen)
    diagnosis = spies.step_mistake(model, start, loader, LR)
    if diagnosis is None:
        return
    if diagnosis:
        raise _mistake(diagnosis)
    if not seen["criterion"].log:
        raise _mistake("ignores_criterion")
    longer = copy.deepcopy(start)
    before = _full_loss(longer, loader)
    _run(student, longer, loader, epochs=5)
    after = _full_loss(longer, loader)
    if not after < before:
        raise _mistake("not_down", before=before, after=after)
    raise _mistake("not_one_update")


def _check_mode(model: spies.SpyModel) -> None:
    if not all(call.training for call in spies.trained(model.calls)):
        raise _mistake("train_mode")


def _losses(model: spies.SpyModel, loader: DataLoader, criterion) -> list[tuple[float, int]]:
    """(mean loss, size) of each batch trained on: as the given loss computed them, or
    (when the code used another) the cross-entropy of the outputs that were trained."""
    logged = [(loss, n) for loss, n, graph in criterion.log if graph]
    if logged:
        return logged
    batches = list(loader)
    found = {}
    for call in spies.trained(model.calls):
        index = spies.batch_of(call.x, batches)
        if index is not None and index not in found:
            y = batches[index][1]
            found[index] = (nn.functional.cross_entropy(call.out, y).item(), len(y))
    return [found[i] for i in sorted(found)]


def _check_result(got: object, log: list[tuple[float, int]]) -> None:
    if not isinstance(got, numbers.Real) or isinstance(got, bool):
        raise _mistake("not_number", kind=type(got).__name__)
    if not log:
        raise checks.could_not_run(_("no_losses"))
    losses = [loss for loss, _n in log]
    total, n = sum(loss * size for loss, size in log), sum(size for _loss, size in log)
    if abs(got - total / n) < 1e-5:
        return
    for key, value in [
        ("last_batch", losses[-1]),
        ("per_batch", sum(losses) / len(losses)),
        ("sum", total),
        ("sum", sum(losses)),
    ]:
        if abs(got - value) < 1e-5:
            raise _mistake(key)
    raise _mistake("wrong_value", got=got, expected=total / n)


def _diagnose(student: Callable) -> list[checks.Mistake]:
    start, loader = _problem()
    model = copy.deepcopy(start)
    seen = _run(student, model, loader)
    if not model.calls:
        raise _mistake("no_forward")
    return checks.collect(
        lambda: _check_weights(student, start, model, loader, seen),
        lambda: _check_mode(model),
        lambda: _check_result(seen["result"], _losses(model, loader, seen["criterion"])),
    )


def train_epoch(student: Callable) -> checks.Result:
    """Check a function that trains a model for one epoch and returns its mean loss."""
    return checks.run("train_epoch", lambda: _diagnose(student), student=student)
