"""Predict, then run: a lesson's multiple-choice predictions, built into its notebooks.

A lesson's header holds each question once, in every language, and its misconceptions::

    course:
      predictions:
        zero_grad:
          question: {es: "...", en: "..."}
          answer: b
          options:
            a: {es: "...", en: "...", why: {es: "...", en: "..."}, misconception: stale_grads}
            b: {es: "...", en: "...", why: {es: "...", en: "..."}}
            c: {...}
      misconceptions:
        stale_grads: {es: "...", en: "..."}

Two untagged markdown cells, tagged ``prediction`` (before the demonstration) and ``reveal``
(right after its code cell), hold the id. :func:`expand` turns them, in the notebook's
language, into the question, a code cell ``prediction = ""`` the student fills in (saved
with the notebook, read by ``course grade``), and each option's verdict and explanation in
``<details>`` blocks that open on a click, without a kernel. Nothing of it is secret.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import jupytext
import nbformat

from course_utils.i18n import LANGUAGES, Catalog

PREDICTION, REVEAL = "prediction", "reveal"  # the placeholders' tags
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*\Z")
QUESTION_KEYS = {"question", "answer", "options"}
OPTION_KEYS = {*LANGUAGES, "why", "misconception"}

_ = Catalog(
    {
        "predict": {
            "es": "**Predice** · antes de ejecutar las celdas de abajo: {question}",
            "en": "**Predict** · before running the cells below: {question}",
        },
        "write": {
            "es": "Escribe tu letra en la celda siguiente y ejecútala.",
            "en": "Write your letter in the next cell and run it.",
        },
        "letters": {"es": "{first} o {last}", "en": "{first} or {last}"},
        "reveal": {
            "es": "**Tu predicción** · abre la opción que elegiste:",
            "en": "**Your prediction** · open the option you chose:",
        },
        "right": {"es": "✅ Correcto.", "en": "✅ Right."},
        "wrong": {"es": "❌ No del todo.", "en": "❌ Not quite."},
    }
)


class PredictionError(ValueError):
    """A lesson's predictions are not well formed: the message names the lesson and the id."""


def _texts(value: object, where: str) -> dict[str, str]:
    """``value`` as ``{lang: text}`` with a non-empty text in every language, or an error."""
    if not isinstance(value, dict):
        raise PredictionError(f"{where}: give its text as {{es: ..., en: ...}}")
    missing = [lang for lang in LANGUAGES if not str(value.get(lang) or "").strip()]
    if missing:
        raise PredictionError(f"{where}: no text in {', '.join(missing)}")
    return {lang: str(value[lang]).strip() for lang in LANGUAGES}


def _option(option: object, where: str, right: bool, known: dict) -> dict:
    if not isinstance(option, dict) or set(option) - OPTION_KEYS:
        raise PredictionError(f"{where}: an option holds {', '.join(sorted(OPTION_KEYS))} only")
    found = {"text": _texts(option, where), "why": _texts(option.get("why"), f"{where}: why")}
    misconception = option.get("misconception")
    if right and misconception:
        raise PredictionError(f"{where}: the right answer names no misconception")
    if not right and (not isinstance(misconception, str) or misconception not in known):
        what = f"{misconception!r} is not under misconceptions" if misconception else "none"
        raise PredictionError(f"{where}: a wrong option names its misconception ({what})")
    return {**found, "misconception": misconception or ""}


def _question(spec: object, where: str, known: dict) -> dict:
    if not isinstance(spec, dict) or set(spec) != QUESTION_KEYS:
        raise PredictionError(f"{where}: give exactly {', '.join(sorted(QUESTION_KEYS))}")
    options = spec["options"]
    if not isinstance(options, dict) or not 3 <= len(options) <= 4:
        raise PredictionError(f"{where}: give 3 or 4 options")
    if list(options) != list("abcd"[: len(options)]):
        raise PredictionError(f"{where}: name the options a, b, c (and d), in order")
    if not isinstance(spec["answer"], str) or spec["answer"] not in options:
        raise PredictionError(f"{where}: the answer {spec['answer']!r} is not an option")
    found = {
        letter: _option(option, f"{where}: option {letter}", letter == spec["answer"], known)
        for letter, option in options.items()
    }
    text = _texts(spec["question"], f"{where}: question")
    return {"question": text, "answer": spec["answer"], "options": found}


def load(course: dict, lesson: str) -> tuple[dict, dict]:
    """The header's questions and misconceptions, validated (``course``: the header's
    ``course:`` table); raises :class:`PredictionError` naming the lesson and the id."""
    raw, defined = course.get("predictions") or {}, course.get("misconceptions") or {}
    if not isinstance(raw, dict) or not isinstance(defined, dict):
        raise PredictionError(f"{lesson}: predictions and misconceptions are tables by id")
    known = {key: _texts(text, f"{lesson}: misconception {key!r}") for key, text in defined.items()}
    questions = {}
    for key, spec in raw.items():
        if not IDENTIFIER.match(str(key)):
            raise PredictionError(f"{lesson}: prediction {key!r}: use a lowercase identifier")
        questions[key] = _question(spec, f"{lesson}: prediction {key!r}", known)
    used = {o["misconception"] for q in questions.values() for o in q["options"].values()}
    if unused := sorted(set(known) - used):
        raise PredictionError(f"{lesson}: misconception {unused[0]!r} is used by no option")
    return questions, known


def from_source(source: Path) -> tuple[dict, dict]:
    """A lesson source's questions and misconceptions, validated."""
    return load(jupytext.read(source).metadata.get("course", {}), source.stem)


def _placed(cells: list, tag: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown" and tag in cell.metadata.get("tags", []):
            found.setdefault(cell.source.strip(), []).append(index)
    return found


def check_places(cells: list, questions: dict, lesson: str) -> None:
    """Each id once as a prediction, once as a reveal after it, right after a code cell."""
    asked, revealed = _placed(cells, PREDICTION), _placed(cells, REVEAL)
    for key in (asked | revealed).keys() - questions.keys():
        raise PredictionError(f"{lesson}: prediction {key!r}: a placeholder of no question")
    for key in questions:
        where = f"{lesson}: prediction {key!r}"
        ask, show = asked.get(key, []), revealed.get(key, [])
        if len(ask) != 1 or len(show) != 1:
            raise PredictionError(f"{where}: place it once as prediction and once as reveal")
        if show[0] < ask[0]:
            raise PredictionError(f"{where}: its reveal comes before its prediction")
        if cells[show[0] - 1].cell_type != "code":
            raise PredictionError(f"{where}: the cell before its reveal is not code")


def inline(text: str) -> str:
    """Markdown text as HTML for a ``<summary>`` (no Markdown there): code spans kept."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))


def question_cells(key: str, question: dict, lang: str) -> list:
    """The question with its options, and the code cell the student answers in."""
    options = [f"- **{k})** {o['text'][lang]}" for k, o in question["options"].items()]
    text = [_("predict", lang, question=question["question"][lang]), "", *options, ""]
    ask = nbformat.v4.new_markdown_cell("\n".join([*text, _("write", lang)]))
    ask.metadata["course"] = {"question": key}
    letters = list(question["options"])
    comment = _("letters", lang, first=", ".join(letters[:-1]), last=letters[-1])
    answer = nbformat.v4.new_code_cell(f'prediction = ""  # {comment}')
    answer.metadata.update(course={PREDICTION: key}, tags=[PREDICTION])
    return [ask, answer]


def reveal_cell(key: str, question: dict, lang: str):
    """Every option in a ``<details>`` block: whether it is right, and why."""
    parts = [_("reveal", lang)]
    for letter, option in question["options"].items():
        verdict = _("right" if letter == question["answer"] else "wrong", lang)
        summary = f"<summary><b>{letter})</b> {inline(option['text'][lang])}</summary>"
        parts.append(f"<details>{summary}\n\n{verdict} {option['why'][lang]}\n\n</details>")
    cell = nbformat.v4.new_markdown_cell("\n\n".join(parts))
    cell.metadata["course"] = {REVEAL: key}
    return cell


def expand(nb: nbformat.NotebookNode, lang: str, lesson: str) -> nbformat.NotebookNode:
    """The placeholders of a notebook in ``lang`` replaced by its questions and reveals."""
    course = nb.metadata.get("course", {})
    questions, _known = load(course, lesson)
    course.pop("predictions", None), course.pop("misconceptions", None)  # the cells hold them
    check_places(nb.cells, questions, lesson)
    cells = []
    for cell in nb.cells:
        tags = cell.metadata.get("tags", []) if cell.cell_type == "markdown" else []
        key = cell.source.strip()
        if PREDICTION in tags:
            cells += question_cells(key, questions[key], lang)
        elif REVEAL in tags:
            cells.append(reveal_cell(key, questions[key], lang))
        else:
            cells.append(cell)
    nb.cells = cells
    return nb
