"""What course_utils.plots writes on its figures and says about bad input."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "epoch": {"es": "Época", "en": "Epoch"},
        "loss": {"es": "Pérdida", "en": "Loss"},
        "accuracy": {"es": "Exactitud", "en": "Accuracy"},
        "train_loss": {"es": "Pérdida de entrenamiento", "en": "Training loss"},
        "val_loss": {"es": "Pérdida de validación", "en": "Validation loss"},
        "train_acc": {"es": "Exactitud de entrenamiento", "en": "Training accuracy"},
        "val_acc": {"es": "Exactitud de validación", "en": "Validation accuracy"},
        "curves": {"es": "Curvas de aprendizaje", "en": "Learning curves"},
        "gap_title": {
            "es": "Entrenamiento (discontinua) frente a validación (continua)",
            "en": "Training (dashed) versus validation (solid)",
        },
        "diverged": {
            "es": "{name}: divergió en la época {epoch} (inf/nan)",
            "en": "{name}: diverged at epoch {epoch} (inf/nan)",
        },
        "true": {"es": "Clase real", "en": "True class"},
        "pred": {"es": "Clase predicha", "en": "Predicted class"},
        "confusion": {"es": "Matriz de confusión", "en": "Confusion matrix"},
        "label": {"es": "real: {y}", "en": "true: {y}"},
        "label_pred": {"es": "real: {y}\npredicho: {p}", "en": "true: {y}\npredicted: {p}"},
        "none": {"es": "No hay imágenes que mostrar", "en": "No images to show"},
        "empty_history": {
            "es": "El historial está vacío: entrena al menos una época antes de dibujarlo "
            "(claves {keys}).",
            "en": "The history is empty: train at least one epoch before plotting it "
            "(keys {keys}).",
        },
        "image_shape": {
            "es": "Las imágenes deben tener forma (N, 1, H, W) o (N, H, W); recibí {shape}.",
            "en": "Images must be shaped (N, 1, H, W) or (N, H, W); got {shape}.",
        },
        "count": {
            "es": "Hay {n} imágenes pero {m} valores en {name}: deben ser tantos como imágenes.",
            "en": "There are {n} images but {m} values in {name}: give one per image.",
        },
        "square": {
            "es": "Una matriz de confusión es cuadrada; recibí forma {shape}.",
            "en": "A confusion matrix is square; got shape {shape}.",
        },
        "names": {
            "es": "La matriz tiene {n} clases pero class_names tiene {m} nombres.",
            "en": "The matrix has {n} classes but class_names has {m} names.",
        },
    }
)
