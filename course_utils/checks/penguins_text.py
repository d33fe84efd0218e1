"""What checks.penguins says: the mistakes it names in lesson 05's exercises."""

from __future__ import annotations

from course_utils.i18n import Catalog

_TENSOR = (
    "es un tensor: acumula números de Python con «.item()» (sumar tensores guarda en memoria "
    "todo el grafo de cálculo).",
    "is a tensor: add up Python numbers with .item() (adding tensors keeps the whole "
    "computation graph in memory).",
)
_NUMBER = ("debe ser un número de Python («float»), no «{kind}».",
           "must be a Python number (float), not {kind}.")  # fmt: skip

_ = Catalog(
    {
        "loss_tensor": {"es": f"la pérdida {_TENSOR[0]}", "en": f"the loss {_TENSOR[1]}"},
        "accuracy_tensor": {"es": f"la exactitud {_TENSOR[0]}", "en": f"the accuracy {_TENSOR[1]}"},
        "loss_not_number": {"es": f"la pérdida {_NUMBER[0]}", "en": f"the loss {_NUMBER[1]}"},
        "accuracy_not_number": {
            "es": f"la exactitud {_NUMBER[0]}",
            "en": f"the accuracy {_NUMBER[1]}",
        },
        "pair": {
            "es": "debe devolver dos números, (pérdida media, exactitud), no «{kind}».",
            "en": "it must return two numbers, (mean loss, accuracy), not {kind}.",
        },
        "wrong_tensors": {
            "es": "la pérdida debe comparar la salida del modelo para el lote actual con las "
            "etiquetas de ese mismo lote (en ese orden), y no fue así.",
            "en": "the loss must compare the model's output for the current batch with that "
            "same batch's labels (in that order), and it did not.",
        },
        "not_every_batch": {
            "es": "no entrenó con todos los lotes de «loader»: recórrelos todos.",
            "en": "it did not train on every batch of “loader”: go through all of them.",
        },
        "no_zero_grad": {
            "es": "los gradientes se acumulan de un lote al siguiente: llama a "
            "«optimizer.zero_grad()» en cada lote, antes de «loss.backward()».",
            "en": "gradients pile up from one batch to the next: call optimizer.zero_grad() "
            "on every batch, before loss.backward().",
        },
        "no_update": {
            "es": "los pesos no cambiaron en toda la época: en cada lote, «loss.backward()» "
            "calcula los gradientes y «optimizer.step()» mueve los pesos; hacen falta los dos.",
            "en": "the weights did not change in the whole epoch: on every batch, "
            "loss.backward() computes the gradients and optimizer.step() moves the weights; "
            "both are needed.",
        },
        "softmax": {
            "es": "aplica «softmax» antes de «criterion», pero «CrossEntropyLoss» ya lo hace "
            "por dentro: pásale los logits tal cual.",
            "en": "it applies softmax before criterion, but CrossEntropyLoss already does it "
            "inside: give it the raw logits.",
        },
        "steps": {
            "es": "tras la época los pesos no son los de un bucle correcto: en cada lote, "
            "predice, calcula la pérdida y llama a «zero_grad()», «backward()» y «step()», "
            "en ese orden (una actualización por lote).",
            "en": "after the epoch the weights are not those of a correct loop: on every batch, "
            "predict, compute the loss and call zero_grad(), backward() and step(), in that "
            "order (one update per batch).",
        },
        "ignores_criterion": {
            "es": "la pérdida con la que entrena no sale de «criterion»: calcúlala con "
            "«loss = criterion(logits, y)», la función de pérdida que recibe, y no con "
            "«F.cross_entropy» ni otra propia (quien llama a «train_epoch» elige la pérdida).",
            "en": "the loss it trains on does not come from criterion: compute it with "
            "loss = criterion(logits, y), the loss function it receives, not with "
            "F.cross_entropy or one of its own (whoever calls train_epoch chooses the loss).",
        },
        "device": {
            "es": "recibe «device» pero no llevó los lotes allí: mueve «X» e «y» con "
            "«.to(device)» en cada lote (en la CPU no cuesta nada; en una GPU el modelo "
            "fallaría sin ello).",
            "en": "it receives device but did not take the batches there: move X and y with "
            ".to(device) on every batch (on the CPU it costs nothing; on a GPU the model "
            "would fail without it).",
        },
        "train_mode": {
            "es": "el modelo no estaba en modo entrenamiento al entrenar: llama a "
            "«model.train()» al principio de la época (una evaluación anterior lo deja en modo "
            "evaluación).",
            "en": "the model was not in training mode while training: call model.train() at "
            "the start of the epoch (an earlier evaluation leaves it in evaluation mode).",
        },
        "percent": {
            "es": "la exactitud está en porcentaje; devuélvela como fracción entre 0 y 1.",
            "en": "the accuracy is a percentage; return it as a fraction between 0 and 1.",
        },
        "per_batch_acc": {
            "es": "promedias las exactitudes de los lotes, pero el último lote es más pequeño: "
            "suma los aciertos de todos los lotes y divide entre el número de muestras.",
            "en": "it averages the batches' accuracies, but the last batch is smaller: add up "
            "the correct predictions of every batch and divide by the number of samples.",
        },
        "last_batch": {
            "es": "el resultado solo tiene en cuenta el último lote; acumula sobre todos.",
            "en": "the result only takes the last batch into account; add up over all of them.",
        },
        "by_batches": {
            "es": "divides los aciertos entre el número de lotes; divide entre el de muestras.",
            "en": "it divides the correct predictions by the number of batches; divide by the "
            "number of samples.",
        },
        "full_batches": {
            "es": "divides entre lotes × tamaño de lote, pero el último lote es más pequeño: "
            "suma «len(y)» de cada lote.",
            "en": "it divides by batches × batch size, but the last batch is smaller: add up "
            "len(y) of every batch.",
        },
        "count": {
            "es": "devuelve el número de aciertos; divídelo entre el número de muestras.",
            "en": "it returns the number of correct predictions; divide it by the number of "
            "samples.",
        },
        "wrong_accuracy": {
            "es": "la exactitud es {got:.4f} y debería ser {expected:.4f}: cuenta las "
            "predicciones (el «argmax» de los logits) iguales a su etiqueta en todos los lotes.",
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
            "es": "cada «loss.item()» ya es la media de su lote: multiplícala por el tamaño "
            "del lote antes de sumar.",
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
            "es": "no llamó al modelo con los lotes de «loader».",
            "en": "it never called the model on the loader's batches.",
        },
        "eval_mode": {
            "es": "el modelo estaba en modo entrenamiento: llama a «model.eval()» antes de "
            "evaluar (el dropout y la normalización por lotes cambian su comportamiento).",
            "en": "the model was in training mode: call model.eval() before evaluating "
            "(dropout and batch normalization behave differently).",
        },
        "no_grad": {
            "es": "el cálculo de gradientes seguía activo: evalúa dentro de "
            "«with torch.no_grad():», porque nadie usará esos gradientes.",
            "en": "autograd was still on: evaluate inside with torch.no_grad(), since nobody "
            "will use those gradients.",
        },
        "changed": {
            "es": "la evaluación cambió los pesos: evaluar solo mide, no entrena.",
            "en": "the evaluation changed the weights: evaluating only measures, it never trains.",
        },
    }
)
