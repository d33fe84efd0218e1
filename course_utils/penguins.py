"""Palmer penguins, from the ``palmerpenguins`` package (no download needed)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import palmerpenguins
import pandas as pd
import torch
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from course_utils.i18n import Catalog

FEATURES = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
CLASS_NAMES = ["Adelie", "Chinstrap", "Gentoo"]

_ = Catalog(
    {
        "too_few": {
            "es": "Solo quedan {n} pingüinos con las cuatro medidas; hacen falta al menos "
            "{needed} para separar entrenamiento y prueba. Revisa el filtro de la tabla.",
            "en": "Only {n} penguins have all four measurements; at least {needed} are "
            "needed to split into training and test. Check how the table was filtered.",
        },
        "columns": {
            "es": "A la tabla le faltan las columnas {missing}; necesita {needed}.",
            "en": "The table lacks the columns {missing}; it needs {needed}.",
        },
        "shape": {
            "es": "Esperaba medidas con forma (n, 4) en el orden {features}; recibí {shape}.",
            "en": "Expected measurements shaped (n, 4) in the order {features}; got {shape}.",
        },
    }
)


def raw() -> pd.DataFrame:
    """The raw table (344 penguins, 8 columns, some values missing) for exploration."""
    return palmerpenguins.load_penguins()


@dataclass
class Penguins:
    """Standardized features and labels (0 Adelie, 1 Chinstrap, 2 Gentoo), split 80:20."""

    X_train: torch.Tensor
    y_train: torch.Tensor
    X_test: torch.Tensor
    y_test: torch.Tensor
    scaler: StandardScaler
    feature_names: tuple[str, ...] = tuple(FEATURES)
    class_names: tuple[str, ...] = tuple(CLASS_NAMES)

    def scale(self, measurements) -> torch.Tensor:
        """Standardize raw measurements (mm, mm, mm, g) with the training part's scaling."""
        values = np.asarray(measurements, dtype=np.float32)
        if values.ndim != 2 or values.shape[1] != len(FEATURES):
            raise ValueError(_.both("shape", features=FEATURES, shape=values.shape))
        return torch.from_numpy(self.scaler.transform(values).astype(np.float32))


def processed(frame: pd.DataFrame | None = None, test_size: float = 0.2, seed: int = 0) -> Penguins:
    """Drop rows with missing measurements, split (seeded, stratified) and standardize.

    The scaler is fitted on the training part only, so the test part stays unseen.
    """
    frame = raw() if frame is None else frame
    missing = sorted(set(FEATURES + ["species"]) - set(frame.columns))
    if missing:
        raise ValueError(_.both("columns", missing=missing, needed=FEATURES + ["species"]))
    frame = frame.dropna(subset=FEATURES + ["species"])
    needed = len(CLASS_NAMES) * 2
    if len(frame) < needed:
        raise ValueError(_.both("too_few", n=len(frame), needed=needed))
    X = frame[FEATURES].to_numpy(dtype=np.float32)
    y = frame["species"].map({name: i for i, name in enumerate(CLASS_NAMES)}).to_numpy()
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=y
    )
    scaler = StandardScaler().fit(X_tr)
    as_x = lambda a: torch.from_numpy(scaler.transform(a).astype(np.float32))  # noqa: E731
    as_y = lambda a: torch.from_numpy(a.astype(np.int64))  # noqa: E731
    return Penguins(as_x(X_tr), as_y(y_tr), as_x(X_te), as_y(y_te), scaler)
