"""What the check machinery says: results, crashes, and checks that could not run.

What an exception means to the student is in :mod:`course_utils.probes.crash_text`.
"""

from __future__ import annotations

from course_utils.i18n import Catalog

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
