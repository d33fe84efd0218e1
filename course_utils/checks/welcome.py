"""Checks for lesson 00's exercise: counting a model's parameters."""

from __future__ import annotations

from collections.abc import Callable

from torch import nn

from course_utils import checks
from course_utils.i18n import Catalog

_ = Catalog(
    {
        "not_int": {
            "es": "debe devolver un número entero, no {kind}.",
            "en": "it must return an integer, not {kind}.",
        },
        "tensors": {
            "es": "devolvió {got}, que es el número de tensores de parámetros; cuenta los "
            "números que contiene cada uno (p.numel()).",
            "en": "it returned {got}, the number of parameter tensors; count the numbers "
            "each of them holds (p.numel()).",
        },
        "no_bias": {
            "es": "devolvió {got}: parece que olvidaste los sesgos (bias).",
            "en": "it returned {got}: it looks like the biases were left out.",
        },
        "wrong": {
            "es": "para nn.Linear(3, 2) devolvió {got}; la respuesta es 3·2 pesos + 2 sesgos.",
            "en": "for nn.Linear(3, 2) it returned {got}; the answer is 3·2 weights + 2 biases.",
        },
    }
)


def _diagnose(count_parameters: Callable[[nn.Module], int]) -> None:
    got = count_parameters(nn.Linear(3, 2))
    if not isinstance(got, int) or isinstance(got, bool):
        raise checks.Mistake(_("not_int", kind=type(got).__name__))
    if got == 2:
        raise checks.Mistake(_("tensors", got=got))
    if got == 6:
        raise checks.Mistake(_("no_bias", got=got))
    if got != 8:
        raise checks.Mistake(_("wrong", got=got))
    big = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    if count_parameters(big) != 784 * 256 + 256 + 256 * 10 + 10:
        raise checks.Mistake(_("wrong", got=got))


def count_parameters(student: Callable[[nn.Module], int]) -> checks.Result:
    """Check a function that returns how many trainable numbers a model has."""
    return checks.run("count_parameters", lambda: _diagnose(student), student=student)
