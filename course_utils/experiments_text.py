"""What the experiments of lessons 03-04 say: progress, the results table and its verdicts."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "epoch": {
            "es": "época {epoch} · pérdida de entrenamiento {train:.4f} · de validación {val:.4f}",
            "en": "epoch {epoch} · training loss {train:.4f} · validation loss {val:.4f}",
        },
        "progress": {"es": "variantes × semillas", "en": "variants × seeds"},
        "baseline": {"es": "base (mlp)", "en": "baseline (mlp)"},
        "l2": {"es": "L2 (weight_decay=1e-5)", "en": "L2 (weight_decay=1e-5)"},
        "dropout": {"es": "dropout p=0.2", "en": "dropout p=0.2"},
        "bn_shared": {"es": "BN compartida (fuente)", "en": "shared BN (source)"},
        "bn": {"es": "BN corregida", "en": "fixed BN"},
        "train": {"es": "modo entrenamiento (como la fuente)", "en": "train() (as the source)"},
        "eval": {"es": "modo evaluación", "en": "eval()"},
        "columns": {
            "es": "variante|evaluada en|exactitud de validación (%)|semillas|"
            "fuente: prueba, una ejecución (%)",
            "en": "variant|evaluated with|validation accuracy (%)|seeds|source: test, one run (%)",
        },
        "verdict": {
            "es": "{row}: {diff:+.2f} puntos frente a la base, semilla a semilla (error típico "
            "{se:.2f}; intervalo del 95%: {low:+.2f} a {high:+.2f}) → {judgement}",
            "en": "{row}: {diff:+.2f} points from the baseline, seed by seed (standard error "
            "{se:.2f}; 95% interval: {low:+.2f} to {high:+.2f}) → {judgement}",
        },
        "larger": {
            "es": "el intervalo no contiene el 0: la diferencia es real",
            "en": "the interval excludes 0: the difference is real",
        },
        "one_seed": {
            "es": "{row}: {diff:+.2f} puntos frente a la base; con una sola semilla no hay "
            "intervalo que calcular",
            "en": "{row}: {diff:+.2f} points from the baseline; with a single seed there "
            "is no interval to compute",
        },
        "within": {
            "es": "el intervalo contiene el 0: no se distingue del azar",
            "en": "the interval contains 0: not told apart from chance",
        },
        "bad_mode": {
            "es": "modo de evaluación desconocido {mode!r}: usa 'train' o 'eval'.",
            "en": "unknown evaluation mode {mode!r}: use 'train' or 'eval'.",
        },
    }
)
