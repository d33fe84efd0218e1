"""course_utils.i18n: languages, catalogs, and every catalog in the package complete."""

from __future__ import annotations

import importlib
import pkgutil
import string

import pytest

import course_tools
import course_utils
from course_utils import i18n
from course_utils.i18n import LANGUAGES, Catalog

CATALOG = Catalog(
    {
        "hello": {"es": "Hola, {name}", "en": "Hello, {name}"},
        "plain": {"es": "sí", "en": "yes"},
    }
)


pytestmark = pytest.mark.usefixtures("spanish")


def _catalogs() -> dict[str, Catalog]:
    """Every Catalog defined at the top level of every module of the course's two packages."""
    found = {}
    packages = [(course_utils.__path__, "course_utils."), (course_tools.__path__, "course_tools.")]
    infos = [info for path, prefix in packages for info in pkgutil.walk_packages(path, prefix)]
    for info in infos:
        if info.name == "course_tools.__main__":
            continue  # running it is the CLI, not a module to import
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, Catalog):
                found[f"{info.name}.{name}"] = value
    return found


class _Any:
    """A placeholder value that accepts any format spec (``{x:.2%}``, ``{x!r}``...)."""

    def __format__(self, spec: str) -> str:
        return "x"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_languages():
    assert LANGUAGES == ("es", "en")
    assert i18n.get_language() == "es"  # the course's default
    i18n.set_language("en")
    assert i18n.get_language() == "en"


@pytest.mark.parametrize("bad", ["fr", "EN", "", None, "english"])
def test_unknown_language_is_a_bilingual_error(bad):
    with pytest.raises(ValueError) as caught:
        i18n.set_language(bad)
    message = str(caught.value)
    assert f"Idioma desconocido {bad!r}" in message
    assert f"Unknown language {bad!r}" in message
    assert "('es', 'en')" in message
    assert i18n.get_language() == "es"  # unchanged


def test_catalog_follows_the_current_language():
    assert CATALOG("hello", name="Ada") == "Hola, Ada"
    i18n.set_language("en")
    assert CATALOG("hello", name="Ada") == "Hello, Ada"
    assert CATALOG("hello", lang="es", name="Ada") == "Hola, Ada"


def test_catalog_unknown_key_and_language():
    with pytest.raises(KeyError, match="no message 'bye'; known: \\['hello', 'plain'\\]"):
        CATALOG("bye")
    with pytest.raises(ValueError, match="Unknown language 'fr'"):
        CATALOG("plain", lang="fr")


@pytest.mark.parametrize(
    "texts",
    [{"es": "hola"}, {"en": "hello"}, {"es": "hola", "en": ""}, {"es": None, "en": "hello"}],
)
def test_missing_translation_fails_at_creation(texts):
    with pytest.raises(ValueError, match="message 'greeting' has no translation for"):
        Catalog({"greeting": texts})


def test_different_placeholders_fail_at_creation():
    with pytest.raises(ValueError, match="message 'greeting' has different placeholders"):
        Catalog({"greeting": {"es": "Hola, {name}", "en": "Hello, {nmae}"}})
    with pytest.raises(ValueError, match="different placeholders"):
        Catalog({"greeting": {"es": "Hola", "en": "Hello, {name}"}})


def test_the_package_has_catalogs():
    modules = {name.rsplit(".", 1)[0] for name in _catalogs()}
    expected = {"data", "penguins", "metrics", "plots", "device", "seed", "checks"}
    assert {f"course_utils.{name}" for name in expected} <= modules


def test_every_catalog_is_complete_and_consistent():
    for where, catalog in _catalogs().items():
        assert catalog.messages, where
        for key, texts in catalog.messages.items():
            for lang in LANGUAGES:
                assert isinstance(texts.get(lang), str) and texts[lang].strip(), (where, key, lang)
            fields = [_fields(texts[lang]) for lang in LANGUAGES]
            assert all(f == fields[0] for f in fields), (where, key, fields)


def test_every_message_formats_in_every_language():
    for where, catalog in _catalogs().items():
        for key, texts in catalog.messages.items():
            values = {name: _Any() for name in _fields(texts["es"])}
            for lang in LANGUAGES:
                assert catalog(key, lang=lang, **values), (where, key, lang)


@pytest.mark.parametrize(
    ("n", "es", "en"),
    [
        (5, "5", "5"),
        (1_000, "1000", "1,000"),
        (48_000, "48\u00a0000", "48,000"),
        (1_000_000, "1\u00a0000\u00a0000", "1,000,000"),
        (-269_322, "-269\u00a0322", "-269,322"),
    ],
)
def test_numbers_group_their_thousands_as_each_language_writes_them(n, es, en, lang):
    assert i18n.number(n) == {"es": es, "en": en}[lang]
