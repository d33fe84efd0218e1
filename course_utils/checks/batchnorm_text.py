"""What checks.batchnorm says: the mistakes it names in lesson 04's exercises."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "no_bn": {
            "es": "el modelo no contiene ninguna capa «nn.BatchNorm1d».",
            "en": "the model holds no nn.BatchNorm1d layer.",
        },
        "shared": {
            "es": "la capa {name} se aplica {n} veces en cada pasada: una sola BatchNorm "
            "normaliza capas distintas y mezcla sus estadísticas. Cada capa oculta necesita "
            "la suya.",
            "en": "the layer {name} is applied {n} times per pass: one BatchNorm normalizes "
            "different layers and mixes their statistics. Each hidden layer needs its own.",
        },
        "after_output": {
            "es": "normaliza la salida de la última capa (los 10 logits); la BatchNorm va "
            "en las capas ocultas, no en la salida.",
            "en": "it normalizes the last layer's output (the 10 logits); BatchNorm belongs "
            "in the hidden layers, not on the output.",
        },
        "missing": {
            "es": "número de BatchNorm aplicadas en cada pasada: {n}; se pide una por capa "
            "oculta (dos).",
            "en": "number of BatchNorms applied in each pass: {n}; the exercise asks for one "
            "per hidden layer (two).",
        },
        "after_relu": {
            "es": "{name} solo recibe valores ≥ 0: está después de la ReLU. Ponla entre la "
            "capa lineal y la ReLU, como la fuente.",
            "en": "{name} only receives values ≥ 0: it sits after the ReLU. Put it between "
            "the linear layer and the ReLU, like the source.",
        },
        "size": {
            "es": "tiene {n} parámetros y se esperaban {expected}: 784 → 256 → 256 → 10 más "
            "γ y β (256 cada uno) en cada BatchNorm.",
            "en": "it has {n} parameters and {expected} were expected: 784 → 256 → 256 → 10 "
            "plus γ and β (256 each) in each BatchNorm.",
        },
        "shape": {
            "es": "para {n} imágenes ({n}, 1, 28, 28) devolvió la forma {shape}; se esperaba "
            "({n}, 10).",
            "en": "for {n} images ({n}, 1, 28, 28) it returned shape {shape}; expected ({n}, 10).",
        },
        "on_input": {
            "es": "normaliza también la imagen de entrada; la BatchNorm va solo en las capas "
            "ocultas.",
            "en": "it also normalizes the input image; BatchNorm belongs in the hidden layers "
            "only.",
        },
        "eval_ignored": {
            "es": "tras «model.eval()» la BatchNorm sigue en modo entrenamiento: algo la vuelve "
            "a poner en ese modo en «forward»; deja que el modelo decida su modo.",
            "en": "after model.eval() BatchNorm is still in training mode: something in forward "
            "switches it back; let the model decide its mode.",
        },
        "no_running_stats": {
            "es": "la BatchNorm no guarda estadísticas acumuladas («track_running_stats=False»), "
            "así que al evaluar usa las del lote: crea «nn.BatchNorm1d(256)» sin más.",
            "en": "BatchNorm keeps no running statistics (track_running_stats=False), so at "
            "evaluation it uses the batch's: create nn.BatchNorm1d(256) and nothing more.",
        },
        "batch_dependent": {
            "es": "en modo evaluación la salida de una imagen cambia según las demás imágenes del "
            "lote: la BatchNorm sigue usando las estadísticas del lote (modo entrenamiento) "
            "en vez de las acumuladas.",
            "en": "in evaluation mode the output for one image changes with the other images in "
            "the batch: BatchNorm keeps using the batch statistics (training mode) instead "
            "of the running ones.",
        },
        "names": {
            "es": "las celdas siguientes de la lección usan tus capas por su nombre: "
            "«model.fc1» (784 → 256), «model.bn1» (su BatchNorm), «model.fc2» (256 → 256) y "
            "«model.bn2» (su BatchNorm), y con esta clase fallarían: {problem}. Llama a las "
            "capas como en el modelo de la fuente.",
            "en": "the lesson's later cells use your layers by name: model.fc1 (784 → 256), "
            "model.bn1 (its BatchNorm), model.fc2 (256 → 256) and model.bn2 (its BatchNorm), "
            "and with this class they would fail: {problem}. Name the layers as in the "
            "source's model.",
        },
        "names_missing": {
            "es": "no tiene {names}",
            "en": "it has no {names}",
        },
        "names_order": {
            "es": "«bn1» debe ser la BatchNorm que se aplica a la primera capa oculta, y «bn2» "
            "la que se aplica a la segunda",
            "en": "bn1 must be the BatchNorm applied to the first hidden layer, and bn2 the one "
            "applied to the second",
        },
        "names_fail": {
            "es": "llamarlas así produce un «{error}»",
            "en": "calling them that way raises {error}",
        },
    }
)
