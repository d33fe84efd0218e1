"""What ``--lms``, ``--canvas-assignment[-id]`` and an LMS ``--roster`` do in ``course grade``
and ``course merge`` (the options are in :mod:`course_tools.cli`)."""

from __future__ import annotations

import argparse
import sys

from course_tools.grading import lms_export, lms_roster
from course_tools.grading.lms import SYSTEMS, Directory

__all__ = ["SYSTEMS", "check", "directory", "write"]


def check(args: argparse.Namespace) -> None:
    """``--lms`` and its options checked, and its files refused before any grading."""
    if args.handler == "merge" and args.roster and not args.lms:
        raise ValueError("course merge --roster goes with --lms (the LMS's roster export)")
    canvas = args.canvas_assignment or args.canvas_assignment_id
    if canvas and args.lms != "canvas":
        raise ValueError("--canvas-assignment and --canvas-assignment-id go with --lms canvas")
    if args.lms == "canvas" and not args.canvas_assignment:
        raise ValueError(
            "--lms canvas needs --canvas-assignment NAME (the assignment's name in Canvas; "
            "add --canvas-assignment-id ID to grade an existing assignment)"
        )
    if args.canvas_assignment_id and not args.canvas_assignment_id.isdigit():
        raise ValueError("--canvas-assignment-id: the number in the assignment's address")
    if args.lms and getattr(args, "student_from", args.lms) != args.lms:
        raise ValueError(
            f"--lms {args.lms} takes the ids from the download: add --student-from {args.lms}"
        )
    files = lms_export.paths(args.out, args.lms) if args.lms else []
    if not args.force and (existing := [p for p in files if p.exists()]):
        raise ValueError(f"{existing[0]} exists: choose another --out, or add --force")


def directory(args: argparse.Namespace) -> Directory:
    """The class as the LMS knows it: its roster export (``--roster``), else what the
    download's names say."""
    if args.roster and not args.roster.is_file():
        raise ValueError(f"--roster {args.roster} does not exist")
    return lms_roster.read_roster(args.roster) if args.roster else Directory()


def write(args: argparse.Namespace, graded: list, directory: Directory) -> None:
    """The files to import into the LMS (``--lms``), and who could not go in them."""
    if args.lms == "moodle":
        left_out = lms_export.write_moodle(graded, args.out, directory)
    else:
        assignment, number = args.canvas_assignment, args.canvas_assignment_id or ""
        left_out = lms_export.write_canvas(graded, args.out, directory, assignment, number)
    files = ", ".join(map(str, lms_export.paths(args.out, args.lms)))
    print(f"to import into {args.lms.capitalize()}: {files}")
    if left_out:
        print(
            f"not in them (no {args.lms.capitalize()} id; grade them by hand, or give a roster "
            f"export with their ids): {', '.join(left_out)}",
            file=sys.stderr,
        )
