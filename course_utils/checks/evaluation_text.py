"""What checks.evaluation says: the mistakes it names in lesson 02's evaluate and fit."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "no_forward": {
            "es": "nunca llamó al modelo con los lotes de «loader».",
            "en": "it never called the model on the batches of “loader”.",
        },
        "eval_mode": {
            "es": "el modelo estaba en modo entrenamiento al evaluar: llama a «model.eval()» "
            "antes del bucle (el dropout y la normalización por lotes se comportan distinto).",
            "en": "the model was in training mode while evaluating: switch it to evaluation "
            "mode before the loop (dropout and batch norm behave differently).",
        },
        "changed": {
            "es": "la evaluación cambió los pesos del modelo: debe medir, nunca entrenar.",
            "en": "evaluating changed the model's weights: it must measure, never train.",
        },
        "no_grad": {
            "es": "se calcularon gradientes durante la evaluación: envuelve el bucle en "
            "«torch.no_grad()» (ahorra memoria y tiempo).",
            "en": "gradients were computed during evaluation: wrap the loop in "
            "torch.no_grad() (it saves memory and time).",
        },
        "not_pair": {
            "es": "debe devolver dos números de Python (pérdida, exactitud), no «{got}».",
            "en": "it must return two Python numbers (loss, accuracy), not {got}.",
        },
        "per_batch": {
            "es": "la pérdida es la media de las medias de cada lote, que da demasiado peso "
            "al último lote (más pequeño): promedia por muestra.",
            "en": "the loss is the mean of the batches' means, which gives the (smaller) last "
            "batch too much weight: average per sample.",
        },
        "ignores_criterion": {
            "es": "la pérdida no se calcula con «criterion», la función de pérdida que recibe, "
            "sino con otra (¿«F.cross_entropy»?): usa siempre «criterion(logits, y)».",
            "en": "the loss is not computed with criterion, the loss function it receives, "
            "but with another one (F.cross_entropy?): always use criterion(logits, y).",
        },
        "loss": {
            "es": "la pérdida devuelta es {got:.4f}; la media por muestra es {expected:.4f}.",
            "en": "the returned loss is {got:.4f}; the mean per sample is {expected:.4f}.",
        },
        "percent": {
            "es": "la exactitud es {got:g}, un porcentaje: en el curso es una fracción entre "
            "0 y 1 (se muestra como % al imprimirla).",
            "en": "the accuracy is {got:g}, a percentage: in this course it is a fraction "
            "between 0 and 1 (shown as % when printed).",
        },
        "accuracy": {
            "es": "la exactitud devuelta es {got:.4f}; la fracción de aciertos es {expected:.4f}.",
            "en": "the returned accuracy is {got:.4f}; the fraction correct is {expected:.4f}.",
        },
        "uses_test": {
            "es": "«fit» usa «{name}»: los datos de prueba no pueden intervenir en elegir el "
            "modelo; usa solo los de validación.",
            "en": "fit uses {name}: test data must play no part in choosing the model; use "
            "the validation data only.",
        },
        "history": {
            "es": "tras {epochs} épocas, «history[{name!r}]» debe tener {epochs} valores y "
            "tiene {got}.",
            "en": "after {epochs} epochs, history[{name!r}] must hold {epochs} values and "
            "holds {got}.",
        },
        "passes": {
            "es": "en {epochs} épocas se recorrió {got} veces «{which}»: debe ser una vez por "
            "época.",
            "en": "in {epochs} epochs {which} was gone through {got} times: once per epoch.",
        },
        "not_dict": {
            "es": "debe devolver el diccionario «history», no «{kind}».",
            "en": "it must return the dictionary history, not {kind}.",
        },
        "kept_last": {
            "es": "al final el modelo tiene los pesos de la última época, no los de la mejor: "
            "guarda una copia de los pesos, no una referencia que sigue cambiando.",
            "en": "at the end the model holds the last epoch's weights, not the best one's: "
            "keep a copy of the weights, not a reference that keeps changing.",
        },
        "best_by_accuracy": {
            "es": "al final el modelo tiene los pesos de la época con mayor exactitud de "
            "validación, no los de la época con menor pérdida de validación: la mejor época "
            "se elige por «val_loss».",
            "en": "at the end the model holds the weights of the epoch with the highest "
            "validation accuracy, not those of the epoch with the lowest validation loss: "
            "the best epoch is chosen by val_loss.",
        },
        "best_loss_not_updated": {
            "es": "«best_loss» no se actualiza nunca: sigue valiendo infinito, así que cada "
            "época parece la mejor y el modelo acaba con los pesos de la última. Cuando la "
            "pérdida de validación mejore, guárdala también en «best_loss».",
            "en": "best_loss is never updated: it is still infinite, so every epoch looks "
            "like the best and the model ends with the last one's weights. When the "
            "validation loss improves, store it in best_loss too.",
        },
        "history_values": {
            "es": "«history[{name!r}]» tiene {got} en la época {epoch}, y esa época dio "
            "{expected:.4f}.",
            "en": "history[{name!r}] holds {got} for epoch {epoch}, and that epoch gave "
            "{expected:.4f}.",
        },
        "not_best": {
            "es": "al final el modelo no tiene los pesos de la época con menor pérdida de "
            "validación.",
            "en": "at the end the model does not hold the weights of the epoch with the "
            "lowest validation loss.",
        },
    }
)
