"""Judge of lesson 06's exercise: resuming training from a checkpoint.

The probe (:mod:`course_utils.probes.checkpoint`) cuts a tiny run drawn from the seed
(Adam, a shuffling loader) after a few epochs, saves it with the student's own
``save_checkpoint`` and hands the student's ``resume_training`` fresh objects (other
weights, other data order). Asked for the epochs done it must only restore: the
model holds the saved weights and the optimizer the saved state. Asked for them all,
it must end bit for bit where the uninterrupted run ends, with its very losses.
"""

from __future__ import annotations

from torch import nn

from course_utils import checks, train
from course_utils.checks.checkpoint_dict import as_recorded, same
from course_utils.checks.checkpoint_text import _
from course_utils.probes import checkpoint as probe


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _train(run: probe.Run, num_epochs: int) -> list[float]:
    model, optimizer, loader = run
    criterion = nn.CrossEntropyLoss()
    return [train.train_epoch(model, loader, criterion, optimizer) for _ in range(num_epochs)]


def _count(returned: dict, expected: int, saved: int) -> checks.Mistake | None:
    length = returned["length"]
    if length is None:
        return None  # no length: named by its type
    if length == expected + saved:
        return _mistake("from_zero", got=length, expected=expected)
    if length != expected:
        return _mistake("off_by_one", got=length, expected=expected)
    return None


def _continues(seed: int, resumed: dict) -> checks.Mistake | None:
    """Resumed to the end, the run must match the uninterrupted one bit for bit."""
    p, run = probe.problem(seed), probe.interrupted(seed)
    expected = _train(run, p.total - p.saved)
    if same(resumed["model"], as_recorded(run[0].state_dict())):
        returned = resumed["returned"]
        if returned["length"] is not None and returned["values"] != expected:
            return _mistake("losses")
        return None
    cut_model, cut_optimizer, _loader = probe.interrupted(seed)
    model, optimizer, loader = probe.fresh(seed, seed + 1)  # all restored but the generator
    model.load_state_dict(cut_model.state_dict())
    optimizer.load_state_dict(cut_optimizer.state_dict())
    _train((model, optimizer, loader), p.total - p.saved)
    same_run = same(resumed["model"], as_recorded(model.state_dict()))
    return _mistake("generator" if same_run else "different")


def _judge(seed: int, data: dict) -> list[checks.Mistake]:
    p, cut = probe.problem(seed), probe.interrupted(seed)
    restored, resumed = data["restored"], data["resumed"]
    trained_first = (restored["returned"]["length"] or 0) > 0  # named by the counts
    found = [
        _count(restored["returned"], 0, p.saved)
        or _count(resumed["returned"], p.total - p.saved, p.saved)
    ]
    if not trained_first and not same(restored["model"], as_recorded(cut[0].state_dict())):
        found.append(_mistake("model"))
    if not trained_first and not same(restored["optimizer"], as_recorded(cut[1].state_dict())):
        found.append(_mistake("optimizer"))
    found.append(_continues(seed, resumed))
    for returned in (restored["returned"], resumed["returned"]):
        if returned["is_list"] is not True:
            found.append(_mistake("not_list", kind=returned["kind"]))
            break
    return [mistake for mistake in found if mistake is not None]


resume_training = checks.Exercise(
    "resume_training",
    probe.resume_training,
    _judge,
    _,
    forbidden=("course_utils.checkpoint",),
)
