"""The course's own tooling, for instructors and maintainers: build, run, assign, grade.

Students never need it: a student pack carries ``course_utils`` only. The
tooling imports ``course_utils`` (languages, checks, recorded metrics);
``course_utils`` never imports the tooling.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
