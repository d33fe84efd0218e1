"""Checks for lesson 04's exercise: the source's mlp with one BatchNorm per hidden layer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import torch
from torch import nn

from course_utils import checks
from course_utils.i18n import Catalog

BN_PARAMETERS = 270_346

_ = Catalog(
    {
        "no_bn": {
            "es": "el modelo no contiene ninguna capa nn.BatchNorm1d.",
            "en": "the model holds no nn.BatchNorm1d layer.",
        },
        "shared": {
            "es": "la capa {name} se aplica {n} veces en cada pasada: una sola BatchNorm "
            "normaliza capas distintas y mezcla sus estadísticas. Cada capa oculta necesita "
            "la suya.",
            "en": "the layer {name} is applied {n} times per pass: one BatchNorm normalizes "
            "different layers and mixes their statistics. Each hidden layer needs its own.",
        },
        "unused": {
            "es": "la capa {name} se crea en __init__ pero forward nunca la usa.",
            "en": "the layer {name} is created in __init__ but forward never uses it.",
        },
        "after_output": {
            "es": "normaliza la salida de la última capa (los 10 logits); la BatchNorm va "
            "en las capas ocultas, no en la salida.",
            "en": "it normalizes the last layer's output (the 10 logits); BatchNorm belongs "
            "in the hidden layers, not on the output.",
        },
        "count": {
            "es": "número de BatchNorm aplicadas en cada pasada: {n}; se pide una por capa "
            "oculta (dos).",
            "en": "number of BatchNorms applied in each pass: {n}; the exercise asks for one "
            "per hidden layer (two).",
        },
        "after_relu": {
            "es": "{name} solo recibe valores ≥ 0: está después de la ReLU. Ponla entre la "
            "capa lineal y la ReLU, como la fuente.",
            "en": "{name} only receives values ≥ 0: it sits after the ReLU. Put it between "
            "the linear layer and the ReLU, like the source.",
        },
        "size": {
            "es": "tiene {n} parámetros y se esperaban {expected}: 784 → 256 → 256 → 10 más "
            "γ y β (256 cada uno) en cada BatchNorm.",
            "en": "it has {n} parameters and {expected} were expected: 784 → 256 → 256 → 10 "
            "plus γ and β (256 each) in each BatchNorm.",
        },
        "shape": {
            "es": "para 16 imágenes (16, 1, 28, 28) devolvió la forma {shape}; se esperaba "
            "(16, 10).",
            "en": "for 16 images (16, 1, 28, 28) it returned shape {shape}; expected (16, 10).",
        },
        "train_mode_eval": {
            "es": "en modo eval() la salida de una imagen cambia según las demás imágenes del "
            "lote: la BatchNorm sigue usando las estadísticas del lote (modo entrenamiento) "
            "en vez de las acumuladas.",
            "en": "in eval() mode the output for one image changes with the other images in "
            "the batch: BatchNorm keeps using the batch statistics (training mode) instead "
            "of the running ones.",
        },
    }
)


def _calls(model: nn.Module, X: torch.Tensor) -> tuple[list[str], Counter, dict[str, tuple]]:
    """Run ``model(X)``; return its BN layers, how often each ran and its last input."""
    named = [
        (n, m) for n, m in model.named_modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)
    ]
    calls: Counter = Counter()
    inputs: dict[str, tuple] = {}

    def hook(name):
        def record(_module, args):
            calls[name] += 1
            inputs[name] = (args[0].shape[-1], bool((args[0] >= 0).all()))

        return record

    hooks = [m.register_forward_pre_hook(hook(n)) for n, m in named]
    try:
        shape = tuple(model(X).shape)
    finally:
        for h in hooks:
            h.remove()
    if shape != (16, 10):
        raise checks.Mistake(_("shape", shape=shape))
    return [n for n, _m in named], calls, inputs


def _structure(model: nn.Module, X: torch.Tensor) -> None:
    names, calls, inputs = _calls(model.train(), X)
    if not names:
        raise checks.Mistake(_("no_bn"))
    for name in names:
        if calls[name] > 1:
            raise checks.Mistake(_("shared", name=name, n=calls[name]))
    for name in names:
        if calls[name] == 0:
            raise checks.Mistake(_("unused", name=name))
    if any(width == 10 for width, _positive in inputs.values()):
        raise checks.Mistake(_("after_output"))
    if len(calls) != 2:
        raise checks.Mistake(_("count", n=len(calls)))
    for name, (_width, positive) in inputs.items():
        if positive:
            raise checks.Mistake(_("after_relu", name=name))


def _diagnose(model_class: Callable[[], nn.Module]) -> None:
    torch.manual_seed(0)
    model, X = model_class(), torch.randn(16, 1, 28, 28)
    _structure(model, X)
    n = sum(p.numel() for p in model.parameters())
    if n != BN_PARAMETERS:
        raise checks.Mistake(_("size", n=n, expected=BN_PARAMETERS))
    model.eval()
    with torch.no_grad():
        try:
            alone = model(X[:1])
        except ValueError as error:  # BatchNorm in training mode refuses a batch of one
            raise checks.Mistake(_("train_mode_eval")) from error
        if not torch.allclose(model(X)[:1], alone, atol=1e-5):
            raise checks.Mistake(_("train_mode_eval"))


def mlp_bn(model_class: Callable[[], nn.Module]) -> checks.Result:
    """Check ``MLPBatchNorm``: a BatchNorm1d of its own before each hidden ReLU."""
    return checks.run("mlp_bn", lambda: _diagnose(model_class), student=model_class)
