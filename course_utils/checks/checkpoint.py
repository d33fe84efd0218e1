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


def _same_state(a: dict, b: dict) -> bool:
    """Whether two optimizer state_dicts hold equal settings and equal tensors."""
    if a["param_groups"] != b["param_groups"] or a["state"].keys() != b["state"].keys():
        return False
    return all(
        torch.equal(torch.as_tensor(a["state"][k][n]), torch.as_tensor(b["state"][k][n]))
        for k in a["state"]
        for n in a["state"][k]
    )


def _count(losses: object, expected: int, saved: int) -> None:
    if not isinstance(losses, list):
        raise checks.Mistake(_("not_list", kind=type(losses).__name__))
    if len(losses) == expected + saved and saved:
        raise checks.Mistake(_("from_zero", got=len(losses), expected=expected))
    if len(losses) != expected:
        raise checks.Mistake(_("off_by_one", got=len(losses), expected=expected))


def _diagnose(student: Callable, folder: Path) -> None:
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
    _count(restored, 0, SAVED_EPOCH)
    with torch.no_grad():
        if not torch.equal(fresh(_probe()), saved_predictions):
            raise checks.Mistake(_("model"))
    if not _same_state(fresh_optimizer.state_dict(), optimizer.state_dict()):
        raise checks.Mistake(_("optimizer"))
    _check_continues(student, path, model, optimizer, loader)


def _check_continues(student: Callable, path: Path, model, optimizer, loader) -> None:
    """Resumed to the end, the run must match the uninterrupted one bit for bit."""
    expected = _train(model, optimizer, loader, NUM_EPOCHS - SAVED_EPOCH)
    fresh, fresh_optimizer, fresh_loader = _run(seed=1)
    criterion = nn.CrossEntropyLoss()
    losses = student(path, fresh, fresh_optimizer, criterion, fresh_loader, NUM_EPOCHS, "cpu")
    _count(losses, NUM_EPOCHS - SAVED_EPOCH, SAVED_EPOCH)
    pairs = zip(fresh.state_dict().values(), model.state_dict().values(), strict=True)
    if all(torch.equal(a, b) for a, b in pairs):
        if not all(abs(a - b) < 1e-6 for a, b in zip(losses, expected, strict=True)):
            raise checks.Mistake(_("losses"))
        return
    other, other_optimizer, other_loader = _run(seed=1)
    checkpoint.load(path, other, other_optimizer)
    _train(other, other_optimizer, other_loader, NUM_EPOCHS - SAVED_EPOCH)
    pairs = zip(fresh.state_dict().values(), other.state_dict().values(), strict=True)
    raise checks.Mistake(
        _("generator" if all(torch.equal(a, b) for a, b in pairs) else "different")
    )


def resume_training(student: Callable) -> checks.Result:
    """Check ``resume_training(path, model, optimizer, criterion, loader, num_epochs, device)``."""

    def diagnose() -> None:
        with torch.random.fork_rng(devices=[]), tempfile.TemporaryDirectory() as folder:
            _diagnose(student, Path(folder))

    return checks.run("resume_training", diagnose, student=student)
