"""Students named as Moodle and Canvas name the submissions they let you download.

Moodle's "Download all submissions" (``mod/assign/classes/downloader.php``, Moodle 4.1+;
``mod/assign/locallib.php`` before) writes one folder per submission,
``Full Name_123456_assignsubmission_file`` (``..._file_`` before 4.1), or, with "Download
submissions in folders" off, files ``Full Name_123456_assignsubmission_file_name.ipynb``. The
number is the participant id of the assignment (``get_uniqueid_for_user``), the one its grading
worksheet writes as ``Participant 123456``; underscores in the name become spaces.

Canvas's "Download Submissions" (``app/models/content_zipper.rb``) writes flat files
``{sortable name, word characters only, lowercase}[_LATE]_{user id}_{file id}_{file name}``
(``garcíalópezmaría_LATE_12345_67890_tarea.ipynb``); the user id is the ``ID`` column of the
gradebook export, and a resubmitted file may get ``-1`` before its extension.

A student is named ``Full Name (id)``, in Unicode's composed form, with the roster's name
when a roster export (:mod:`course_tools.grading.lms_roster`) knows the id.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SYSTEMS = ("moodle", "canvas")
MOODLE = re.compile(r"^(?P<name>[^_/]+)_(?P<id>\d+)_assignsubmission_[a-z]+(?:_(?P<file>.*))?$")
CANVAS = re.compile(
    r"^(?:(?P<name>.+?)_)??(?:(?P<late>late)_)?(?P<id>\d+)_(?P<file_id>\d+)_(?P<file>.+)$",
    re.IGNORECASE,
)
EXAMPLES = {
    "moodle": "Full Name_123456_assignsubmission_file_/tarea.ipynb",
    "canvas": "lastfirst_12345_67890_tarea.ipynb",
}
LABEL = re.compile(r"^(?P<name>.*) \((?P<id>\d+)\)$")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


@dataclass
class Person:
    """Someone the LMS knows: a name, its id (Moodle's participant id, Canvas's user id)."""

    name: str
    id: str = ""
    email: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    late: bool = False

    @property
    def label(self) -> str:
        """The student's name in the gradebook: ``Full Name (id)``."""
        return f"{self.name} ({self.id})" if self.id else self.name


def parse(name: str, system: str) -> Person | None:
    """Who a file or folder name of the LMS's download belongs to (``None``: not its naming)."""
    found = (MOODLE if system == "moodle" else CANVAS).match(nfc(name))
    if not found:
        return None
    late = system == "canvas" and bool(found["late"])
    return Person(found["name"] or f"user {found['id']}", found["id"], late=late)


def of_label(label: str) -> Person:
    """The person a gradebook's student label names (its id, when it has one)."""
    found = LABEL.match(label)
    return Person(found["name"], found["id"]) if found else Person(label)


def _key(name: str) -> str:
    return " ".join(nfc(name).casefold().split())


class Directory:
    """The class as the LMS knows it: the roster's people, found by id, else by name (a Moodle
    participants export has no participant ids), and whoever else handed something in.

    Iterating gives the roster's students (for ``collect``), as named once resolved.
    """

    def __init__(self, roster: list[Person] = ()) -> None:
        self.roster = list(roster)
        self.others: list[Person] = []

    def __iter__(self):
        return iter([person.label for person in self.roster])

    def resolve(self, found: Person) -> Person:
        """The known person ``found`` is (learning their id), or ``found`` itself, remembered."""
        for person in [*self.roster, *self.others]:
            if person.id and person.id == found.id:
                return person
        for person in self.roster:
            if not person.id and _key(person.name) == _key(found.name):
                person.id = found.id
                return person
        self.others.append(found)
        return found

    def find(self, label: str) -> Person:
        """The person behind a gradebook label, with what the roster knows of them."""
        named = of_label(label)
        known = [p for p in [*self.roster, *self.others] if named.id and p.id == named.id]
        return known[0] if known else named


def student_of(path: Path, system: str, directory: Directory | None = None) -> str:
    """Who handed in ``path``: its own name or (Moodle) its nearest folder named by the LMS."""
    folders = [p.name for p in path.absolute().parents] if system == "moodle" else []
    for part in [path.name, *folders]:
        if found := parse(part, system):
            return (directory or Directory()).resolve(found).label
    raise ValueError(
        f"{path} is not named as {system.capitalize()}'s download names submissions "
        f"(e.g. {EXAMPLES[system]}): unzip the download as it is, or grade with "
        "--student-from name or folder"
    )


def named_in(folder: Path, system: str) -> list[Path]:
    """Every file or folder under ``folder`` that the LMS's download named after a student."""
    found = (p for p in sorted(folder.rglob("*")) if ".ipynb_checkpoints" not in p.parts)
    return [p for p in found if parse(p.name, system)]
