"""Shared fixtures: the data root, the lists of lessons and built notebooks, the language."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from course_tools import build
from course_utils import i18n
from course_utils.data import REPO_ROOT

SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
if "COURSE_DATA_DIR" not in os.environ and SHARED_DATA.is_dir():
    os.environ["COURSE_DATA_DIR"] = str(SHARED_DATA)

LESSONS = [path.stem for path in build.sources()]


@pytest.fixture(scope="session")
def mnist_available() -> Path:
    """The data root, or skip when MNIST is not there (CI always has it)."""
    from course_utils import data

    root = data.data_root()
    if not (root / "MNIST" / "raw" / "t10k-labels-idx1-ubyte").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have MNIST under {root}")
        pytest.skip(f"MNIST not found under {root}")
    return root


@pytest.fixture
def english():
    """Messages in English during the test; Spanish (the default) again after it."""
    i18n.set_language("en")
    yield
    i18n.set_language("es")


@pytest.fixture
def spanish():
    """Messages in Spanish during the test, whatever an earlier test left behind."""
    i18n.set_language("es")
    yield
    i18n.set_language("es")


@pytest.fixture(params=["es", "en"])
def lang(request) -> str:
    """Run the test once per language, messages in it; Spanish (the default) again after."""
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("es")
