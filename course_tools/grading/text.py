"""What grading says: gradebook messages and the feedback file, in the student's language."""

from __future__ import annotations

from course_utils.i18n import LANGUAGES, Catalog

_ = Catalog(
    {
        "line": {"es": "(línea {line})", "en": "(line {line})"},
        "unreadable": {
            "es": "{file} no es un cuaderno legible ({error}). Entrega el archivo .ipynb tal "
            "como lo guarda Jupyter.",
            "en": "{file} is not a readable notebook ({error}). Hand in the .ipynb file as "
            "Jupyter saves it.",
        },
        "not_course": {
            "es": "{file} no dice de qué lección es (faltan sus metadatos del curso): entrega "
            "el cuaderno del paquete del curso, no uno nuevo.",
            "en": "{file} does not say which lesson it is (its course metadata is missing): "
            "hand in the notebook from the course pack, not a new one.",
        },
        "unknown_lesson": {
            "es": "el cuaderno dice ser la lección {lesson}, que este curso no tiene.",
            "en": "the notebook says it is lesson {lesson}, which this course does not have.",
        },
        "wrong_lesson": {
            "es": "este cuaderno es la lección {lesson}; esta tarea es {expected}.",
            "en": "this notebook is lesson {lesson}; this assignment is {expected}.",
        },
        "solution": {
            "es": "es el cuaderno de soluciones del curso, no el de ejercicios",
            "en": "this is the course's solution notebook, not the exercise notebook",
        },
        "timeout": {
            "es": "⌛ {exercise}: el cuaderno no terminó en {seconds} s; se detuvo en la "
            "celda {cell} («{line}»). Busca un bucle que no acaba o un trabajo que tarda "
            "demasiado.",
            "en": "⌛ {exercise}: the notebook did not finish within {seconds} s; it was "
            "stopped in cell {cell} (“{line}”). Look for a loop that never ends or work "
            "that takes too long.",
        },
        "died": {
            "es": "💥 {exercise}: el núcleo se cerró en la celda {cell} («{line}»): se quedó "
            "sin memoria o el código terminó Python.",
            "en": "💥 {exercise}: the kernel died in cell {cell} (“{line}”): it ran out of "
            "memory or the code ended Python.",
        },
        "crashed": {
            "es": "💥 {exercise}: no se pudo ejecutar el cuaderno ({error}).",
            "en": "💥 {exercise}: the notebook could not be run ({error}).",
        },
        "check_error": {
            "es": "❌ {exercise}: la comprobación no pudo ejecutarse ({error}). ¿Se ejecuta "
            "sin errores la celda del ejercicio?",
            "en": "❌ {exercise}: the check could not run ({error}). Does the exercise cell "
            "run without errors?",
        },
        "no_definition": {
            "es": "❌ {exercise}: el cuaderno no define «{name}». ¿Se ejecuta sin errores la "
            "celda del ejercicio?",
            "en": "❌ {exercise}: the notebook does not define {name}. Does the exercise cell "
            "run without errors?",
        },
        "tampered": {
            "es": "🚫 {exercise}: 0 puntos: el código entregado intentó alterar la corrección "
            "({what}).",
            "en": "🚫 {exercise}: 0 points: the submitted code tried to tamper with grading "
            "({what}).",
        },
        "check_timeout": {
            "es": "⌛ {exercise}: la comprobación de tus funciones no terminó en {seconds:.0f} s.",
            "en": "⌛ {exercise}: checking your functions did not finish within {seconds:.0f} s.",
        },
        "check_died": {
            "es": "💥 {exercise}: la comprobación de tus funciones terminó sin resultado (¿se "
            "quedó sin memoria, o tu código terminó Python?).",
            "en": "💥 {exercise}: checking your functions ended without a result (out of "
            "memory, or did your code end Python?).",
        },
        "no_path": {
            "es": "no hay nada en {path}: sin entrega.",
            "en": "there is nothing at {path}: nothing handed in.",
        },
        "no_notebook": {
            "es": "la carpeta {path} no tiene ningún cuaderno .ipynb: sin entrega.",
            "en": "the folder {path} holds no .ipynb notebook: nothing handed in.",
        },
        "not_a_file": {
            "es": "{path} no es un archivo normal dentro de la entrega (¿un enlace?): no se "
            "corrige.",
            "en": "{path} is not a regular file inside the hand-in (a link?): not graded.",
        },
        "not_handed_in": {
            "es": "está en la lista de la clase pero no entregó ningún cuaderno.",
            "en": "on the class roster, but handed in no notebook.",
        },
        "several": {
            "es": "entregó varios cuadernos; se corrigieron todos, revisa cuál cuenta",
            "en": "handed in several notebooks; all were graded, check which one counts",
        },
        "unlisted": {
            "es": "no está en la lista de la clase",
            "en": "not on the class roster",
        },
        "no_result": {
            "es": "❌ {exercise}: la comprobación no dio resultado.",
            "en": "❌ {exercise}: the check gave no result.",
        },
        "edited": {
            "es": "se cambió el texto de una celda de comprobación; se ejecutó la del curso",
            "en": "a check cell's text was changed; the course's check ran instead",
        },
        "moved": {
            "es": "se borraron, añadieron o movieron celdas de comprobación; las del curso se "
            "ejecutaron al final del cuaderno",
            "en": "check cells were deleted, added or moved; the course's checks ran at the "
            "end of the notebook",
        },
        "outputs_cut": {
            "es": "el cuaderno escribió demasiado: sus salidas se recortaron",
            "en": "the notebook wrote too much: its outputs were cut",
        },
        "cell_error": {
            "es": "la celda {cell} («{line}») lanzó {error}",
            "en": "cell {cell} (“{line}”) raised {error}",
        },
        "title": {"es": "# Comentarios para {student}", "en": "# Feedback for {student}"},
        "score": {
            "es": "## {lesson}: {points} de {max_points} puntos",
            "en": "## {lesson}: {points} of {max_points} points",
        },
        "file": {"es": "Archivo: `{file}`", "en": "File: `{file}`"},
        "errors": {
            "es": "Otros errores al ejecutar tu cuaderno:",
            "en": "Other errors while running your notebook:",
        },
    }
)


def say(key: str, lang: str, **values: object) -> str:
    """Message ``key`` in ``lang``; in every language, joined by " / ", when ``lang`` is unknown."""
    if lang in LANGUAGES:
        return _(key, lang, **values)
    return " / ".join(_(key, known, **values) for known in LANGUAGES)
