"""A pytest plugin for the nbval run of ``test_notebooks.py``: keep what each cell printed.

nbval executes the notebook to compare the outputs of the cells tagged
``nbval-check-output`` with the stored ones, then forgets them. This plugin
writes every cell's outputs (keyed by cell id) to the JSON file named by
``$COURSE_NBVAL_OUTPUTS``, so that the same run also yields the metrics and the
check results: one execution, not two.
"""

from __future__ import annotations

import json
import os

from nbval.plugin import IPyNbCell

_outputs: dict[str, list] = {}


def pytest_runtest_teardown(item) -> None:
    if isinstance(item, IPyNbCell) and item.test_outputs is not None:
        _outputs[item.cell.id] = item.test_outputs


def pytest_sessionfinish(session) -> None:
    with open(os.environ["COURSE_NBVAL_OUTPUTS"], "w", encoding="utf-8") as file:
        json.dump(_outputs, file)
