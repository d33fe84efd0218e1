"""Judges of lesson 05's exercises: the epoch loop and the evaluation here, the data
exercises (the Dataset, the standardization) in :mod:`course_utils.checks.penguins_data`.

The probe (:mod:`course_utils.probes.penguins`) runs the student's function on three
batches drawn from the seed, the last one smaller, on a linear classifier that gets one full
batch right, none of the other and part of the last. The statistics are judged against the
outputs and losses the student's own code produced, so a mistake in the loop and one in the
bookkeeping are each named; so are a loss not from ``criterion`` and batches not on ``device``.
"""

from __future__ import annotations

import math

import torch

from course_utils import checks
from course_utils.checks import penguins_data, spies
from course_utils.checks.penguins_text import _
from course_utils.probes import penguins as probe

# The course's own loops (train.train_epoch, train.evaluate, experiments.accuracy).
FORBIDDEN = ("course_utils.train", "course_utils.experiments")
_FLAGS = ("training", "evaluating", "grad_enabled", "backward", "unmoved")


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _real(value: object) -> float:
    """A number of the record (None: one that was not finite)."""
    if value is None:
        return math.nan
    if type(value) not in (int, float):
        raise ValueError("a number was expected")
    return float(value)


def _calls(calls: object) -> list[dict]:
    ok = isinstance(calls, list) and all(
        isinstance(c, dict)
        and all(isinstance(c.get(k), torch.Tensor) for k in ("x", "out"))
        and all(type(c.get(k)) is bool for k in _FLAGS)
        for c in calls
    )
    if not ok:
        raise ValueError("not the forward passes of a spy model")
    return calls


def _tensors(values: object) -> list[torch.Tensor]:
    if not isinstance(values, list) or not all(isinstance(t, torch.Tensor) for t in values):
        raise ValueError("a list of tensors was expected")
    return values


def _number(got: dict, what: str) -> float:
    if type(got["tensor"]) is not bool or type(got["number"]) is not bool:
        raise ValueError("not a recorded value")
    if got["tensor"]:
        raise _mistake(f"{what}_tensor")
    if not got["number"]:
        if not isinstance(got["kind"], str):
            raise ValueError("a type name was expected")
        raise _mistake(f"{what}_not_number", kind=got["kind"])
    return _real(got["value"])


def _match(got: float, expected: float, mistakes: list[tuple[str, float]], wrong: str) -> None:
    """Pass if ``got`` is ``expected``; else name the first mistake that gives ``got``."""
    if abs(got - expected) < 1e-5:
        return
    for key, value in mistakes:
        if abs(got - value) < 1e-5:
            raise _mistake(key)
    raise _mistake(wrong, got=got, expected=expected)


def _check_accuracy(got: dict, batches: list[tuple], batch_size: int) -> None:
    value = _number(got, "accuracy")
    _losses, sizes, right = zip(*batches, strict=True)
    n, hits = sum(sizes), sum(right)
    mistakes = [
        ("percent", 100 * hits / n),
        ("per_batch_acc", sum(r / s for r, s in zip(right, sizes, strict=True)) / len(sizes)),
        ("last_batch", right[-1] / sizes[-1]),
        ("by_batches", hits / len(sizes)),
        ("full_batches", hits / (batch_size * len(sizes))),
        ("count", hits),
    ]
    _match(value, hits / n, mistakes, "wrong_accuracy")


def _check_loss(got: dict, losses: list[float], sizes: list[int]) -> None:
    value = _number(got, "loss")
    total = sum(loss * size for loss, size in zip(losses, sizes, strict=True))
    mistakes = [
        ("per_batch_loss", sum(losses) / len(losses)),
        ("last_batch", losses[-1]),
        ("sum", total),
        ("not_weighted", sum(losses) / sum(sizes)),
    ]
    _match(value, total / sum(sizes), mistakes, "wrong_loss")


def _losses(log: object) -> list[dict]:
    ok = isinstance(log, list) and all(
        isinstance(e, dict)
        and type(e.get("size")) is int
        and all(type(e.get(k)) is bool for k in ("graph", "backward", "unmoved"))
        for e in log
    )
    if not ok:
        raise ValueError("not the calls of a spy loss")
    return [{**e, "loss": _real(e["loss"])} for e in log]


def _judge_epoch(seed: int, data: dict) -> list[checks.Mistake]:
    p = probe.problem(seed)
    loader, calls, log = p.loader(), _calls(data["calls"]), _losses(data["losses"])
    weights, result, device = _tensors(data["weights"]), data["result"], data["device"]
    if not isinstance(result, list) or len(result) != 2 or type(device) is not bool:
        raise ValueError("not a pair of recorded values")
    trained = spies.trained(calls)
    batches = spies.per_batch(trained, loader)
    if batches is None:
        raise _mistake("not_every_batch")
    stepped = [e for e in log if e["backward"]]
    logged = [(e["loss"], e["size"]) for e in log if e["graph"]] or [b[:2] for b in batches]

    def steps() -> None:
        if spies.same(weights, [t.detach().clone() for t in p.net.parameters()]):
            raise _mistake("no_update")
        diagnosis = spies.step_mistake(weights, p.net, loader, p.lr)
        if diagnosis is not None:
            raise _mistake(diagnosis or "steps")

    def criterion() -> None:
        if any(c["backward"] for c in calls) and not stepped:
            raise _mistake("ignores_criterion")

    def moved() -> None:
        if device and any(e["unmoved"] for e in [*trained, *stepped]):
            raise _mistake("device")

    def mode() -> None:
        if not all(call["training"] for call in trained):
            raise _mistake("train_mode")

    return checks.collect(
        steps,
        criterion,
        moved,
        mode,
        lambda: _check_loss(result[0], *map(list, zip(*logged, strict=True))),
        lambda: _check_accuracy(result[1], batches, p.batch_size),
    )


def _judge_evaluate(seed: int, data: dict) -> list[checks.Mistake]:
    p = probe.problem(seed)
    loader, calls, state = p.loader(), _calls(data["calls"]), _tensors(data["state"])
    if type(data["device"]) is not bool:
        raise ValueError("not a flag")
    if not calls:
        raise _mistake("no_forward")
    before = list(p.net.state_dict().values())

    def mode() -> None:
        if not all(call["evaluating"] for call in calls):
            raise _mistake("eval_mode")

    def grad() -> None:
        if any(call["grad_enabled"] for call in calls):
            raise _mistake("no_grad")

    def changed() -> None:
        kept = len(state) == len(before) and all(
            a.shape == b.shape and torch.equal(a, b) for a, b in zip(state, before, strict=True)
        )
        if not kept:
            raise _mistake("changed")

    def moved() -> None:
        if data["device"] and any(call["unmoved"] for call in calls):
            raise _mistake("device")

    def value() -> None:
        batches = spies.per_batch(calls, loader) or spies.per_batch_now(p.net, loader)
        _check_accuracy(data["accuracy"], batches, p.batch_size)

    return checks.collect(mode, grad, changed, moved, value)


train_epoch = checks.Exercise(
    "train_epoch", probe.train_epoch, _judge_epoch, _, forbidden=FORBIDDEN
)
evaluate = checks.Exercise("evaluate", probe.evaluate, _judge_evaluate, _, forbidden=FORBIDDEN)
dataset, standardize = penguins_data.dataset, penguins_data.standardize
