"""What ``course --help`` says: the longer help texts of :mod:`course_tools.cli`."""

from __future__ import annotations

LESSONS_HELP = "lesson numbers or names, e.g. 01 or 01_training_loop (default: all)"
LANG_HELP = "only this language (default: both)"
GRADE_HELP = """\
Run each submitted notebook in a fresh kernel, with a time limit, and grade it
with the course's own checks, run in a separate fresh process on the student's
definitions only, never with what the notebook shows. The lesson and language
are read from the notebook itself, not from its file name. With --sandbox (the
default where bubblewrap works) both run without network, with the repo
read-only and solutions/ hidden.

Writes OUT (one CSV row per student and exercise, with the check's diagnosis
id), OUT-students.csv (one row per student: points, max_points, status),
OUT-mistakes.csv (per exercise and diagnosis id, how many students made that
mistake) and feedback/OUT/<student>.md beside OUT, in the notebook's language.
A notebook that cannot be read, runs out of time, tampers with grading or is of
another lesson, and a student with no notebook (see --roster), gets a row saying
so; the others are graded all the same. With --lms moodle, also OUT-moodle.csv
(a grading worksheet) and OUT-moodle-feedback.zip; with --lms canvas,
OUT-canvas.csv (a gradebook import)."""
AUTOGRADER_HELP = """\
Write autograder-LESSON-LANG.zip for a Gradescope programming assignment:
setup.sh installs the course (its pinned dependencies, PyTorch's CPU wheels,
the course's packages and the lesson's exercise notebooks, no solutions) and
run_autograder grades the notebook a student uploads with the grader of
course grade, writing results.json: one test per exercise, with its points and
the check's diagnosis in the notebook's language. Upload the zip in the
assignment's Configure Autograder page; see the README, For instructors."""
STUDENT_FROM_HELP = (
    "name: ana.ipynb is Ana's; folder: ana/any.ipynb is Ana's; moodle, canvas: as the LMS's "
    "download names each submission (name and id; --roster: its roster export)"
)
EPILOG = (
    "Exit status: 0 when everything worked; 1 when a lesson failed to build or run "
    "(course build, course run); 2 on bad usage (unknown lesson, missing file, "
    "non-empty output folder). Students' mistakes are in the gradebook, not in the "
    "exit status. Run `course COMMAND --help` for a command's options."
)
