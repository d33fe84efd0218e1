"""The class's predictions, beside the gradebook: formative, they never change a point.

``<out>-predictions.csv`` has one row per question and option (how many students chose
it, and who); ``<out>-predictions.md`` says the same per question, then per misconception
which students hold it, then the answers given after the demonstration, which count apart
(they are no predictions). Texts are in the batch's language.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from course_tools.grading import gradebook
from course_tools.grading import predictions as read_predictions
from course_tools.grading.prediction_text import say
from course_tools.grading.predictions import ANSWERED, MISSING, NO_ANSWER, UNREADABLE, Answer
from course_tools.grading.rows import Graded

FIELDS = [
    *("lesson", "question", "option", "right", "misconception", "count", "students"),
    "after_demonstration",
]
COMMON = 3  # the misconceptions ``course grade`` prints (all of them are in the report)
TALLY = ("right", "wrong", "after the demonstration", "unanswered")


def paths(out: Path) -> tuple[Path, Path]:
    """The CSV and the Markdown report beside the gradebook ``out``."""
    return tuple(out.with_name(f"{out.stem}-predictions.{ext}") for ext in ("csv", "md"))


def read_all(graded: list[Graded]) -> tuple[list[Answer], dict[str, tuple[dict, dict]]]:
    """Every answer of the batch's identified notebooks, and each lesson's questions."""
    lessons = {g.lesson: read_predictions.questions(g.lesson) for g in graded if g.lesson}
    answers = []
    for one in graded:
        asked = lessons.get(one.lesson, ({}, {}))[0]
        path = Path(one.submission)
        if asked and path.is_file():
            answers += read_predictions.read(path, one.student, one.lesson, asked)
    return answers, {lesson: found for lesson, found in lessons.items() if found[0]}


def _chose(answers: list[Answer], after: bool) -> dict[tuple, set[str]]:
    """(lesson, question, letter) -> the students who chose it, before or after the demo."""
    chose = defaultdict(set)
    for a in answers:
        if a.status == ANSWERED and a.after == after:
            chose[(a.lesson, a.question, a.letter)].add(a.student)
    return chose


def rows(answers: list[Answer], lessons: dict) -> list[dict]:
    """One row per lesson, question and option, in the lessons' order."""
    before, after = _chose(answers, False), _chose(answers, True)
    found = []
    for lesson, (questions, _known) in sorted(lessons.items()):
        for key, question in questions.items():
            for letter, option in question["options"].items():
                who = sorted(before[(lesson, key, letter)])
                right = "yes" if letter == question["answer"] else "no"
                values = [lesson, key, letter, right, option["misconception"], len(who)]
                values += ["; ".join(who), len(after[(lesson, key, letter)])]
                found.append(dict(zip(FIELDS, values, strict=True)))
    return found


def holders(table: list[dict]) -> list[dict]:
    """Per misconception, the students who predicted an option that shows it, most first."""
    held = defaultdict(set)
    for row in table:
        if row["misconception"] and row["students"]:
            held[(row["lesson"], row["misconception"])].update(row["students"].split("; "))
    found = [
        {"lesson": k[0], "misconception": k[1], "students": sorted(v)} for k, v in held.items()
    ]
    return sorted(found, key=lambda m: (-len(m["students"]), m["lesson"], m["misconception"]))


def per_student(answers: list[Answer], lessons: dict) -> dict[str, str]:
    """Each student's predictions as one formative summary cell: text, never a number a
    spreadsheet or an LMS would take for a grade (``2 right, 1 wrong, 1 unanswered``)."""
    right = {(lesson, k): q["answer"] for lesson, (qs, _) in lessons.items() for k, q in qs.items()}
    tally: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TALLY, 0))
    for a in answers:
        if a.status != ANSWERED:
            kind = "unanswered"
        elif a.after:
            kind = "after the demonstration"
        else:
            kind = "right" if a.letter == right[(a.lesson, a.question)] else "wrong"
        tally[a.student][kind] += 1
    return {s: ", ".join(f"{n} {k}" for k, n in t.items() if n) for s, t in tally.items()}


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _question_lines(lesson: str, key: str, question: dict, table: list, mine: list, lang: str):
    """One question's part: its text, each option's count, who did not answer."""
    head = [say(name, lang) for name in ("option", "misconception", "before", "after")]
    lines = [f"## {lesson} · {key}", "", question["question"][lang], "", _row(head)]
    lines.append("|---|---|---|---|")
    for row in table:
        text = question["options"][row["option"]]["text"][lang]
        option = f"**{row['option']})** {text}" + (" ✅" if row["right"] == "yes" else "")
        held = f"`{row['misconception']}`" if row["misconception"] else ""
        lines.append(_row([option, held, str(row["count"]), str(row["after_demonstration"])]))
    lines.append("")
    for status in (NO_ANSWER, UNREADABLE, MISSING):
        if who := sorted(a.student for a in mine if a.status == status):
            lines.append(f"- {say(status, lang)}: {', '.join(who)}")
    return [*lines, ""]


def markdown(answers: list[Answer], lessons: dict, lang: str) -> str:
    """The class report in Markdown, in ``lang``."""
    table = rows(answers, lessons)
    lines = [f"# {say('title', lang)}", "", say("intro", lang), ""]
    for lesson, (questions, _known) in sorted(lessons.items()):
        for key, question in questions.items():
            mine = [a for a in answers if (a.lesson, a.question) == (lesson, key)]
            part = [r for r in table if (r["lesson"], r["question"]) == (lesson, key)]
            lines += _question_lines(lesson, key, question, part, mine, lang)
    lines += [f"## {say('misconceptions', lang)}", ""]
    held = holders(table)
    for one in held:
        described = lessons[one["lesson"]][1][one["misconception"]][lang]
        who = f"{len(one['students'])}: {', '.join(one['students'])}"
        lines.append(f"- `{one['misconception']}` ({one['lesson']}): {described} — {who}")
    lines += [] if held else [say("nobody", lang)]
    late = [a for a in answers if a.after]
    lines += ["", f"## {say('late', lang)}", ""]
    lines += [f"- {a.student}: {a.lesson} · {a.question} · {a.letter})" for a in late]
    lines += [] if late else [say("none_late", lang)]
    return "\n".join([*lines, ""])


def write(answers: list[Answer], lessons: dict, out: Path, lang: str) -> list[dict]:
    """Write the CSV and the Markdown report beside ``out``; return the misconceptions held."""
    csv_path, md_path = paths(out)
    table = rows(answers, lessons)
    gradebook._write(csv_path, FIELDS, table)
    md_path.write_text(markdown(answers, lessons, lang), encoding="utf-8")
    return holders(table)


def write_all(graded: list[Graded], summary: Path, out: Path, lang: str) -> list[str]:
    """Write the summary (with a ``predictions`` column if the batch's lessons ask any) and
    the class report; return what ``course grade`` prints: the most common misconceptions,
    described in ``lang``, and where the report is."""
    answers, lessons = read_all(graded)
    gradebook.write_summary(graded, summary, per_student(answers, lessons))
    if not lessons:
        return []
    held = write(answers, lessons, out, lang)
    lines = ["most common misconceptions (students who predicted them):"] if held else []
    for one in held[:COMMON]:
        described = lessons[one["lesson"]][1][one["misconception"]][lang]
        lines.append(
            f"  {one['lesson']} {one['misconception']} {len(one['students'])}: {described}"
        )
    return [*lines, f"predictions (formative, no points): {', '.join(map(str, paths(out)))}"]
