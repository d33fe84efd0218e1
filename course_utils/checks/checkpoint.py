"""Checks for lesson 06's exercise: resuming training from a checkpoint.

A tiny run (40 samples, batches of 8, Adam) is trained for 2 of 4 epochs and saved
with :mod:`course_utils.checkpoint`. The student's ``resume_training`` gets fresh
objects (other weights, other data order). Asked for 2 epochs it must only restore:
the model predicts like the saved one and the optimizer holds the saved state. Asked
for 4, it must end bit for bit where an uninterrupted run ends.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import checkpoint, checks, train
from course_utils.checks.checkpoint_text import _

SAVED_EPOCH, NUM_EPOCHS = 2, 4


def _probe() -> torch.Tensor:
    """Fixed inputs on which saved and restored models must agree."""
    return torch.randn(16, 4, generator=torch.Generator().manual_seed(1))


def _run(seed: int) -> tuple[nn.Module, torch.optim.Optimizer, DataLoader]:
    """A fresh model, optimizer and shuffling loader, as after a restart."""
    data = torch.Generator().manual_seed(0)
    X, y = torch.randn(40, 4, generator=data), torch.randint(0, 3, (40,), generator=data)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    shuffle = torch.Generator().manual_seed(seed)
    return (
        model,
        optimizer,
        DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True, generator=shuffle),
    )


def _train(model, optimizer, loader, num_epochs: int) -> list[float]:
    criterion = nn.CrossEntropyLoss()
    return [train.train_epoch(model, loader, criterion, optimizer) for _ in range(num_epochs)]


def same_optimizer_state(a: dict, b: dict) -> bool:
    """Whether two optimizer state_dicts hold equal settings and equal tensors."""
    if a["param_groups"] != b["param_groups"] or a["state"].keys() != b["state"].keys():
        return False
    return all(
        torch.equal(torch.as_tensor(a["state"][k][n]), torch.as_tensor(b["state"][k][n]))
        for k in a["state"]
        for n in a["state"][k]
    )


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _count(losses: object, expected: int, saved: int) -> None:
    if not hasattr(losses, "__len__"):
        return  # not a list: named by _kind
    if len(losses) == expected + saved and saved:
        raise _mistake("from_zero", got=len(losses), expected=expected)
    if len(losses) != expected:
        raise _mistake("off_by_one", got=len(losses), expected=expected)


def _kind(*results: object) -> None:
    for result in results:
        if not isinstance(result, list):
            raise _mistake("not_list", kind=type(result).__name__)


def _diagnose(student: Callable, folder: Path) -> list[checks.Mistake]:
    model, optimizer, loader = _run(seed=0)
    _train(model, optimizer, loader, SAVED_EPOCH)
    path = checkpoint.save(
        folder / "run.pt", model, optimizer, epoch=SAVED_EPOCH, generator=loader.generator
    )
    with torch.no_grad():
        saved_predictions = model(_probe())
    fresh, fresh_optimizer, fresh_loader = _run(seed=1)
    restored = student(
        path, fresh, fresh_optimizer, nn.CrossEntropyLoss(), fresh_loader, SAVED_EPOCH, "cpu"
    )
    with torch.no_grad():
        same_model = torch.equal(fresh(_probe()), saved_predictions)
    same_optimizer = same_optimizer_state(fresh_optimizer.state_dict(), optimizer.state_dict())
    expected = _train(model, optimizer, loader, NUM_EPOCHS - SAVED_EPOCH)
    fresh, fresh_optimizer, fresh_loader = _run(seed=1)
    criterion = nn.CrossEntropyLoss()
    losses = student(path, fresh, fresh_optimizer, criterion, fresh_loader, NUM_EPOCHS, "cpu")

    trained_first = hasattr(restored, "__len__") and len(restored) > 0  # named by counts

    def restores_model() -> None:
        if not same_model and not trained_first:
            raise _mistake("model")

    def restores_optimizer() -> None:
        if not same_optimizer and not trained_first:
            raise _mistake("optimizer")

    def counts() -> None:
        _count(restored, 0, SAVED_EPOCH)
        _count(losses, NUM_EPOCHS - SAVED_EPOCH, SAVED_EPOCH)

    return checks.collect(
        counts,
        restores_model,
        restores_optimizer,
        lambda: _check_continues(path, fresh, model, losses, expected),
        lambda: _kind(restored, losses),
    )


def _check_continues(path: Path, fresh: nn.Module, model: nn.Module, losses, expected) -> None:
    """Resumed to the end, the run must match the uninterrupted one bit for bit."""
    pairs = zip(fresh.state_dict().values(), model.state_dict().values(), strict=True)
    if all(torch.equal(a, b) for a, b in pairs):
        if not hasattr(losses, "__len__"):
            return  # named by _kind
        got = list(losses)
        if len(got) != len(expected) or any(
            abs(a - b) > 1e-6 for a, b in zip(got, expected, strict=True)
        ):
            raise _mistake("losses")
        return
    other, other_optimizer, other_loader = _run(seed=1)
    checkpoint.load(path, other, other_optimizer)
    _train(other, other_optimizer, other_loader, NUM_EPOCHS - SAVED_EPOCH)
    pairs = zip(fresh.state_dict().values(), other.state_dict().values(), strict=True)
    raise _mistake("generator" if all(torch.equal(a, b) for a, b in pairs) else "different")


def resume_training(student: Callable) -> checks.Result:
    """Check ``resume_training(path, model, optimizer, criterion, loader, num_epochs, device)``."""

    def diagnose() -> list[checks.Mistake]:
        with torch.random.fork_rng(devices=[]), tempfile.TemporaryDirectory() as folder:
            return _diagnose(student, Path(folder))

    return checks.run("resume_training", diagnose, student=student)
