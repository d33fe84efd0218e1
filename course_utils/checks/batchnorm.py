"""Judge of lesson 04's ``MLPBatchNorm``: the source's mlp with a BatchNorm of its own
per hidden layer, before the ReLU.

The probe (:mod:`course_utils.probes.batchnorm`) records what an instance of the
student's class does with a batch drawn from the seed; here that is read: which
BatchNorm ran, how often and on what, in both modes, and whether the layers the
lesson's later cells call by name are there.
"""

from __future__ import annotations

from collections import Counter

import torch

from course_utils import checks, i18n
from course_utils.checks.batchnorm_text import _
from course_utils.probes import batchnorm as probe

BN_PARAMETERS = 270_346
HIDDEN, OUTPUTS, PIXELS = 256, 10, 784


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _pass(record: dict, n: int, layers: list[dict]) -> tuple[Counter, dict[str, tuple]]:
    """How often each BatchNorm ran and (width, all ≥ 0, training) of its last input;
    the "shape" mistake if the output is not (n, 10)."""
    calls: Counter = Counter()
    inputs: dict[str, tuple] = {}
    for i, width, positive, training in record["calls"]:
        name = layers[i]["name"]
        calls[name] += 1
        inputs[name] = (width, positive, training)
    shape = record["shape"]
    if shape != [n, OUTPUTS]:
        raise _mistake("shape", n=n, shape=shape if isinstance(shape, str) else tuple(shape))
    return calls, inputs


def _evaluation(record: dict, n: int, layers: list[dict]) -> None:
    _calls, inputs = _pass(record, n, layers)
    if any(training for *_rest, training in inputs.values()):
        raise _mistake("eval_ignored")
    if not all(layer["tracks"] for layer in layers):
        raise _mistake("no_running_stats")
    first, alone = record["first"], record["alone"]
    if not isinstance(first, torch.Tensor):
        raise ValueError("the output's first row is missing")
    if alone is None or alone.shape != first.shape:
        raise _mistake("batch_dependent")
    if not torch.allclose(first.double(), alone.double(), atol=1e-5):
        raise _mistake("batch_dependent")


def _structure(data: dict, n: int) -> list[checks.Mistake]:
    layers = data["layers"]
    calls, inputs = _pass(data["train"], n, layers)
    if not layers:
        raise _mistake("no_bn")
    hidden = {name: v for name, v in inputs.items() if v[0] == HIDDEN}

    def shared() -> None:
        for layer in layers:
            if calls[layer["name"]] > 1:
                raise _mistake("shared", name=layer["name"], n=calls[layer["name"]])

    def output() -> None:
        if any(width == OUTPUTS for width, *_rest in inputs.values()):
            raise _mistake("after_output")

    def evaluation() -> None:
        _evaluation(data["eval"], n, layers)

    def missing() -> None:
        if sum(min(calls[name], 2) for name in hidden) < 2:
            raise _mistake("missing", n=sum(calls[name] for name in hidden))

    def after_relu() -> None:
        for name, (_width, positive, _training) in hidden.items():
            if positive:
                raise _mistake("after_relu", name=name)

    def on_input() -> None:
        if any(width == PIXELS for width, *_rest in inputs.values()):
            raise _mistake("on_input")

    return checks.collect(shared, output, evaluation, missing, after_relu, on_input)


def _names(data: dict) -> None:
    """The layers the lesson's later cells call by name: there, in order, usable."""
    missing = [name for name in probe.NAMED if name not in data["named"]]
    if missing:
        raise _mistake("names", problem=_("names_missing", names=", ".join(missing)))
    layers = data["layers"]
    order = [i for i, width, *_rest in data["train"]["calls"] if width == HIDDEN]
    aliases = [layers[i]["aliases"] for i in dict.fromkeys(order)]
    if len(aliases) == 2 and not ("bn1" in aliases[0] and "bn2" in aliases[1]):
        raise _mistake("names", problem=_("names_order"))
    if data["eval"]["later"] is not None:
        raise _mistake("names", problem=_("names_fail", error=data["eval"]["later"]))


def _judge(seed: int, data: dict) -> list[checks.Mistake]:
    n = len(probe.images(seed))
    found = _structure(data, n)
    size = data["parameters"]
    if size not in (BN_PARAMETERS, BN_PARAMETERS - 256, BN_PARAMETERS - 512):  # bias=False
        grouped = {"n": i18n.number(size), "expected": i18n.number(BN_PARAMETERS)}
        found.append(_mistake("size", **grouped))
    return found + checks.collect(lambda: _names(data))


# models holds MLPBatchNorm; experiments imports it and hands it out as the "bn" variant
FORBIDDEN = ("course_utils.models", "course_utils.experiments")
mlp_bn = checks.Exercise("mlp_bn", probe.mlp_bn, _judge, _, forbidden=FORBIDDEN)
