"""Checks for lesson 01's exercise: one epoch of the training loop.

The student's ``train_epoch`` runs on a tiny fixed classification problem
(20 samples, batches of 8, 8 and 4) with spies on the model, the loss and the
optimizer, and its weights are compared with those of a correct loop.
"""

from __future__ import annotations

import copy
import numbers
from collections.abc import Callable

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import checks
from course_utils.checks.training_text import _

LR = 0.1


class _SpyModel(nn.Module):
    """A small classifier that remembers its inputs, outputs and mode."""

    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
        self.calls: list[tuple[torch.Tensor, torch.Tensor, bool]] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.net(x)
        self.calls.append((x, out, self.training))
        return out


def _equal(a: object, b: torch.Tensor) -> bool:
    return isinstance(a, torch.Tensor) and a.shape == b.shape and torch.equal(a, b)


class _SpyLoss(nn.CrossEntropyLoss):
    """Cross-entropy that checks it gets this batch's output and labels, and logs them."""

    def __init__(self, model: _SpyModel, batches: list[tuple[torch.Tensor, torch.Tensor]]):
        super().__init__()
        self.model, self.batches, self.log = model, batches, []

    def forward(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        last = self.model.calls[-1] if self.model.calls else None
        labels = [y for X, y in self.batches if last is not None and torch.equal(X, last[0])]
        if last is None or not labels or not _equal(output, last[1]):
            raise checks.Mistake(_("wrong_tensors"))
        if not _equal(target, labels[0]):
            raise checks.Mistake(_("wrong_tensors"))
        loss = super().forward(output, target)
        self.log.append((loss.item(), len(target)))
        return loss


def _problem() -> tuple[_SpyModel, DataLoader]:
    g = torch.Generator().manual_seed(0)
    X, y = torch.randn(20, 4, generator=g), torch.randint(0, 3, (20,), generator=g)
    with torch.random.fork_rng():
        torch.manual_seed(0)
        model = _SpyModel()
    return model, DataLoader(TensorDataset(X, y), batch_size=8)


def _reference(model: nn.Module, loader: DataLoader, zero_grad: bool) -> list[torch.Tensor]:
    """The weights after one epoch of a correct loop (or one that never resets gradients)."""
    model = copy.deepcopy(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    criterion = nn.CrossEntropyLoss()
    for X, y in loader:
        loss = criterion(model(X), y)
        if zero_grad:
            optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return [p.detach().clone() for p in model.parameters()]


def _same(a: list[torch.Tensor], b: list[torch.Tensor]) -> bool:
    return all(torch.allclose(x, y, atol=1e-6) for x, y in zip(a, b, strict=True))


def _full_loss(model: _SpyModel, loader: DataLoader) -> float:
    X, y = loader.dataset.tensors
    with torch.no_grad():
        return nn.functional.cross_entropy(model.net(X), y).item()


def _run(student: Callable, model: _SpyModel, loader: DataLoader, epochs: int = 1) -> dict:
    """Run the student's epoch with spies; return what happened."""
    seen = {"backward": 0, "steps": [], "result": None}
    for p in model.parameters():
        p.register_hook(lambda g: seen.__setitem__("backward", seen["backward"] + 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)

    def before_step(opt, args, kwargs):
        grads = [p.grad for p in model.parameters()]
        seen["steps"].append(any(g is not None and g.abs().sum() > 0 for g in grads))

    optimizer.register_step_pre_hook(before_step)
    criterion = _SpyLoss(model, list(loader))
    model.eval()
    for _epoch in range(epochs):
        seen["result"] = student(model, loader, criterion, optimizer, device="cpu")
    seen["log"] = criterion.log
    return seen


def _check_steps(seen: dict, model: _SpyModel) -> None:
    if not seen["backward"]:
        raise checks.Mistake(_("no_backward"))
    if not seen["steps"]:
        raise checks.Mistake(_("no_step"))
    if not any(seen["steps"]):
        raise checks.Mistake(_("cleared"))
    if not all(training for _x, _out, training in model.calls):
        raise checks.Mistake(_("no_train_mode"))


def _check_weights(student: Callable, start: _SpyModel, model: _SpyModel, loader) -> None:
    weights = [p.detach() for p in model.parameters()]
    if _same(weights, _reference(start, loader, zero_grad=True)):
        return
    if _same(weights, _reference(start, loader, zero_grad=False)):
        raise checks.Mistake(_("no_zero_grad"))
    longer = copy.deepcopy(start)
    before = _full_loss(longer, loader)
    _run(student, longer, loader, epochs=5)
    after = _full_loss(longer, loader)
    if not after < before:
        raise checks.Mistake(_("not_down", before=before, after=after))
    raise checks.Mistake(_("not_one_update"))


def _check_result(got: object, log: list[tuple[float, int]]) -> None:
    if not isinstance(got, numbers.Real) or isinstance(got, bool):
        raise checks.Mistake(_("not_number", kind=type(got).__name__))
    losses, sizes = zip(*log, strict=True)
    expected = sum(loss * n for loss, n in log) / sum(sizes)
    if abs(got - expected) < 1e-5:
        return
    for key, value in [
        ("last_batch", losses[-1]),
        ("per_batch", sum(losses) / len(losses)),
        ("sum", sum(loss * n for loss, n in log)),
        ("sum", sum(losses)),
    ]:
        if abs(got - value) < 1e-5:
            raise checks.Mistake(_(key))
    raise checks.Mistake(_("wrong_value", got=got, expected=expected))


def _diagnose(student: Callable) -> None:
    start, loader = _problem()
    model = copy.deepcopy(start)
    seen = _run(student, model, loader)
    _check_steps(seen, model)
    _check_weights(student, start, model, loader)
    _check_result(seen["result"], seen["log"])


def train_epoch(student: Callable) -> checks.Result:
    """Check a function that trains a model for one epoch and returns its mean loss."""
    return checks.run("train_epoch", lambda: _diagnose(student), student=student)
