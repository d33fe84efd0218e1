"""Judge of lesson 00's exercise: counting a model's parameters.

The probe (:mod:`course_utils.probes.welcome`) has the student's function count
four models drawn from the seed (a linear layer, an mlp, one with a BatchNorm,
one with a frozen layer); each usual miscount gives other numbers on them, so
it is named.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from torch import nn

from course_utils import checks
from course_utils.i18n import Catalog
from course_utils.probes import welcome as probe

_ = Catalog(
    {
        "not_int": {
            "es": "debe devolver un número entero, no «{kind}».",
            "en": "it must return an integer, not {kind}.",
        },
        "tensors": {
            "es": "devolvió {got}, que es el número de tensores de parámetros; cuenta los "
            "números que contiene cada uno («p.numel()»).",
            "en": "it returned {got}, the number of parameter tensors; count the numbers "
            "each of them holds (p.numel()).",
        },
        "no_bias": {
            "es": "devolvió {got}: parece que olvidaste los sesgos («bias»).",
            "en": "it returned {got}: it looks like the biases were left out.",
        },
        "dims": {
            "es": "devolvió {got}: suma las dimensiones de cada tensor en vez de multiplicarlas "
            "(«p.numel()» las multiplica).",
            "en": "it returned {got}: it adds up each tensor's dimensions instead of "
            "multiplying them (p.numel() multiplies them).",
        },
        "first_dim": {
            "es": "devolvió {got}: «len(p)» es solo la primera dimensión de cada tensor; "
            "usa «p.numel()».",
            "en": "it returned {got}: len(p) is only each tensor's first dimension; use p.numel().",
        },
        "buffers": {
            "es": "también cuenta los búferes (las estadísticas acumuladas de la BatchNorm, "
            "que no se entrenan): recorre «model.parameters()», no «state_dict()».",
            "en": "it also counts the buffers (BatchNorm's running statistics, which are not "
            "trained): go through model.parameters(), not state_dict().",
        },
        "frozen": {
            "es": "cuenta también los parámetros congelados («requires_grad=False»): suma solo "
            "los que tienen «p.requires_grad».",
            "en": "it also counts frozen parameters (requires_grad=False): add up only those "
            "with p.requires_grad.",
        },
        "other_model": {
            "es": "acierta con una sola capa, pero con otro modelo devolvió {got} en vez de "
            "{expected}: cuenta los parámetros del modelo que recibe, sean cuantos sean.",
            "en": "it is right for a single layer, but for another model it returned {got} "
            "instead of {expected}: count the parameters of the model it receives, however "
            "many there are.",
        },
        "wrong": {
            "es": "para «{layer}» devolvió {got}; la respuesta es {weights} pesos + {biases} "
            "sesgos.",
            "en": "for {layer} it returned {got}; the answer is {weights} weights + {biases} "
            "biases.",
        },
    }
)


_MISCOUNTS: dict[str, Callable[[nn.Module], int]] = {
    "tensors": lambda m: len([p for p in m.parameters() if p.requires_grad]),
    "no_bias": lambda m: sum(p.numel() for p in m.parameters() if p.requires_grad and p.dim() > 1),
    "dims": lambda m: sum(sum(p.shape) for p in m.parameters() if p.requires_grad),
    "first_dim": lambda m: sum(len(p) for p in m.parameters() if p.requires_grad),
    "buffers": lambda m: _right(m) + sum(b.numel() for b in m.buffers()),
    "frozen": lambda m: sum(p.numel() for p in m.parameters()),
}


def _right(model: nn.Module) -> int:
    return sum(math.prod(p.shape) for p in model.parameters() if p.requires_grad)


def _wrong(layer: nn.Linear, got: int) -> checks.Mistake:
    n_out, n_in = layer.weight.shape
    values = {"layer": f"nn.Linear({n_in}, {n_out})", "weights": f"{n_in}·{n_out}"}
    return checks.mistake(_, "wrong", got=got, biases=n_out, **values)


def _judge(seed: int, data: dict) -> list[checks.Mistake]:
    models, counts = probe.models(seed), data["counts"]
    if len(counts) != len(models):
        raise ValueError("one count per model")
    bad = [c["kind"] for c in counts if c["value"] is None]
    if bad:
        raise checks.mistake(_, "not_int", kind=bad[0])
    found: dict[str, checks.Mistake] = {}
    for i, (model, count) in enumerate(zip(models, [c["value"] for c in counts], strict=True)):
        if count == (right := _right(model)):
            continue
        key = next((k for k, miscount in _MISCOUNTS.items() if count == miscount(model)), None)
        if key is None and i == 0:
            found.setdefault("wrong", _wrong(model, count))
        else:
            key = key or "other_model"
            found.setdefault(key, checks.mistake(_, key, got=count, expected=right))
    order = [*_MISCOUNTS, "wrong", "other_model"]
    return [found[k] for k in order if k in found]


count_parameters = checks.Exercise("count_parameters", probe.count_parameters, _judge, _)
