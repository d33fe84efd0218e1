"""What the Gradescope autograder says to a student, beside the grader's own messages."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "no_notebook": {
            "es": "No hay ningún cuaderno .ipynb en tu entrega: sube el archivo {lesson}.ipynb "
            "del paquete del curso, con tus respuestas. Puntuación: 0.",
            "en": "There is no .ipynb notebook in your submission: upload the file "
            "{lesson}.ipynb from the course pack, with your answers. Score: 0.",
        },
        "several": {
            "es": "Tu entrega tiene {count} cuadernos: se corrigieron {graded} y cuenta el "
            "mejor, {file}.",
            "en": "Your submission holds {count} notebooks: {graded} were graded and the best "
            "one counts, {file}.",
        },
        "broken": {
            "es": "El corrector automático falló ({error}): tu entrega no se ha podido "
            "calificar. Avisa a tu profesor o profesora.",
            "en": "The autograder failed ({error}): your submission could not be graded. "
            "Tell your instructor.",
        },
    }
)


def say(key: str, lang: str, **values: object) -> str:
    """Message ``key`` in ``lang``."""
    return _(key, lang, **values)
