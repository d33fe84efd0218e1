"""Code cells in the student's language: their string literals and comments, nothing else.

A lesson's code is written once, in English. Its header may give, per language,
a table from the text of a string literal or a comment, exactly as written in
the code, to what the notebook of that language shows instead::

    course:
      translations:
        es:
          "test accuracy {accuracy:.1%}": "exactitud en prueba {accuracy:.1%}"
          "# the language of every message": "# el idioma de cada mensaje"

A literal matches when its content (between the quotes, prefix aside: an
f-string's placeholders included) equals a key; a comment matches on its whole
text. Nothing else of the code changes, so both languages still run the same
program (``tests/test_build.py`` compares their tokens).
"""

from __future__ import annotations

import io
import re
import tokenize

LITERAL = re.compile(
    r"(?P<prefix>[rRbBfFuU]*)(?P<quote>'''|\"\"\"|'|\")(?P<body>.*)(?P=quote)\Z", re.S
)
TEXT_TOKENS = {tokenize.STRING, tokenize.COMMENT}
FSTRING_START = getattr(tokenize, "FSTRING_START", None)  # Python 3.12 splits f-strings
FSTRING_END = getattr(tokenize, "FSTRING_END", None)


def _offsets(source: str) -> list[int]:
    starts, total = [0], 0
    for line in source.splitlines(keepends=True):
        total += len(line)
        starts.append(total)
    return starts


def spans(source: str) -> list[tuple[int, int]]:
    """Character spans of every comment and whole string literal (f-strings included)."""
    starts, found, depth, opened = _offsets(source), [], 0, 0
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    for tok in tokens:
        begin = starts[tok.start[0] - 1] + tok.start[1]
        end = starts[tok.end[0] - 1] + tok.end[1]
        if tok.type == FSTRING_START:
            opened = begin if depth == 0 else opened
            depth += 1
        elif tok.type == FSTRING_END:
            depth -= 1
            if depth == 0:
                found.append((opened, end))
        elif tok.type in TEXT_TOKENS and depth == 0:
            found.append((begin, end))
    return found


def _key(text: str) -> str | None:
    """What a table entry must equal to match a comment or literal: a comment's whole text,
    a literal's content between its quotes."""
    if text.startswith("#"):
        return text.rstrip()
    match = LITERAL.match(text)
    return match["body"] if match else None


def _translated(text: str, table: dict[str, str]) -> str:
    key = _key(text)
    if key not in table:
        return text
    if text.startswith("#"):
        return table[key]
    match = LITERAL.match(text)
    return f"{match['prefix']}{match['quote']}{table[key]}{match['quote']}"


def translate(source: str, table: dict[str, str]) -> str:
    """``source`` with every literal and comment found in ``table`` replaced."""
    if not table:
        return source
    pieces, last = [], 0
    for begin, end in spans(source):
        pieces += [source[last:begin], _translated(source[begin:end], table)]
        last = end
    return "".join(pieces) + source[last:]


def used_keys(source: str, table: dict[str, str]) -> set[str]:
    """The keys of ``table`` that some literal or comment of ``source`` matches."""
    return {_key(source[begin:end]) for begin, end in spans(source)} & table.keys()


def skeleton(source: str) -> list[tuple[int, str]]:
    """The tokens of ``source`` with literals and comments blanked: equal in every language."""
    blanked, last = [], 0
    for begin, end in spans(source):
        blanked += [source[last:begin], "''" if not source[begin].startswith("#") else ""]
        last = end
    text = "".join(blanked) + source[last:]
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return [(t.type, t.string) for t in tokens if t.type not in (tokenize.NL, tokenize.COMMENT)]
