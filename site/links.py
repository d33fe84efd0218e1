"""Links woven into a page's doctree: API names to PyTorch's documentation, lessons to lessons.

``link_page`` runs on every resolved doctree (``course_site`` connects it): code-formatted
API names (``nn.Dropout``, ``torch.load``) link to their documentation, "lesson 03" or
"lección 03" to that lesson's page, a cited author to the paper. Headings and code blocks
stay as they are. Tables whose top-left header cell is empty get row headers.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import references
from docutils import nodes

LESSON = re.compile(r"\b(?:lesson|lecci[oó]n)\s+(\d\d)\b", re.IGNORECASE)
AUTHOR = re.compile(r"\b(" + "|".join(references.PAPERS) + r")\b")
NO_LINKS = (nodes.reference, nodes.title, nodes.literal_block, nodes.raw, nodes.literal, nodes.math)


def link_page(app, doctree: nodes.document, docname: str) -> None:
    """Add the course's links to one page and give its tables row headers."""
    lessons = {name[:2]: name for name in app.env.found_docs if name[:2].isdigit()}
    for literal in list(doctree.findall(nodes.literal)):
        url = references.api_url(literal.astext())
        if url and not isinstance(literal.parent, nodes.reference):
            link = nodes.reference("", "", refuri=url, classes=["course-api"])
            literal.replace_self(link)
            link += literal

    def lesson_link(match: re.Match) -> str | None:
        target = lessons.get(match[1])
        return f"{target}.html" if target and target != docname else None

    link_text(doctree, LESSON, lesson_link)
    link_text(doctree, AUTHOR, lambda match: references.PAPERS[match[1]][1])
    for table in doctree.findall(nodes.table):
        row_headers(table)


def link_text(doctree: nodes.document, pattern: re.Pattern, url: Callable) -> None:
    """Turn each match of ``pattern`` in the page's prose into a link to ``url(match)``."""
    for text in list(doctree.findall(nodes.Text)):
        if any(isinstance(node, NO_LINKS) for node in ancestors(text)):
            continue
        pieces, last = [], 0
        for match in pattern.finditer(str(text)):
            address = url(match)
            if address:
                pieces += [nodes.Text(str(text)[last : match.start()])]
                pieces += [nodes.reference(match[0], match[0], refuri=address)]
                last = match.end()
        if pieces:
            pieces.append(nodes.Text(str(text)[last:]))
            text.parent.replace(text, pieces)


def ancestors(node: nodes.Node):
    """The node's parents, nearest first."""
    while node.parent is not None:
        node = node.parent
        yield node


def row_headers(table: nodes.table) -> None:
    """Make the first column row headers when the header row leaves its cell empty."""
    head = next(iter(table.findall(nodes.thead)), None)
    first = next(iter(head.findall(nodes.entry)), None) if head else None
    if first is not None and not first.astext().strip():
        next(iter(table.findall(nodes.colspec)))["stub"] = 1
