"""Progress bars that stay readable after the run (``tqdm.auto``, one change).

In a notebook, tqdm shows a widget whose plain-text stand-in is frozen at 0 %:
what a page, a viewer without widgets or a stored notebook shows. These bars
update that text when they close, so it reads as the finished bar. In a
terminal they are tqdm's own.
"""

from __future__ import annotations

from IPython.display import display
from tqdm.auto import tqdm as _auto
from tqdm.notebook import tqdm as _notebook

WIDGET = "application/vnd.jupyter.widget-view+json"


NOTEBOOK = issubclass(_auto, _notebook)  # tqdm.auto chose the widget bar


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

    def _bundle(self) -> dict:
        view = {"model_id": self.container.model_id, "version_major": 2, "version_minor": 0}
        return {"text/plain": str(self), WIDGET: view}

    def close(self) -> None:
        super().close()
        if self.handle is not None:
            self.handle.update(self._bundle(), raw=True)


def trange(*args, **kwargs) -> tqdm:
    """``tqdm(range(*args), **kwargs)``."""
    return tqdm(range(*args), **kwargs)
