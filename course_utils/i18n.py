"""Bilingual messages: one current language and per-module catalogs.

Every module that shows text to a student owns a :class:`Catalog`. A catalog
refuses to be created if any message lacks a language or its placeholders
differ between languages, so a missing translation fails at import (and in
the tests), never silently at run time.
"""

from __future__ import annotations

import string

LANGUAGES = ("es", "en")
_current = {"lang": "es"}


def _check(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(
            f"Idioma desconocido {lang!r}: usa uno de {LANGUAGES}.\n"
            f"Unknown language {lang!r}: use one of {LANGUAGES}."
        )
    return lang


def set_language(lang: str) -> None:
    """Set the language of every message the course shows ("es" or "en")."""
    _current["lang"] = _check(lang)


def get_language() -> str:
    """Return the current language code."""
    return _current["lang"]


def number(n: int) -> str:
    """``n`` with its thousands grouped as the current language writes them.

    English: ``48,000``. Spanish: ``48 000`` with a no-break space, as the RAE
    recommends (a comma there is the decimal mark); four digits stay whole (``1000``).
    """
    if get_language() == "en":
        return f"{n:,}"
    return f"{n:,}".replace(",", "\u00a0") if abs(n) >= 10_000 else str(n)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Catalog:
    """Messages keyed by id, each given in every language of ``LANGUAGES``."""

    def __init__(self, messages: dict[str, dict[str, str]]):
        for key, texts in messages.items():
            missing = [lang for lang in LANGUAGES if not texts.get(lang)]
            if missing:
                raise ValueError(f"message {key!r} has no translation for {missing}")
            fields = {lang: _fields(texts[lang]) for lang in LANGUAGES}
            if len({frozenset(f) for f in fields.values()}) > 1:
                raise ValueError(f"message {key!r} has different placeholders: {fields}")
        self.messages = messages

    def __call__(self, key: str, lang: str | None = None, **values: object) -> str:
        """Return message ``key`` in ``lang`` (default: current), formatted with ``values``."""
        if key not in self.messages:
            raise KeyError(f"no message {key!r}; known: {sorted(self.messages)}")
        return self.messages[key][_check(lang or get_language())].format(**values)
