"""course_utils.seed: one call makes CPU runs repeatable."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import seed

DATASET = TensorDataset(torch.arange(20))


def _run(value: int, pass_generator: bool) -> dict:
    """Everything random a lesson does right after seeding."""
    generator = seed.seed_everything(value)
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 2))
    model.train()
    loader_args = {"generator": generator} if pass_generator else {}
    loader = DataLoader(DATASET, batch_size=5, shuffle=True, **loader_args)
    return {
        "weights": [p.detach().clone() for p in model.parameters()],
        "dropout": model(torch.ones(3, 4)).detach(),
        "order": [batch[0].tolist() for _ in range(2) for batch in loader],
        "python": random.random(),
        "numpy": np.random.rand(),
    }


def _same(a: dict, b: dict) -> dict[str, bool]:
    same = {key: a[key] == b[key] for key in ("order", "python", "numpy")}
    same["weights"] = all(
        torch.equal(x, y) for x, y in zip(a["weights"], b["weights"], strict=True)
    )
    same["dropout"] = torch.equal(a["dropout"], b["dropout"])
    return same


@pytest.mark.parametrize("pass_generator", [True, False])
def test_same_seed_same_run(pass_generator):
    first, second = _run(0, pass_generator), _run(0, pass_generator)
    assert all(_same(first, second).values()), _same(first, second)


@pytest.mark.parametrize("pass_generator", [True, False])
def test_different_seeds_differ(pass_generator):
    first, second = _run(0, pass_generator), _run(1, pass_generator)
    assert not any(_same(first, second).values()), _same(first, second)


@pytest.mark.parametrize("value", [123, 0, -1, 2**40, np.int64(7)])
def test_returns_a_generator_seeded_the_same(value):
    generator = seed.seed_everything(value)
    assert isinstance(generator, torch.Generator)
    assert generator.initial_seed() == torch.initial_seed()
    assert torch.equal(torch.rand(3, generator=generator), torch.rand(3))


NOT_INT = {
    "es": "La semilla debe ser un número entero (por ejemplo SEED = 0), no {kind} {value}.",
    "en": "The seed must be a whole number (for example SEED = 0), not {kind} {value}.",
}


@pytest.mark.parametrize("bad", ["0", 1.5, True, None, np.float64(3)])
def test_seed_must_be_an_int_in_the_current_language(bad, lang):
    with pytest.raises(TypeError) as caught:
        seed.seed_everything(bad)
    message = str(caught.value)
    assert message == NOT_INT[lang].format(kind=type(bad).__name__, value=repr(bad))
