"""Moodle and Canvas in and out: their downloads' names, their roster exports, and the files
``course grade --lms`` writes to import back, checked column by column against what each
LMS's importer reads (see :mod:`course_tools.grading.lms_export` for the sources).

The end-to-end tests grade fixture exports built here from the documented formats (Moodle's
folders, old and new, and flat files; Canvas's flat files, LATE and resubmitted), with
accented names in decomposed Unicode as a macOS zip gives them, on lesson 00's notebooks.
"""

from __future__ import annotations

import csv
import unicodedata
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from course_tools import cli, cli_lms, commands
from course_tools.grading import collect, lms, lms_export, lms_roster
from course_tools.grading.rows import Graded

from .test_grade import NO_BIAS, answered, built, solved, write

NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731


@pytest.mark.parametrize(
    ("name", "person", "number"),
    [
        ("María José García_123456_assignsubmission_file_", "María José García", "123456"),
        ("María José García_123456_assignsubmission_file", "María José García", "123456"),
        (NFD("José Núñez_7_assignsubmission_file_tarea 1.ipynb"), "José Núñez", "7"),
        ("Zoë O'Brien-Smith_42_assignsubmission_file_", "Zoë O'Brien-Smith", "42"),
        ("Nguyễn Thị Minh Khai_88_assignsubmission_onlinetext_", "Nguyễn Thị Minh Khai", "88"),
        ("Participant_987_assignsubmission_file_", "Participant", "987"),  # blind marking
        ("Anne Marie du Pont_5_assignsubmission_file_my_work_v2.ipynb", "Anne Marie du Pont", "5"),
    ],
)
def test_moodle_names_give_the_name_and_participant_id(name, person, number):
    found = lms.parse(name, "moodle")
    assert (found.name, found.id) == (person, number)
    assert found.label == f"{person} ({number})"


@pytest.mark.parametrize(
    ("name", "person", "number", "late"),
    [
        ("garcíalópezmaría_12345_67890_tarea.ipynb", "garcíalópezmaría", "12345", False),
        ("smithjohn_LATE_12345_67890_00_welcome.ipynb", "smithjohn", "12345", True),
        ("smithjohn_late_12345_67890_x.ipynb", "smithjohn", "12345", True),  # older Canvas
        ("smithjohn_12345_67891_00_welcome-1.ipynb", "smithjohn", "12345", False),  # resubmitted
        ("o_brienann_555_777_hw_1_final.ipynb", "o_brienann", "555", False),  # "O_Brien, Ann"
        (NFD("núñezjosé_LATE_9_10_bài_tập.ipynb"), "núñezjosé", "9", True),
        ("nguyễnthịminhkhai_31_2024_2024_10_01.ipynb", "nguyễnthịminhkhai", "31", False),
        ("12345_67890_tarea.ipynb", "user 12345", "12345", False),  # anonymous grading
    ],
)
def test_canvas_names_give_the_name_user_id_and_lateness(name, person, number, late):
    found = lms.parse(name, "canvas")
    assert (found.name, found.id, found.late) == (person, number, late)


@pytest.mark.parametrize("name", ["tarea.ipynb", "ana maria.ipynb", "Ana_x_assignsubmission_file_"])
def test_names_the_lms_never_gives_are_not_read_as_its(name):
    assert lms.parse(name, "moodle") is None
    assert lms.parse("smith_john_x.ipynb", "canvas") is None


def test_the_cli_offers_every_lms():
    assert cli_lms.LMS == lms.SYSTEMS


def test_a_file_not_named_by_the_lms_is_refused_saying_what_to_do(tmp_path):
    path = write(tmp_path / "export" / "ana.ipynb", "{}")
    with pytest.raises(ValueError, match="not named as Moodle's download.*--student-from name"):
        collect.collect([tmp_path / "export"], "moodle")
    assert cli.main(["grade", "--student-from", "canvas", str(path)]) == commands.EXIT_USAGE


CANVAS_ROSTER = (
    "Student,ID,SIS User ID,SIS Login ID,Section,Lab 00 (555)\n"
    "    Points Possible,,,,,3\n"
    '"García López, María",101,A0101,mgarcia,Grupo A,\n'
    '"Smith, John",102,A0102,jsmith,Grupo B,\n'
    '"O_Brien, Ann",103,A0103,aobrien,Grupo A,\n'
    '"Lee, Anna",104,A0104,alee,Grupo B,\n'
    '"Núñez, José",105,A0105,jnunez,Grupo A,\n'
)
MOODLE_WORKSHEET = (
    "Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
    "Last modified (submission),Last modified (grade),Feedback comments\n"
    "Participant 201,María José García,mjgarcia@example.org,Submitted,,3,Yes,-,-,\n"
    "Participant 202,José Núñez,jnunez@example.org,Submitted,,3,Yes,-,-,\n"
    "Participant 203,Zoë O'Brien,zobrien@example.org,Submitted,,3,Yes,-,-,\n"
    "Participant 204,Li Wei,lwei@example.org,No submission,,3,Yes,-,-,\n"
)


def test_rosters_of_either_lms_map_ids_to_names_and_emails(tmp_path):
    canvas = lms_roster.read_roster(write(tmp_path / "canvas.csv", CANVAS_ROSTER))
    assert [p.label for p in canvas.roster][:2] == [
        "García López, María (101)",
        "Smith, John (102)",
    ]
    assert canvas.find("garcíalópezmaría (101)").sis_login_id == "mgarcia"
    moodle = lms_roster.read_roster(write(tmp_path / "worksheet.csv", MOODLE_WORKSHEET))
    assert moodle.find("José Núñez (202)").email == "jnunez@example.org"
    participants = "First name,Surname,ID number,Email address\nJosé,Núñez,X1,j@example.org\n"
    people = lms_roster.read_roster(write(tmp_path / "participants.csv", NFD(participants)))
    assert people.resolve(lms.Person("José Núñez", "202")).email == "j@example.org"
    assert list(people) == ["José Núñez (202)"]
    with pytest.raises(ValueError, match="not a roster export of Moodle or Canvas"):
        lms_roster.read_roster(write(tmp_path / "other.csv", "student\nana\n"))


def test_moodle_submissions_without_a_notebook_and_roster_students_are_missing(tmp_path):
    export = tmp_path / "export"
    write(export / "José Núñez_202_assignsubmission_file_" / "tarea.ipynb", "{}")
    write(export / "José Núñez_202_assignsubmission_onlinetext_" / "onlinetext.html", "hi")
    write(export / "Zoë O'Brien_203_assignsubmission_onlinetext_" / "onlinetext.html", "hi")
    directory = lms_roster.read_roster(write(tmp_path / "w.csv", MOODLE_WORKSHEET))
    batch = collect.collect([export], "moodle", directory, directory)
    assert [s for _, s in batch.found] == ["José Núñez (202)"]
    assert sorted((s, why) for s, why, _ in batch.missing) == [
        ("Li Wei (204)", collect.NOT_HANDED_IN),
        ("María José García (201)", collect.NOT_HANDED_IN),
        ("Zoë O'Brien (203)", collect.NO_NOTEBOOK),
    ]


def graded(student: str, points: float, worth: float = 3, lang: str = "es") -> Graded:
    one = Graded(student, "x.ipynb", "00_welcome", lang)
    one.add("count_parameters", "passed" if points else "failed", "<b>bien</b>", points=points)
    one.rows[0].max_points = worth
    return one


def test_the_canvas_import_creates_the_assignment_with_its_points_when_it_has_no_id(tmp_path):
    out = tmp_path / "g.csv"
    left = lms_export.write_canvas(
        [graded("Ana (7)", 2), graded("Eva", 1)], out, lms.Directory(), "Lab"
    )
    rows = list(csv.reader(lms_export.paths(out, "canvas")[0].open(encoding="utf-8")))
    assert rows == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lab"],
        ["Points Possible", "", "", "", "", "3"],
        ["Ana", "7", "", "", "", "2"],
    ]
    assert left == ["Eva"]


def moodle_import(worksheet: Path) -> dict[str, dict]:
    """The worksheet as Moodle's importer reads it (importgradeslib.php): the columns found by
    name (Identifier, Grade and Last modified (grade) required), the id after "Participant "."""
    with worksheet.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    assert not rows[0][0].startswith("\ufeff")  # a BOM would hide "Identifier"
    index = {name: rows[0].index(name) for name in rows[0]}
    for required in ("Identifier", "Grade", "Last modified (grade)", "Feedback comments"):
        assert required in index
    assert index["Feedback comments"] > 0  # importgradeslib skips a feedback column at 0
    read = {}
    for row in rows[1:]:
        number = row[index["Identifier"]][len("Participant ") :]
        assert number.isdigit()
        datetime.fromisoformat(row[index["Last modified (grade)"]])  # strtotime reads ISO 8601
        read[number] = {name: row[i] for name, i in index.items()}
    return read


def moodle_feedback(archive: Path) -> dict[str, str]:
    """The feedback zip as Moodle's importer reads it (importziplib.php): each path part split
    on "_" into at most 5, the participant id second, then the plugin's type and name."""
    found = {}
    with zipfile.ZipFile(archive) as zipped:
        for entry in zipped.namelist():
            info = entry.split("/")[0].split("_", 4)
            assert len(info) >= 4 and info[1].isdigit(), entry
            assert (info[2], info[3]) == ("assignsubmission", "file"), entry
            found[info[1]] = zipped.read(entry).decode()
    return found


def test_the_moodle_worksheet_and_feedback_zip_read_as_moodle_reads_them(tmp_path):
    out = tmp_path / "g.csv"
    directory = lms_roster.read_roster(write(tmp_path / "w.csv", MOODLE_WORKSHEET))
    students = [graded("María José García (201)", 3), graded("=Eve_x", 0)]
    assert lms_export.write_moodle(students, out, directory) == ["=Eve_x"]
    worksheet, archive = lms_export.paths(out, "moodle")
    read = moodle_import(worksheet)
    assert list(read) == ["201"]
    assert read["201"]["Grade"] == "3" and read["201"]["Maximum Grade"] == "3"
    assert read["201"]["Email address"] == "mjgarcia@example.org"
    assert "&lt;b&gt;bien&lt;/b&gt;" in read["201"]["Feedback comments"]
    assert list(moodle_feedback(archive)) == ["201"]


MOODLE_EXPORT = {  # path in the download -> notebook
    NFD("María José García_201_assignsubmission_file_/00_welcome.ipynb"): lambda: solved("es"),
    NFD("José Núñez_202_assignsubmission_file/tarea.ipynb"): lambda: answered("en", NO_BIAS),
    "Zoë O'Brien_203_assignsubmission_file_mi_tarea.ipynb": lambda: built("exercises", "en"),
}
CANVAS_EXPORT = {
    NFD("garcíalópezmaría_LATE_101_9001_00_welcome.ipynb"): lambda: solved("en"),
    "smithjohn_102_9002_tarea-1.ipynb": lambda: answered("es", NO_BIAS),
    "o_brienann_103_9003_hw_1.ipynb": lambda: built("exercises", "es"),
    "leeanna_104_9004_essay.pdf": lambda: "%PDF-1.4",
}


def grade(root: Path, system: str, export: dict, roster: str, *options: str) -> Path:
    for name, make in export.items():
        write(root / "export" / name, make())
    out = root / "grades" / "00.csv"
    argv = ["grade", "--no-sandbox", "--lesson", "00", "--jobs", "2", "--student-from", system]
    argv += ["--roster", str(write(root / "roster.csv", roster)), "--lms", system, *options]
    assert cli.main([*argv, "--out", str(out), str(root / "export")]) == 0
    return out


def summary(out: Path) -> dict[str, dict]:
    with out.with_name(f"{out.stem}-students.csv").open(encoding="utf-8-sig") as file:
        return {row["student"]: row for row in csv.DictReader(file)}


@pytest.mark.notebook
@pytest.mark.usefixtures("mnist_available")
def test_a_moodle_course_goes_in_and_its_worksheet_and_feedback_come_out(tmp_path):
    out = grade(tmp_path, "moodle", MOODLE_EXPORT, NFD(MOODLE_WORKSHEET))
    students = summary(out)
    assert {s: (r["points"], r["status"]) for s, r in students.items()} == {
        "María José García (201)": ("1", "graded"),
        "José Núñez (202)": ("0", "graded"),
        "Zoë O'Brien (203)": ("0", "graded"),
        "Li Wei (204)": ("0", "missing"),
    }
    worksheet, archive = lms_export.paths(out, "moodle")
    read = moodle_import(worksheet)
    assert sorted(read) == ["201", "202", "203", "204"]
    for student, row in students.items():
        number = lms.of_label(student).id
        assert read[number]["Full name"] == lms.of_label(student).name
        assert (read[number]["Grade"], read[number]["Maximum Grade"]) == (
            row["points"],
            row["max_points"],
        )
    assert read["202"]["Email address"] == "jnunez@example.org"
    assert "count_parameters" in read["202"]["Feedback comments"]
    feedback = moodle_feedback(archive)
    assert sorted(feedback) == ["201", "202", "203", "204"]
    assert feedback["201"].startswith("# Comentarios para María José García (201)")
    merged = tmp_path / "merged.csv"
    argv = ["merge", str(out), "--out", str(merged), "--lms", "moodle"]
    assert cli.main([*argv, "--roster", str(tmp_path / "roster.csv")]) == 0
    again = moodle_import(lms_export.paths(merged, "moodle")[0])
    drop = lambda rows: {k: {**v, "Last modified (grade)": ""} for k, v in rows.items()}  # noqa: E731
    assert drop(again) == drop(read)


@pytest.mark.notebook
@pytest.mark.usefixtures("mnist_available")
def test_a_canvas_course_goes_in_and_its_gradebook_import_comes_out(tmp_path):
    options = ["--canvas-assignment", "Lab 00", "--canvas-assignment-id", "555"]
    out = grade(tmp_path, "canvas", CANVAS_EXPORT, NFD(CANVAS_ROSTER), *options)
    students = summary(out)
    assert {s: (r["points"], r["status"]) for s, r in students.items()} == {
        "García López, María (101)": ("1", "graded"),
        "Lee, Anna (104)": ("0", "missing"),
        "Núñez, José (105)": ("0", "missing"),
        "O_Brien, Ann (103)": ("0", "graded"),
        "Smith, John (102)": ("0", "graded"),
    }
    with lms_export.paths(out, "canvas")[0].open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lab 00 (555)"]
    assert rows[1] == ["García López, María", "101", "A0101", "mgarcia", "Grupo A", "1"]
    by_id = {row[1]: row for row in rows[1:]}
    assert sorted(by_id) == ["101", "102", "103", "104", "105"]
    for student, row in students.items():
        assert by_id[lms.of_label(student).id][0] == lms.of_label(student).name
        assert by_id[lms.of_label(student).id][5] == row["points"]
    assert by_id["104"][2:5] == ["A0104", "alee", "Grupo B"]


def test_lms_options_are_checked_before_grading(tmp_path):
    path = str(write(tmp_path / "smithjohn_1_2_x.ipynb", "{}"))
    for options in (
        ["--student-from", "canvas", "--lms", "canvas"],  # no assignment name
        ["--student-from", "folder", "--lms", "moodle"],  # no ids
        ["--canvas-assignment", "Lab"],  # without --lms canvas
        [
            "--student-from",
            "canvas",
            "--lms",
            "canvas",
            "--canvas-assignment",
            "L",
            "--canvas-assignment-id",
            "x",
        ],
    ):
        assert cli.main(["grade", path, "--out", str(tmp_path / "g.csv"), *options]) == 2
    assert not (tmp_path / "g.csv").exists()
