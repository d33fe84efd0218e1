"""Judge of lesson 04's ``unused_batchnorms(model, batch)``: the names of the BatchNorm
layers that one forward pass never ran, found without changing the model.

The probe (:mod:`course_utils.probes.unused_bn`) calls the student's function on a
model drawn from the seed (BatchNorms at the top and in nested blocks, some skipped by
``forward``, and an unused linear layer), once in training mode and once in
evaluation mode, and records the answer and what the call left in the model.
"""

from __future__ import annotations

from course_utils import checks
from course_utils.checks.unused_bn_text import _
from course_utils.probes import unused_bn as probe

FIELDS = {"answer", "modes", "hooks", "grads", "moved"}


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _layers(spec: dict) -> tuple[set[str], set[str], set[str]]:
    """The BatchNorms that never run, those that run, and those at the top level."""
    blocks = {f"blocks.{i}.norm" for i in range(spec["blocks"])}
    unused = {f"blocks.{spec['skipped']}.norm", spec["spare"]}
    ran = (blocks | {spec["first"]}) - unused
    return unused, ran, {spec["first"], spec["spare"]}


def _answer(spec: dict, answer: object) -> None:
    if isinstance(answer, str):
        raise _mistake("not_names", kind=answer)
    if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
        raise ValueError("the answer is a list of names or a type's name")
    got, (unused, ran, top) = set(answer), _layers(spec)
    if got == unused:
        return
    shown = "[" + ", ".join(f"'{name}'" for name in sorted(got)) + "]"
    if spec["unused_linear"] in got:
        raise _mistake("not_bn", got=shown, name=spec["unused_linear"])
    if got == unused | ran:
        raise _mistake("all_returned", n=len(got))
    if got and got <= ran:
        raise _mistake("ran_returned", got=shown)
    if got == unused & top:
        raise _mistake("nested", got=shown)
    raise _mistake("wrong", got=shown, n=len(unused))


def _mode(modes: list[bool]) -> str:
    return _("training") if all(modes) else _("evaluation") if not any(modes) else _("mixed")


def _left(call: dict, training: bool) -> list[checks.Mistake]:
    """What the call changed in the model, most consequential first."""

    def stats() -> None:
        if call["moved"]:
            raise _mistake("stats_changed", names=", ".join(call["moved"][:4]))

    def grads() -> None:
        if call["grads"]:
            raise _mistake("backward", n=call["grads"])

    def hooks() -> None:
        if call["hooks"] > 0:
            raise _mistake("hooks_left", n=call["hooks"])

    def mode() -> None:
        if any(m != training for m in call["modes"]):
            raise _mistake("mode_changed", before=_mode([training]), after=_mode(call["modes"]))

    return checks.collect(stats, grads, hooks, mode)


def _judge(seed: int, data: dict) -> list[checks.Mistake]:
    spec, calls = probe.problem(seed), [(data["train"], True), (data["eval"], False)]
    if any(set(call) != FIELDS or not call["modes"] for call, _training in calls):
        raise ValueError("each call records its answer and the model's state")
    found: dict[str, checks.Mistake] = {}  # the first of each diagnosis, in order
    for call, _training in calls:
        for mistake in checks.collect(lambda c=call: _answer(spec, c["answer"])):
            found.setdefault(mistake.diagnosis, mistake)
    for call, training in calls:
        for mistake in _left(call, training):
            found.setdefault(mistake.diagnosis, mistake)
    return list(found.values())


unused_batchnorms = checks.Exercise("unused_batchnorms", probe.unused_batchnorms, _judge, _)
