"""A small Sphinx extension for the course's books: the language switch and the downloads.

On every page it puts in the template context a link to the same page in the other
language's book (``lang_switch``), the course's interface texts (``course_text``) and, on a
lesson, the link to the student's notebook (``student_notebook``, the ``notebooks/<lang>/``
file, copied into the book). ``links.link_page`` adds links to each page. After the build
it copies the student notebooks and the offline MathJax into the book and completes the
search's Spanish texts, which Sphinx leaves empty.
"""

from __future__ import annotations

import gettext
import importlib.util
import json
import shutil
from pathlib import Path

import links

LANGS = ("es", "en")
TEXT = {
    "es": {
        "title": "PyTorch, con las manos en el teclado",
        "authors": "Los autores del curso",
        "footer": "Curso abierto y bilingüe de PyTorch · licencia MIT",
        "switch_label": "Español",  # how the *other* book links here
        "switch_title": "Lee esta página en español",
        "download_label": "Cuaderno",
        "download_title": "Descarga el cuaderno de esta lección, con los ejercicios por hacer",
        "lessons": "Lecciones",
        "toggle_primary": "Mostrar u ocultar la lista de lecciones",
        "toggle_secondary": "Mostrar u ocultar el contenido de esta página",
        "nav_main": "Lecciones del curso",
        "nav_page": "Contenido de la página",
        "search_placeholder": "Buscar en el curso…",
        "source": "Ver el código fuente de esta lección",
        "report": "Informar de un problema",
        "built": "Versión {version}, generada el {date}.",
        "intro": (
            "Un curso abierto y bilingüe de PyTorch: del bucle de entrenamiento a la "
            "validación, la regularización (L2, dropout) y la normalización por lotes, "
            "y después un entrenamiento personalizado con datos tabulares (pingüinos) y "
            "cómo guardar y cargar modelos. Cada página muestra la lección resuelta y "
            "ejecutada; el botón «Cuaderno» descarga la versión con los ejercicios por hacer, "
            "la que abres en JupyterLab."
        ),
    },
    "en": {
        "title": "PyTorch, hands on",
        "authors": "The course authors",
        "footer": "An open, bilingual PyTorch course · MIT license",
        "switch_label": "English",
        "switch_title": "Read this page in English",
        "download_label": "Notebook",
        "download_title": "Download this lesson's notebook, with the exercises to do",
        "lessons": "Lessons",
        "toggle_primary": "Show or hide the list of lessons",
        "toggle_secondary": "Show or hide this page's contents",
        "nav_main": "The course's lessons",
        "nav_page": "Page contents",
        "search_placeholder": "Search the course…",
        "source": "View this lesson's source",
        "report": "Report a problem",
        "built": "Version {version}, built on {date}.",
        "intro": (
            "An open, bilingual PyTorch course: from the training loop to validation, "
            "regularization (L2, dropout) and batch normalization, then a custom training "
            "run on tabular data (penguins) and saving and loading models. Each page shows "
            "the lesson solved and executed; the “Notebook” button downloads the version with "
            "the exercises still to do, the one you open in JupyterLab."
        ),
    },
}
# Sphinx's own texts that its Spanish catalogue leaves empty (the page's and the search's).
SPHINX_ES = {"Link to this heading": "Enlace a este encabezado"}
SEARCH_ES = {
    "Search finished, found one page matching the search query.": [
        "Búsqueda terminada: una página coincide con la consulta.",
        "Búsqueda terminada: ${resultCount} páginas coinciden con la consulta.",
        "Búsqueda terminada: ${resultCount} páginas coinciden con la consulta.",
    ],
}
# What MathJax's tex-chtml component loads on demand (fonts, TeX extensions, the menu).
MATHJAX_PARTS = ("tex-chtml.js", "input/tex", "output/chtml", "ui", "a11y", "sre", "adaptors")


def other(lang: str) -> str:
    """The other language of the course."""
    return next(code for code in LANGS if code != lang)


def page_context(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Add the language switch and, on a lesson, the student notebook to the page."""
    lang = app.config.language
    target = other(lang)
    up = "../" * (pagename.count("/") + 1)
    url = f"{up}{target}/{pagename}.html"
    context["course_text"] = TEXT[lang]
    context["lang_switch"] = {
        "url": url,
        "lang": target,
        "label": TEXT[target]["switch_label"],
        "title": TEXT[target]["switch_title"],
    }
    link = f'<link rel="alternate" hreflang="{target}" href="{url}" />\n'
    context["metatags"] = context.get("metatags", "") + link
    notebooks = Path(app.config.course_student_notebooks)
    repo = app.config.course_repo
    if repo.get("url") and pagename[:2].isdigit():
        context["course_source"] = f"{repo['url']}/blob/{repo['branch']}/lessons/{pagename}.py"
    if (notebooks / f"{pagename}.ipynb").is_file():
        context["student_notebook"] = {
            "url": f"{'../' * pagename.count('/')}notebooks/{pagename}.ipynb",
            "label": TEXT[lang]["download_label"],
            "title": TEXT[lang]["download_title"],
        }


class Completed(gettext.NullTranslations):
    """A message catalogue with a few texts added in front of another one."""

    def __init__(self, messages: dict[str, str], fallback: gettext.NullTranslations) -> None:
        super().__init__()
        self.messages = messages
        self.add_fallback(fallback)

    def gettext(self, message: str) -> str:
        return self.messages.get(message) or super().gettext(message)


def complete_sphinx_texts(app) -> None:
    """Fill the texts of Sphinx's catalogue that are empty in this book's language."""
    from sphinx import locale

    key = ("general", "sphinx")
    if app.config.language == "es" and key in locale.translators:
        locale.translators[key] = Completed(SPHINX_ES, locale.translators[key])


def complete_search_texts(out: Path, lang: str) -> None:
    """Fill the search's texts that Sphinx's Spanish catalogue leaves empty."""
    path = out / "_static" / "translations.js"
    if lang != "es" or not path.is_file():
        return
    text = path.read_text()
    start, end = text.index("(") + 1, text.rindex(")")
    catalogue = json.loads(text[start:end])
    catalogue["messages"].update(SEARCH_ES)
    path.write_text(f"{text[:start]}{json.dumps(catalogue, ensure_ascii=False)}{text[end:]}")


def mathjax_source() -> Path:
    """The MathJax 3 files that the sphinx-mathjax-offline package ships."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("MathJax is missing: pip install -e '.[site]'")
    return Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax"


def copy_files(app, exception) -> None:
    """Copy the student notebooks and the offline MathJax into the finished book."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    complete_search_texts(out, app.config.language)
    source = mathjax_source()
    for part in MATHJAX_PARTS:
        path, target = source / part, out / "_static" / "mathjax" / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            shutil.copytree(path, target, dirs_exist_ok=True)
        else:
            shutil.copy2(path, target)
    notebooks = Path(app.config.course_student_notebooks)
    (out / "notebooks").mkdir(exist_ok=True)
    for docname in app.env.found_docs:
        notebook = notebooks / f"{docname}.ipynb"
        if notebook.is_file():
            shutil.copy2(notebook, out / "notebooks" / notebook.name)


def setup(app):
    app.add_config_value("course_student_notebooks", "", "html")
    app.add_config_value("course_repo", {}, "html")
    app.connect("builder-inited", complete_sphinx_texts)
    app.connect("doctree-resolved", links.link_page)
    app.connect("html-page-context", page_context)
    app.connect("build-finished", copy_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
