"""Checks for lesson 02's exercises: ``evaluate`` and the epoch body of ``fit``.

Both run on tiny fixed classification problems (10 or 24 samples, uneven last
batch) with a model that records, for every forward pass, its inputs and outputs,
the mode of every module and whether autograd was on.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from types import CodeType, FunctionType, ModuleType

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import checks
from course_utils.checks import spies
from course_utils.checks.evaluation_text import _


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _problem(n: int, seed: int) -> tuple[spies.SpyModel, TensorDataset]:
    g = torch.Generator().manual_seed(seed)
    X, y = torch.randn(n, 4, generator=g), torch.randint(0, 3, (n,), generator=g)
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    return spies.SpyModel(net), TensorDataset(X, y)


def _state(model: nn.Module) -> list[torch.Tensor]:
    return [t.detach().clone() for t in model.state_dict().values()]


def _truth(model: spies.SpyModel, dataset: TensorDataset) -> tuple[float, float]:
    X, y = dataset.tensors
    with torch.no_grad():
        logits = model.net(X)
    accuracy = (logits.argmax(1) == y).float().mean().item()
    return nn.functional.cross_entropy(logits, y).item(), accuracy


def _check_loss(got: float, batches: list[tuple]) -> None:
    losses, sizes, _right = zip(*batches, strict=True)
    loss = sum(v * n for v, n in zip(losses, sizes, strict=True)) / sum(sizes)
    if abs(got - sum(losses) / len(losses)) < 1e-5 and abs(got - loss) > 1e-5:
        raise _mistake("per_batch")
    if abs(got - loss) > 1e-5:
        raise _mistake("loss", got=got, expected=loss)


def _check_accuracy(got: float, batches: list[tuple]) -> None:
    _losses, sizes, right = zip(*batches, strict=True)
    acc = sum(right) / sum(sizes)
    if abs(got - 100 * acc) < 1e-4:
        raise _mistake("percent", got=got)
    if abs(got - acc) > 1e-6:
        raise _mistake("accuracy", got=got, expected=acc)


def _diagnose_evaluate(student: Callable) -> list[checks.Mistake]:
    model, dataset = _problem(10, seed=1)
    loader = DataLoader(dataset, batch_size=4)
    before = _state(model)
    got = student(model.train(), loader, nn.CrossEntropyLoss(), device="cpu")
    pair = isinstance(got, tuple | list) and len(got) == 2
    if not pair or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in got):
        raise _mistake("not_pair", got=repr(got)[:60])
    if not model.calls:
        raise _mistake("no_forward")
    batches = spies.per_batch(model.calls, loader) or spies.per_batch_now(model.net, loader)

    def mode() -> None:
        if not all(call.evaluating for call in model.calls):
            raise _mistake("eval_mode")

    def changed() -> None:
        if not spies.same(before, _state(model)):
            raise _mistake("changed")

    def grad() -> None:
        if any(c.grad_enabled for c in model.calls) or any(
            p.grad is not None for p in model.parameters()
        ):
            raise _mistake("no_grad")

    return checks.collect(
        mode,
        changed,
        grad,
        lambda: _check_loss(float(got[0]), batches),
        lambda: _check_accuracy(float(got[1]), batches),
    )


def evaluate(student: Callable) -> checks.Result:
    """Check a function returning the mean loss per sample and the accuracy (0 to 1)."""
    return checks.run("evaluate", lambda: _diagnose_evaluate(student), student=student)


class _Counted:
    """A loader that counts how many times it is gone through (anything else: the loader's)."""

    def __init__(self, loader: DataLoader) -> None:
        self.loader, self.passes = loader, 0

    def __iter__(self):
        self.passes += 1
        return iter(self.loader)

    def __len__(self) -> int:
        return len(self.loader)

    def __getattr__(self, name: str):
        if name == "loader":  # not set yet (a copy being made)
            raise AttributeError(name)
        return getattr(self.loader, name)


def _names(code: CodeType) -> set[str]:
    nested = [c for c in code.co_consts if isinstance(c, CodeType)]
    return set(code.co_names).union(*(_names(c) for c in nested))


def _check_no_test_data(student: Callable) -> None:
    """``fit`` must not reach for the notebook's test data (a global named like it)."""
    code, namespace = getattr(student, "__code__", None), getattr(student, "__globals__", {})
    code_like = (FunctionType, ModuleType, type)
    used = sorted(
        n
        for n in (_names(code) if code else ())
        if re.search(r"(^|_)test(_|$)", n.lower())
        and n in namespace
        and not isinstance(namespace[n], code_like)
    )
    if used:
        raise _mistake("uses_test", name=used[0])


def _check_kept(model: spies.SpyModel, val_set: TensorDataset, history: dict) -> None:
    final = _truth(model, val_set)[0]
    val_losses = history.get("val_loss") or [float("nan")]
    if abs(final - min(val_losses)) < 1e-5:
        return
    if abs(final - val_losses[-1]) < 1e-5:
        raise _mistake("kept_last")
    raise _mistake("not_best")


def _diagnose_fit(student: Callable, epochs: int = 3) -> list[checks.Mistake]:
    _check_no_test_data(student)  # before running it: test data may not even exist here
    model, train_set = _problem(24, seed=2)
    X, y = train_set.tensors
    val_set = TensorDataset(X, (y + 1) % 3)  # training on train_set makes it worse
    train_loader = _Counted(DataLoader(train_set, batch_size=8))
    val_loader = _Counted(DataLoader(val_set, batch_size=5))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    args = (train_loader, val_loader, nn.CrossEntropyLoss(), optimizer, epochs)
    history = student(model, *args, device="cpu", progress=False, keep_best=True)
    if not isinstance(history, dict):
        raise _mistake("not_dict", kind=type(history).__name__)

    def lengths() -> None:
        for key in ("train_loss", "val_loss", "val_acc"):
            if (got := len(history.get(key, []))) != epochs:
                raise _mistake("history", name=key, epochs=epochs, got=got)

    def passes() -> None:
        for which, loader in (("train_loader", train_loader), ("val_loader", val_loader)):
            if loader.passes != epochs:
                raise _mistake("passes", which=which, epochs=epochs, got=loader.passes)

    return checks.collect(
        passes,
        lengths,
        lambda: _check_kept(model, val_set, history),
    )


def fit(student: Callable) -> checks.Result:
    """Check ``fit``: one training and one validation pass per epoch, best weights kept."""
    return checks.run("fit", lambda: _diagnose_fit(student), student=student)
