"""Judges of lesson 02's exercises: ``evaluate`` and the epoch body of ``fit``.

The probes (:mod:`course_utils.probes.evaluation`) run them on tiny problems
drawn from the seed: ``evaluate`` on a spied mlp whose every forward pass is
recorded, ``fit`` on a model whose weights follow a known path, so that the
epoch with the lowest validation loss is neither the most accurate nor the last.
Both get a label-smoothed criterion: a loss that ignores it shows.

Longer than 200 lines because the two judges share the reference run and the
reading of recorded passes.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from course_utils import checks
from course_utils.checks import spies
from course_utils.checks.evaluation_text import _
from course_utils.probes import evaluation as probe
from course_utils.probes.evaluation_path import EPOCHS, STEPS, fit_problem
from course_utils.probes.spies import batch_of

FORBIDDEN = ("course_utils.train",)  # the course's own evaluate and fit


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _close(got: float | None, expected: float, tolerance: float = 1e-5) -> bool:
    return got is not None and abs(got - expected) < tolerance


def _outputs(net: nn.Module, batches: list, data: dict) -> list[torch.Tensor]:
    """The model's output on each batch: from its first recorded pass on it, or (if it
    skipped one) from its recorded final weights run now."""
    found = {}
    for call in data["calls"]:
        index, out = batch_of(call["x"], batches), call["out"]
        if index is not None and index not in found and out.shape == (len(batches[index][1]), 3):
            found[index] = out.float()
    if len(found) < len(batches):
        state, keys = data["state"], list(net.state_dict())
        if [t.shape for t in state] == [t.shape for t in net.state_dict().values()]:
            net.load_state_dict(dict(zip(keys, state, strict=True)))
        with torch.no_grad():
            found = dict(enumerate(net(X) for X, _y in batches))
    return [found[i] for i in range(len(batches))]


def _check_loss(got: float | None, stats: list[tuple], called: bool) -> None:
    smooth, plain, sizes, _right = zip(*stats, strict=True)

    def per_sample(losses: tuple) -> float:
        return sum(v * n for v, n in zip(losses, sizes, strict=True)) / sum(sizes)

    loss = per_sample(smooth)
    if not called:
        raise _mistake("ignores_criterion")
    if _close(got, loss):
        return
    if _close(got, per_sample(plain)) or _close(got, sum(plain) / len(plain)):
        raise _mistake("ignores_criterion")
    if _close(got, sum(smooth) / len(smooth)):
        raise _mistake("per_batch")
    raise _mistake("loss", got=math.nan if got is None else got, expected=loss)


def _check_accuracy(got: float | None, stats: list[tuple]) -> None:
    _smooth, _plain, sizes, right = zip(*stats, strict=True)
    accuracy = sum(right) / sum(sizes)
    if _close(got, 100 * accuracy, 1e-4):
        raise _mistake("percent", got=got)
    if not _close(got, accuracy, 1e-6):
        raise _mistake("accuracy", got=math.nan if got is None else got, expected=accuracy)


def _judge_evaluate(seed: int, data: dict) -> list[checks.Mistake]:
    model, loader, criterion = probe.evaluate_problem(seed)
    returned = data["returned"]
    if not returned["pair"]:
        raise _mistake("not_pair", got=str(returned["repr"]))
    got_loss, got_accuracy = returned["values"]
    calls = data["calls"]
    if not calls:
        raise _mistake("no_forward")
    batches, before = list(loader), [t.clone() for t in model.net.state_dict().values()]
    stats = [
        (
            nn.functional.cross_entropy(out, y, label_smoothing=criterion.label_smoothing).item(),
            nn.functional.cross_entropy(out, y).item(),
            len(y),
            (out.argmax(dim=1) == y).sum().item(),
        )
        for out, (_X, y) in zip(_outputs(model.net, batches, data), batches, strict=True)
    ]

    def mode() -> None:
        if not all(call["evaluating"] for call in calls):
            raise _mistake("eval_mode")

    def changed() -> None:
        if not spies.same(before, data["state"]):
            raise _mistake("changed")

    def grad() -> None:
        if data["grads"] or any(call["grad_enabled"] for call in calls):
            raise _mistake("no_grad")

    called = data["criterion_calls"] > 0
    return checks.collect(
        mode,
        changed,
        grad,
        lambda: _check_loss(got_loss, stats, called),
        lambda: _check_accuracy(got_accuracy, stats),
    )


evaluate = checks.Exercise("evaluate", probe.evaluate, _judge_evaluate, _, forbidden=FORBIDDEN)


def _reference(seed: int, criterion: nn.Module | None = None) -> dict[str, list[float]]:
    """The history of the course's own loop on problem ``seed`` (its criterion, or another)."""
    model, train_loader, val_loader, given, optimizer = fit_problem(seed).build()
    criterion = criterion or given
    history = {key: [] for key in probe.KEYS}
    for _epoch in range(EPOCHS):
        model.train()
        trained = []
        for X, y in train_loader:
            loss = criterion(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            trained.append((loss.item(), len(y)))
        model.eval()
        with torch.no_grad():
            seen = [(criterion(out := model(X), y).item(), len(y), out, y) for X, y in val_loader]
        n = sum(size for _loss, size, _out, _y in seen)
        sizes = sum(size for _loss, size in trained)
        history["train_loss"].append(sum(loss * size for loss, size in trained) / sizes)
        history["val_loss"].append(sum(loss * size for loss, size, _o, _y in seen) / n)
        history["val_acc"].append(sum((o.argmax(1) == y).sum().item() for _l, _s, o, y in seen) / n)
    return history


def _check_kept(seed: int, data: dict, history: dict) -> None:
    path, final = fit_problem(seed), data["state"]
    by_loss = history["val_loss"].index(min(history["val_loss"]))
    by_accuracy = history["val_acc"].index(max(history["val_acc"]))

    def kept(epoch: int) -> bool:  # 0 is the first epoch
        return spies.same(final, [path.weights((epoch + 1) * STEPS)])

    if kept(by_loss):
        return
    if kept(by_accuracy):
        raise _mistake("best_by_accuracy")
    if kept(EPOCHS - 1):
        raise _mistake("best_loss_not_updated" if data["best_loss_inf"] else "kept_last")
    raise _mistake("not_best")


def _check_values(seed: int, got: dict, right: dict) -> None:
    def matches(values: list, expected: list) -> bool:
        return len(values) == EPOCHS and all(map(_close, values, expected))

    for key in probe.KEYS:
        values = got[key]["values"]
        if got[key]["length"] != EPOCHS or matches(values, right[key]):
            continue
        if matches(values, _reference(seed, nn.CrossEntropyLoss())[key]):
            raise _mistake("ignores_criterion")
        wrong = [i >= len(values) or not _close(values[i], right[key][i]) for i in range(EPOCHS)]
        epoch = wrong.index(True)
        shown = "?" if epoch >= len(values) or values[epoch] is None else f"{values[epoch]:.4f}"
        raise _mistake("history_values", name=key, epoch=epoch + 1, got=shown,
                       expected=right[key][epoch])  # fmt: skip


def _judge_fit(seed: int, data: dict) -> list[checks.Mistake]:
    got = data["history"]
    if got is None:
        raise _mistake("not_dict", kind=str(data["kind"]))
    right = _reference(seed)

    def passes() -> None:
        for which, count in zip(("train_loader", "val_loader"), data["passes"], strict=True):
            if count != EPOCHS:
                raise _mistake("passes", which=which, epochs=EPOCHS, got=count)

    def lengths() -> None:
        for key in probe.KEYS:
            if (length := got[key]["length"]) != EPOCHS:
                raise _mistake("history", name=key, epochs=EPOCHS, got=length)

    return checks.collect(
        passes,
        lengths,
        lambda: _check_kept(seed, data, right),
        lambda: _check_values(seed, got, right),
    )


fit = checks.Exercise("fit", probe.fit, _judge_fit, _, forbidden=FORBIDDEN)
