"""course_utils.report: values recorded in a notebook are read back from its outputs."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from course_utils import report


def test_record_stores_the_values_and_shows_no_text(monkeypatch):
    shown = []
    monkeypatch.setattr(report, "display", lambda bundle, raw: shown.append((bundle, raw)))
    report.record(test_accuracy=0.97654321, epochs=3)
    [(bundle, raw)] = shown
    assert raw is True
    assert bundle["text/plain"] == ""
    assert bundle[report.MIME] == {"test_accuracy": 0.97654321, "epochs": 3.0}
    assert all(type(v) is float for v in bundle[report.MIME].values())


def test_record_needs_numbers():
    with pytest.raises(ValueError, match="could not convert"):
        report.record(accuracy="high")


def test_read_collects_every_record_the_last_one_winning():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="hello\n"),
        nbformat.v4.new_output("display_data", data={report.MIME: {"a": 1.0, "b": 2.0}}),
    ]
    later = nbformat.v4.new_code_cell("")
    later.outputs = [nbformat.v4.new_output("display_data", data={report.MIME: {"b": 3.0}})]
    nb.cells = [nbformat.v4.new_markdown_cell("# title"), cell, later]
    assert report.read(nb) == {"a": 1.0, "b": 3.0}
    assert report.read(nbformat.v4.new_notebook()) == {}


def test_round_trip_through_a_kernel_and_a_file(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from course_utils import report"),
        nbformat.v4.new_code_cell("report.record(train_images=60000, test_accuracy=0.9812)"),
    ]
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    path = tmp_path / "executed.ipynb"
    nbformat.write(nb, path)
    stored = nbformat.read(path, as_version=4)
    assert report.read(stored) == {"train_images": 60000.0, "test_accuracy": 0.9812}
    [output] = stored.cells[1].outputs
    assert output.data["text/plain"] == ""
