"""Shared fixtures: the data root, and the lists of lessons and built notebooks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from course_utils import build
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
