"""Judges of lesson 03's exercises: dropout by hand (:mod:`course_utils.checks.dropout`,
re-exported here as ``my_dropout``) and a model with dropout.

The probes (:mod:`course_utils.probes.regularization`) record what reaches each linear
layer of the student's ``MLPDropout`` (and what leaves the last one), so dropout is
found however it is written (``nn.Dropout``, ``F.dropout``, ``dropout`` imported on its
own, inside a ``Sequential``) and its place and probability are measured, not read from
names; the class must also be built the way the later cells build it
(``MLPDropout(p=0.5)``, ``MLPDropout()`` with the source's 0.2).
"""

from __future__ import annotations

import math

import torch

from course_utils import checks
from course_utils.checks.dropout import my_dropout  # noqa: F401 (the lesson calls it here)
from course_utils.checks.regularization_text import _
from course_utils.probes import regularization as probe

MLP_PARAMETERS = 269_322
DEFAULT_P = 0.2  # the source's, which the results table compares with
SHAPES = {"fc1": (784, 256), "fc2": (256, 256), "fc3": (256, 10)}
CHANGED, UNSCALED = -1.0, -2.0  # what _dropped finds when it is not a dropout probability


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _trace(linears: list[dict]) -> dict[str, torch.Tensor] | None:
    """What went into and out of fc1, fc2 and fc3 (the first linear layer of each size);
    None unless all three ran."""
    seen = {}
    for name, shape in SHAPES.items():
        layer = next((e for e in linears if (e["in"], e["out"]) == shape), None)
        if layer is None or "x" not in layer:
            return None
        seen[f"{name}_in"], seen[f"{name}_out"] = layer["x"], layer["y"]
    if not all(isinstance(t, torch.Tensor) and t.is_floating_point() for t in seen.values()):
        raise ValueError("a layer's input and output are tensors")
    return seen


def _dropped(before: torch.Tensor, after: torch.Tensor) -> float | None:
    """The dropout probability that turns ``before`` into ``after``; None if no dropout,
    ``UNSCALED`` if units are zeroed but the others keep their value (no 1/(1 − p)),
    ``CHANGED`` if it changed otherwise."""
    before, after = before.double(), after.double()
    if before.shape != after.shape or torch.allclose(before, after):
        return None
    live = (before.abs() > 1e-6) & (after.abs() > 1e-6)
    zeroed = (before.abs() > 1e-6) & (after == 0)
    if not zeroed.any() or not live.any():
        return CHANGED  # changed, but not by zeroing and rescaling
    scale = (after[live] / before[live]).median().item()
    if abs(scale - 1) < 1e-4:
        return UNSCALED
    return 1 - 1 / scale if scale > 1 else CHANGED


def _hidden(trace: dict[str, torch.Tensor]) -> list[float | None]:
    """The dropout probability measured after each hidden layer (None: no dropout)."""
    relu = torch.relu
    return [_dropped(relu(trace["fc1_out"]), trace["fc2_in"]),
            _dropped(relu(trace["fc2_out"]), trace["fc3_in"])]  # fmt: skip


def _off(measured: list[float | None], p: float) -> float | None:
    """The first probability of ``measured`` that is not ``p`` (no dropout: 0), or None."""
    wrong = [max(m, 0.0) if m is not None else 0.0 for m in measured]
    return next((m for m in wrong if abs(m - p) > 0.02), None)


def _check_structure(
    trace: dict, out: torch.Tensor, p: float, X: torch.Tensor
) -> list[checks.Mistake]:
    """Where dropout is, and with which probability, from what reached each layer."""
    output, hidden = _dropped(trace["fc3_out"], out), _hidden(trace)

    def on_output() -> None:
        if output is not None:
            raise _mistake("after_output" if output > 0 or output == UNSCALED else "output_changed")

    def place() -> None:
        if hidden == [None, None]:
            raise _mistake("no_dropout")
        if None in hidden:
            raise _mistake("missing", layer=hidden.index(None) + 1)

    def probability() -> None:
        if UNSCALED in hidden:
            raise _mistake("unscaled", p=p, scale=1 / (1 - p))
        wrong = _off([h for h in hidden if h is not None], p)
        if wrong is not None:
            raise _mistake("wrong_p", p=p, got=round(wrong, 2))

    def on_input() -> None:
        if _dropped(X.flatten(1), trace["fc1_in"]) is not None:
            raise _mistake("on_input")

    return checks.collect(on_output, place, probability, on_input)


def _default(linears: list[dict]) -> list[checks.Mistake]:
    """Whether ``MLPDropout()`` (as the later cells build it) drops the source's 0.2."""
    trace = _trace(linears)
    wrong = None if trace is None else _off(_hidden(trace), DEFAULT_P)
    return [] if wrong is None else [_mistake("default_p", p=DEFAULT_P, got=round(wrong, 2))]


def _judge_dropout(seed: int, data: dict) -> list[checks.Mistake]:
    p, X, out = probe.dropout_p(seed), probe.images(seed), data["out"]
    if tuple(out.shape) != (probe.IMAGES, 10):
        raise _mistake("shape", shape=tuple(out.shape))
    first, second = data["eval"]
    steady = first is not None and second is not None and first.shape == second.shape
    steady = steady and first.dtype == second.dtype and torch.equal(first, second)
    found = [] if steady else [_mistake("eval_active")]
    trace = _trace(data["linears"])
    structure = [] if trace is None else _check_structure(trace, out, p, X)
    n = sum(math.prod(shape) for _name, shape in data["parameters"])
    if n != MLP_PARAMETERS:
        structure.append(_mistake("size", n=n, expected=MLP_PARAMETERS))
    if data["default"] is None:
        structure.append(_mistake("no_default", p=DEFAULT_P))
    elif trace is not None and not structure:
        structure = _default(data["default"])
    return found + structure


mlp_dropout = checks.Exercise(
    "mlp_dropout", probe.mlp_dropout, _judge_dropout, _, forbidden=("course_utils.models",)
)
