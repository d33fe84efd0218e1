"""What checks.regularization says: the mistakes it names in lesson 03's exercises."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "shape": {
            "es": "para 8 imágenes (8, 1, 28, 28) devolvió la forma {shape}; se esperaba (8, 10).",
            "en": "for 8 images (8, 1, 28, 28) it returned shape {shape}; expected (8, 10).",
        },
        "size": {
            "es": "tiene {n} parámetros; la red debe seguir siendo 784 → 256 → 256 → 10 "
            "({expected}); el dropout no añade ninguno.",
            "en": "it has {n} parameters; the network must stay 784 → 256 → 256 → 10 "
            "({expected}); dropout adds none.",
        },
        "unused": {
            "es": "la capa {name} se crea en __init__ pero forward nunca la usa.",
            "en": "the layer {name} is created in __init__ but forward never uses it.",
        },
        "after_output": {
            "es": "aplica dropout a la salida de la última capa (los 10 logits): borra "
            "puntuaciones de clases al azar. El dropout va tras las capas ocultas.",
            "en": "it applies dropout to the last layer's output (the 10 logits): that "
            "erases class scores at random. Dropout belongs after the hidden layers.",
        },
        "count": {
            "es": "número de dropouts aplicados en cada pasada: {n}; se pide uno tras cada "
            "una de las dos capas ocultas.",
            "en": "number of dropouts applied in each pass: {n}; the exercise asks for one "
            "after each of the two hidden layers.",
        },
        "wrong_p": {
            "es": "con MLPDropout(p=0.5) el dropout usa probabilidad {got}: pasa p a las capas.",
            "en": "with MLPDropout(p=0.5) dropout uses probability {got}: pass p to the layers.",
        },
        "eval_active": {
            "es": "en modo eval() dos pasadas sobre las mismas imágenes dan resultados "
            "distintos: el dropout sigue activo al evaluar (¿F.dropout sin training=?).",
            "en": "in eval() mode two passes over the same images give different results: "
            "dropout stays on at evaluation (F.dropout without training=?).",
        },
        "train_mode": {
            "es": "el modelo se evaluó en modo entrenamiento: llama a model.eval() antes "
            "de predecir, o el dropout seguirá apagando neuronas.",
            "en": "the model was evaluated in training mode: call model.eval() before "
            "predicting, or dropout keeps switching neurons off.",
        },
        "grad": {
            "es": "calcula gradientes al evaluar: envuelve las predicciones en torch.no_grad().",
            "en": "it computes gradients while evaluating: wrap the predictions in "
            "torch.no_grad().",
        },
        "per_batch": {
            "es": "devolvió {got:.4f}, la media de las exactitudes de cada lote; el último "
            "lote es más corto: cuenta aciertos y divide por el número total de imágenes.",
            "en": "it returned {got:.4f}, the mean of per-batch accuracies; the last batch "
            "is shorter: count correct predictions and divide by the total number of images.",
        },
        "percent": {
            "es": "devolvió {got}: se pide una fracción entre 0 y 1, no un porcentaje.",
            "en": "it returned {got}: the exercise asks for a fraction between 0 and 1, not "
            "a percentage.",
        },
        "wrong": {
            "es": "devolvió {got}; la exactitud de este modelo en estos datos es otra.",
            "en": "it returned {got}; this model's accuracy on this data is something else.",
        },
    }
)
