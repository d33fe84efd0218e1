"""Judge of lesson 04's ``batch_norm``: BatchNorm's forward pass by hand, both modes.

The probe (:mod:`course_utils.probes.bn_forward`) runs the student's function on
batches drawn from the seed; here its output and the running statistics it left
behind are compared with ``torch.nn.functional.batch_norm``'s and, when they differ,
with what each usual mistake would produce. The first batches are square so that
statistics taken over the wrong dimension still broadcast and can be named;
``momentum`` and ``eps`` are not the defaults, so that ignoring either shows. Steps on
another shape with the defaults confirm a function that passed.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from course_utils import checks
from course_utils.checks.bn_forward_text import _
from course_utils.probes import bn_forward as probe

_CALL = {"kind", "shape", "out", "grad", "builtin", "read", "x", "running_mean", "running_var",
         "running_grad"}  # fmt: skip


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _close(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.shape == b.shape and torch.allclose(a, b, atol=1e-4, rtol=1e-4)


def _diff(a: torch.Tensor, b: torch.Tensor) -> float:
    return (a - b).abs().max().item() if a.shape == b.shape else float("inf")


def _read(call: dict, x: torch.Tensor) -> dict:
    """A call's record with its tensors in float32, as the problem's; ValueError if no probe
    wrote it."""
    if set(call) != _CALL or not all(type(call[k]) is bool for k in ("grad", "builtin")):
        raise ValueError("not a call's record")
    out, tensors = call["out"], [call[k] for k in ("x", "running_mean", "running_var")]
    if not all(isinstance(t, torch.Tensor) for t in tensors) or tensors[0].shape != x.shape:
        raise ValueError("a call's tensors do not fit the problem")
    if out is not None and (not isinstance(out, torch.Tensor) or out.shape != x.shape):
        raise ValueError("an output recorded with another shape")
    if not set(call["read"]) <= {0, 1}:
        raise ValueError("only the two running statistics are watched")
    return {**call, **{k: v.float() for k, v in call.items() if isinstance(v, torch.Tensor)}}


def _returns(call: dict, x: torch.Tensor) -> checks.Mistake:
    got = call["kind"] if call["shape"] is None else tuple(call["shape"])
    return _mistake("returns", shape=tuple(x.shape), got=got)


def _reference(batch: dict, training: bool, *options: float) -> dict:
    rm, rv = batch["running_mean"].clone(), batch["running_var"].clone()
    out = F.batch_norm(batch["x"], rm, rv, batch["weight"], batch["bias"], training, *options)
    return {"out": out, "running_mean": rm, "running_var": rv}


def _output_mistakes(p: dict, out: torch.Tensor, right: torch.Tensor) -> None:
    batch, eps = p["train"], p["eps"]
    x, w, b = batch["x"], batch["weight"], batch["bias"]
    mean, biased, unbiased = x.mean(0), x.var(0, unbiased=False), x.var(0)
    rows = [(x.mean(1), x.var(1, unbiased=False)),
            (x.mean(1, keepdim=True), x.var(1, unbiased=False, keepdim=True))]  # fmt: skip
    candidates = [
        *(("wrong_dim", w * (x - m) / torch.sqrt(v + eps) + b) for m, v in rows),
        ("no_affine", (x - mean) / torch.sqrt(biased + eps)),
        ("unbiased_normalization", w * (x - mean) / torch.sqrt(unbiased + eps) + b),
        ("no_eps", w * (x - mean) / torch.sqrt(biased) + b),
        ("eps_outside_sqrt", w * (x - mean) / (torch.sqrt(biased) + eps) + b),
    ]
    for key, candidate in candidates:
        if _close(out, candidate):
            raise _mistake(key, eps=eps)
    raise _mistake("wrong_output", diff=_diff(out, right))


def _running_mistakes(p: dict, got: dict, right: dict) -> None:
    batch, y = p["train"], got["out"]
    stale = [
        name for name in ("running_mean", "running_var") if torch.equal(got[name], batch[name])
    ]
    if stale:
        names = ", ".join(stale)
        raise _mistake("not_in_place" if got["read"] else "no_running_update", names=names)
    rm0, rv0, x, m = batch["running_mean"], batch["running_var"], batch["x"], p["momentum"]
    got_m, got_v, keep = got["running_mean"], got["running_var"], 1 - m
    if _close(got_m, m * rm0 + keep * x.mean(0)):
        raise _mistake("momentum_reversed")
    if _close(got_m, keep * rm0 + m * y.mean(0)):
        raise _mistake("running_tracks_output")
    if not _close(got_m, right["running_mean"]):
        raise _mistake(
            "wrong_running", name="running_mean", diff=_diff(got_m, right["running_mean"])
        )
    if _close(got_v, keep * rv0 + m * x.var(0, unbiased=False)):
        raise _mistake("biased_running_var")
    raise _mistake("wrong_running", name="running_var", diff=_diff(got_v, right["running_var"]))


def _both_modes(p: dict, got: dict, seen: dict) -> list[checks.Mistake]:
    """The square batches, with the non-default momentum and eps: every mistake seen."""
    options = p["momentum"], p["eps"]
    right, expected = _reference(p["train"], True, *options), _reference(p["eval"], False, *options)
    output_right = _close(got["out"], right["out"])

    def output() -> None:
        if not output_right:
            _output_mistakes(p, got["out"], right["out"])

    def detached() -> None:
        if not got["grad"]:
            raise _mistake("output_detached")

    def input_changed() -> None:
        if not (torch.equal(got["x"], p["train"]["x"]) and torch.equal(seen["x"], p["eval"]["x"])):
            raise _mistake("changes_input")

    def running() -> None:
        names = ("running_mean", "running_var")
        if not all(_close(got[name], right[name]) for name in names):
            _running_mistakes(p, got, right)

    def running_grad() -> None:
        if got["running_grad"]:
            raise _mistake("running_has_grad")

    def evaluation() -> None:
        out, batch, eps = seen["out"], p["eval"], p["eps"]
        if _close(out, expected["out"]):
            return
        x = batch["x"]
        for variance in (x.var(0, unbiased=False), x.var(0)):
            normalized = batch["weight"] * (x - x.mean(0)) / torch.sqrt(variance + eps)
            if _close(out, normalized + batch["bias"]):
                raise _mistake("eval_uses_batch_stats")
        if output_right:
            raise _mistake("eval_wrong", diff=_diff(out, expected["out"]))

    def eval_running() -> None:
        names = ("running_mean", "running_var")
        if not all(torch.equal(seen[name], p["eval"][name]) for name in names):
            raise _mistake("eval_updates_running")

    return checks.collect(output, detached, input_changed, running, running_grad,
                          eval_running, evaluation)  # fmt: skip


def _confirm(p: dict, steps: list[dict], crash: dict | None) -> list[checks.Mistake]:
    """The steps on another shape with the defaults, running statistics carried along."""
    start = p["start"]
    rm, rv = start["running_mean"].clone(), start["running_var"].clone()
    for step, x, training in zip(steps, p["steps"], probe.STEPS, strict=False):
        right = F.batch_norm(x, rm, rv, start["weight"], start["bias"], training)
        if step["out"] is None:
            raise _returns(step, x)
        if not _close(step["out"], right):
            diff = _diff(step["out"], right)
            raise _mistake("wrong_output" if training else "eval_wrong", diff=diff)
        got_m, got_v = step["running_mean"], step["running_var"]
        if not (_close(got_m, rm) and _close(got_v, rv)):
            name = "running_mean" if not _close(got_m, rm) else "running_var"
            return [_mistake("wrong_running", name=name, diff=_diff(got_m, rm) + _diff(got_v, rv))]
    return [checks._crash(crash)] if crash else []


def _judge(seed: int, data: dict) -> list[checks.Mistake]:
    p, steps = probe.problem(seed), data["steps"]
    if len(steps) > len(probe.STEPS) or (data["crash"] is None) != (len(steps) == len(p["steps"])):
        raise ValueError("one record per step, unless a step crashed")
    got, seen = _read(data["train"], p["train"]["x"]), _read(data["eval"], p["eval"]["x"])
    steps = [_read(step, x) for step, x in zip(steps, p["steps"], strict=False)]
    if any(call["builtin"] for call in (got, seen, *steps)):
        raise _mistake("uses_builtin")
    for call, batch in ((got, p["train"]), (seen, p["eval"])):
        if call["out"] is None:
            raise _returns(call, batch["x"])
    return _both_modes(p, got, seen) or _confirm(p, steps, data["crash"])


batch_norm = checks.Exercise("batch_norm", probe.batch_norm, _judge, _)
