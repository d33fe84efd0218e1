"""Checks for lesson 02's exercises: ``evaluate`` and the epoch body of ``fit``.

Both run on tiny fixed classification problems (10 or 24 samples, uneven last
batch) with a model that records its mode and whether autograd was on.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from types import CodeType

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import checks
from course_utils.checks.evaluation_text import _


class _SpyModel(nn.Module):
    """A small classifier that records its mode and whether autograd was on."""

    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
        self.modes: list[tuple[bool, bool]] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.modes.append((self.training, torch.is_grad_enabled()))
        return self.net(x)


def _problem(n: int, seed: int) -> tuple[_SpyModel, TensorDataset]:
    g = torch.Generator().manual_seed(seed)
    X, y = torch.randn(n, 4, generator=g), torch.randint(0, 3, (n,), generator=g)
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = _SpyModel()
    return model, TensorDataset(X, y)


def _state(model: nn.Module) -> list[torch.Tensor]:
    return [t.detach().clone() for t in model.state_dict().values()]


def _same(a: list[torch.Tensor], b: list[torch.Tensor]) -> bool:
    return all(torch.allclose(x, y, atol=1e-6) for x, y in zip(a, b, strict=True))


def _truth(model: _SpyModel, dataset: TensorDataset) -> tuple[float, float]:
    X, y = dataset.tensors
    with torch.no_grad():
        logits = model.net(X)
    accuracy = (logits.argmax(1) == y).float().mean().item()
    return nn.functional.cross_entropy(logits, y).item(), accuracy


def _check_numbers(got: object, loss: float, acc: float, batch_mean: float) -> None:
    pair = isinstance(got, tuple | list) and len(got) == 2
    if not pair or not all(isinstance(v, numbers.Real) for v in got):
        raise checks.Mistake(_("not_pair", got=repr(got)[:60]))
    got_loss, got_acc = got
    if abs(got_loss - batch_mean) < 1e-5 and abs(got_loss - loss) > 1e-5:
        raise checks.Mistake(_("per_batch"))
    if abs(got_loss - loss) > 1e-5:
        raise checks.Mistake(_("loss", got=got_loss, expected=loss))
    if abs(got_acc - 100 * acc) < 1e-4:
        raise checks.Mistake(_("percent", got=got_acc))
    if abs(got_acc - acc) > 1e-6:
        raise checks.Mistake(_("accuracy", got=got_acc, expected=acc))


def _diagnose_evaluate(student: Callable) -> None:
    model, dataset = _problem(10, seed=1)
    loader = DataLoader(dataset, batch_size=4)
    before = _state(model)
    model.train()
    got = student(model, loader, nn.CrossEntropyLoss(), device="cpu")
    if any(training for training, _grad in model.modes):
        raise checks.Mistake(_("no_eval"))
    if not _same(before, _state(model)):
        raise checks.Mistake(_("changed"))
    if any(grad for _training, grad in model.modes) or any(
        p.grad is not None for p in model.parameters()
    ):
        raise checks.Mistake(_("grad"))
    with torch.no_grad():
        batch_means = [nn.functional.cross_entropy(model.net(X), y).item() for X, y in loader]
    loss, acc = _truth(model, dataset)
    _check_numbers(got, loss, acc, sum(batch_means) / len(batch_means))


def evaluate(student: Callable) -> checks.Result:
    """Check a function returning the mean loss per sample and the accuracy (0 to 1)."""
    return checks.run("evaluate", lambda: _diagnose_evaluate(student), student=student)


class _Counted:
    """A loader that counts how many times it is gone through."""

    def __init__(self, loader: DataLoader) -> None:
        self.loader, self.dataset, self.passes = loader, loader.dataset, 0

    def __iter__(self):
        self.passes += 1
        return iter(self.loader)

    def __len__(self) -> int:
        return len(self.loader)


def _names(code: CodeType) -> set[str]:
    nested = [c for c in code.co_consts if isinstance(c, CodeType)]
    return set(code.co_names).union(*(_names(c) for c in nested))


def _check_no_test_data(student: Callable) -> None:
    code, namespace = getattr(student, "__code__", None), getattr(student, "__globals__", {})
    used = sorted(n for n in (_names(code) if code else ()) if "test" in n.lower())
    used = [n for n in used if n in namespace]
    if used:
        raise checks.Mistake(_("uses_test", name=used[0]))


def _check_kept(model: _SpyModel, val_set: TensorDataset, history: dict) -> None:
    final = _truth(model, val_set)[0]
    val_losses = history["val_loss"]
    if abs(final - min(val_losses)) < 1e-5:
        return
    if abs(final - val_losses[-1]) < 1e-5:
        raise checks.Mistake(_("kept_last"))
    raise checks.Mistake(_("not_best"))


def _diagnose_fit(student: Callable, epochs: int = 3) -> None:
    _check_no_test_data(student)
    model, train_set = _problem(24, seed=2)
    X, y = train_set.tensors
    val_set = TensorDataset(X, (y + 1) % 3)  # training on train_set makes it worse
    train_loader = _Counted(DataLoader(train_set, batch_size=8))
    val_loader = _Counted(DataLoader(val_set, batch_size=5))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    args = (train_loader, val_loader, nn.CrossEntropyLoss(), optimizer, epochs)
    history = student(model, *args, device="cpu", progress=False, keep_best=True)
    for key in ("train_loss", "val_loss", "val_acc"):
        got = len(history.get(key, [])) if isinstance(history, dict) else 0
        if got != epochs:
            raise checks.Mistake(_("history", name=key, epochs=epochs, got=got))
    for which, loader in (("train_loader", train_loader), ("val_loader", val_loader)):
        if loader.passes != epochs:
            raise checks.Mistake(_("passes", which=which, epochs=epochs, got=loader.passes))
    _check_kept(model, val_set, history)


def fit(student: Callable) -> checks.Result:
    """Check ``fit``: one training and one validation pass per epoch, best weights kept."""
    return checks.run("fit", lambda: _diagnose_fit(student), student=student)
