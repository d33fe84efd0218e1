"""Palmer penguins, from the ``palmerpenguins`` package (no download needed)."""

from __future__ import annotations

import math
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
        # The species as the lessons' prose names them; the data keeps CLASS_NAMES.
        "Adelie": {"es": "Adelia", "en": "Adelie"},
        "Chinstrap": {"es": "barbijo", "en": "Chinstrap"},
        "Gentoo": {"es": "papúa", "en": "Gentoo"},
        "bill_length_mm": {"es": "longitud del pico (mm)", "en": "bill length (mm)"},
        "bill_depth_mm": {"es": "profundidad del pico (mm)", "en": "bill depth (mm)"},
        "flipper_length_mm": {"es": "longitud de la aleta (mm)", "en": "flipper length (mm)"},
        "body_mass_g": {"es": "masa corporal (g)", "en": "body mass (g)"},
        "too_few": {
            "es": "Quedan {counts} pingüinos por especie con las cuatro medidas; cada especie "
            "necesita al menos {needed} para separar entrenamiento y prueba. "
            "Revisa el filtro de la tabla.",
            "en": "{counts} penguins per species have all four measurements; each species "
            "needs at least {needed} to split into training and test. "
            "Check how the table was filtered.",
        },
        "columns": {
            "es": "A la tabla le faltan las columnas {missing}; necesita {needed}.",
            "en": "The table lacks the columns {missing}; it needs {needed}.",
        },
        "species": {
            "es": "Especies desconocidas {unknown}; solo conozco {known}.",
            "en": "Unknown species {unknown}; the known ones are {known}.",
        },
        "test_size": {
            "es": "test_size es la fracción para prueba, entre 0 y 1 (sin incluirlos); "
            "recibí {test_size}.",
            "en": "test_size is the fraction kept for testing, strictly between 0 and 1; "
            "got {test_size}.",
        },
        "shape": {
            "es": "Esperaba medidas con forma (n, 4) en el orden {features}; recibí {shape}.",
            "en": "Expected measurements shaped (n, 4) in the order {features}; got {shape}.",
        },
    }
)


def species_names(lang: str | None = None) -> list[str]:
    """The species in class order (0, 1, 2) as ``lang`` (default: the current one) names them.

    For what a student reads (legends, predictions); the data's labels stay ``CLASS_NAMES``.
    """
    return [_(name, lang) for name in CLASS_NAMES]


def feature_labels(lang: str | None = None, units: bool = True) -> list[str]:
    """The four measurements, in the order of ``FEATURES``, named for a reader, with units
    (``units=False``: without them, for standardized values, which have none)."""
    names = [_(name, lang) for name in FEATURES]
    return names if units else [name.rsplit(" (", 1)[0] for name in names]


def means(splits: dict[str, torch.Tensor], decimals: int = 2) -> pd.DataFrame:
    """Each split's mean of every measurement (rows: splits), rounded for reading."""
    values = np.array([X.mean(dim=0).tolist() for X in splits.values()]).round(decimals)
    columns = feature_labels(units=False)
    return pd.DataFrame(values + 0.0, index=list(splits), columns=columns)  # + 0.0: no -0


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
            raise ValueError(_("shape", features=FEATURES, shape=values.shape))
        return torch.from_numpy(self.scaler.transform(values).astype(np.float32))


def _clean(frame: pd.DataFrame, test_size: float) -> pd.DataFrame:
    """Keep the rows with the four measurements and a species; check a split is possible."""
    needed_columns = FEATURES + ["species"]
    missing = sorted(set(needed_columns) - set(frame.columns))
    if missing:
        raise ValueError(_("columns", missing=missing, needed=needed_columns))
    if not 0 < test_size < 1:
        raise ValueError(_("test_size", test_size=test_size))
    frame = frame.dropna(subset=needed_columns)
    unknown = sorted(set(frame["species"]) - set(CLASS_NAMES))
    if unknown:
        raise ValueError(_("species", unknown=unknown, known=CLASS_NAMES))
    # With this many of each species present, both parts hold every species (stratified).
    needed = math.ceil(1 / min(test_size, 1 - test_size))
    counts = frame["species"].value_counts().reindex(CLASS_NAMES, fill_value=0)
    if counts.sum() == 0 or counts[counts > 0].min() < needed:
        raise ValueError(_("too_few", counts=counts.to_dict(), needed=needed))
    return frame


def split(
    frame: pd.DataFrame | None = None, seed: int = 0, val_size: float = 0.2, test_size: float = 0.2
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Complete rows only, split (seeded, stratified) into training, validation and test tables.

    The test part is the one :func:`processed` sets aside; the validation part is ``val_size``
    of the rest. The tables keep their raw measurements and their original row labels.
    """
    frame = _clean(raw() if frame is None else frame, test_size)
    rest, test = train_test_split(
        frame, test_size=test_size, random_state=seed, stratify=frame["species"]
    )
    _clean(rest, val_size)
    train, val = train_test_split(
        rest, test_size=val_size, random_state=seed, stratify=rest["species"]
    )
    return train, val, test


def processed(frame: pd.DataFrame | None = None, test_size: float = 0.2, seed: int = 0) -> Penguins:
    """Drop rows with missing measurements, split (seeded, stratified) and standardize.

    The scaler is fitted on the training part only, so the test set stays unseen.
    """
    frame = _clean(raw() if frame is None else frame, test_size)
    X = frame[FEATURES].to_numpy(dtype=np.float32)
    y = frame["species"].map({name: i for i, name in enumerate(CLASS_NAMES)}).to_numpy()
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=y
    )
    scaler = StandardScaler().fit(X_tr)
    as_x = lambda a: torch.from_numpy(scaler.transform(a).astype(np.float32))  # noqa: E731
    as_y = lambda a: torch.from_numpy(a.astype(np.int64))  # noqa: E731
    return Penguins(as_x(X_tr), as_y(y_tr), as_x(X_te), as_y(y_te), scaler)
