"""What an exception the student's code raised means, in the student's language."""

from __future__ import annotations

from course_utils.i18n import get_language

_SPANISH = {  # what each usual exception means, for a Spanish reader (Python says it in English)
    ZeroDivisionError: "una división entre cero: ¿se contaron cero muestras?",
    IndexError: "un índice fuera de rango",
    KeyError: "una clave que no existe",
    AttributeError: "un atributo o método que ese objeto no tiene",
    NameError: "un nombre que no está definido en el cuaderno",
    TypeError: "una operación con un tipo de dato o unos argumentos que no admite",
    ValueError: "un valor que la operación no admite",
    RuntimeError: "un error de PyTorch: suelen ser formas o tipos de tensor que no encajan",
}


def explain(error: BaseException) -> str:
    """What ``error`` means: Python's own text in English, a Spanish gloss in Spanish."""
    if get_language() == "en":
        return str(error) or type(error).__name__
    kind = next((k for k in type(error).__mro__ if k in _SPANISH), None)
    return _SPANISH[kind] if kind else "un error inesperado"
