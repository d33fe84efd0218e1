"""The ``course`` command: plain-words help and exit statuses scripts can rely on.

The heavy work of each command is replaced by a stand-in here; test_assign.py
and test_grade.py run ``assign`` and ``grade`` for real.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from course_tools import build, cli, commands, run
from course_tools.grading import gradebook as grade

COMMANDS = ("build", "run", "assign", "grade")


def test_help_names_every_command_and_the_exit_statuses(capsys):
    assert cli.main(["--help"]) == commands.EXIT_OK
    text = capsys.readouterr().out
    for command in COMMANDS:
        assert f"    {command} " in text
    assert "Exit status: 0 when everything worked" in text


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command, capsys):
    assert cli.main([command, "--help"]) == commands.EXIT_OK
    assert f"course {command} " in capsys.readouterr().out.split("Example")[-1]


def test_bad_usage_exits_with_2(capsys):
    assert cli.main([]) == commands.EXIT_USAGE
    assert cli.main(["teach"]) == commands.EXIT_USAGE
    assert cli.main(["assign", "00", "--out", "x"]) == commands.EXIT_USAGE  # no --lang
    assert "the following arguments are required: --lang" in capsys.readouterr().err


def test_the_console_script_and_python_m_answer_without_importing_torch():
    script = Path(sys.executable).parent / "course"
    assert subprocess.run([script, "--help"], capture_output=True).returncode == 0
    probe = "import sys; from course_tools import cli; cli.main(['grade', '--help']); "
    probe += "print('torch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip().endswith("False")
    done = subprocess.run([sys.executable, "-m", "course_tools", "run", "--help"])
    assert done.returncode == 0


def test_choices_match_the_modules_that_use_them():
    assert cli.PROFILES == run.PROFILES
    assert cli.STUDENT_FROM == grade.STUDENT_FROM


def test_options_may_come_before_the_lessons():
    args = cli.parser().parse_args(["run", "--lang", "es", "00", "--profile", "full"])
    assert (args.lessons, args.lang, args.profile) == (["00"], ["es"], "full")


def test_build_exits_1_when_a_lesson_fails_and_builds_the_others(monkeypatch, capsys):
    built = []

    def fake(source, lang, run=True):
        if lang == "es":
            raise RuntimeError("cell 7 raised ZeroDivisionError")
        built.append((source.stem, lang, run))
        return []

    monkeypatch.setattr(build, "build", fake)
    assert cli.main(["build", "00", "--no-execute"]) == commands.EXIT_FAILED
    assert built == [("00_welcome", "en", False)]
    err = capsys.readouterr().err
    assert "FAILED 00_welcome (es): RuntimeError: cell 7 raised ZeroDivisionError" in err
    monkeypatch.setattr(build, "build", lambda source, lang, run=True: [])
    assert cli.main(["build", "00", "--lang", "en"]) == commands.EXIT_OK


@pytest.mark.parametrize(
    ("failures", "status"), [([], commands.EXIT_OK), (["x < 1"], commands.EXIT_FAILED)]
)
def test_run_writes_the_report_and_exits_1_on_a_failure(monkeypatch, tmp_path, failures, status):
    seen = []

    def fake(path, profile):
        seen.append((path.parts[-3:], profile))
        return run.Outcome("00_welcome", path.parent.name, 1.5, {"acc": 0.9}, {}, failures)

    monkeypatch.setattr(run, "run_notebook", fake)
    report = tmp_path / "report.md"
    argv = ["run", "00", "--lang", "en", "--profile", "full", "--report", str(report)]
    assert cli.main(argv) == status
    assert seen == [(("solutions", "en", "00_welcome.ipynb"), "full")]
    assert "| 00_welcome | en | 1.5 | acc = 0.9 |" in report.read_text()


def test_run_says_what_to_do_when_a_lesson_is_unknown_or_not_built(monkeypatch, tmp_path, capsys):
    assert cli.main(["run", "99"]) == commands.EXIT_USAGE
    assert "lesson '99' matches 0 sources" in capsys.readouterr().err
    monkeypatch.setattr(build, "target", lambda source, kind, lang: tmp_path / "none.ipynb")
    assert cli.main(["run", "00"]) == commands.EXIT_USAGE
    assert "not built yet" in capsys.readouterr().err


def test_grade_refuses_bad_options_before_grading(tmp_path, capsys):
    missing = str(tmp_path / "nobody.ipynb")
    assert cli.main(["grade", missing, "--timeout", "0"]) == commands.EXIT_USAGE
    assert "--timeout must be more than 0 seconds" in capsys.readouterr().err
    assert cli.main(["grade", missing, "--lesson", "99"]) == commands.EXIT_USAGE
    assert "lesson '99' matches 0 sources" in capsys.readouterr().err
    for bad, words in [
        (tmp_path, "name a .csv file"),
        (tmp_path / "g.txt", "name a .csv file"),
        (tmp_path / "a-file" / "g.csv", "is not a folder you can write to"),
    ]:
        (tmp_path / "a-file").write_text("")
        assert cli.main(["grade", missing, "--out", str(bad)]) == commands.EXIT_USAGE
        assert words in capsys.readouterr().err
    roster = tmp_path / "roster.csv"
    assert cli.main(["grade", missing, "--roster", str(roster)]) == commands.EXIT_USAGE
    assert "does not exist" in capsys.readouterr().err


def test_grade_keeps_going_past_a_missing_path_and_never_overwrites(tmp_path, capsys):
    missing, out = str(tmp_path / "nobody.ipynb"), tmp_path / "g.csv"
    argv = ["grade", missing, "--out", str(out), "--no-sandbox"]
    assert cli.main(argv) == commands.EXIT_OK
    assert "no hay nada en" in out.read_text(encoding="utf-8-sig")  # no notebook: Spanish
    assert ",missing," in grade.summary_path(out).read_text(encoding="utf-8-sig")
    assert grade.mistakes_path(out).read_text(encoding="utf-8-sig").startswith("lesson,exercise")
    assert (tmp_path / "feedback" / "g" / "nobody.md").is_file()
    assert cli.main(argv) == commands.EXIT_USAGE
    assert "g.csv exists: choose another --out, or add --force" in capsys.readouterr().err
    assert cli.main([*argv, "--force"]) == commands.EXIT_OK


def test_an_interrupted_command_exits_130(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "cmd_build", interrupted)
    assert cli.main(["build"]) == commands.EXIT_INTERRUPTED
    assert "course: interrupted" in capsys.readouterr().err
