"""What the class report of predictions says, in the batch's language."""

from __future__ import annotations

from course_utils.i18n import LANGUAGES, Catalog

_ = Catalog(
    {
        "title": {"es": "Predicciones de la clase", "en": "The class's predictions"},
        "intro": {
            "es": "Cuántos estudiantes eligieron cada opción antes de ver la demostración, "
            "y después. Es formativo: no cambia ninguna nota.",
            "en": "How many students chose each option before seeing the demonstration, "
            "and after it. It is formative: it changes no grade.",
        },
        "option": {"es": "opción", "en": "option"},
        "misconception": {"es": "idea errónea", "en": "misconception"},
        "before": {"es": "antes", "en": "before"},
        "after": {"es": "después de la demostración", "en": "after the demonstration"},
        "no_answer": {"es": "sin respuesta", "en": "no answer"},
        "unreadable": {
            "es": 'respuesta ilegible (no es `prediction = "b"`)',
            "en": 'unreadable answer (not `prediction = "b"`)',
        },
        "missing": {"es": "sin celda de predicción", "en": "no prediction cell"},
        "misconceptions": {
            "es": "Ideas erróneas y quién las tiene",
            "en": "Misconceptions and who holds them",
        },
        "nobody": {
            "es": "Nadie predijo una opción errónea.",
            "en": "Nobody predicted a wrong option.",
        },
        "late": {
            "es": "Respuestas dadas después de la demostración",
            "en": "Answers given after the demonstration",
        },
        "none_late": {
            "es": "Ninguna: todas se dieron antes.",
            "en": "None: every answer came before it.",
        },
    }
)


def say(key: str, lang: str, **values: object) -> str:
    """Message ``key`` in ``lang`` (the first language when ``lang`` is unknown)."""
    return _(key, lang if lang in LANGUAGES else LANGUAGES[0], **values)
