"""Lesson 03's playground: stable controls, a headless default run, live progress and curves."""

from __future__ import annotations

import ipywidgets as widgets
import pytest
import torch
from torch.utils.data import TensorDataset

from course_utils import i18n, playground


@pytest.fixture
def lab() -> playground.Playground:
    torch.manual_seed(0)
    X, y = torch.rand(300, 1, 28, 28), torch.randint(0, 10, (300,))
    return playground.Playground(TensorDataset(X, y), TensorDataset(X[:100], y[:100]))


def test_controls_are_described_in_the_students_language(lab):
    controls = [lab.weight_decay, lab.dropout, lab.lr, lab.num_epochs, lab.subset]
    assert [c.description for c in controls] == [playground._(k) for k in playground.DESCRIPTIONS]
    try:
        for lang, label in (("es", "tasa de aprendizaje"), ("en", "learning rate")):
            i18n.set_language(lang)
            assert playground.Playground(lab.train_set, lab.val_set).lr.description == label
    finally:
        i18n.set_language("es")
    assert (lab.weight_decay.value, lab.dropout.value, lab.lr.value) == (1e-5, 0.2, 1e-3)
    assert 0.0 in lab.weight_decay.options[0]


def test_subset_choices_never_exceed_the_training_set(lab):
    assert [value for _label, value in lab.subset.options] == [300]
    assert lab.subset.value == 300


def test_every_part_has_a_css_class(lab):
    box = lab.widget()
    assert "course-playground" in box._dom_classes
    classes = {c for child in box.children for c in child._dom_classes}
    for name in ("train", "progress", "status", "curves", "weight-decay", "subset"):
        assert f"course-playground-{name}" in classes


def test_train_updates_history_progress_curves_and_status(lab, monkeypatch):
    drawn = []
    monkeypatch.setattr(playground.plots, "curves", lambda h: len(h["val_loss"]))
    monkeypatch.setattr(playground.plots, "png", lambda epochs: drawn.append(epochs) or b"png")
    lab.num_epochs.value = 2
    history = lab.train()
    assert len(history["train_loss"]) == len(history["val_loss"]) == 2
    assert drawn == [1, 2]  # live: redrawn after every epoch
    assert lab.curves.value == b"png"
    assert lab.progress.value == lab.progress.max == 2
    assert lab.status.value.startswith("✓")
    assert not lab.button.disabled


def test_the_button_trains(lab):
    lab.num_epochs.value = 1
    lab.button.click()
    assert len(lab.history["train_loss"]) == 1


def test_dropout_and_weight_decay_reach_the_model(lab, monkeypatch):
    seen = {}

    def fake_train_model(model_fn, *args, **kwargs):
        seen.update(model=model_fn(), **kwargs)
        return None, {"train_loss": [1.0], "val_loss": [1.0], "val_acc": [0.5]}

    monkeypatch.setattr(playground.experiments, "train_model", fake_train_model)
    lab.dropout.value, lab.weight_decay.value, lab.lr.value = 0.5, 1e-3, 1e-2
    lab.train()
    assert seen["model"].dropout1.p == 0.5
    assert (seen["weight_decay"], seen["lr"]) == (1e-3, 1e-2)


def test_show_displays_and_runs_once_without_clicks(lab, monkeypatch):
    shown = []
    monkeypatch.setattr(playground, "display", shown.append)
    lab.num_epochs.value = 1
    lab.show()
    assert isinstance(shown[0], widgets.VBox)
    assert len(lab.history["train_loss"]) == 1
    lab.show(run=False)
    assert sum(isinstance(s, widgets.VBox) for s in shown) == 2
    assert len(lab.history["train_loss"]) == 1


def test_button_label_follows_the_language(lab):
    try:
        for lang, label in (("es", "Entrenar"), ("en", "Train")):
            i18n.set_language(lang)
            assert playground.Playground(lab.train_set, lab.val_set).button.description == label
    finally:
        i18n.set_language("es")
