"""What checks.bn_forward says: the mistakes it names in lesson 04's ``batch_norm``."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "uses_builtin": {
            "es": "llama a la BatchNorm de PyTorch («F.batch_norm», «torch.batch_norm» o "
            "«nn.BatchNorm1d»): el ejercicio es escribir tú la cuenta, con «x.mean(dim=0)» "
            "y «x.var(dim=0, unbiased=False)».",
            "en": "it calls PyTorch's BatchNorm (F.batch_norm, torch.batch_norm or "
            "nn.BatchNorm1d): the exercise is to write the computation yourself, with "
            "x.mean(dim=0) and x.var(dim=0, unbiased=False).",
        },
        "returns": {
            "es": "para un lote de forma {shape} devolvió {got}; se esperaba un tensor de la "
            "misma forma que la entrada (solo la salida: las estadísticas acumuladas se "
            "actualizan en su sitio).",
            "en": "for a batch of shape {shape} it returned {got}; expected a tensor of the "
            "same shape as the input (only the output: the running statistics are updated in "
            "place).",
        },
        "wrong_dim": {
            "es": "calcula la media y la varianza de cada ejemplo (por filas, «dim=1»); la "
            "BatchNorm las calcula para cada neurona sobre los ejemplos del lote (por "
            "columnas, «dim=0»).",
            "en": "it computes the mean and variance of each example (along rows, dim=1); "
            "BatchNorm computes them for each neuron over the examples of the batch (along "
            "columns, dim=0).",
        },
        "no_affine": {
            "es": "la salida es x̂ sin más: falta multiplicar por «weight» (γ) y sumar «bias» (β).",
            "en": "the output is x̂ alone: it must be multiplied by weight (γ) and shifted by "
            "bias (β).",
        },
        "unbiased_normalization": {
            "es": "normaliza el lote con la varianza insesgada (la que divide entre m − 1); "
            "para normalizar se usa la sesgada, la que divide entre m («unbiased=False» o "
            "«correction=0»).",
            "en": "it normalizes the batch with the unbiased variance (the one dividing by "
            "m − 1); normalizing uses the biased one, dividing by m (unbiased=False or "
            "correction=0).",
        },
        "no_eps": {
            "es": "no usa el «eps» que recibe: con eps={eps} la salida es la de dividir sin "
            "él. Súmalo a la varianza dentro de la raíz.",
            "en": "it does not use the eps it receives: with eps={eps} the output is that of "
            "dividing without it. Add it to the variance inside the square root.",
        },
        "eps_outside_sqrt": {
            "es": "suma «eps» a la desviación típica, fuera de la raíz; va dentro, sumado a la "
            "varianza: √(σ² + ε).",
            "en": "it adds eps to the standard deviation, outside the square root; it belongs "
            "inside, added to the variance: √(σ² + ε).",
        },
        "wrong_output": {
            "es": "en modo entrenamiento la salida no coincide con la de «nn.BatchNorm1d» "
            "(diferencia máxima {diff:.3g}): normaliza con la media y la varianza del lote y "
            "aplica γ y β.",
            "en": "in training mode the output does not match nn.BatchNorm1d's (largest "
            "difference {diff:.3g}): normalize with the batch mean and variance, then apply "
            "γ and β.",
        },
        "output_detached": {
            "es": "la salida no tiene gradiente respecto a «weight», «bias» ni la entrada: "
            "todo el cálculo queda fuera del grafo (¿un «torch.no_grad()» que lo envuelve "
            "todo?). Solo la actualización de las estadísticas va sin gradiente.",
            "en": "the output has no gradient with respect to weight, bias or the input: the "
            "whole computation is left out of the graph (a torch.no_grad() around "
            "everything?). Only the update of the statistics goes without gradients.",
        },
        "changes_input": {
            "es": "modifica el tensor de entrada «x» en su sitio; calcula la salida en un "
            "tensor nuevo.",
            "en": "it modifies the input tensor x in place; compute the output in a new tensor.",
        },
        "not_in_place": {
            "es": "quien llama no ve cambiar {names}: tu función calcula los valores nuevos "
            "pero los asigna a un nombre local («running_mean = ...»). "
            "Actualízalas en su sitio («.mul_()», «.add_()», «.copy_()» o «[:] = ...»).",
            "en": "the caller does not see {names} change: your function computes the new "
            "values but assigns them to a local name (running_mean = ...). Update them in "
            "place (.mul_(), .add_(), .copy_() or [:] = ...).",
        },
        "no_running_update": {
            "es": "en modo entrenamiento deja sin actualizar {names}: al evaluar se usarían "
            "los valores iniciales.",
            "en": "in training mode it leaves {names} as they were: evaluation would use the "
            "initial values.",
        },
        "momentum_reversed": {
            "es": "usa la convención de Keras: da el peso «momentum» al valor acumulado y "
            "1 − momentum al lote. En PyTorch es al revés: nuevo = (1 − momentum) · "
            "acumulado + momentum · lote.",
            "en": "it uses Keras's convention: it gives the weight momentum to the running "
            "value and 1 − momentum to the batch. PyTorch does the opposite: new = "
            "(1 − momentum) · running + momentum · batch.",
        },
        "running_tracks_output": {
            "es": "acumula las estadísticas de la salida (ya normalizada y con γ y β), no "
            "las de la entrada «x».",
            "en": "it accumulates the statistics of the output (already normalized, with γ "
            "and β), not those of the input x.",
        },
        "biased_running_var": {
            "es": "guarda en «running_var» la varianza sesgada (entre m); PyTorch acumula la "
            "insesgada, la que divide entre m − 1, aunque normalice con la sesgada.",
            "en": "it stores the biased variance (dividing by m) in running_var; PyTorch "
            "accumulates the unbiased one, dividing by m − 1, even though it normalizes with "
            "the biased one.",
        },
        "wrong_running": {
            "es": "tras un paso en modo entrenamiento, «{name}» no es la de «nn.BatchNorm1d» "
            "(diferencia máxima {diff:.3g}): nuevo = (1 − momentum) · acumulado + momentum · "
            "estadística del lote.",
            "en": "after one step in training mode, {name} is not nn.BatchNorm1d's (largest "
            "difference {diff:.3g}): new = (1 − momentum) · running + momentum · batch "
            "statistic.",
        },
        "running_has_grad": {
            "es": "las estadísticas acumuladas quedan enganchadas al grafo de gradientes "
            "(«requires_grad=True»): cada paso alargaría el grafo. Actualízalas dentro de "
            "«with torch.no_grad():» o con estadísticas separadas («.detach()»).",
            "en": "the running statistics end up attached to the gradient graph "
            "(requires_grad=True): every step would make the graph longer. Update them "
            "inside with torch.no_grad(): or with detached statistics (.detach()).",
        },
        "eval_uses_batch_stats": {
            "es": "en modo evaluación normaliza con las estadísticas del lote; debe usar "
            "«running_mean» y «running_var», para que la salida de un ejemplo no dependa de "
            "los demás.",
            "en": "in evaluation mode it normalizes with the batch statistics; it must use "
            "running_mean and running_var, so that one example's output does not depend on "
            "the others.",
        },
        "eval_updates_running": {
            "es": "en modo evaluación cambia «running_mean» o «running_var»; al evaluar solo "
            "se leen.",
            "en": "in evaluation mode it changes running_mean or running_var; evaluation only "
            "reads them.",
        },
        "eval_wrong": {
            "es": "en modo evaluación la salida no coincide con la de «nn.BatchNorm1d» "
            "(diferencia máxima {diff:.3g}): normaliza con «running_mean» y «running_var» y "
            "aplica γ y β.",
            "en": "in evaluation mode the output does not match nn.BatchNorm1d's (largest "
            "difference {diff:.3g}): normalize with running_mean and running_var, then apply "
            "γ and β.",
        },
    }
)
