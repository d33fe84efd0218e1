"""course_utils.bars: in a notebook the stored text of a bar is the finished bar, not 0 %."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient
from tqdm.auto import tqdm as auto_tqdm

from course_utils import bars


def test_outside_a_notebook_it_is_tqdm_auto(capsys):
    assert not bars.NOTEBOOK and issubclass(bars.tqdm, auto_tqdm)
    assert list(bars.trange(3, desc="x")) == [0, 1, 2]
    assert "3/3" in capsys.readouterr().err


def test_a_notebook_stores_the_finished_bar_beside_the_widget():
    cell = nbformat.v4.new_code_cell(
        "from course_utils import bars\nfor i in bars.trange(4, desc='épocas'):\n    pass"
    )
    nb = nbformat.v4.new_notebook(cells=[cell])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    [output] = nb.cells[0].outputs
    assert bars.WIDGET in output.data
    assert output.data["text/plain"].startswith("épocas: 100%|")
    assert "4/4" in output.data["text/plain"]
