"""Roster exports of Moodle and Canvas, read into a :class:`~course_tools.grading.lms.Directory`.

Recognised by their header (the first row):

- Canvas's gradebook export (Grades > Export): ``Student`` (the sortable name, "Last, First"),
  ``ID`` (the user id of the submissions' file names), ``SIS User ID``, ``SIS Login ID``,
  ``Section``; its ``Points Possible`` row is skipped.
- Moodle's grading worksheet of an assignment (View all submissions > "Download grading
  worksheet"): ``Identifier`` (``Participant 123456``: the id of the download's folder names),
  ``Full name``, ``Email address``. The best Moodle roster: it has every participant's id.
- Moodle's participants or grades export: ``First name``, ``Last name`` (``Surname`` in older
  versions), ``Email address``, ``ID number``. It has no participant ids, so its people are
  matched to the download by full name ("First Last").
"""

from __future__ import annotations

import csv
from pathlib import Path

from course_tools.grading.lms import Directory, Person, nfc

PARTICIPANT = "Participant"  # Moodle's string 'hiddenuser' of mod_assign, before the id
CANVAS = ("Student", "ID")
MOODLE_WORKSHEET = ("Identifier", "Full name")
MOODLE_PARTICIPANTS = ("First name",)
LAST_NAME = ("Last name", "Surname")
CANVAS_EXTRA = {"sis_user_id": "SIS User ID", "sis_login_id": "SIS Login ID", "section": "Section"}


def _canvas(rows: list[dict]) -> list[Person]:
    people = []
    for row in rows:
        name = nfc(row["Student"])
        if not name or "Points Possible" in name or not nfc(row["ID"]).isdigit():
            continue
        extra = {k: nfc(row.get(h) or "") for k, h in CANVAS_EXTRA.items()}
        people.append(Person(name, nfc(row["ID"]), **extra))
    return people


def _moodle_worksheet(rows: list[dict]) -> list[Person]:
    people = []
    for row in rows:
        ident = nfc(row["Identifier"]).removeprefix(PARTICIPANT).strip()
        if ident.isdigit():
            people.append(Person(nfc(row["Full name"]), ident, nfc(row.get("Email address") or "")))
    return people


def _moodle_participants(rows: list[dict], last: str) -> list[Person]:
    people = []
    for row in rows:
        name = " ".join(filter(None, (nfc(row["First name"]), nfc(row.get(last) or ""))))
        if name:
            people.append(Person(name, email=nfc(row.get("Email address") or "")))
    return people


def read_roster(path: Path) -> Directory:
    """The people of a Moodle or Canvas roster export; a clear error for anything else."""
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.DictReader(file)
        rows = list(reader)
        header = [nfc(h) for h in reader.fieldnames or []]
    rows = [{nfc(k or ""): v for k, v in row.items()} for row in rows]
    if all(h in header for h in CANVAS):
        return Directory(_canvas(rows))
    if all(h in header for h in MOODLE_WORKSHEET):
        return Directory(_moodle_worksheet(rows))
    last = next((h for h in LAST_NAME if h in header), None)
    if all(h in header for h in MOODLE_PARTICIPANTS) and last:
        return Directory(_moodle_participants(rows, last))
    raise ValueError(
        f"--roster {path} is not a roster export of Moodle or Canvas: export Canvas's gradebook "
        "(columns Student, ID, SIS User ID, SIS Login ID, Section), or Moodle's grading worksheet "
        "(Identifier, Full name, Email address) or participants (First name, Last name, Email "
        "address), with the interface in English"
    )
