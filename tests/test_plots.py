"""course_utils.plots: every function returns a Figure with localized text; bad input refused."""

from __future__ import annotations

import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from course_utils import i18n, plots

matplotlib.use("Agg")

HISTORY = {"train_loss": [0.9, 0.5, 0.3], "val_loss": [0.8, 0.6, 0.5], "val_acc": [0.7, 0.8, 0.85]}
TEXT = {
    "es": {
        "title": "Curvas de aprendizaje",
        "epoch": "Época",
        "loss": "Pérdida",
        "acc": "Exactitud",
        "legend": ["Pérdida de entrenamiento", "Pérdida de validación"],
        "true": "Clase real",
        "pred": "Clase predicha",
        "confusion": "Matriz de confusión",
        "label": "real: 3",
        "label_pred": "real: 3\npredicho: 8",
    },
    "en": {
        "title": "Learning curves",
        "epoch": "Epoch",
        "loss": "Loss",
        "acc": "Accuracy",
        "legend": ["Training loss", "Validation loss"],
        "true": "True class",
        "pred": "Predicted class",
        "confusion": "Confusion matrix",
        "label": "true: 3",
        "label_pred": "true: 3\npredicted: 8",
    },
}


@pytest.fixture(autouse=True)
def close_figures():
    i18n.set_language("es")  # the default, whatever an earlier test left behind
    yield
    plt.close("all")
    i18n.set_language("es")


def _other(lang: str) -> str:
    return {"es": "en", "en": "es"}[lang]


def _legend(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _titles(fig: Figure) -> list[str]:
    return [ax.get_title() for ax in fig.axes if ax.get_title()]


def test_curves(lang):
    fig = plots.curves(HISTORY)
    assert isinstance(fig, Figure)
    loss, acc = fig.axes
    assert fig.get_suptitle() == TEXT[lang]["title"]
    assert loss.get_xlabel() == acc.get_xlabel() == TEXT[lang]["epoch"]
    assert (loss.get_ylabel(), acc.get_ylabel()) == (TEXT[lang]["loss"], TEXT[lang]["acc"])
    assert [t.get_text() for t in loss.get_legend().get_texts()] == TEXT[lang]["legend"]
    np.testing.assert_array_equal(loss.lines[0].get_xdata(), [1, 2, 3])  # epochs count from 1
    np.testing.assert_array_equal(loss.lines[1].get_ydata(), HISTORY["val_loss"])


DIVERGED = {
    "es": "Pérdida de entrenamiento: divergió en la época 4 (inf/nan)",
    "en": "Training loss: diverged at epoch 4 (inf/nan)",
}


@pytest.mark.parametrize("bad", [np.inf, np.nan, -np.inf])
def test_a_curve_that_becomes_inf_or_nan_is_marked_diverged(lang, bad):
    history = {"train_loss": [0.9, 0.5, 0.3, bad, np.nan, 0.2], "val_loss": [0.8, 0.6, 0.5]}
    fig = plots.curves(history)
    (loss,) = fig.axes
    assert _legend(loss) == [DIVERGED[lang], TEXT[lang]["legend"][1]]
    [cut] = [line for line in loss.lines if line.get_linestyle() == "--"]
    train, val = (line for line in loss.lines if line is not cut)
    np.testing.assert_array_equal(train.get_xdata(), [1, 2, 3])  # drawn up to the last finite
    np.testing.assert_array_equal(train.get_ydata(), [0.9, 0.5, 0.3])
    assert cut.get_color() == train.get_color()
    np.testing.assert_array_equal(cut.get_xdata(), [4, 4])  # a vertical line at epoch 4
    assert loss.get_xlim() == (0.5, 6.5)  # every epoch recorded, the diverged ones too
    assert val.get_label() == TEXT[lang]["legend"][1]


def test_a_finite_curve_is_not_marked_diverged():
    fig = plots.curves(HISTORY)
    assert all(line.get_linestyle() == "-" for ax in fig.axes for line in ax.lines)
    assert not any("divergió" in text for ax in fig.axes for text in _legend(ax))


def test_log_scale_only_on_the_loss():
    fig = plots.curves(HISTORY, log=True)
    loss, acc = fig.axes
    assert (loss.get_yscale(), acc.get_yscale()) == ("log", "linear")
    assert plots.curves(HISTORY).axes[0].get_yscale() == "linear"  # log=False by default


@pytest.mark.parametrize(
    "train_loss",
    [[np.nan] * 4, [np.inf, np.nan], [1.0, 0.0, 0.5], [0.5, -1.0], [2.0, np.nan, np.inf]],
    ids=["all-nan", "inf-then-nan", "a-zero", "negative", "then-diverged"],
)
def test_log_scale_never_raises_whatever_the_values(train_loss):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nor warns ("Data has no positive values...")
        fig = plots.curves({"train_loss": train_loss}, log=True)
        assert plots.png(fig).startswith(b"\x89PNG")  # drawn to the end


def test_epoch_ticks_are_whole_numbers():
    for epochs in (2, 3, 7, 201):
        fig = plots.curves({"train_loss": list(np.linspace(1, 0.1, epochs)), "val_acc": [0.5]})
        fig.canvas.draw()
        for ax in fig.axes:
            low, high = ax.get_xlim()
            ticks = [t for t in ax.get_xticks() if low <= t <= high]
            assert ticks and all(float(t).is_integer() for t in ticks), (epochs, ticks)
        plt.close(fig)


@pytest.mark.parametrize(("epochs", "marked"), [(1, True), (30, True), (31, False), (201, False)])
def test_markers_only_on_short_curves(epochs, marked):
    fig = plots.curves({"train_loss": [1.0] * epochs, "val_acc": [0.5] * epochs})
    markers = [line.get_marker() for ax in fig.axes for line in ax.lines]
    assert markers == (["o", "o"] if marked else ["None", "None"])


def test_curves_with_loss_only_and_own_title():
    fig = plots.curves({"train_loss": [1.0, 0.5]}, title="MLP")
    assert len(fig.axes) == 1 and fig.get_suptitle() == "MLP"


@pytest.mark.parametrize("history", [{}, {"train_loss": []}, {"lr": [0.1]}])
def test_curves_rejects_an_empty_history(history, lang):
    with pytest.raises(ValueError) as caught:
        plots.curves(history)
    message = str(caught.value)
    said = {"es": "El historial está vacío", "en": "The history is empty"}
    assert message.startswith(said[lang]) and said[_other(lang)] not in message
    assert "train_loss, val_loss, train_acc, val_acc" in message


def test_images_with_labels(lang):
    X = torch.rand(10, 1, 28, 28)
    labels = torch.tensor([3] * 10)
    fig = plots.images(X, labels, ncols=4)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 12  # 3 rows of 4; the last two empty and hidden
    assert _titles(fig) == [TEXT[lang]["label"]] * 10
    assert np.allclose(fig.axes[0].images[0].get_array(), X[0, 0].numpy())


def test_images_with_predictions_are_coloured(lang):
    X = np.zeros((2, 28, 28))
    fig = plots.images(X, [3, 3], preds=[8, 3], class_names=None)
    assert _titles(fig)[0] == TEXT[lang]["label_pred"]
    colours = [ax.title.get_color() for ax in fig.axes]
    assert colours == ["red", "green"]


def test_images_with_class_names():
    fig = plots.images(np.zeros((1, 5, 5)), [1], class_names=["Adelie", "Chinstrap"])
    assert _titles(fig) == ["real: Chinstrap"]


@pytest.mark.parametrize("shape", [(28, 28), (4, 3, 28, 28), (2, 1, 1, 28, 28)])
def test_images_rejects_bad_shapes(shape, lang):
    with pytest.raises(ValueError) as caught:
        plots.images(torch.zeros(shape), [0] * shape[0])
    said = {
        "es": f"Las imágenes deben tener forma (N, 1, H, W) o (N, H, W); recibí {shape}.",
        "en": f"Images must be shaped (N, 1, H, W) or (N, H, W); got {shape}.",
    }
    assert str(caught.value) == said[lang]


def test_images_needs_one_label_per_image(lang):
    said = {
        "es": "Hay {n} imágenes pero {m} valores en {name}",
        "en": "There are {n} images but {m} values in {name}",
    }[lang]
    with pytest.raises(ValueError) as caught:
        plots.images(torch.zeros(4, 28, 28), [0, 1, 2])
    assert str(caught.value).startswith(said.format(n=4, m=3, name="labels"))
    with pytest.raises(ValueError) as caught:
        plots.images(torch.zeros(2, 28, 28), [0, 1], preds=[1])
    assert str(caught.value).startswith(said.format(n=2, m=1, name="preds"))


def test_images_of_nothing_says_so(lang):
    fig = plots.images(torch.zeros(0, 1, 28, 28), [])
    expected = {"es": "No hay imágenes que mostrar", "en": "No images to show"}[lang]
    assert [t.get_text() for t in fig.texts] == [expected]


def test_confusion_matrix(lang):
    cm = np.array([[5, 1], [2, 7]])
    fig = plots.confusion_matrix(cm, class_names=["cat", "dog"])
    (ax,) = fig.axes
    assert ax.get_title() == TEXT[lang]["confusion"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == (TEXT[lang]["pred"], TEXT[lang]["true"])
    assert [t.get_text() for t in ax.texts] == ["5", "1", "2", "7"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog"]
    np.testing.assert_array_equal(ax.images[0].get_array(), cm)


def test_confusion_matrix_default_names():
    fig = plots.confusion_matrix(np.eye(3, dtype=int))
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["0", "1", "2"]


def test_confusion_matrix_rejects_bad_input(lang):
    with pytest.raises(ValueError) as caught:
        plots.confusion_matrix(np.zeros((2, 3)))
    square = {
        "es": "Una matriz de confusión es cuadrada; recibí forma (2, 3).",
        "en": "A confusion matrix is square; got shape (2, 3).",
    }
    assert str(caught.value) == square[lang]
    with pytest.raises(ValueError) as caught:
        plots.confusion_matrix(np.eye(3), class_names=["a", "b"])
    names = {
        "es": "La matriz tiene 3 clases pero class_names tiene 2 nombres.",
        "en": "The matrix has 3 classes but class_names has 2 names.",
    }
    assert str(caught.value) == names[lang]


def test_misclassified_shows_only_the_mistakes(lang):
    X = torch.arange(6).float().view(6, 1, 1, 1).expand(6, 1, 4, 4)
    y_true = torch.tensor([3, 3, 3, 1, 3, 3])
    y_pred = torch.tensor([3, 8, 3, 1, 8, 8])
    fig = plots.misclassified(X, y_true, y_pred, n=2)
    assert _titles(fig) == [TEXT[lang]["label_pred"]] * 2
    assert [ax.images[0].get_array()[0, 0] for ax in fig.axes] == [1.0, 4.0]


def test_misclassified_when_all_are_right():
    fig = plots.misclassified(torch.zeros(3, 1, 4, 4), [1, 2, 3], [1, 2, 3])
    assert [t.get_text() for t in fig.texts] == ["No hay imágenes que mostrar"]


def test_misclassified_rejects_mismatched_lengths(spanish):
    with pytest.raises(ValueError, match="Hay 3 imágenes pero 2 valores en y_pred"):
        plots.misclassified(torch.zeros(3, 4, 4), [1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="Hay 2 imágenes pero 3 valores en y_true"):
        plots.misclassified(torch.zeros(2, 4, 4), [1, 2, 3], [1, 2, 3])


def test_misclassified_rejects_mismatched_lengths_in_english(english):
    with pytest.raises(ValueError, match="There are 3 images but 2 values in y_pred"):
        plots.misclassified(torch.zeros(3, 4, 4), [1, 2, 3], [1, 2])


def test_plots_leave_global_settings_alone():
    before = dict(matplotlib.rcParams)
    plots.curves(HISTORY)
    plots.images(torch.zeros(2, 28, 28), [0, 1])
    plots.confusion_matrix(np.eye(2, dtype=int))
    assert dict(matplotlib.rcParams) == before


def test_png_gives_the_figure_as_png_bytes_and_closes_it():
    fig = plots.curves(HISTORY)
    image = plots.png(fig)
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(image) > 1000
    assert not plt.fignum_exists(fig.number)


def test_gaps_draw_training_dashed_and_validation_solid_per_run():
    history = {"train_eval_loss": [0.5, 0.1], "val_loss": [0.6, 0.7]}
    history |= {"train_eval_acc": [0.8, 0.99], "val_acc": [0.78, 0.8]}
    fig = plots.gaps({"a": history, "b": history})
    loss, accuracy = fig.axes
    assert [line.get_linestyle() for line in loss.lines] == ["-", "--", "-", "--"]
    assert list(accuracy.lines[1].get_ydata()) == [0.8, 0.99]
    assert loss.lines[0].get_color() != loss.lines[2].get_color()
    assert [t.get_text() for t in loss.get_legend().get_texts()] == ["a", "b"]
