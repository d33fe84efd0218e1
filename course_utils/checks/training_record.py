"""The record of :mod:`course_utils.probes.training`, read strictly for its judge.

:func:`read` returns the record with every part checked for the type and length
the probe writes (ValueError otherwise: no probe wrote it), the weights as float32.
"""

from __future__ import annotations

import torch

COUNTS = ("backward", "nonzero", "unmoved", "through")
MODES = ("training", "evaluating", "grad_enabled", "backward")


def _require(ok: bool, what: str) -> None:
    if not ok:
        raise ValueError(f"not a train_epoch record: {what}")


def _list(value: object, of: type | tuple[type, ...]) -> list:
    _require(isinstance(value, list) and all(isinstance(v, of) for v in value), "a list")
    return value


def _weights(value: object, n: int) -> list[torch.Tensor]:
    _require(len(_list(value, torch.Tensor)) == n, "one tensor per parameter")
    return [w.to(torch.float32) for w in value]


def _call(call: object) -> dict:
    _require(isinstance(call, dict) and set(call) == {"x", "out", *MODES}, "a call")
    _require(all(isinstance(call[k], torch.Tensor) for k in ("x", "out")), "a call's tensors")
    _require(all(type(call[k]) is bool for k in MODES), "a call's modes")
    return call


def _loss(entry: object) -> list:
    _require(isinstance(entry, list) and len(entry) == 3, "a logged loss")
    loss, n, graph = entry
    number = loss is None or type(loss) in (int, float)
    _require(number and type(n) is int and type(graph) is bool, "a logged loss's values")
    return entry


def read(data: object, n_weights: int) -> dict:
    """The probe's record ``data`` for a network of ``n_weights`` parameter tensors."""
    _require(isinstance(data, dict), "a dict")
    _require(all(type(data[k]) is int and data[k] >= 0 for k in COUNTS), "counts")
    result = data["result"]
    _require(isinstance(result, dict) and type(result["number"]) is bool, "a result")
    _require(isinstance(result["kind"], str), "a result's type")
    value = result["value"]
    _require(value is None or type(value) in (int, float), "a result's value")
    _require(result["number"] or value is None, "a result that is not a number")
    return {
        **{k: data[k] for k in COUNTS},
        "steps": _list(data["steps"], bool),
        "calls": [_call(c) for c in _list(data["calls"], dict)],
        "losses": [_loss(e) for e in _list(data["losses"], list)],
        "weights": _weights(data["weights"], n_weights),
        "longer": _weights(data["longer"], n_weights),
        "result": result,
    }
