"""Checks for lesson 00's exercise: counting a model's parameters.

The student's function counts four small models (a linear layer, an mlp, one with
a BatchNorm, one with a frozen layer); each usual miscount gives other numbers on
them, so it is named.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

from torch import nn

from course_utils import checks
from course_utils.i18n import Catalog

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
            "es": "acierta con «nn.Linear(3, 2)», pero con otro modelo devolvió {got} en vez de "
            "{expected}: cuenta los parámetros del modelo que recibe, sean cuantos sean.",
            "en": "it is right for nn.Linear(3, 2), but for another model it returned {got} "
            "instead of {expected}: count the parameters of the model it receives, however "
            "many there are.",
        },
        "wrong": {
            "es": "para «nn.Linear(3, 2)» devolvió {got}; la respuesta es 3·2 pesos + 2 sesgos.",
            "en": "for nn.Linear(3, 2) it returned {got}; the answer is 3·2 weights + 2 biases.",
        },
    }
)


def _models() -> list[nn.Module]:
    frozen = nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 2))
    frozen[0].requires_grad_(False)
    big = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    return [nn.Linear(3, 2), big, nn.Sequential(nn.Linear(5, 4), nn.BatchNorm1d(4)), frozen]


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


def _diagnose(count_parameters: Callable[[nn.Module], int]) -> list[checks.Mistake]:
    models = _models()
    got = [count_parameters(model) for model in models]
    bad = [g for g in got if not isinstance(g, numbers.Integral) or isinstance(g, bool)]
    if bad:
        raise checks.mistake(_, "not_int", kind=type(bad[0]).__name__)
    found: dict[str, checks.Mistake] = {}
    for i, (model, count) in enumerate(zip(models, got, strict=True)):
        if count == (right := _right(model)):
            continue
        key = next((k for k, miscount in _MISCOUNTS.items() if count == miscount(model)), None)
        key = key or ("wrong" if i == 0 else "other_model")
        found.setdefault(key, checks.mistake(_, key, got=count, expected=right))
    order = [*_MISCOUNTS, "wrong", "other_model"]
    return [found[k] for k in order if k in found]


def count_parameters(student: Callable[[nn.Module], int]) -> checks.Result:
    """Check a function that returns how many trainable numbers a model has."""
    return checks.run("count_parameters", lambda: _diagnose(student), student=student)
