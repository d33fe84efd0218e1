"""What checks.penguins says: the mistakes it names in lesson 05's exercises."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "tensor": {
            "es": "{what} es un tensor: acumula números de Python con .item() (sumar tensores "
            "guarda en memoria todo el grafo de cálculo).",
            "en": "{what} is a tensor: add up Python numbers with .item() (adding tensors keeps "
            "the whole computation graph in memory).",
        },
        "not_number": {
            "es": "{what} debe ser un número de Python (float), no {kind}.",
            "en": "{what} must be a Python number (float), not {kind}.",
        },
        "pair": {
            "es": "debe devolver dos números, (pérdida media, exactitud), no {kind}.",
            "en": "it must return two numbers, (mean loss, accuracy), not {kind}.",
        },
        "steps": {
            "es": "tras la época los pesos no son los de un bucle correcto: deja los cuatro "
            "pasos como estaban (una actualización por lote).",
            "en": "after the epoch the weights are not those of a correct loop: keep the four "
            "steps as they were (one update per batch).",
        },
        "percent": {
            "es": "la exactitud está en porcentaje; devuélvela como fracción entre 0 y 1.",
            "en": "the accuracy is a percentage; return it as a fraction between 0 and 1.",
        },
        "per_batch_acc": {
            "es": "promedias las exactitudes de los lotes, pero el último lote es más pequeño: "
            "suma los aciertos de todos los lotes y divide entre el número de muestras.",
            "en": "it averages the batches' accuracies, but the last batch is smaller: add up "
            "the hits of every batch and divide by the number of samples.",
        },
        "last_batch": {
            "es": "el resultado solo tiene en cuenta el último lote; acumula sobre todos.",
            "en": "the result only takes the last batch into account; add up over all of them.",
        },
        "by_batches": {
            "es": "divides los aciertos entre el número de lotes; divide entre el de muestras.",
            "en": "it divides the hits by the number of batches; divide by the number of samples.",
        },
        "full_batches": {
            "es": "divides entre lotes × tamaño de lote, pero el último lote es más pequeño: "
            "suma len(y) de cada lote.",
            "en": "it divides by batches × batch size, but the last batch is smaller: add up "
            "len(y) of every batch.",
        },
        "count": {
            "es": "devuelve el número de aciertos; divídelo entre el número de muestras.",
            "en": "it returns the number of hits; divide it by the number of samples.",
        },
        "wrong_accuracy": {
            "es": "la exactitud es {got:.4f} y debería ser {expected:.4f}: cuenta las "
            "predicciones (argmax de los logits) iguales a su etiqueta en todos los lotes.",
            "en": "the accuracy is {got:.4f} and should be {expected:.4f}: count the predictions "
            "(argmax of the logits) equal to their label over every batch.",
        },
        "per_batch_loss": {
            "es": "promedias las pérdidas de los lotes, pero el último es más pequeño: pondera "
            "cada lote por su número de muestras.",
            "en": "it averages the batches' losses, but the last batch is smaller: weight each "
            "batch by its number of samples.",
        },
        "sum": {
            "es": "la pérdida es una suma; divídela entre el número de muestras.",
            "en": "the loss is a sum; divide it by the number of samples.",
        },
        "not_weighted": {
            "es": "cada loss.item() ya es la media de su lote: multiplícala por el tamaño del "
            "lote antes de sumar.",
            "en": "each loss.item() is already its batch's mean: multiply it by the batch's "
            "size before adding.",
        },
        "wrong_loss": {
            "es": "la pérdida es {got:.4f} y debería ser {expected:.4f}, la media por muestra "
            "de la época.",
            "en": "the loss is {got:.4f} and should be {expected:.4f}, the epoch's mean per "
            "sample.",
        },
        "no_forward": {
            "es": "no llamó al modelo con los lotes del loader.",
            "en": "it never called the model on the loader's batches.",
        },
        "no_eval": {
            "es": "el modelo estaba en modo entrenamiento: llama a model.eval() antes de "
            "evaluar (dropout y la normalización por lotes cambian su comportamiento).",
            "en": "the model was in training mode: call model.eval() before evaluating "
            "(dropout and batch normalization behave differently).",
        },
        "no_grad": {
            "es": "autograd seguía activo: evalúa dentro de with torch.no_grad(), porque "
            "nadie usará esos gradientes.",
            "en": "autograd was still on: evaluate inside with torch.no_grad(), since nobody "
            "will use those gradients.",
        },
        "changed": {
            "es": "la evaluación cambió los pesos: evaluar solo mide, no entrena.",
            "en": "the evaluation changed the weights: evaluating only measures, it never trains.",
        },
    }
)
