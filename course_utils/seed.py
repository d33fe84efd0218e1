"""Seed every random number generator the course uses."""

from __future__ import annotations

import random
from numbers import Integral

import numpy as np
import torch

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "not_int": {
            "es": "La semilla debe ser un número entero (por ejemplo SEED = 0), no {kind} {value}.",
            "en": "The seed must be a whole number (for example SEED = 0), not {kind} {value}.",
        },
    }
)


def seed_everything(seed: int) -> torch.Generator:
    """Seed Python, NumPy and torch (CPU and CUDA); return a torch generator seeded the same.

    Pass the returned generator to ``DataLoader``/``random_split`` so shuffling is
    repeatable too.
    """
    if not isinstance(seed, Integral) or isinstance(seed, bool):
        raise TypeError(_("not_int", kind=type(seed).__name__, value=repr(seed)))
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    return torch.Generator().manual_seed(seed)
