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
        "needs_exercise": {
            "es": "⏳ Esta celda necesita tu «{exercise}», que aún está por escribir: "
            "termina el ejercicio de arriba, ejecuta su celda y luego esta.",
            "en": "⏳ This cell needs your “{exercise}”, which is still to write: finish "
            "the exercise above, run its cell, then this one.",
        },
        "needs_result": {
            "es": "⏳ Esta celda usa «{name}», que sale de una celda de arriba que espera "
            "tu «{exercises}»: termina el ejercicio y ejecuta las celdas desde allí.",
            "en": "⏳ This cell uses “{name}”, which comes from a cell above that waits for "
            "your “{exercises}”: finish the exercise and run the cells from there.",
        },
    }
)
