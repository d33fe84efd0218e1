"""Judge of lesson 06's ``save_checkpoint`` and ``load_checkpoint``: a checkpoint dict
written with ``torch.save`` and read back with ``torch.load(weights_only=True)``.

The probe (:mod:`course_utils.probes.checkpoint_dict`) saves a tiny run drawn from the
seed (a few Adam steps, its generator moved on) and loads it into fresh objects. The
file must hold only tensors and plain values (written by the student, not by
``course_utils.checkpoint``); the load must restore model, optimizer and generator,
return the epoch and refuse a file that carries code. What the file holds only tells
"not saved" from "not restored", and an epoch stored one off from one left out.
"""

from __future__ import annotations

from collections.abc import Iterator

import torch

from course_utils import checkpoint, checks
from course_utils.checks.checkpoint_dict_text import _
from course_utils.probes import checkpoint_dict as probe
from course_utils.probes import record

PIECES = ("model", "optimizer", "generator")


def as_recorded(value: object) -> object:
    """``value`` as a probe's record gives it to a judge (:func:`probe.layout`, encoded)."""
    return record.decode(record.encode(probe.layout(value)))


def same(a: object, b: object) -> bool:
    """Whether two pieces of plain data are equal: same structure, types and tensors
    (same dtype and shape, bit for bit)."""
    if isinstance(a, torch.Tensor) or isinstance(b, torch.Tensor):
        tensors = isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)
        return tensors and a.dtype == b.dtype and a.shape == b.shape and torch.equal(a, b)
    if isinstance(a, dict) or isinstance(b, dict):
        dicts = isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys()
        return dicts and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list) or isinstance(b, list):
        lists = isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
        return lists and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _numbers(obj: object) -> Iterator[float]:
    """The single numbers in the file, outside an optimizer's state (its steps are no epoch)."""
    if isinstance(obj, dict):
        if {"state", "param_groups"} <= obj.keys():
            return
        for value in obj.values():
            yield from _numbers(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _numbers(value)
    elif isinstance(obj, torch.Tensor):
        if obj.numel() == 1 and obj.dtype != torch.bool:
            yield obj.item()
    elif type(obj) in (int, float):
        yield obj


def _epoch(epoch: int, returned: dict, content: object) -> checks.Mistake | None:
    got, kind = returned["value"], returned["kind"]
    if got == epoch:
        return None
    if returned["tensor"] or got is None:
        return _mistake("epoch_not_number", epoch=epoch, kind=kind)
    stored = list(_numbers(content))
    if epoch in stored:
        return _mistake("wrong_epoch", epoch=epoch, got=got)
    if near := [n for n in stored if abs(n - epoch) == 1]:
        off = got if got in near else near[0]
        return _mistake("epoch_off_by_one", epoch=epoch, stored=off, got=got)
    return _mistake("epoch_not_saved", epoch=epoch, got=got)


def _judge(seed: int, data: dict) -> list[checks.Mistake]:
    content, ran = data["file"], data["hidden_code_ran"]
    if not isinstance(ran, bool):
        raise ValueError("hidden_code_ran is a bool")
    if isinstance(content, dict) and content.get("format") == checkpoint.FORMAT:
        raise _mistake("uses_helper")
    model, optimizer, generator = probe.trained(seed)
    expected = {
        "model": as_recorded(model.state_dict()),
        "optimizer": as_recorded(optimizer.state_dict()),
        "generator": generator.get_state(),
    }
    saved = list(probe.values(content))
    found = []
    for what in PIECES:
        if not same(data[what], expected[what]):
            in_file = any(same(value, expected[what]) for value in saved)
            found.append(_mistake(f"{what}_not_restored" if in_file else f"{what}_not_saved"))
        if what == "model" and ran:
            found.append(_mistake("unsafe_load"))
    if epoch := _epoch(probe.problem(seed).epoch, data["returned"], content):
        found.append(epoch)
    return found


checkpoint_dict = checks.Exercise(
    "save_checkpoint + load_checkpoint",
    probe.checkpoint_dict,
    _judge,
    _,
    forbidden=("course_utils.checkpoint",),
)
