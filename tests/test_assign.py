"""``course assign``: the student pack holds what students need and no solution code."""

from __future__ import annotations

import ast
import contextlib
import io
import re
import shutil
import tomllib
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from course_tools import assign, assign_text, build, cli, commands, run
from course_utils import checks
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
    earlier = [f"--reveal={other}" for other in LESSONS if other < lesson]  # already graded
    with contextlib.redirect_stderr(io.StringIO()) as stderr:
        status = cli.main(["assign", "--lang", lang, lesson, "--out", str(out), *earlier])
    return lesson, lang, out, status, stderr.getvalue()


@pytest.fixture
def pack(made) -> tuple[str, str, Path]:
    if made[3] != commands.EXIT_OK:
        pytest.skip(f"no pack for {made[0]}: see test_every_lesson_can_be_handed_out")
    return made[:3]


def test_every_lesson_can_be_handed_out(made):
    """Once the earlier lessons are graded (--reveal): refused if it shows its own solution."""
    lesson, _, _, status, stderr = made
    assert status == commands.EXIT_OK, f"course assign {lesson} refused it:\n{stderr}"


def test_a_pack_never_carries_any_lesson_solution_whichever_lessons_it_holds():
    """Lesson 02 shows lesson 01's train_epoch: 02 alone is refused, as 01 with 02 is."""
    for lessons in (["02"], ["01", "02"]):
        with pytest.raises(ValueError) as info:
            assign.contents(lessons, "en")
        words = str(info.value)
        assert re.search(r"02_validation\.ipynb, cell \d+ holds the solution of 01_", words)
        assert "whichever lessons it holds" in words
    assert "02_validation.ipynb" in assign.contents(["02"], "en", reveal=["01"])
    with pytest.raises(ValueError, match="course_utils/train.py holds the solution of 01_"):
        assign.contents(["03"], "en")
    with pytest.raises(ValueError, match="a pack never reveals its own lessons"):
        assign.contents(["02"], "en", reveal=["02"])


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
    files = {p.relative_to(out).as_posix() for p in out.rglob("*.py")}
    assert {"course_utils/__init__.py", "course_utils/checks/__init__.py"} <= files
    assert {"course_utils/i18n.py", "course_utils/data.py"} <= files
    assert all(name.startswith("course_utils/") for name in files)
    assert not any("course_tools" in name for name in files)


def pack_imports(out: Path) -> set[str]:
    """Every module a pack's code imports: its helpers' and its notebooks' cells."""
    sources = [p.read_text() for p in out.rglob("*.py")]
    for path in out.glob("*.ipynb"):
        cells = nbformat.read(path, as_version=4).cells
        sources += [
            TransformerManager().transform_cell(c.source) for c in cells if c.cell_type == "code"
        ]
    found = set()
    for node in (n for source in sources for n in ast.walk(ast.parse(source))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def test_every_course_import_of_a_pack_resolves_inside_it_and_none_reaches_the_tooling(pack):
    """Whatever is installed beside it, a pack's code can only need what the pack holds."""
    _, _, out = pack
    found = pack_imports(out)
    assert not {name for name in found if name.split(".")[0] == "course_tools"}
    course = {name for name in found if name.split(".")[0] == "course_utils"}
    assert "course_utils.checks" in course
    for name in course:
        base = out.joinpath(*name.split("."))
        is_module = base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()
        parent = out.joinpath(*name.split(".")[:-1])
        is_name = (parent.with_suffix(".py")).is_file() or (parent / "__init__.py").is_file()
        assert is_module or is_name, f"{name} is imported but not in the pack"


def test_the_leak_guard_refuses_a_pack_with_solution_code(monkeypatch, tmp_path):
    [run] = secret_runs(build.find_source("00"))  # lesson 00's one-line solution
    line = run[0]
    package = tmp_path / "course_utils"
    shutil.copytree(REPO_ROOT / "course_utils", package)
    machinery = package / "checks" / "__init__.py"
    machinery.write_text(machinery.read_text() + f"\n{line}\n")
    monkeypatch.setattr(assign, "PACKAGE", package)
    with pytest.raises(
        ValueError,
        match=re.escape(f"course_utils/checks/__init__.py holds the solution of {WELCOME}: {line}"),
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
    assert cli.main(argv) == commands.EXIT_USAGE
    assert "is not empty: choose a new folder, or add --force" in capsys.readouterr().err
    assert cli.main([*argv, "--force"]) == commands.EXIT_OK
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
    executed = build.execute(nb, tmp_path, **quick)
    printed = executed.cells[-1].outputs[0]["text"].strip()
    assert Path(printed).resolve() == (tmp_path / "course_utils" / "__init__.py").resolve()
    assert set(run.check_results(executed).values()) == {checks.TODO}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pack_readme_asks_for_the_python_versions_the_project_supports(lang):
    """requires-python is ">=3.11,<3.13": the README names 3.11 and 3.12 and nothing else."""
    spec = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    low, high = (int(v.split(".")[1]) for v in re.findall(r"3\.\d+", spec))
    supported = {f"3.{minor}" for minor in range(low, high)}
    readme = assign_text.readme(lang, ["x.ipynb"])
    line = next(line for line in readme.splitlines() if "Python 3" in line)
    named = set(re.findall(r"3\.\d+", line))
    assert named == supported


def lab_labels() -> dict[str, str]:
    """The Spanish language pack's JupyterLab labels (msgid, or context + EOT + msgid)."""
    import json

    import jupyterlab_language_pack_es_ES as pack

    catalog = Path(pack.__file__).parent / "locale" / "es_ES" / "LC_MESSAGES" / "jupyterlab.json"
    found = json.loads(catalog.read_text(encoding="utf-8"))
    return {key: value[0] for key, value in found.items() if key and isinstance(value, list)}


def test_the_spanish_readme_names_jupyterlab_menus_as_the_language_pack_shows_them():
    from jupyterlab_server.translation_utils import get_display_name

    es = lab_labels()
    menu = lambda name: es.get(f"menu\x04{name}", name)  # noqa: E731 - untranslated: as is
    readme = assign_text.readme("es", ["x.ipynb"])
    spanish = f"{get_display_name('es_ES', 'en')} - {get_display_name('es_ES', 'es_ES')}"
    english = f"{get_display_name('en', 'es_ES')} - {get_display_name('en', 'en')}"
    assert f"*Settings → Language → {spanish}*" in readme  # from English, where Lab starts
    assert f"*{menu('Settings')} → {menu('Language')} → {english}*" in readme
    restart = es["Restart Kernel and Run All Cells…"]
    assert f"*{menu('Kernel')} → {restart}*" in readme
    save = es["Save %1"].replace("%1", es["Notebook"])
    assert f"*{menu('File')} → {save}*" in readme
    assert "Restart Kernel" not in readme and "Save Notebook" not in readme


def test_the_english_readme_names_jupyterlab_menus_in_english():
    readme = assign_text.readme("en", ["x.ipynb"])
    assert "*Kernel → Restart Kernel and Run All Cells…*" in readme
    assert "*File → Save Notebook*" in readme
    assert "*Settings → Language → Spanish (Spain) - Español (España)*" in readme


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pack_readme_makes_the_venv_with_python3_and_py_on_windows(lang):
    """Debian and Ubuntu have no `python` command, macOS's is not Python 3: `python3`."""
    readme = assign_text.readme(lang, ["x.ipynb"])
    assert "\npython3 -m venv .venv\n" in readme
    assert "`py -m venv .venv`" in readme
    assert not re.search(r"(^|[\s`])python -m", readme)


def test_the_torch_range_is_the_one_tested_and_the_readme_says_so():
    """pyproject pins the oldest = newest torch the lessons are known to run on: this one."""
    import torch
    import torchvision

    needs = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = dict(n.split("==") for n in needs if n.startswith(("torch==", "torchvision==")))
    assert pins == {
        "torch": torch.__version__.split("+")[0],
        "torchvision": torchvision.__version__.split("+")[0],
    }
    readme = " ".join((REPO_ROOT / "README.md").read_text().split())
    stated = f"PyTorch {pins['torch']} with torchvision {pins['torchvision']}: that is both the"
    assert f"{stated} oldest and the newest version they have been tested on" in readme
    assert f"torch=={pins['torch']}" in assign.requirements()
