"""``course assign``: the student pack holds what students need and no solution code."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import nbformat
import papermill
import pytest

from course_utils import assign, build, checks, cli, run
from course_utils.data import REPO_ROOT
from course_utils.i18n import LANGUAGES

from .conftest import LESSONS

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
WELCOME = "00_welcome"  # the lesson that is always there


PACKS = [(lesson, lang) for lesson in LESSONS for lang in LANGUAGES]


@pytest.fixture(scope="module", params=PACKS, ids=[f"{lesson}-{lang}" for lesson, lang in PACKS])
def made(request, tmp_path_factory) -> tuple[str, str, Path, int, str]:
    """One lesson's pack in one language, written by the command: and its status and stderr."""
    lesson, lang = request.param
    out = tmp_path_factory.mktemp(f"pack-{lesson}-{lang}")
    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        status = cli.main(["assign", "--lang", lang, lesson, "--out", str(out)])
    return lesson, lang, out, status, stderr.getvalue()


@pytest.fixture
def pack(made) -> tuple[str, str, Path]:
    if made[3] != cli.EXIT_OK:
        pytest.skip(f"no pack for {made[0]}: see test_every_lesson_can_be_handed_out")
    return made[:3]


def test_every_lesson_can_be_handed_out(made):
    """Refused when a helper module the notebook imports holds the exercise's solution."""
    lesson, _, _, status, stderr = made
    assert status == cli.EXIT_OK, f"course assign {lesson} refused it:\n{stderr}"


def lines_of(text: str) -> list[str]:
    return [s.strip() for s in text.splitlines() if s.strip() and not s.strip().startswith("#")]


def runs(lines: list[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(lines[i : i + size]) for i in range(len(lines) - size + 1)}


def secret_runs(source: Path) -> set[tuple[str, ...]]:
    """Each solution region's runs of 3 lines (all of it if shorter) the lesson never shows."""
    regions, shown, current = [], [], None
    for line in source.read_text().splitlines():
        if line.strip().startswith(BEGIN):
            current = []
        elif line.strip().startswith(END):
            regions.append(lines_of("\n".join(current)))
            current = None
        elif current is not None:
            current.append(line)
        else:
            shown.append(line)
    shown = lines_of("\n".join(shown))
    return {
        run
        for region in regions
        for run in runs(region, min(3, len(region))) - runs(shown, min(3, len(region)))
    }


def readable(path: Path) -> str:
    """What a student reading a pack file sees (a notebook's cells, or the text)."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return "\n".join(cell.source for cell in nb.cells)
    return path.read_text()


def test_the_pack_holds_the_exercises_helpers_and_a_readme(pack):
    lesson, lang, out = pack
    files = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert {f"{lesson}.ipynb", "README.md", "requirements.txt", "course_utils/__init__.py"} <= files
    assert {name for name in files if name.endswith(".ipynb")} == {f"{lesson}.ipynb"}
    assert "torch==" in (out / "requirements.txt").read_text()
    nb = nbformat.read(out / f"{lesson}.ipynb", as_version=4)
    assert (nb.metadata.course.variant, nb.metadata.course.lang) == ("exercises", lang)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_no_solution_code_leaks_into_the_pack(pack):
    lesson, _, out = pack
    secret = secret_runs(build.find_source(lesson))
    exercise = (out / f"{lesson}.ipynb").read_text()
    if "NotImplementedError" in exercise:
        assert secret, f"{lesson} has an exercise but no solution line to look for"
    lines = [lines_of(readable(p)) for p in out.rglob("*") if p.is_file()]
    found = {run for file in lines for size in (1, 2, 3) for run in runs(file, size)}
    assert not secret & found, f"{lesson}: solution code in the pack"


def test_nothing_in_the_pack_comes_from_solutions(pack):
    _, _, out = pack
    solutions = {p.read_bytes() for p in (REPO_ROOT / "solutions").rglob("*.ipynb")}
    assert not [p for p in out.rglob("*") if p.is_file() and p.read_bytes() in solutions]
    assert "solutions" not in {p.name for p in out.rglob("*")}


def test_the_readme_speaks_the_pack_language_and_says_how_to_hand_in(pack):
    lesson, lang, out = pack
    readme = (out / "README.md").read_text()
    words = {
        "es": ("## Instalar", "## Abrir", "## Entregar"),
        "en": ("## Install", "## Open", "## Hand in"),
    }
    for heading in words[lang]:
        assert heading in readme
    assert f"`{lesson}.ipynb`" in readme
    assert "pip install -r requirements.txt" in readme


def test_the_pack_carries_only_the_helpers_its_notebooks_import(pack):
    _, _, out = pack
    modules = {p.stem for p in (out / "course_utils").glob("*.py")}
    assert {"__init__", "checks", "i18n", "data"} <= modules
    assert not modules & {"build", "cli", "cli_commands", "assign", "grade", "run"}


def test_the_leak_guard_refuses_a_pack_with_solution_code(monkeypatch, tmp_path):
    [run] = secret_runs(build.find_source("00"))  # lesson 00's one-line solution
    line = run[0]
    package = tmp_path / "course_utils"
    package.mkdir()
    for module in (REPO_ROOT / "course_utils").glob("*.py"):
        (package / module.name).write_text(module.read_text())
    (package / "checks.py").write_text((package / "checks.py").read_text() + f"\n{line}\n")
    monkeypatch.setattr(assign, "PACKAGE", package)
    with pytest.raises(
        ValueError,
        match=re.escape(f"course_utils/checks.py holds the solution of {WELCOME}: {line}"),
    ) as info:
        assign.contents(["00"], "es")
    assert "the pack would reveal solution code" in str(info.value)
    assert not (tmp_path / "pack").exists()


def test_a_stale_exercise_notebook_is_refused(monkeypatch):
    stale = build.variant(build.find_source(WELCOME), "exercises", "es")
    stale.cells[-1].source += "\n# edited since the build"
    monkeypatch.setattr(build, "variant", lambda *args: stale)
    with pytest.raises(ValueError, match="is older than its lesson: run `course build"):
        assign.contents([WELCOME], "es")


def test_a_folder_with_files_is_not_overwritten_without_force(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    argv = ["assign", "--lang", "en", WELCOME, "--out", str(tmp_path)]
    assert cli.main(argv) == cli.EXIT_USAGE
    assert "is not empty: choose a new folder, or add --force" in capsys.readouterr().err
    assert cli.main([*argv, "--force"]) == cli.EXIT_OK
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert (tmp_path / f"{WELCOME}.ipynb").is_file()


@pytest.mark.notebook
@pytest.mark.usefixtures("mnist_available")
def test_a_pack_notebook_runs_on_the_pack_own_helpers(tmp_path):
    """Opened in the pack's folder, the notebook imports the pack's copy of course_utils."""
    assign.assign([WELCOME], "en", tmp_path)
    path = tmp_path / f"{WELCOME}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import course_utils\nprint(course_utils.__file__)"))
    quick = {"LANG": "en", **run.profile_parameters(nb, "quick")}
    executed = papermill.execute_notebook(
        nb, None, parameters=quick, cwd=str(tmp_path), progress_bar=False, kernel_name="python3"
    )
    printed = executed.cells[-1].outputs[0]["text"].strip()
    assert Path(printed).resolve() == (tmp_path / "course_utils" / "__init__.py").resolve()
    assert set(run.check_results(executed).values()) == {checks.TODO}
