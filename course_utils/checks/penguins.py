"""Checks for lesson 05's exercises: per-epoch statistics and the evaluation.

Both run the student's function on a tiny fixed problem: 11 samples in batches of
4, 4 and 3, on a linear classifier whose predictions are right for 4, 0 and 2 samples
of those batches. Every usual mistake (averaging per batch, percent instead of a
fraction, counting batches, keeping only the last batch, training mode or gradients
left on in the evaluation) gives a different number, so each is named.
"""

from __future__ import annotations

import copy
import numbers
from collections.abc import Callable

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import checks
from course_utils.checks.penguins_text import _

BATCH_SIZE, LR = 4, 0.05
CLASSES = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1]
LABELS = [0, 1, 2, 0, 2, 0, 1, 2, 2, 0, 0]  # right: 4 of 4, 0 of 4, 2 of 3


class _Spy(nn.Module):
    """A linear classifier that records, for every call, its mode and whether autograd was on."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(4, 3)
        with torch.no_grad():
            self.linear.weight.copy_(torch.eye(3, 4))
            self.linear.bias.zero_()
        self.calls: list[tuple[bool, bool]] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls.append((self.training, torch.is_grad_enabled()))
        return self.linear(x)


def _loader() -> DataLoader:
    noise = torch.randn(len(CLASSES), 4, generator=torch.Generator().manual_seed(0))
    X = 3 * torch.eye(4)[CLASSES] + 0.3 * noise
    return DataLoader(TensorDataset(X, torch.tensor(LABELS)), batch_size=BATCH_SIZE)


def _batches(model: nn.Module, loader: DataLoader, optimizer=None) -> list[tuple]:
    """(mean loss, size, right) per batch, training with ``optimizer`` if given."""
    found = []
    for X, y in loader:
        with torch.set_grad_enabled(optimizer is not None):
            logits = model(X)
            loss = nn.functional.cross_entropy(logits, y)
        if optimizer is not None:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        found.append((loss.item(), len(y), (logits.argmax(dim=1) == y).sum().item()))
    return found


def _number(got: object, what: str) -> float:
    if isinstance(got, torch.Tensor):
        raise checks.Mistake(_("tensor", what=what))
    if not isinstance(got, numbers.Real) or isinstance(got, bool):
        raise checks.Mistake(_("not_number", what=what, kind=type(got).__name__))
    return float(got)


def _match(got: float, expected: float, mistakes: list[tuple[str, float]], wrong: str) -> None:
    """Pass if ``got`` is ``expected``; else name the first mistake that gives ``got``."""
    if abs(got - expected) < 1e-5:
        return
    for key, value in mistakes:
        if abs(got - value) < 1e-5:
            raise checks.Mistake(_(key))
    raise checks.Mistake(_(wrong, got=got, expected=expected))


def _check_accuracy(got: float, batches: list[tuple]) -> None:
    _losses, sizes, right = zip(*batches, strict=True)
    n, hits = sum(sizes), sum(right)
    mistakes = [
        ("percent", 100 * hits / n),
        ("per_batch_acc", sum(r / s for r, s in zip(right, sizes, strict=True)) / len(sizes)),
        ("last_batch", right[-1] / sizes[-1]),
        ("by_batches", hits / len(sizes)),
        ("full_batches", hits / (BATCH_SIZE * len(sizes))),
        ("count", hits),
    ]
    _match(got, hits / n, mistakes, "wrong_accuracy")


def _check_loss(got: float, batches: list[tuple]) -> None:
    losses, sizes, _right = zip(*batches, strict=True)
    total = sum(loss * size for loss, size, _r in batches)
    mistakes = [
        ("per_batch_loss", sum(losses) / len(losses)),
        ("last_batch", losses[-1]),
        ("sum", total),
        ("not_weighted", sum(losses) / sum(sizes)),
    ]
    _match(got, total / sum(sizes), mistakes, "wrong_loss")


def _diagnose_epoch(student: Callable) -> None:
    reference, model, loader = _Spy(), _Spy(), _loader()
    batches = _batches(reference, loader, torch.optim.SGD(reference.parameters(), lr=LR))
    result = student(model, loader, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), LR))
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise checks.Mistake(_("pair", kind=type(result).__name__))
    loss, accuracy = _number(result[0], "loss"), _number(result[1], "accuracy")
    pairs = zip(model.parameters(), reference.parameters(), strict=True)
    if not all(torch.allclose(a, b) for a, b in pairs):
        raise checks.Mistake(_("steps"))
    _check_loss(loss, batches)
    _check_accuracy(accuracy, batches)


def _diagnose_evaluate(student: Callable) -> None:
    model, loader = _Spy(), _loader()
    before = copy.deepcopy(model.state_dict())
    model.train()
    accuracy = _number(student(model, loader), "accuracy")
    if not model.calls:
        raise checks.Mistake(_("no_forward"))
    if any(training for training, _grad in model.calls):
        raise checks.Mistake(_("no_eval"))
    if any(grad for _training, grad in model.calls):
        raise checks.Mistake(_("no_grad"))
    if any(not torch.equal(before[k], v) for k, v in model.state_dict().items()):
        raise checks.Mistake(_("changed"))
    _check_accuracy(accuracy, _batches(_Spy(), loader))


def _isolated(diagnose: Callable, student: Callable) -> None:
    """Run a diagnosis without touching the notebook's random number generator."""
    with torch.random.fork_rng(devices=[]):
        diagnose(student)


def epoch_statistics(student: Callable) -> checks.Result:
    """Check ``train_epoch(model, loader, criterion, optimizer) -> (mean_loss, accuracy)``."""
    return checks.run(
        "epoch_statistics", lambda: _isolated(_diagnose_epoch, student), student=student
    )


def evaluate(student: Callable) -> checks.Result:
    """Check ``evaluate(model, loader) -> accuracy`` (eval mode, no gradients, every batch)."""
    return checks.run(
        "evaluate_accuracy", lambda: _isolated(_diagnose_evaluate, student), student=student
    )
