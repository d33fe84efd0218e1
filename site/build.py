"""Build the course's website: one book per language and a landing page that lets you choose.

    python site/build.py [--out build/site]

The pages are the stored, executed notebooks of ``solutions/<lang>/`` (nothing is run);
each lesson's "download notebook" link gives the student's ``notebooks/<lang>/`` file.
Every page links to the same page in the other language (``course-twins.js`` lets the
switch land on the same section). Each lesson's plots get their lesson's sentence as alt
text, its widgets a snapshot notice (``figures``), and a closing "further reading" list
(``references``). Set ``COURSE_REPO_URL`` (the repository's GitHub or GitLab address) to
add a "launch on Binder" link, the lesson's source and a "report a problem" link.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

SITE = Path(__file__).resolve().parent
REPO = SITE.parent
sys.path.insert(0, str(SITE))

import course_site  # noqa: E402
import figures  # noqa: E402
import references  # noqa: E402

RECORD = "application/vnd.course."  # the course's silent records (metrics, checks)


def lessons(lang: str) -> list[Path]:
    """The executed, complete lessons of one language, in order."""
    return sorted((REPO / "solutions" / lang).glob("[0-9][0-9]_*.ipynb"))


def title(nb: nbformat.NotebookNode) -> str:
    """The lesson's title: its first heading."""
    for cell in nb.cells:
        for line in cell.source.splitlines() if cell.cell_type == "markdown" else []:
            if line.startswith("# "):
                return line[2:].strip()
    raise ValueError("a lesson without a '# ' heading")


def for_the_reader(output: dict) -> dict | None:
    """An output without the course's records (metrics, checks), or None if nothing is left."""
    if "data" not in output:
        return output
    output.data = {key: value for key, value in output.data.items() if not key.startswith(RECORD)}
    keys = set(output.data)
    blank = keys <= {"text/plain"} and not str(output.data.get("text/plain", "")).strip()
    return None if blank else output


def for_the_page(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """The notebook as the page shows it: no records, pictures described, further reading."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            outputs = (for_the_reader(output) for output in cell.outputs)
            cell.outputs = [output for output in outputs if output is not None]
    code = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    prose = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    reading = references.further_reading(lang, code, prose)
    nb.cells.append(nbformat.v4.new_markdown_cell(reading))
    return figures.annotate(nb, lang)


def write_sources(lang: str, src: Path) -> list[tuple[str, str]]:
    """Write one book's source folder: its lessons and an index; return (name, title) pairs."""
    src.mkdir(parents=True)
    pages = []
    for path in lessons(lang):
        nb = for_the_page(nbformat.read(path, as_version=4), lang)
        nbformat.write(nb, src / path.name)
        pages.append((path.stem, title(nb)))
    text = course_site.TEXT[lang]
    toctree = "\n".join(name for name, _ in pages)
    (src / "index.md").write_text(
        f"# {text['title']}\n\n{text['intro']}\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n:caption: {text['lessons']}\n\n{toctree}\n```\n"
    )
    return pages


def start_book(lang: str, src: Path, doctrees: Path, out: Path) -> subprocess.Popen:
    """Start Sphinx on one book, in its own process (the theme's texts are per process)."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going"]
    command += ["-c", str(SITE), "-d", str(doctrees), str(src), str(out)]
    return subprocess.Popen(command, env={**os.environ, "COURSE_SITE_LANG": lang})


LANDING = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title_es} · {title_en}</title>
<link rel="icon" href="es/_static/favicon.svg">
<style>
body {{ font-family: system-ui, sans-serif; max-width: 52rem; margin: 3rem auto;
  padding: 0 1rem; color: #222; line-height: 1.5; }}
h1 {{ font-size: 1.8rem; }}
.choices {{ display: flex; gap: 1.5rem; flex-wrap: wrap; margin-top: 2rem; }}
.choice {{ flex: 1 1 20rem; border: 1px solid #ccc; border-radius: 0.6rem; padding: 1.2rem; }}
.choice a.go {{ display: inline-block; margin-top: 0.6rem; padding: 0.5rem 1rem;
  background: #c2361a; color: #fff; border-radius: 0.4rem; text-decoration: none;
  font-weight: 600; }}
a:focus-visible {{ outline: 3px solid #1a5fb4; outline-offset: 2px; }}
ol {{ padding-left: 1.4rem; }}
</style>
</head>
<body>
<h1><span lang="es">{title_es}</span> · <span lang="en">{title_en}</span></h1>
<p>Elige el idioma del curso · Choose the course's language</p>
<div class="choices">
{choices}
</div>
</body>
</html>
"""
CHOICE = """<section class="choice" lang="{lang}">
<h2>{label}</h2>
<p>{intro}</p>
<ol>{items}</ol>
<a class="go" id="choose-{lang}" href="{lang}/index.html" hreflang="{lang}">{label} →</a>
</section>"""


def write_landing(out: Path, pages: dict[str, list[tuple[str, str]]]) -> None:
    """The site's front page: the course in both languages, a button for each."""
    choices = []
    for lang, lesson_pages in pages.items():
        text = course_site.TEXT[lang]
        items = "".join(
            f'<li><a href="{lang}/{name}.html">{html.escape(title)}</a></li>'
            for name, title in lesson_pages
        )
        label = text["switch_label"]
        choices.append(
            CHOICE.format(lang=lang, label=label, intro=html.escape(text["intro"]), items=items)
        )
    titles = {f"title_{lang}": html.escape(course_site.TEXT[lang]["title"]) for lang in pages}
    (out / "index.html").write_text(LANDING.format(choices="\n".join(choices), **titles))
    (out / ".nojekyll").write_text("")  # GitHub Pages: serve the _static folders as they are


SECTION = re.compile(r'<section[^>]*\sid="([^"]+)"')


def write_twins(out: Path) -> None:
    """Give each book the other book's section ids, page by page (the switch's targets)."""
    ids = {
        lang: {page.stem: SECTION.findall(page.read_text()) for page in (out / lang).glob("*.html")}
        for lang in course_site.LANGS
    }
    for lang in course_site.LANGS:
        twins = ids[course_site.other(lang)]
        for page, sections in ids[lang].items():
            if len(twins.get(page, [])) != len(sections):
                print(f"{lang}/{page}: its sections do not pair with the other language's")
        script = f"window.courseTwins = {json.dumps(twins)};\n"
        (out / lang / "_static" / "course-twins.js").write_text(script)


def build(out: Path) -> float:
    """Build the whole site into ``out``; return the seconds it took."""
    start = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    for lang in course_site.LANGS:  # no page of an earlier build stays behind
        shutil.rmtree(out / lang, ignore_errors=True)
    pages, books = {}, {}
    with tempfile.TemporaryDirectory(prefix="course-site-") as work:
        for lang in course_site.LANGS:  # both books at once: one core each
            src, html_dir = Path(work) / lang, Path(work) / "html" / lang
            pages[lang] = write_sources(lang, src)
            books[lang] = start_book(lang, src, Path(work) / f"doctrees-{lang}", html_dir)
        failed = [lang for lang, book in books.items() if book.wait() != 0]
        if failed:
            raise SystemExit(f"the site did not build: sphinx failed on {', '.join(failed)}")
        for lang in course_site.LANGS:
            # myst-nb writes beside the output folder: build in `work`, then move the book.
            html_dir = Path(work) / "html" / lang
            shutil.rmtree(html_dir / "_sources", ignore_errors=True)  # empty: no copied source
            shutil.move(html_dir, out / lang)
    write_twins(out)
    write_landing(out, pages)
    return time.monotonic() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "build" / "site")
    options = parser.parse_args(argv)
    seconds = build(options.out)
    print(f"site built in {seconds:.0f} s: open {options.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
