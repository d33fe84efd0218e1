"""What the check machinery says: results, crashes, and checks that could not run."""

from __future__ import annotations

from course_utils.i18n import Catalog, get_language

_ = Catalog(
    {
        "passed": {"es": "✅ {exercise}: ¡correcto!", "en": "✅ {exercise}: correct!"},
        "failed": {"es": "❌ {exercise}: {reason}", "en": "❌ {exercise}: {reason}"},
        "todo": {
            "es": "⏳ {exercise}: aún sin hacer. Escribe tu solución donde dice "
            "NotImplementedError y vuelve a ejecutar esta celda.",
            "en": "⏳ {exercise}: not done yet. Write your solution where it says "
            "NotImplementedError and run this cell again.",
        },
        "also": {"es": "   Además: {reason}", "en": "   Also: {reason}"},
        "crashed": {
            "es": "tu código lanzó «{error}» ({what}) en la línea «{line}». Corrígelo y "
            "vuelve a probar.",
            "en": "your code raised {error} ({what}) at the line “{line}”. Fix it and try again.",
        },
        "check_could_not_run": {
            "es": "la comprobación no pudo ejecutar tu código porque {reason}",
            "en": "the check could not run your code because {reason}",
        },
        "internal": {
            "es": "falló por dentro («{error}»), sin llegar a una línea tuya. Vuelve a "
            "ejecutar la celda; si se repite, avisa a quien imparte el curso.",
            "en": "it failed inside itself ({error}) without reaching a line of yours. Run "
            "the cell again; if it happens again, tell your instructor.",
        },
        "borrowed": {
            "es": "esto es «{name}» de {module}, el código del propio curso: escribe el tuyo "
            "en vez de importarlo.",
            "en": "this is “{name}” from {module}, the course's own code: write your own "
            "instead of importing it.",
        },
        "skipped": {
            "es": "⏳ Esta celda usa tu solución del ejercicio de arriba; se ejecutará "
            "cuando lo termines.",
            "en": "⏳ This cell uses your solution to the exercise above; it will run "
            "once you finish it.",
        },
    }
)

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
