"""What checks.checkpoint says: the mistakes it names in lesson 06's resume_training."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "not_list": {
            "es": "debe devolver la lista de pérdidas de las épocas que entrena, no «{kind}».",
            "en": "it must return the list of losses of the epochs it trains, not {kind}.",
        },
        "from_zero": {
            "es": "entrenó {got} época(s) en vez de {expected}: empieza en la época guardada en "
            "el punto de control, no en 0.",
            "en": "it trained {got} epoch(s) instead of {expected}: start at the epoch stored in "
            "the checkpoint, not at 0.",
        },
        "off_by_one": {
            "es": "entrenó {got} época(s) en vez de {expected}: el punto de control guarda cuántas "
            "épocas se hicieron, y ese número es justo la primera que falta.",
            "en": "it trained {got} epoch(s) instead of {expected}: the checkpoint stores how "
            "many epochs were done, which is exactly the first one still to do.",
        },
        "model": {
            "es": "el modelo que recibe no predice como el guardado: carga en él los pesos "
            "del punto de control.",
            "en": "the model it receives does not predict like the saved one: load the "
            "checkpoint's weights into it.",
        },
        "optimizer": {
            "es": "el optimizador no recuperó su estado (los momentos de Adam y su contador de "
            "pasos): cárgalo también desde el punto de control.",
            "en": "the optimizer did not get its state back (Adam's moments and step count): "
            "load it from the checkpoint too.",
        },
        "generator": {
            "es": "los pesos finales no coinciden con los de un entrenamiento sin cortes "
            "porque los lotes salen en otro orden: restaura también el estado del generador "
            "que baraja los datos («loader.generator»).",
            "en": "the final weights differ from an uninterrupted run's because the batches come "
            "in another order: also restore the state of the generator that shuffles the data "
            "(loader.generator).",
        },
        "different": {
            "es": "tras reanudar, los pesos finales no coinciden con los de un entrenamiento "
            "sin cortes: entrena cada época que falta con «train.train_epoch», una vez.",
            "en": "after resuming, the final weights differ from an uninterrupted run's: train "
            "every missing epoch with train.train_epoch, once.",
        },
        "losses": {
            "es": "las pérdidas devueltas no son las medias de cada época entrenada.",
            "en": "the returned losses are not the mean losses of the epochs trained.",
        },
    }
)
