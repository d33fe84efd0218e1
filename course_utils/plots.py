"""Figures the lessons draw: learning curves, image grids, confusion matrices.

Every function returns the matplotlib figure and leaves global settings alone;
``png`` turns a figure into the bytes an ``ipywidgets.Image`` shows.
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from course_utils.plots_text import _

MARKERS_UP_TO = 30  # epochs; longer curves are drawn as plain lines


def _plot_curve(ax, values: list[float], label: str) -> None:
    """One curve, epochs from 1; where it stops being finite, a dashed line and its label
    say that it diverged."""
    values = np.asarray(values, dtype=float)
    bad = np.flatnonzero(~np.isfinite(values))
    shown = values[: bad[0]] if bad.size else values
    if bad.size:
        label = _("diverged", name=label, epoch=int(bad[0]) + 1)
    marker = "o" if len(values) <= MARKERS_UP_TO else None
    line = ax.plot(np.arange(1, len(shown) + 1), shown, marker=marker, label=label)[0]
    if bad.size:
        ax.axvline(int(bad[0]) + 1, color=line.get_color(), linestyle="--")


def curves(history: dict[str, list[float]], title: str | None = None, log: bool = False) -> Figure:
    """Plot loss (and accuracy, if recorded) per epoch from ``history``.

    ``history`` maps ``train_loss``, ``val_loss``, ``train_acc``, ``val_acc`` to one
    value per epoch; missing keys are skipped. ``log=True`` draws the loss on a
    logarithmic axis. A curve that becomes inf or nan stops there, marked "diverged".
    """
    keys = ("train_loss", "val_loss", "train_acc", "val_acc")
    known = [k for k in keys if len(history.get(k, [])) > 0]
    if not known:
        raise ValueError(_("empty_history", keys=", ".join(keys)))
    panels = [kind for kind in ("loss", "acc") if any(k.endswith(kind) for k in known)]
    fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 3.6), squeeze=False)
    for ax, kind in zip(axes[0], panels, strict=True):
        for key in (k for k in known if k.endswith(kind)):
            _plot_curve(ax, history[key], _(key))
        finite = [v for k in known if k.endswith(kind) for v in history[k] if np.isfinite(v)]
        if log and kind == "loss" and finite and min(finite) > 0:
            ax.set_yscale("log")
        ax.set_xlim(0.5, max(len(history[k]) for k in known) + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(_("epoch"))
        ax.set_ylabel(_("loss" if kind == "loss" else "accuracy"))
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title or _("curves"))
    fig.tight_layout()
    return fig


def gaps(histories: dict[str, dict[str, list[float]]], title: str | None = None) -> Figure:
    """Training (dashed) and validation (solid) loss and accuracy per epoch, one colour per
    run: ``histories`` maps each run's label to a history with ``train_eval_loss``,
    ``train_eval_acc``, ``val_loss`` and ``val_acc`` (``experiments.train_model`` with
    ``track_train=True``). The space between a run's two lines is its generalization gap."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    for colour, (label, history) in enumerate(histories.items()):
        for ax, kind in zip(axes, ("loss", "acc"), strict=True):
            epochs = np.arange(1, len(history[f"val_{kind}"]) + 1)
            ax.plot(epochs, history[f"val_{kind}"], f"C{colour}-", label=label)
            ax.plot(epochs, history[f"train_eval_{kind}"], f"C{colour}--")
    for ax, kind in zip(axes, ("loss", "accuracy"), strict=True):
        ax.set_xlabel(_("epoch"))
        ax.set_ylabel(_(kind))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    axes[0].legend()
    fig.suptitle(title or _("gap_title"))
    fig.tight_layout()
    return fig


def images(X, labels, preds=None, ncols: int = 8, class_names=None) -> Figure:
    """Show images ``X`` (N, 1, H, W) or (N, H, W) with their labels (and predictions)."""
    X = np.asarray(X.detach().cpu() if hasattr(X, "detach") else X)
    if X.ndim == 4 and X.shape[1] == 1:
        X = X[:, 0]
    if X.ndim != 3:
        raise ValueError(_("image_shape", shape=tuple(X.shape)))
    _one_per_image(len(X), labels=labels, preds=preds)
    fig = _grid(len(X), ncols)
    name = (lambda c: int(c)) if class_names is None else (lambda c: class_names[int(c)])
    for i, ax in enumerate(fig.axes[: len(X)]):
        ax.imshow(X[i], cmap="gray")
        if preds is None:
            ax.set_title(_("label", y=name(labels[i])), fontsize=9)
        else:
            color = "green" if int(labels[i]) == int(preds[i]) else "red"
            text = _("label_pred", y=name(labels[i]), p=name(preds[i]))
            ax.set_title(text, fontsize=9, color=color)
    return fig


def _one_per_image(n: int, **values) -> None:
    for name, given in values.items():
        if given is not None and len(given) != n:
            raise ValueError(_("count", n=n, m=len(given), name=name))


def _grid(n: int, ncols: int) -> Figure:
    if n == 0:
        fig = plt.figure(figsize=(4, 1))
        fig.text(0.5, 0.5, _("none"), ha="center")
        return fig
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.6 * ncols, 1.9 * nrows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    return fig


def confusion_matrix(cm, class_names=None) -> Figure:
    """Draw a confusion matrix (rows: true class, columns: predicted class) with counts."""
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(_("square", shape=cm.shape))
    names = [str(i) for i in range(len(cm))] if class_names is None else list(class_names)
    if len(names) != len(cm):
        raise ValueError(_("names", n=len(cm), m=len(names)))
    fig, ax = plt.subplots(figsize=(0.55 * len(cm) + 2.5, 0.55 * len(cm) + 2))
    ax.imshow(cm, cmap="Blues")
    for (t, p), count in np.ndenumerate(cm):
        color = "white" if count > cm.max() / 2 else "black"
        ax.text(p, t, str(count), ha="center", va="center", fontsize=8, color=color)
    ax.set_xticks(range(len(cm)), names)
    ax.set_yticks(range(len(cm)), names)
    ax.set_xlabel(_("pred"))
    ax.set_ylabel(_("true"))
    ax.set_title(_("confusion"))
    fig.tight_layout()
    return fig


def misclassified(X, y_true, y_pred, n: int = 16, class_names=None) -> Figure:
    """Show up to ``n`` images whose prediction is wrong."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    _one_per_image(len(X), y_true=y_true, y_pred=y_pred)
    wrong = np.flatnonzero(y_true != y_pred)[:n]
    return images(X[wrong], y_true[wrong], y_pred[wrong], class_names=class_names)


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes (for ``widgets.Image(value=...)``); closes it.

    Redrawing a widget this way never waits on the front end, unlike
    ``Output`` + ``clear_output(wait=True)``, which can hang a headless run.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()
