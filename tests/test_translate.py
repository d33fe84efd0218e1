"""course_tools.translate: only string literals and comments change, exactly as the table says."""

from __future__ import annotations

import pytest

from course_tools import translate

SOURCE = '''LANG = "es"  # "es" or "en": the language
print(f"{seconds:.1f} s · test accuracy {accuracy:.1%}")
history = {"train_loss": []}  # a data key: not in the table
label = 'train'
doc = """two
lines"""
'''
TABLE = {
    "{seconds:.1f} s · test accuracy {accuracy:.1%}": "{seconds:.1f} s · exactitud {accuracy:.1%}",
    '# "es" or "en": the language': '# "es" o "en": el idioma',
    "train": "entrenamiento",
    "two\nlines": "dos\nlíneas",
}


def test_literals_and_comments_in_the_table_are_replaced_keeping_prefix_and_quotes():
    out = translate.translate(SOURCE, TABLE)
    assert 'print(f"{seconds:.1f} s · exactitud {accuracy:.1%}")' in out
    assert 'LANG = "es"  # "es" o "en": el idioma' in out
    assert "label = 'entrenamiento'" in out
    assert 'doc = """dos\nlíneas"""' in out


def test_what_is_not_in_the_table_is_left_alone():
    out = translate.translate(SOURCE, TABLE)
    assert 'history = {"train_loss": []}  # a data key: not in the table' in out
    assert translate.translate(SOURCE, {}) == SOURCE
    assert translate.translate(SOURCE, {"test accuracy": "exactitud"}) == SOURCE  # no fragments


def test_both_languages_run_the_same_program():
    out = translate.translate(SOURCE, TABLE)
    assert translate.skeleton(out) == translate.skeleton(SOURCE)
    assert translate.skeleton("x = 1") != translate.skeleton("x = 2")


def test_used_keys_names_the_entries_that_match():
    assert translate.used_keys(SOURCE, {**TABLE, "gone": "ido"}) == set(TABLE)


@pytest.mark.parametrize("broken", ["print('open", "def f(:\n"])
def test_code_that_does_not_tokenize_is_returned_unchanged(broken):
    assert translate.translate(broken, TABLE) == broken
