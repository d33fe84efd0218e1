"""What checks.training says: the mistakes it names in lesson 01's train_epoch."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "no_forward": {
            "es": "nunca llamó al modelo con los lotes de «loader».",
            "en": "it never called the model on the batches of “loader”.",
        },
        "wrong_tensors": {
            "es": "la pérdida debe comparar la salida del modelo para el lote actual con las "
            "etiquetas de ese mismo lote (en ese orden), y no fue así.",
            "en": "the loss must compare the model's output for the current batch with that "
            "same batch's labels (in that order), and it did not.",
        },
        "no_backward": {
            "es": "no se calculó ningún gradiente: falta la retropropagación («loss.backward()»).",
            "en": "no gradient was ever computed: the backward pass (“loss.backward()”) is "
            "missing.",
        },
        "no_grad": {
            "es": "el modelo se ejecutó con el cálculo de gradientes apagado («torch.no_grad()» "
            "o «torch.inference_mode()»), así que no hay gradientes con los que entrenar: "
            "quita ese «with» (o el decorador) del bucle de entrenamiento; es solo para evaluar.",
            "en": "the model ran with gradient tracking off (torch.no_grad() or "
            "torch.inference_mode()), so there are no gradients to train with: take that "
            "with (or the decorator) off the training loop; it is only for evaluating.",
        },
        "no_step": {
            "es": "los gradientes se calcularon pero los pesos no cambiaron: falta el paso "
            "del optimizador («optimizer.step()»).",
            "en": "gradients were computed but the weights never changed: the optimizer "
            "step (“optimizer.step()”) is missing.",
        },
        "cleared": {
            "es": "cuando se ejecuta «optimizer.step()» no hay gradientes: comprueba que "
            "«backward()» va antes que «step()» y que nada los borra entre medias.",
            "en": "when optimizer.step() runs there are no gradients: check that backward() "
            "comes before step() and that nothing clears them in between.",
        },
        "zero_gradients": {
            "es": "«backward()» se ejecutó, pero todos los gradientes que calculó son cero, así "
            "que los pesos no pueden aprender: la pérdida que retropropaga no depende de ellos "
            "(¿está multiplicada por 0?). Retropropaga «criterion(model(X), y)» tal cual.",
            "en": "backward() ran, but every gradient it computed is zero, so the weights cannot "
            "learn: the loss it goes back through does not depend on them (is it multiplied "
            "by 0?). Backpropagate criterion(model(X), y) as it is.",
        },
        "no_zero_grad": {
            "es": "los gradientes se acumulan de un lote al siguiente: falta borrarlos "
            "(«optimizer.zero_grad()») en cada lote.",
            "en": "gradients pile up from one batch to the next: they are not reset "
            "(zero_grad) on every batch.",
        },
        "softmax": {
            "es": "aplica «softmax» a la salida antes de la pérdida, pero la entropía cruzada "
            "ya lo hace por dentro: pásale los logits tal cual.",
            "en": "it applies softmax to the output before the loss, but the cross-entropy "
            "already does it inside: give it the raw logits.",
        },
        "ignores_criterion": {
            "es": "no entrena con la función de pérdida que recibe («criterion») sino con otra "
            "suya: calcula la pérdida con «criterion(model(X), y)», sea cual sea la que le "
            "pasen.",
            "en": "it does not train with the loss function it receives (“criterion”) but with "
            "one of its own: compute the loss with criterion(model(X), y), whichever loss it "
            "is given.",
        },
        "not_down": {
            "es": "tras 5 épocas la pérdida no baja (de {before:.4f} a {after:.4f}): revisa "
            "el signo y el orden de los pasos.",
            "en": "after 5 epochs the loss does not go down (from {before:.4f} to "
            "{after:.4f}): check the sign and the order of the steps.",
        },
        "not_one_update": {
            "es": "tras una época los pesos no son los de una actualización por lote: haz "
            "cada paso una sola vez por lote.",
            "en": "after one epoch the weights are not those of one update per batch: do each "
            "step exactly once per batch.",
        },
        "train_mode": {
            "es": "el modelo no estaba en modo entrenamiento al entrenar: llama a "
            "«model.train()» al empezar la época y tras cualquier evaluación dentro de ella.",
            "en": "the model was not in training mode while training: call model.train() "
            "when the epoch starts and after any evaluation inside it.",
        },
        "no_device": {
            "es": "el modelo o la pérdida recibieron lotes que no pasaron por «.to(device)»: "
            "mueve «X» e «y» al dispositivo que recibe la función («X, y = X.to(device), "
            "y.to(device)»; «.to» devuelve una copia, hay que guardarla). En la CPU da igual, "
            "pero con una GPU el modelo fallaría.",
            "en": "the model or the loss got batches that did not go through .to(device): move "
            "X and y to the device the function receives (X, y = X.to(device), y.to(device); "
            ".to returns a copy, keep it). On the CPU it makes no difference, but with a GPU "
            "the model would fail.",
        },
        "not_number": {
            "es": "debe devolver un número de Python («float»), no «{kind}».",
            "en": "it must return a Python number (float), not {kind}.",
        },
        "no_losses": {
            "es": "no calculó la pérdida de ningún lote de «loader», así que no hay media "
            "con la que comparar lo que devuelve.",
            "en": "it computed the loss of no batch of “loader”, so there is no mean to "
            "compare what it returns with.",
        },
        "last_batch": {
            "es": "devuelve la pérdida del último lote; devuelve la media de toda la época.",
            "en": "it returns the last batch's loss; return the mean over the whole epoch.",
        },
        "per_batch": {
            "es": "devuelve la media de las pérdidas de los lotes, pero el último lote es más "
            "pequeño: pondera cada lote por su número de muestras.",
            "en": "it returns the mean of the batches' losses, but the last batch is smaller: "
            "weight each batch by its number of samples.",
        },
        "sum": {
            "es": "devuelve una suma; divídela entre el número de muestras.",
            "en": "it returns a sum; divide it by the number of samples.",
        },
        "wrong_value": {
            "es": "devolvió {got:.4f}, pero la pérdida media por muestra de la época es "
            "{expected:.4f}.",
            "en": "it returned {got:.4f}, but the epoch's mean loss per sample is {expected:.4f}.",
        },
    }
)
