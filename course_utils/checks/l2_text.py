"""What checks.l2 says: the mistakes it names in lesson 03's ``l2_penalty``."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "in_place": {
            "es": "cambió los parámetros del modelo (¿«p.pow_(2)» o «p **= 2»?): calcula "
            "los cuadrados en tensores nuevos, «p ** 2» o «p.pow(2)».",
            "en": "it changed the model's parameters (p.pow_(2) or p **= 2?): compute the "
            "squares in new tensors, p ** 2 or p.pow(2).",
        },
        "item": {
            "es": "devuelve un número de Python ({kind}): así la penalización no entra en el "
            "grafo y no aporta gradiente. Devuelve el tensor, sin «.item()».",
            "en": "it returns a Python number ({kind}): that way the penalty stays out of the "
            "graph and adds no gradient. Return the tensor, without .item().",
        },
        "not_tensor": {
            "es": "debe devolver un tensor con un solo número, no «{kind}».",
            "en": "it must return a tensor holding one number, not {kind}.",
        },
        "not_scalar": {
            "es": "devuelve un tensor de forma {shape}: suma todo en un solo número.",
            "en": "it returns a tensor of shape {shape}: add everything up into one number.",
        },
        "buffers": {
            "es": "suma también los búferes de la BatchNorm («running_mean», «running_var»), "
            "que no son parámetros y que «weight_decay» no toca: recorre "
            "«model.parameters()», no «state_dict()».",
            "en": "it also adds the BatchNorm's buffers (running_mean, running_var), which are "
            "not parameters and which weight_decay leaves alone: go through "
            "model.parameters(), not state_dict().",
        },
        "weights_only": {
            "es": "deja fuera los sesgos (y los demás parámetros que no se llaman «weight»): "
            "«weight_decay» los encoge todos, así que aquí van todos los de "
            "«model.parameters()».",
            "en": "it leaves out the biases (and the other parameters not called weight): "
            "weight_decay shrinks them all, so here go all of model.parameters().",
        },
        "l1": {
            "es": "suma valores absolutos, que es la penalización L1: la L2 suma los "
            "cuadrados, «(p ** 2).sum()».",
            "en": "it adds absolute values, which is the L1 penalty: L2 adds the squares, "
            "(p ** 2).sum().",
        },
        "no_square": {
            "es": "suma los parámetros sin elevarlos al cuadrado: «(p ** 2).sum()».",
            "en": "it adds the parameters without squaring them: (p ** 2).sum().",
        },
        "norm": {
            "es": "devuelve la norma (la raíz de la suma de cuadrados): la penalización es la "
            "suma de cuadrados, sin raíz («p.norm() ** 2» o «(p ** 2).sum()»).",
            "en": "it returns the norm (the root of the sum of squares): the penalty is the "
            "sum of squares, without the root (p.norm() ** 2 or (p ** 2).sum()).",
        },
        "halved": {
            "es": "devuelve la mitad de la suma de cuadrados: el ½ va con d al sumar la "
            "penalización a la pérdida, no dentro de «l2_penalty».",
            "en": "it returns half the sum of squares: the ½ goes with d when the penalty is "
            "added to the loss, not inside l2_penalty.",
        },
        "mean": {
            "es": "promedia los cuadrados en vez de sumarlos: «.sum()», no «.mean()».",
            "en": "it averages the squares instead of adding them: .sum(), not .mean().",
        },
        "detached": {
            "es": "el valor es correcto pero no tiene gradiente (¿«torch.no_grad()», "
            "«.detach()» o «.data»?): la penalización debe entrar en el grafo, porque su "
            "gradiente es lo que encoge los pesos.",
            "en": "the value is right but it has no gradient (torch.no_grad(), .detach() or "
            ".data?): the penalty must enter the graph, since its gradient is what shrinks "
            "the weights.",
        },
        "wrong_value": {
            "es": "devuelve {got:.6g}, y la suma de los cuadrados de todos los parámetros de "
            "este modelo es {expected:.6g}.",
            "en": "it returns {got:.6g}, and the sum of the squares of all the parameters of "
            "this model is {expected:.6g}.",
        },
    }
)
