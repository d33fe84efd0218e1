"""checks.is_stub / checks.solved: a cell that uses an exercise's result waits for it."""

from __future__ import annotations

import pytest

from course_utils import checks

pytestmark = pytest.mark.usefixtures("spanish")


def stub_function(x):
    """Doc."""
    y = x + 1
    raise NotImplementedError()
    return y


def written_function(x):
    return x + 1


class StubModel:
    def __init__(self):
        self.size = 3

    def forward(self, x):
        raise NotImplementedError()


class WrittenModel:
    def forward(self, x):
        return x


def test_a_stub_is_told_from_a_solution():
    assert checks.is_stub(stub_function) and checks.is_stub(StubModel)
    assert not checks.is_stub(written_function) and not checks.is_stub(WrittenModel)


def test_solved_says_the_cell_waits_while_any_exercise_is_a_stub(capsys):
    assert checks.solved(written_function, WrittenModel)
    assert capsys.readouterr().out == ""
    assert not checks.solved(written_function, stub_function)
    assert capsys.readouterr().out.strip() == checks._("skipped")


def test_the_message_is_in_the_current_language(capsys, english):
    checks.solved(StubModel)
    assert "once you finish it" in capsys.readouterr().out
