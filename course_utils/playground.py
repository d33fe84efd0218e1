"""Lesson 03's playground: train the MLP with your own weight decay, dropout, lr and epochs.

``Playground(train_set, val_set).show()`` displays the controls and trains once with the
defaults, so a headless run never waits for a click. ``train()`` is what the button calls;
tests (and browser tests) may call it directly. Widget descriptions are in the student's
language (``DESCRIPTIONS`` holds their message keys); every part carries a
``course-playground-*`` CSS class, the same in every language.
"""

from __future__ import annotations

import ipywidgets as widgets
import torch
from IPython.display import display
from torch.utils.data import Dataset

from course_utils import data, experiments, models, plots
from course_utils.i18n import Catalog

WEIGHT_DECAYS = (0.0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2)
LRS = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2)
SUBSETS = (1000, 2000, 5000, 10000, 20000, 48000)
DESCRIPTIONS = ("weight_decay", "dropout", "lr", "num_epochs", "subset")

_ = Catalog(
    {
        "train": {"es": "Entrenar", "en": "Train"},
        "weight_decay": {"es": "weight_decay", "en": "weight_decay"},
        "dropout": {"es": "dropout (p)", "en": "dropout (p)"},
        "lr": {"es": "tasa de aprendizaje", "en": "learning rate"},
        "num_epochs": {"es": "épocas", "en": "epochs"},
        "subset": {"es": "imágenes de entrenamiento", "en": "training images"},
        "ready": {"es": "Elige y pulsa «Entrenar».", "en": "Choose, then press “Train”."},
        "running": {
            "es": "Entrenando con {n} imágenes durante {epochs} épocas…",
            "en": "Training on {n} images for {epochs} epochs…",
        },
        "done": {
            "es": "✓ Listo: pérdida de entrenamiento {train:.4f}, de validación {val:.4f}, "
            "exactitud de validación {acc:.2%}.",
            "en": "✓ Done: training loss {train:.4f}, validation loss {val:.4f}, "
            "validation accuracy {acc:.2%}.",
        },
    }
)


def _slider(description: str, options, value) -> widgets.SelectionSlider:
    return widgets.SelectionSlider(
        options=[(f"{o:g}", o) for o in options], value=value, description=_(description)
    )


class Playground:
    """Controls, a Train button, a progress bar and live learning curves."""

    def __init__(
        self,
        train_set: Dataset,
        val_set: Dataset,
        seed: int = 0,
        device: torch.device | str = "cpu",
    ) -> None:
        self.train_set, self.val_set, self.seed, self.device = train_set, val_set, seed, device
        sizes = [n for n in SUBSETS if n < len(train_set)] + [len(train_set)]
        self.weight_decay = _slider(DESCRIPTIONS[0], WEIGHT_DECAYS, 1e-5)
        self.dropout = widgets.FloatSlider(0.2, min=0.0, max=0.8, step=0.05)
        self.lr = _slider(DESCRIPTIONS[2], LRS, 1e-3)
        self.num_epochs = widgets.IntSlider(3, min=1, max=10)
        self.subset = _slider(DESCRIPTIONS[4], sizes, min(5000, len(train_set)))
        self.dropout.description = _(DESCRIPTIONS[1])
        self.num_epochs.description = _(DESCRIPTIONS[3])
        for control in (self.weight_decay, self.dropout, self.lr, self.num_epochs, self.subset):
            control.style.description_width = "initial"  # the whole label, in any language
        self.button = widgets.Button(description=_("train"), icon="play", button_style="primary")
        self.progress = widgets.IntProgress(value=0, min=0, max=1)
        self.status = widgets.Label(_("ready"))
        self.curves = widgets.Image(format="png")
        self.history: dict[str, list[float]] = {}
        self.button.on_click(lambda _button: self.train())

    def widget(self) -> widgets.VBox:
        """All the controls and outputs in one box."""
        controls = [self.weight_decay, self.dropout, self.lr, self.num_epochs, self.subset]
        parts = [*controls, self.button, self.progress, self.status, self.curves]
        names = ["weight-decay", "dropout", "lr", "epochs", "subset"]
        names += ["train", "progress", "status", "curves"]
        for part, name in zip(parts, names, strict=True):
            part.add_class(f"course-playground-{name}")
        box = widgets.VBox(parts)
        box.add_class("course-playground")
        return box

    def show(self, run: bool = True) -> None:
        """Display the playground and, unless ``run=False``, train once with the defaults."""
        display(self.widget())
        if run:
            self.train()

    def train(self) -> dict[str, list[float]]:
        """Train with the current settings, updating the bar and curves; return the history."""
        self.button.disabled = True
        self.progress.value, self.progress.max = 0, self.num_epochs.value
        self.status.value = _("running", n=self.subset.value, epochs=self.num_epochs.value)
        try:
            self.history = self._fit()
        finally:
            self.button.disabled = False
        h = self.history
        acc = h["val_acc"][-1]
        self.status.value = _("done", train=h["train_loss"][-1], val=h["val_loss"][-1], acc=acc)
        return self.history

    def _fit(self) -> dict[str, list[float]]:
        p = self.dropout.value
        _model, history = experiments.train_model(
            lambda: models.MLPDropout(p),
            data.subset(self.train_set, self.subset.value, seed=self.seed),
            self.val_set,
            seed=self.seed,
            num_epochs=self.num_epochs.value,
            lr=self.lr.value,
            weight_decay=self.weight_decay.value,
            on_epoch=self._draw,
            device=self.device,
        )
        return history

    def _draw(self, history: dict[str, list[float]]) -> None:
        self.progress.value = len(history["train_loss"])
        self.curves.value = plots.png(plots.curves(history))
