"""Checks for lesson 05's exercises: per-epoch statistics and the evaluation.

Both run the student's function on a tiny fixed problem: 11 samples in batches of
4, 4 and 3, on a linear classifier whose predictions are right for 4, 0 and 2 samples
of those batches. The statistics are judged against the outputs and losses the
student's own code produced, so a mistake in the loop and one in the bookkeeping are
each named; every usual bookkeeping mistake gives a different number.
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
from course_utils.checks.penguins_text import _

BATCH_SIZE, LR = 4, 0.05
CLASSES = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1]
LABELS = [0, 1, 2, 0, 2, 0, 1, 2, 2, 0, 0]  # right: 4 of 4, 0 of 4, 2 of 3


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _model() -> spies.SpyModel:
    linear = nn.Linear(4, 3)
    with torch.no_grad():
        linear.weight.copy_(torch.eye(3, 4))
        linear.bias.zero_()
    return spies.SpyModel(linear)


def _loader() -> DataLoader:
    noise = torch.randn(len(CLASSES), 4, generator=torch.Generator().manual_seed(0))
    X = 3 * torch.eye(4)[CLASSES] + 0.3 * noise
    return DataLoader(TensorDataset(X, torch.tensor(LABELS)), batch_size=BATCH_SIZE)


def _number(got: object, what: str) -> float:
    if isinstance(got, torch.Tensor):
        raise _mistake(f"{what}_tensor")
    if not isinstance(got, numbers.Real) or isinstance(got, bool):
        raise _mistake(f"{what}_not_number", kind=type(got).__name__)
    return float(got)


def _match(got: float, expected: float, mistakes: list[tuple[str, float]], wrong: str) -> None:
    """Pass if ``got`` is ``expected``; else name the first mistake that gives ``got``."""
    if abs(got - expected) < 1e-5:
        return
    for key, value in mistakes:
        if abs(got - value) < 1e-5:
            raise _mistake(key)
    raise _mistake(wrong, got=got, expected=expected)


def _check_accuracy(got: object, batches: list[tuple]) -> None:
    got = _number(got, "accuracy")
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


def _check_loss(got: object, losses: list[float], sizes: list[int]) -> None:
    got = _number(got, "loss")
    total = sum(loss * size for loss, size in zip(losses, sizes, strict=True))
    mistakes = [
        ("per_batch_loss", sum(losses) / len(losses)),
        ("last_batch", losses[-1]),
        ("sum", total),
        ("not_weighted", sum(losses) / sum(sizes)),
    ]
    _match(got, total / sum(sizes), mistakes, "wrong_loss")


def _check_steps(model: spies.SpyModel, start: spies.SpyModel, loader: DataLoader) -> None:
    diagnosis = spies.step_mistake(model, start, loader, LR)
    if diagnosis is not None:
        raise _mistake(diagnosis or "steps")


def _diagnose_epoch(student: Callable) -> list[checks.Mistake]:
    start, loader = _model(), _loader()
    model = copy.deepcopy(start).eval()  # as an earlier evaluation would leave it
    criterion = spies.SpyLoss(list(loader), lambda: _mistake("wrong_tensors"))
    result = student(model, loader, criterion, torch.optim.SGD(model.parameters(), LR))
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise _mistake("pair", kind=type(result).__name__)
    trained = spies.trained(model.calls)
    batches = spies.per_batch(trained, loader)
    if batches is None:
        raise _mistake("not_every_batch")
    logged = [(loss, n) for loss, n, graph in criterion.log if graph] or [b[:2] for b in batches]

    def mode() -> None:
        if not all(call.training for call in trained):
            raise _mistake("train_mode")

    return checks.collect(
        lambda: _check_steps(model, start, loader),
        mode,
        lambda: _check_loss(result[0], *map(list, zip(*logged, strict=True))),
        lambda: _check_accuracy(result[1], batches),
    )


def _diagnose_evaluate(student: Callable) -> list[checks.Mistake]:
    model, loader = _model(), _loader()
    before = copy.deepcopy(model.state_dict())
    accuracy = student(model.train(), loader)
    if not model.calls:
        raise _mistake("no_forward")

    def mode() -> None:
        if not all(call.evaluating for call in model.calls):
            raise _mistake("eval_mode")

    def grad() -> None:
        if any(call.grad_enabled for call in model.calls):
            raise _mistake("no_grad")

    def changed() -> None:
        if any(not torch.equal(before[k], v) for k, v in model.state_dict().items()):
            raise _mistake("changed")

    def value() -> None:
        batches = spies.per_batch(model.calls, loader) or spies.per_batch_now(model.net, loader)
        _check_accuracy(accuracy, batches)

    return checks.collect(mode, grad, changed, value)


def _isolated(diagnose: Callable, student: Callable) -> list[checks.Mistake]:
    """Run a diagnosis without touching the notebook's random number generator."""
    with torch.random.fork_rng(devices=[]):
        return diagnose(student)


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
