"""Probe for lesson 05's data exercises: the penguins' Dataset and the standardization.

Both problems are drawn from the seed. The Dataset gets a small table shaped like the
published one (species names, an island, the four measurements in another column order,
row labels shuffled as a split leaves them) and a list of class names in an order that is
neither alphabetical nor the order the species appear in. The standardization gets a
training split with one constant column and another split whose own statistics differ,
so each split mistake gives another number.
"""

from __future__ import annotations

import numbers
import random
from collections.abc import Callable

import numpy as np
import pandas as pd
import torch

FEATURES = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
SPECIES = ["Adelie", "Chinstrap", "Gentoo"]
MEANS, SPREADS = (44.0, 17.0, 200.0, 4200.0), (5.0, 2.0, 14.0, 800.0)


def table(seed: int) -> tuple[pd.DataFrame, list[str]]:
    """The table of ``seed`` and its class names."""
    rng = random.Random(seed)
    n = rng.randint(6, 9)
    species = [*SPECIES, *(rng.choice(SPECIES) for _ in range(n - 3))]
    rng.shuffle(species)
    seen = list(dict.fromkeys(species))
    orders = [o for o in _permutations(SPECIES) if o not in (SPECIES, seen)]
    class_names = rng.choice(orders)
    values = {
        f: [round(rng.gauss(m, s), 1) for _ in range(n)]
        for f, m, s in zip(FEATURES, MEANS, SPREADS, strict=True)
    }
    values["body_mass_g"] = [float(round(v, -1)) for v in values["body_mass_g"]]
    columns = FEATURES[:]
    rng.shuffle(columns)
    measured = {c: values[c] for c in columns}
    frame = pd.DataFrame({"species": species, "island": "Biscoe", **measured})
    frame["year"] = 2007 + rng.randrange(3)
    labels = list(range(n))
    while labels == sorted(labels):
        rng.shuffle(labels)
    frame.index = labels
    return frame, class_names


def _permutations(names: list[str]) -> list[list[str]]:
    a, b, c = names
    return [[a, b, c], [a, c, b], [b, a, c], [b, c, a], [c, a, b], [c, b, a]]


def splits(seed: int) -> tuple[torch.Tensor, torch.Tensor, int]:
    """A training split (one column constant), another split, and the constant column."""
    rng = random.Random(seed)
    g = torch.Generator().manual_seed(seed)
    constant = rng.randrange(len(FEATURES))
    means, spreads = torch.tensor(MEANS), torch.tensor(SPREADS)
    train = means + spreads * torch.randn(rng.randint(6, 9), len(FEATURES), generator=g)
    train[:, constant] = means[constant]
    other = means + spreads * (0.8 + 1.5 * torch.randn(rng.randint(4, 6), 4, generator=g))
    return train.round(decimals=1), other.round(decimals=1), constant


def _kind(value: object) -> str:
    return type(value).__name__[:60]


def _tensor(value: object) -> dict:
    """A returned array: its type, dtype and shape, and its values when it has them."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        value = torch.from_numpy(np.array(value))
        return {"kind": "ndarray", "dtype": str(value.dtype)[6:], "value": value}
    if isinstance(value, torch.Tensor):
        dtype = str(value.dtype).removeprefix("torch.")
        return {"kind": "Tensor", "dtype": dtype, "value": value.detach().clone()}
    return {"kind": _kind(value), "dtype": None, "value": None}


def _label(value: object) -> dict:
    if isinstance(value, torch.Tensor | np.ndarray):
        return _tensor(value)
    if isinstance(value, np.generic):
        return _tensor(np.array(value))
    plain = isinstance(value, numbers.Real) and not isinstance(value, bool)
    text = value[:40] if isinstance(value, str) else None
    return {"kind": _kind(value), "dtype": None, "value": float(value) if plain else text}


def dataset(student: Callable, *, seed: int) -> dict:
    """The student's Dataset for the table of ``seed``: its type, length and every item."""
    frame, class_names = table(seed)
    made = student(frame.copy(), list(FEATURES), list(class_names))
    length = len(made)
    items = []
    for i in range(len(frame)):
        item = made[i]
        pair = isinstance(item, tuple | list) and len(item) == 2
        items.append({"pair": pair, "x": _tensor(item[0]) if pair else None,
                      "y": _label(item[1]) if pair else None})  # fmt: skip
    return {"kind": _kind(made), "tensors": hasattr(made, "tensors"),
            "length": length if type(length) is int else -1, "items": items}  # fmt: skip


def standardize(student: Callable, *, seed: int) -> dict:
    """The student's ``standardize`` on the other split and on the training one, and
    whether it changed what it was given."""
    train, other, _constant = splits(seed)
    given = [other.clone(), train.clone(), train.clone(), train.clone()]
    outs = [student(given[0], given[1]), student(given[2], given[3])]
    kept = all(torch.equal(a, b) for a, b in zip(given, [other, train, train, train], strict=True))
    return {"other": _tensor(outs[0]), "train": _tensor(outs[1]), "unchanged": kept}
