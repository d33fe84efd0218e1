"""What a page says about its pictures: alt text for plots, a notice under live widgets.

A plot's alt text is the lesson's own sentence about it, in the page's language: the last
sentence of the prose just before the plot that names a figure, or else that prose's last
sentence. A cell whose output is a widget gets a notice after it: on the page the widget
is a snapshot; the notebook runs it live. The notice carries the alt text of the widget's
images (``data-alt``), which ``course.js`` gives them once they are drawn.
"""

from __future__ import annotations

import html
import re

import nbformat

WIDGET = "application/vnd.jupyter.widget-view+json"
BAR = re.compile(r"\d+%\|")  # a finished progress bar: nothing to interact with
FIGURE_WORDS = {
    "es": r"gráfico|figura|curva|imagen|imágenes|matriz|barra|se ven|dibuja|deslizador|menús",
    "en": r"plot|figure|curve|image|matrix|bar|chart|draw|shows|slider|menus",
}
DEFAULT = {"es": "Un gráfico de la lección.", "en": "A plot of the lesson."}
NOTICE = {
    "es": (
        "Esto es una instantánea del control interactivo: en esta página no responde. "
        "Para usarlo, descarga el cuaderno (botón «Cuaderno») y ejecútalo en JupyterLab."
    ),
    "en": (
        "This is a snapshot of the interactive control: it does not respond on this page. "
        "To use it, download the notebook (the “Notebook” button) and run it in JupyterLab."
    ),
}
# Symbols that fonts without emoji draw as an empty box, and what every font has instead.
PLAIN_SYMBOLS = {"✅": "✔", "❌": "✘", "⚠️": "⚠"}


def plain(markdown: str) -> str:
    """Markdown prose as plain text: no headings, code marks, emphasis, links or math."""
    lines = [line for line in markdown.splitlines() if not line.lstrip().startswith("#")]
    text = " ".join(lines)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\$+[^$]*\$+", "", text)
    text = re.sub(r"[`*]", "", text).replace("- ", " ")
    return re.sub(r"\s+", " ", text).strip()


def sentences(markdown: str) -> list[str]:
    """The sentences of a prose cell, each ending in its own full stop."""
    parts = re.split(r"(?<=[.!?:])\s+(?=[A-ZÁÉÍÓÚÑ¿¡])", plain(markdown))
    return [part.rstrip(":") + "." if part.endswith(":") else part for part in parts if part]


def describe(before: str, after: str, lang: str) -> str:
    """The alt text for a picture between two prose cells: their sentence about it.

    The last sentence before it that names a figure, else the first such sentence after
    it, else the last sentence before it; a short one gets the next sentence after it.
    """
    earlier, later = sentences(before), sentences(after)
    naming = re.compile(FIGURE_WORDS[lang], re.IGNORECASE)
    chosen = [s for s in earlier if naming.search(s)][-1:] or [
        s for s in later if naming.search(s)
    ][:1]
    chosen = chosen or earlier[-1:] or [DEFAULT[lang]]
    if len(chosen[0].split()) < 8 and later and later[0] != chosen[0]:
        chosen.append(later[0])
    return " ".join(chosen)


def annotate(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """Give plots alt text, put a snapshot notice after widgets, plain check marks."""
    prose = [cell.source if cell.cell_type == "markdown" else None for cell in nb.cells]
    cells = []
    for index, cell in enumerate(nb.cells):
        cells.append(cell)
        if cell.cell_type != "code":
            cell.source = swap(cell.source)  # a prediction's reveal says ✅ / ❌ too
            continue
        for output in cell.get("outputs", []):
            plain_symbols(output)
        data = [o["data"] for o in cell.get("outputs", []) if "data" in o]
        before = next((p for p in reversed(prose[:index]) if p is not None), "")
        after = next((p for p in prose[index + 1 :] if p is not None), "")
        after = "" if after.lstrip().startswith("#") else after  # a new section's prose
        alt = describe(before, after, lang)
        if any("image/png" in d for d in data):
            cell.metadata.setdefault("mystnb", {})["image"] = {"alt": alt}
        if any(WIDGET in d and not BAR.search(str(d.get("text/plain", ""))) for d in data):
            note = f'<p class="course-snapshot" data-alt="{html.escape(alt)}">{NOTICE[lang]}</p>'
            cells.append(nbformat.v4.new_markdown_cell(note))
    nb.cells = cells
    return nb


def plain_symbols(output: dict) -> None:
    """Swap emoji that need an emoji font for symbols every font has, in one output."""
    if "text" in output:
        output["text"] = swap("".join(output["text"]))
    for mime, value in output.get("data", {}).items():
        if mime.startswith("text/"):
            output["data"][mime] = swap("".join(value))


def swap(text: str) -> str:
    """The text with ``PLAIN_SYMBOLS`` in place of their emoji."""
    for emoji, symbol in PLAIN_SYMBOLS.items():
        text = text.replace(emoji, symbol)
    return text
