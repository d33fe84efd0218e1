"""Judge of lesson 03's ``MyDropout``: dropout written by hand, held to ``nn.Dropout``'s behaviour.

The probe (:mod:`course_utils.probes.dropout`) runs the student's module on positive
inputs, so every zero in an output is a dropped unit and every other value divided by
its input is the scale of the kept ones. Here those are measured against what
``nn.Dropout(p)`` does: in training mode it drops a fraction ``p`` of the units, each
with a fresh draw at every call, and multiplies the others by ``1 / (1 - p)`` (so the
mean over many draws is the input), and the gradient flows only through the kept
units; in evaluation mode it returns its input unchanged. Each usual way of getting
one of these wrong has its own diagnosis.
"""

from __future__ import annotations

import torch

from course_utils import checks
from course_utils.checks.dropout_text import _
from course_utils.probes import dropout as probe

FRACTION, SCALE, MEAN = 0.04, 0.03, 0.05  # tolerances: far above the sampling noise


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _tensor(value: object, shape: tuple[int, ...]) -> torch.Tensor | None:
    """``value`` as float64 if it is a tensor of ``shape``; ValueError if no probe wrote it."""
    if value is None:
        return None
    if not isinstance(value, torch.Tensor) or tuple(value.shape) != shape:
        raise ValueError("a recorded tensor does not fit the problem")
    return value.double()


def _returned(call: dict, x: torch.Tensor) -> torch.Tensor:
    """The call's output; the mistake when it is not a tensor shaped like its input."""
    out = call["out"]
    if out is None:
        raise _mistake("not_tensor", kind=call["kind"])
    if tuple(out.shape) != tuple(x.shape):
        raise _mistake("shape", shape=tuple(x.shape), got=tuple(out.shape))
    return out.double()


def _scale_mistake(scale: float, p: float) -> checks.Mistake | None:
    """The kept units' scale ``scale``, named when it is not ``1 / (1 - p)``."""
    if abs(scale * (1 - p) - 1) < SCALE:
        return None
    named = {"no_scaling": 1.0, "scale_p": p, "scale_inverse_p": 1 / p, "scale_keep": 1 - p}
    key = next((k for k, v in named.items() if abs(scale / v - 1) < SCALE), "wrong_scale")
    return _mistake(key, p=p, got=round(scale, 3), expected=round(1 / (1 - p), 3))


def _training(out: torch.Tensor, x: torch.Tensor, p: float) -> list[checks.Mistake]:
    """The large call in training mode: which units it drops, and how it scales the others."""
    dropped, kept = out == 0, out != 0
    fraction = dropped.double().mean().item()
    if not dropped.any():
        return [_mistake("never_drops", p=p)]
    ratio = out[kept] / x[kept]
    scale = ratio.median().item()
    if (ratio - scale).abs().max().item() > 1e-4 * max(1.0, abs(scale)):
        return [_mistake("not_a_mask")]
    found = []
    if abs(fraction - p) > FRACTION:
        key = "keep_probability" if abs(fraction - (1 - p)) < FRACTION else "wrong_fraction"
        found.append(_mistake(key, p=p, got=round(fraction, 2)))
    if (wrong := _scale_mistake(scale, p)) is not None:
        found.append(wrong)
    if (dropped == dropped[0]).all() or (dropped == dropped[:, :1]).all():
        found.append(_mistake("shared_mask"))
    return found


def _gradient(
    grad: torch.Tensor | None, out: torch.Tensor, x: torch.Tensor, upstream: torch.Tensor
) -> None:
    """The gradient on the input: the upstream one through the kept units, scaled as they are."""
    if grad is None:
        raise _mistake("no_grad")
    expected = upstream * out / x
    if not torch.allclose(grad, expected, atol=1e-4, rtol=1e-4):
        raise _mistake("grad")


def _eval(data: dict, x: torch.Tensor, trained: torch.Tensor) -> None:
    out = _returned(data["eval"], x)
    if torch.allclose(out, x, atol=1e-6):
        return
    changed = (out == 0).any() and (trained == x).all()
    raise _mistake("modes_swapped" if changed else "eval_active" if (out == 0).any()
                   else "eval_changed")  # fmt: skip


def _shapes(data: dict, p: dict) -> None:
    for call, x in zip(data["shapes"], p["shapes"], strict=True):
        shape = tuple(x.shape)
        if call["error"] is not None:
            raise _mistake("any_shape", shape=shape, error=call["error"]["name"])
        _returned(call, x)


def _draws(draws: torch.Tensor | None, small: torch.Tensor, scaled: bool) -> None:
    """Many calls on one small input: a fresh mask each time, and (when the large call
    dropped and scaled as it should) the input on average."""
    if draws is None:
        raise _mistake("any_shape", shape=tuple(small.shape), error="?")
    masks = draws == 0
    if (masks == masks[0]).all():
        raise _mistake("same_mask")
    mean = (draws.mean(dim=0).sum() / small.sum()).item()
    if scaled and abs(mean - 1) > MEAN:
        raise _mistake("mean", got=round(mean, 3))


def _judge(seed: int, data: dict) -> list[checks.Mistake]:
    p = probe.problem(seed)
    x, q = p["x"].double(), p["p"]
    if not isinstance(data["builtin"], bool) or len(data["shapes"]) != len(p["shapes"]):
        raise ValueError("not a record of this probe")
    if data["builtin"]:
        raise _mistake("uses_builtin")
    train = data["train"]
    out = _returned(train, x)
    grad, second = _tensor(train["grad"], probe.BIG), _tensor(data["second"], probe.BIG)
    draws = _tensor(data["draws"], (probe.DRAWS, *probe.SMALL))
    if not torch.equal(_tensor(train["input"], probe.BIG), x):
        raise _mistake("in_place")
    if not torch.equal(_tensor(data["eval"]["input"], probe.BIG), x):
        raise _mistake("in_place")
    found = checks.collect(lambda: _eval(data, x, out))
    if found and found[0].diagnosis == "modes_swapped":
        return found
    training = _training(out, x, q)
    found += training
    if second is not None and torch.equal(second == 0, out == 0):
        found.append(_mistake("same_mask"))
    found += checks.collect(
        lambda: _draws(draws, p["small"].double(), not training),
        lambda: _shapes(data, p),
        lambda: _gradient(grad, out, x, p["upstream"].double()),
    )
    named = {}
    for found_one in found:  # the same mistake seen twice is said once
        named.setdefault(found_one.diagnosis, found_one)
    return list(named.values())


# No course module implements dropout by hand; PyTorch's own is refused as "uses_builtin".
my_dropout = checks.Exercise("my_dropout", probe.my_dropout, _judge, _)
