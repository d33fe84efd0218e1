"""The options of ``course grade`` and ``course merge`` for Moodle and Canvas (what they do:
:mod:`course_tools.grading.lms_command`)."""

from __future__ import annotations

import argparse
from pathlib import Path

LMS = ("moodle", "canvas")  # = lms.SYSTEMS; tests/test_lms.py keeps these two equal


def add(parser: argparse.ArgumentParser, roster: bool = False) -> None:
    """``--lms``, ``--canvas-assignment[-id]``, and ``--roster`` when asked (``course merge``)."""
    if roster:
        parser.add_argument("--roster", type=Path, metavar="CSV", help="with --lms: its roster")
    parser.add_argument(
        "--lms",
        choices=LMS,
        help="also write files to import into Moodle (a grading worksheet, a feedback-files "
        "zip) or Canvas (a gradebook CSV), beside --out",
    )
    parser.add_argument("--canvas-assignment", metavar="NAME", help="the Canvas assignment's name")
    parser.add_argument(
        "--canvas-assignment-id",
        metavar="ID",
        help="the Canvas assignment's id (the number in its address): the import grades it "
        "rather than create a new assignment",
    )
