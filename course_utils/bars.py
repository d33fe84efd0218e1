"""Progress bars that stay readable after the run (``tqdm.auto``, two changes).

In a notebook, tqdm shows a widget whose plain-text stand-in is frozen at 0 %:
what a page, a viewer without widgets or a stored notebook shows. These bars
update that text when they close, so it reads as the finished bar; and a bar
whose loop a stub cut short can be taken off the output (a red, empty bar
reads as a failure). In a terminal they are tqdm's own.
"""

from __future__ import annotations

from IPython.display import display
from tqdm.auto import tqdm as _auto
from tqdm.notebook import tqdm as _notebook

WIDGET = "application/vnd.jupyter.widget-view+json"


NOTEBOOK = issubclass(_auto, _notebook)  # tqdm.auto chose the widget bar
_watchers: list[list] = []  # the lists that watch() handed out


class tqdm(_auto):
    """``tqdm.auto.tqdm``; in a notebook, displayed with a handle so its text follows it."""

    def __init__(self, *args, **kwargs) -> None:
        self.handle = None
        if not NOTEBOOK:
            super().__init__(*args, **kwargs)
            return
        super().__init__(*args, display=False, **kwargs)
        if not self.disable:
            self.handle = display(self._bundle(), raw=True, display_id=True)
            self.displayed = True
            for shown in _watchers:
                shown.append(self)

    def _bundle(self) -> dict:
        view = {"model_id": self.container.model_id, "version_major": 2, "version_minor": 0}
        return {"text/plain": str(self), WIDGET: view}

    def close(self) -> None:
        super().close()
        if self.handle is not None:
            self.handle.update(self._bundle(), raw=True)

    def discard(self) -> None:
        """Take the bar off the output (its loop was cut short) and close it."""
        if self.handle is not None:
            self.handle.update({"text/plain": ""}, raw=True)
            self.handle = None
        self.close()


def watch() -> list:
    """Start collecting the bars shown from now on; returns the list they go into."""
    shown: list[tqdm] = []
    _watchers.append(shown)
    return shown


def unwatch(shown: list) -> None:
    """Stop collecting into ``shown`` (a list :func:`watch` returned)."""
    _watchers[:] = [watcher for watcher in _watchers if watcher is not shown]


def discard_unfinished(shown: list) -> None:
    """Take off the output the bars in ``shown`` whose loop was cut short."""
    for bar in shown:
        if bar.total and bar.n < bar.total:
            bar.discard()


def trange(*args, **kwargs) -> tqdm:
    """``tqdm(range(*args), **kwargs)``."""
    return tqdm(range(*args), **kwargs)
