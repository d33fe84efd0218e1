"""Judge of lesson 01's exercise: one epoch of the training loop.

The probe (:mod:`course_utils.probes.training`) runs the student's ``train_epoch``
on a tiny classification problem drawn from the seed (two full batches and a
smaller one) with a model, a loss and an optimizer that record what happens. The
judge compares the weights at the end with those of a correct loop and of the
usual mistakes (and, for others, whether five epochs bring the loss down and the
first one moved against a correct loop's move), and reads in the record whether it
trained with autograd on, with the given loss, in training mode, on data moved to
the device, and what it returned.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from course_utils import checks
from course_utils.checks import spies
from course_utils.checks.training_record import read
from course_utils.checks.training_text import _
from course_utils.probes import training as probe


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _ignores_criterion(data: dict) -> bool:
    """No loss a backward pass went through came from the given ``criterion``."""
    return not data["losses"] or (data["backward"] > 0 and not data["through"])


def _check_steps(data: dict) -> None:
    if not data["backward"]:
        autograd = any(call["grad_enabled"] for call in data["calls"])
        raise _mistake("no_backward" if autograd else "no_grad")
    if not data["steps"]:
        raise _mistake("no_step")
    if not any(data["steps"]):
        raise _mistake("cleared" if data["nonzero"] else "zero_gradients")


def _full_loss(net: nn.Module, got: list[torch.Tensor], dataset) -> float:
    """The loss on all the data of ``net`` with the weights ``got`` (nan if they do not fit)."""
    names = [name for name, _p in net.named_parameters()]
    if len(got) != len(names) or any(
        w.shape != p.shape for w, p in zip(got, net.parameters(), strict=True)
    ):
        return math.nan
    X, y = dataset.tensors
    with torch.no_grad():
        out = torch.func.functional_call(net, dict(zip(names, got, strict=True)), (X,))
        return nn.functional.cross_entropy(out, y).item()


def _uphill(got: list[torch.Tensor], start: list[torch.Tensor], task: probe.Problem) -> bool:
    """Whether the first epoch moved the weights against a correct loop's move."""
    if any(g.shape != s.shape for g, s in zip(got, start, strict=True)):
        return False
    right = spies.reference(task.net, task.loader(), task.lr)
    moved = torch.cat([(g - s).flatten() for g, s in zip(got, start, strict=True)])
    wanted = torch.cat([(r - s).flatten() for r, s in zip(right, start, strict=True)])
    return bool(moved @ wanted < 0)


def _check_weights(task: probe.Problem, data: dict) -> None:
    _check_steps(data)
    diagnosis = spies.step_mistake(data["weights"], task.net, task.loader(), task.lr)
    if diagnosis is None:
        return
    if diagnosis:
        raise _mistake(diagnosis)
    if _ignores_criterion(data):
        return  # its own mistake says why: it trained with another loss
    start = spies.weights(task.net)
    before, after = (
        _full_loss(task.net, start, task.data),
        _full_loss(task.net, data["longer"], task.data),
    )
    if not after < before and _uphill(data["weights"], start, task):
        raise _mistake("not_down", before=before, after=after)
    raise _mistake("not_one_update")


def _check_criterion(data: dict) -> None:
    if _ignores_criterion(data):
        raise _mistake("ignores_criterion")


def _check_mode(data: dict) -> None:
    if not all(call["training"] for call in spies.trained(data["calls"])):
        raise _mistake("train_mode")


def _losses(task: probe.Problem, data: dict) -> list[tuple[float, int]]:
    """(mean loss, size) of each batch trained on: as the given loss computed them, or
    (when the code used another) the cross-entropy of the outputs that were trained."""
    logged = [(math.nan if loss is None else loss, n) for loss, n, graph in data["losses"] if graph]
    if logged:
        return logged
    batches, found = list(task.loader()), {}
    for call in spies.trained(data["calls"]):
        index = spies.batch_of(call["x"], batches)
        if index is not None and index not in found:
            y = batches[index][1]
            found[index] = (nn.functional.cross_entropy(call["out"], y).item(), len(y))
    return [found[i] for i in sorted(found)]


def _check_result(got: dict, log: list[tuple[float, int]]) -> None:
    if not got["number"]:
        raise _mistake("not_number", kind=got["kind"])
    if not log:
        raise checks.could_not_run(_("no_losses"))
    value = math.nan if got["value"] is None else got["value"]
    losses = [loss for loss, _n in log]
    total, n = sum(loss * size for loss, size in log), sum(size for _loss, size in log)
    if abs(value - total / n) < 1e-5:
        return
    for key, expected in [
        ("last_batch", losses[-1]),
        ("per_batch", sum(losses) / len(losses)),
        ("sum", total),
        ("sum", sum(losses)),
    ]:
        if abs(value - expected) < 1e-5:
            raise _mistake(key)
    raise _mistake("wrong_value", got=value, expected=total / n)


def _check_device(data: dict) -> None:
    if data["unmoved"]:
        raise _mistake("no_device")


def _judge(seed: int, record: object) -> list[checks.Mistake]:
    task = probe.problem(seed)
    data = read(record, len(spies.weights(task.net)))
    if not data["calls"]:
        raise _mistake("no_forward")
    return checks.collect(
        lambda: _check_weights(task, data),
        lambda: _check_criterion(data),
        lambda: _check_mode(data),
        lambda: _check_result(data["result"], _losses(task, data)),
        lambda: _check_device(data),
    )


# A function that trains a model for one epoch and returns its mean loss; the course's own
# loop, course_utils.train.train_epoch, cannot be imported where the grader's probe runs.
train_epoch = checks.Exercise(
    "train_epoch", probe.train_epoch, _judge, _, forbidden=("course_utils.train",)
)
