"""Judges of lesson 05's data exercises: the penguins' Dataset and the standardization.

The probe (:mod:`course_utils.probes.penguins_data`) hands the student's code a problem
drawn from the seed; the judge rebuilds it, computes what a correct answer gives and, when
the answer differs, what each usual mistake would have given, to name it.
"""

from __future__ import annotations

import torch

from course_utils import checks
from course_utils.checks.penguins_data_text import _
from course_utils.probes import penguins_data as probe


def _mistake(key: str, **values: object) -> checks.Mistake:
    return checks.mistake(_, key, **values)


def _array(got: object) -> dict:
    ok = isinstance(got, dict) and isinstance(got.get("kind"), str)
    if not ok or not (got["value"] is None or isinstance(got["value"], torch.Tensor | float | str)):
        raise ValueError("not a recorded array")
    return got


def _close(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.shape == b.shape and torch.allclose(a.double(), b.double(), rtol=1e-4, atol=1e-3)


def _features(items: list[dict], frame, n: int) -> None:
    rows = torch.tensor(frame[probe.FEATURES].to_numpy(), dtype=torch.float64)
    by_label = rows[torch.tensor([list(frame.index).index(i) for i in range(n)])]
    shuffled = torch.tensor(frame.drop(columns=["species", "island", "year"]).to_numpy())
    for i, item in enumerate(items):
        x = _array(item["x"])
        if x["kind"] != "Tensor":
            raise _mistake("features_type", kind=x["kind"])
        if x["dtype"] == "float64":
            raise _mistake("features_float64")
        if x["dtype"] != "float32":
            raise _mistake("features_dtype", dtype=x["dtype"])
        if x["value"].shape != (len(probe.FEATURES),):
            raise _mistake("features_shape", shape=tuple(x["value"].shape))
        if not _close(x["value"], rows[i]):
            if _close(x["value"], by_label[i]):
                raise _mistake("loc")
            if _close(x["value"], shuffled[i]):
                raise _mistake("columns")
            raise _mistake("wrong_features")


def _labels(items: list[dict], frame, class_names: list[str]) -> None:
    species = list(frame["species"])
    expected = [class_names.index(s) for s in species]
    others = [sorted(class_names), list(dict.fromkeys(species))]
    got = []
    for item in items:
        y = _array(item["y"])
        if y["kind"] == "str":
            raise _mistake("label_str")
        if isinstance(y["value"], torch.Tensor):
            if y["value"].is_floating_point():
                raise _mistake("label_float")
            if y["value"].shape != ():
                raise _mistake("label_shape", shape=tuple(y["value"].shape))
            if y["dtype"] != "int64":
                raise _mistake("label_dtype", dtype=y["dtype"])
            got.append(int(y["value"]))
        elif y["kind"] == "int":
            got.append(int(y["value"]))
        elif y["kind"] == "float":
            raise _mistake("label_float")
        else:
            raise _mistake("label_type", kind=y["kind"])
    if got != expected:
        wrong_order = any(got == [order.index(s) for s in species] for order in others)
        raise _mistake("class_order" if wrong_order else "wrong_labels")


def _judge_dataset(seed: int, data: dict) -> list[checks.Mistake]:
    frame, class_names = probe.table(seed)
    items, n = data["items"], len(frame)
    if not isinstance(items, list) or len(items) != n or type(data["length"]) is not int:
        raise ValueError("not the items of the problem's table")
    if any(not isinstance(i, dict) or type(i.get("pair")) is not bool for i in items):
        raise ValueError("not a recorded item")

    def shape() -> None:
        if data["length"] != n:
            raise _mistake("length", got=data["length"], n=n)
        if not all(i["pair"] for i in items):
            raise _mistake("not_pair")

    def tensors() -> None:
        if data["tensors"] is not True:
            raise _mistake("not_tensor_dataset", kind=str(data["kind"])[:60])

    return checks.collect(
        shape,
        lambda: _features(items, frame, n),
        lambda: _labels(items, frame, class_names),
        tensors,
    )


def _stats(X: torch.Tensor, dim: int | None = 0, ddof: int = 0) -> tuple[torch.Tensor, ...]:
    X = X.double()
    if dim is None:
        return X.mean(), X.std(correction=ddof)
    return X.mean(dim=dim, keepdim=True), X.std(dim=dim, keepdim=True, correction=ddof)


def _guarded(std: torch.Tensor) -> torch.Tensor:
    return torch.where(std == 0, torch.ones_like(std), std)


def _values(got: torch.Tensor, X: torch.Tensor, train: torch.Tensor, constant: int) -> None:
    """Name the statistics that give ``got`` on the columns that vary in training."""
    keep = [c for c in range(X.shape[1]) if c != constant]
    fits = {"own_stats": X, "all_data": torch.cat([train, X])}
    candidates = []
    for ddof in (0, 1):  # a population or a sample deviation: both standardize
        mean, std = _stats(train, ddof=ddof)
        candidates.insert(0, (None, (X - mean) / _guarded(std)))
        candidates += [(k, (X - _stats(v, ddof=ddof)[0]) / _stats(v, ddof=ddof)[1])
                       for k, v in fits.items()]  # fmt: skip
        candidates += [("variance", (X - mean) / std**2), ("no_scale", X - mean),
                       ("no_center", X / std)]  # fmt: skip
        for dim, fitted in [(1, X), (None, X), (None, train)]:
            m, s = _stats(fitted, dim=dim, ddof=ddof)
            candidates.append(("dims", (X - m) / s))
    for key, expected in candidates:
        if _close(got[:, keep], expected[:, keep]):
            if key is None:
                return
            raise _mistake(key)
    raise _mistake("wrong_values")


def _judge_standardize(seed: int, data: dict) -> list[checks.Mistake]:
    train, other, constant = probe.splits(seed)
    outs = {"other": (_array(data["other"]), other), "train": (_array(data["train"]), train)}
    if type(data["unchanged"]) is not bool:
        raise ValueError("not a flag")
    for got, X in outs.values():
        if got["kind"] not in ("Tensor", "ndarray"):
            raise _mistake("not_tensor", kind=got["kind"])
        if got["value"].shape != X.shape:
            raise _mistake("shape", got=tuple(got["value"].shape), expected=tuple(X.shape))

    def types() -> None:
        for got, _X in outs.values():
            if got["kind"] == "ndarray":
                raise _mistake("not_tensor", kind="ndarray")
            if got["dtype"] != "float32":
                key = "float64" if got["dtype"] == "float64" else "dtype"
                raise _mistake(key, dtype=got["dtype"])

    def values() -> None:
        for got, X in outs.values():
            _values(got["value"].double(), X.double(), train.double(), constant)
        column = outs["train"][0]["value"][:, constant].double()
        if torch.isfinite(column).all() and not _close(column, torch.zeros(len(train))):
            raise _mistake("wrong_values")  # a constant column is at its mean: 0

    def finite() -> None:
        for got, _X in outs.values():
            if not torch.isfinite(got["value"].double()).all():
                raise _mistake("zero_std")

    def kept() -> None:
        if not data["unchanged"]:
            raise _mistake("in_place")

    return checks.collect(kept, values, finite, types)


dataset = checks.Exercise("penguin_dataset", probe.dataset, _judge_dataset, _)
standardize = checks.Exercise("standardize", probe.standardize, _judge_standardize, _)
