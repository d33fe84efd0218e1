"""What checks.unused_bn says: the mistakes it names in lesson 04's ``unused_batchnorms``."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "not_names": {
            "es": "devolvió un valor de tipo «{kind}» donde se esperaba el nombre de una "
            "capa: se pide una lista con los nombres (texto) de las BatchNorm que no se "
            "ejecutaron, tal como los da «model.named_modules()», por ejemplo "
            "«blocks.1.norm».",
            "en": "it returned a value of type {kind} where a layer's name was expected: the "
            "exercise asks for a list with the names (strings) of the BatchNorm layers that "
            "did not run, as model.named_modules() gives them, for instance 'blocks.1.norm'.",
        },
        "ran_returned": {
            "es": "devolvió {got}: son BatchNorm que sí se ejecutaron en la pasada: se piden las "
            "que no se ejecutaron nunca.",
            "en": "it returned {got}: BatchNorm layers that did run in the pass: the exercise "
            "asks for those that never ran.",
        },
        "not_bn": {
            "es": "devolvió {got}, y {name} no es una BatchNorm: se piden solo las capas "
            "«nn.BatchNorm1d» que no se ejecutaron, no cualquier módulo sin usar.",
            "en": "it returned {got}, and {name} is not a BatchNorm: the exercise asks only "
            "for the nn.BatchNorm1d layers that did not run, not any unused module.",
        },
        "all_returned": {
            "es": "devolvió todas las BatchNorm del modelo ({n}), también las que sí trabajan: "
            "¿se ejecutó «model(batch)» con los hooks ya puestos, antes de quitarlos?",
            "en": "it returned every BatchNorm of the model ({n}), also those that do work: "
            "did model(batch) run with the hooks in place, before removing them?",
        },
        "nested": {
            "es": "devolvió {got}, pero falta la BatchNorm de un bloque anidado: recorre el "
            "modelo entero con «model.named_modules()», no solo sus hijos directos "
            "(«children()»).",
            "en": "it returned {got}, but the BatchNorm of a nested block is missing: walk "
            "the whole model with model.named_modules(), not only its direct children "
            "(children()).",
        },
        "wrong": {
            "es": "devolvió {got}; en este modelo no se ejecutan {n} BatchNorm, y la respuesta "
            "no coincide con ellas.",
            "en": "it returned {got}; in this model {n} BatchNorm layers never run, and the "
            "answer does not match them.",
        },
        "stats_changed": {
            "es": "la pasada cambió las estadísticas acumuladas del modelo ({names}): en modo "
            "entrenamiento, cada BatchNorm que se ejecuta actualiza «running_mean», "
            "«running_var» y «num_batches_tracked». Haz la pasada en modo evaluación.",
            "en": "the pass changed the model's running statistics ({names}): in training "
            "mode, each BatchNorm that runs updates running_mean, running_var and "
            "num_batches_tracked. Run the pass in evaluation mode.",
        },
        "backward": {
            "es": "después de tu función, {n} parámetros del modelo tienen gradiente: basta "
            "una pasada hacia delante, sin «backward()», dentro de «torch.no_grad()».",
            "en": "after your function, {n} of the model's parameters have a gradient: one "
            "forward pass is enough, without backward(), inside torch.no_grad().",
        },
        "hooks_left": {
            "es": "después de tu función quedan {n} hooks en el modelo, que seguirían "
            "ejecutándose en cada pasada: quítalos con el «.remove()» del objeto que "
            "devuelve «register_forward_hook» (en un «finally», para que se quiten siempre).",
            "en": "after your function {n} hooks are left on the model, and they would run "
            "on every later pass: remove them with .remove() on what register_forward_hook "
            "returns (in a finally, so that they always go).",
        },
        "mode_changed": {
            "es": "el modelo estaba en modo {before} y tu función lo dejó en modo {after}: "
            "guarda «model.training» antes y devuélvelo con «model.train(...)» al acabar.",
            "en": "the model was in {before} mode and your function left it in {after} mode: "
            "keep model.training before and give it back with model.train(...) at the end.",
        },
        "training": {"es": "entrenamiento", "en": "training"},
        "evaluation": {"es": "evaluación", "en": "evaluation"},
        "mixed": {"es": "mixto (unas capas en cada modo)", "en": "mixed (some layers in each)"},
    }
)
