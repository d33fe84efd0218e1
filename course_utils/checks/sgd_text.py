"""What checks.sgd says: the mistakes it names in lesson 01's ``sgd_step``."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "uses_optimizer": {
            "es": "llama a un optimizador de «torch.optim»: el ejercicio es escribir tú la "
            "actualización, p ← p − lr · p.grad, para ver qué hace «optimizer.step()».",
            "en": "it calls a torch.optim optimizer: the exercise is to write the update "
            "yourself, p ← p − lr · p.grad, to see what optimizer.step() does.",
        },
        "no_no_grad": {
            "es": "PyTorch no deja cambiar en su sitio un parámetro que pide gradientes fuera "
            "de «torch.no_grad()»: haz la actualización dentro de «with torch.no_grad():», "
            "para que no entre en el grafo.",
            "en": "PyTorch does not let a parameter that requires gradients change in place "
            "outside torch.no_grad(): do the update inside with torch.no_grad():, so that it "
            "stays out of the graph.",
        },
        "grad_none": {
            "es": "falla con un parámetro que no tiene gradiente («p.grad» es None: no "
            "intervino en la pérdida, o está congelado). Sáltalo, como hace "
            "«torch.optim.SGD»: «if p.grad is None: continue».",
            "en": "it fails on a parameter without a gradient (p.grad is None: it took no "
            "part in the loss, or it is frozen). Skip it, as torch.optim.SGD does: if p.grad "
            "is None: continue.",
        },
        "rebinds": {
            "es": "los parámetros no cambian: «p = p - lr * p.grad» crea un tensor nuevo y "
            "solo cambia a qué apunta el nombre «p». Cambia el parámetro en su sitio: "
            "«p -= lr * p.grad» o «p.sub_(lr * p.grad)».",
            "en": "the parameters do not change: p = p - lr * p.grad creates a new tensor and "
            "only changes what the name p points to. Change the parameter in place: "
            "p -= lr * p.grad or p.sub_(lr * p.grad).",
        },
        "zeroed_first": {
            "es": "borra los gradientes antes de usarlos, así que los parámetros no cambian: "
            "primero actualiza con «p.grad», luego bórralo.",
            "en": "it clears the gradients before using them, so the parameters do not "
            "change: update with p.grad first, then clear it.",
        },
        "ascent": {
            "es": "suma el gradiente en vez de restarlo: así la pérdida sube. El gradiente "
            "apunta hacia donde la pérdida crece; hay que moverse en contra: p − lr · p.grad.",
            "en": "it adds the gradient instead of subtracting it: that makes the loss go up. "
            "The gradient points where the loss grows; move against it: p − lr · p.grad.",
        },
        "no_lr": {
            "es": "resta el gradiente entero: falta multiplicarlo por la tasa de aprendizaje «lr».",
            "en": "it subtracts the whole gradient: it must be multiplied by the learning rate lr.",
        },
        "ignores_lr": {
            "es": "con lr={lr} los parámetros se movieron {rate:.3g} veces su gradiente: usa "
            "el «lr» que recibe la función, tal cual.",
            "en": "with lr={lr} the parameters moved {rate:.3g} times their gradient: use the "
            "lr the function receives, as it is.",
        },
        "only_first": {
            "es": "solo actualiza el primer parámetro: ¿hay un «return» o un «break» dentro "
            "del bucle? Recorre todos los que recibe.",
            "en": "it only updates the first parameter: is there a return or a break inside "
            "the loop? Go through all of them.",
        },
        "stops_at_none": {
            "es": "deja de actualizar al llegar al primer parámetro sin gradiente: los de "
            "después se quedan como estaban. ¿Hay un «break» (o un «return») donde va un "
            "«continue»? Salta solo ese parámetro y sigue con los demás.",
            "en": "it stops updating at the first parameter without a gradient: the ones "
            "after it stay as they were. Is there a break (or a return) where a continue "
            "belongs? Skip only that parameter and go on with the rest.",
        },
        "wrong_update": {
            "es": "los parámetros no quedan en p − lr · p.grad (diferencia máxima {diff:.3g}).",
            "en": "the parameters do not end at p − lr · p.grad (largest difference {diff:.3g}).",
        },
        "iterates_twice": {
            "es": "recorre «parameters» dos veces, pero «model.parameters()» es un generador y "
            "solo se puede recorrer una: la segunda vuelta no ve nada y los gradientes se "
            "quedan. Haz las dos cosas en el mismo bucle (o empieza con «list(parameters)»).",
            "en": "it goes through parameters twice, but model.parameters() is a generator "
            "and can be gone through only once: the second pass sees nothing and the "
            "gradients stay. Do both in the same loop (or start with list(parameters)).",
        },
        "no_reset": {
            "es": "los gradientes siguen ahí después del paso: bórralos («p.grad = None» o "
            "«p.grad.zero_()»), o el siguiente «backward()» los sumará a los nuevos.",
            "en": "the gradients are still there after the step: clear them (p.grad = None "
            "or p.grad.zero_()), or the next backward() will add them to the new ones.",
        },
        "detaches": {
            "es": "los parámetros ya no piden gradientes («requires_grad» es False) o dejaron "
            "de ser hojas del grafo: cambia sus valores en su sitio dentro de "
            "«torch.no_grad()», sin tocar «requires_grad».",
            "en": "the parameters no longer require gradients (requires_grad is False) or are "
            "no longer leaves of the graph: change their values in place inside "
            "torch.no_grad(), without touching requires_grad.",
        },
    }
)
