"""Classification metrics from scikit-learn, fed with torch tensors or arrays."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn import metrics as sk

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "not_1d": {
            "es": "{name} debe ser un vector 1-D de clases enteras (forma (n,)); recibí forma "
            "{shape}. Si son logits (n, clases), usa primero .argmax(dim=1).",
            "en": "{name} must be a 1-D vector of integer classes (shape (n,)); got shape "
            "{shape}. If these are logits (n, classes), apply .argmax(dim=1) first.",
        },
        "not_int": {
            "es": "{name} debe contener clases enteras, no valores de tipo {dtype}.",
            "en": "{name} must hold integer classes, not values of type {dtype}.",
        },
        "lengths": {
            "es": "y_true tiene {a} elementos e y_pred {b}: deben ser iguales.",
            "en": "y_true has {a} items and y_pred {b}: they must match.",
        },
        "empty": {
            "es": "No hay predicciones que evaluar: y_true e y_pred están vacíos.",
            "en": "There are no predictions to evaluate: y_true and y_pred are empty.",
        },
        "range": {
            "es": "Hay clases fuera de 0..{last} ({found}): revisa el número de clases.",
            "en": "Some classes lie outside 0..{last} ({found}): check the number of classes.",
        },
        "square": {
            "es": "Una matriz de confusión es cuadrada; recibí forma {shape}.",
            "en": "A confusion matrix is square; got shape {shape}.",
        },
        "class": {"es": "clase", "en": "class"},
        "precision": {"es": "precisión", "en": "precision"},
        "recall": {"es": "exhaustividad", "en": "recall"},
        "f1": {"es": "F1", "en": "F1"},
        "support": {"es": "muestras", "en": "support"},
    }
)

COLUMNS = ("precision", "recall", "f1", "support")  # per_class's columns, as message keys


def _as_labels(name: str, values) -> np.ndarray:
    array = values.detach().cpu().numpy() if hasattr(values, "detach") else np.asarray(values)
    if array.ndim != 1:
        raise ValueError(_("not_1d", name=name, shape=tuple(array.shape)))
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise TypeError(_("not_int", name=name, dtype=array.dtype))
    return array


def _pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    a, b = _as_labels("y_true", y_true), _as_labels("y_pred", y_pred)
    if len(a) != len(b):
        raise ValueError(_("lengths", a=len(a), b=len(b)))
    if len(a) == 0:
        raise ValueError(_("empty"))
    return a, b


def _classes(a: np.ndarray, b: np.ndarray, n: int | None) -> np.ndarray | None:
    """``0..n-1`` (every label must be one of them), or None to use the labels present."""
    if n is None:
        return None
    both = np.concatenate([a, b])
    found = np.unique(both[(both < 0) | (both >= n)])
    if found.size:
        raise ValueError(_("range", last=n - 1, found=found.tolist()))
    return np.arange(n)


def accuracy(y_true, y_pred) -> float:
    """Fraction of correct predictions, between 0 and 1."""
    return float(sk.accuracy_score(*_pair(y_true, y_pred)))


def precision_recall_f1(y_true, y_pred, average: str = "macro") -> tuple[float, float, float]:
    """Precision, recall and F1, averaged over classes (``macro``) or ``weighted``."""
    p, r, f, _support = sk.precision_recall_fscore_support(
        *_pair(y_true, y_pred), average=average, zero_division=0
    )
    return float(p), float(r), float(f)


def per_class(y_true, y_pred, class_names=None) -> pd.DataFrame:
    """A table with precision, recall, F1 and support (samples) for each class.

    Its column headers and index name are in the current language (``COLUMNS`` holds the
    columns' message keys, in order); the numbers are the same in every language.
    """
    a, b = _pair(y_true, y_pred)
    labels = _classes(a, b, None if class_names is None else len(class_names))
    values = sk.precision_recall_fscore_support(a, b, labels=labels, zero_division=0)
    index = list(class_names) if class_names is not None else np.unique(np.concatenate([a, b]))
    table = pd.DataFrame(
        {_(key): column for key, column in zip(COLUMNS, values, strict=True)}, index=index
    )
    table.index.name = _("class")
    return table


def confusion(y_true, y_pred, num_classes: int | None = None) -> np.ndarray:
    """Confusion matrix: row = true class, column = predicted class."""
    a, b = _pair(y_true, y_pred)
    return sk.confusion_matrix(a, b, labels=_classes(a, b, num_classes))


def most_confused(cm: np.ndarray, k: int = 5) -> list[tuple[int, int, int]]:
    """The ``k`` largest off-diagonal cells as ``(true, predicted, count)``, largest first."""
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(_("square", shape=cm.shape))
    off = cm.copy()
    np.fill_diagonal(off, 0)
    order = np.argsort(-off, axis=None, kind="stable")[:k]  # ties: row-major order
    pairs = [tuple(int(v) for v in np.unravel_index(i, cm.shape)) for i in order]
    return [(t, p, int(off[t, p])) for t, p in pairs if off[t, p] > 0]
