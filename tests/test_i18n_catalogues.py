"""中文版 catalogues: every message translated, none fuzzy, none stale (book/locales/, issue 17).

Regenerates the message templates from the English text (a gettext build that executes
nothing, a few seconds) and compares them with the committed .po files. A failure lists what
to do: `make locales` merges new text in, then translate the empty and fuzzy entries.
"""
from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("book_i18n", ROOT / "scripts" / "book_i18n.py")
book_i18n = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(book_i18n)


@pytest.fixture(scope="module")
def templates() -> Path:
    """The .pot files regenerated from the current English text."""
    return book_i18n.pot()


@pytest.mark.parametrize("language", book_i18n.LANGUAGES)
def test_catalogues_complete_and_current(templates: Path, language: str) -> None:
    found = book_i18n.problems(templates, language)
    assert not found, "\n".join(found)


def test_a_changed_paragraph_is_reported_stale(templates: Path, tmp_path: Path) -> None:
    """The check itself: one message edited in a copy of a template must be reported."""
    copy = tmp_path / "pot"
    shutil.copytree(templates, copy)
    pot = copy / "01_dataset.pot"
    text = pot.read_text()
    pot.write_text(text.replace('msgid "The idea"', 'msgid "The new idea"', 1))
    found = book_i18n.problems(copy, book_i18n.LANGUAGES[0])
    assert any("01_dataset: stale (1 new, 1 gone" in line for line in found), found


def _markup(text: str) -> list[str]:
    """What must survive translation unchanged: glue roles, citations, inline and display math."""
    roles = re.findall(r"\{(?:glue:text|cite|ref|numref|doc)\}`[^`]+`", text)
    math = re.findall(r"\$\$.*?\$\$|\$[^$]+\$", text, flags=re.S)
    return sorted(roles + math)


@pytest.mark.parametrize("language", book_i18n.LANGUAGES)
def test_translations_keep_glue_math_and_citations(language: str) -> None:
    """A translation has the same glue roles, citations and math as its English message."""
    from babel.messages.pofile import read_po

    wrong = []
    for po in sorted((book_i18n.LOCALES / language / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as f:
            for m in read_po(f):
                if m.id and m.string and _markup(m.id) != _markup(m.string):
                    wrong.append(f"{po.stem}: {str(m.id)[:60]!r}")
    assert not wrong, "markup differs from the English message:\n" + "\n".join(wrong)


def test_todo_lists_a_missing_translation_and_apply_writes_it(tmp_path, monkeypatch) -> None:
    """The lead's loop at merge time: `todo` lists what is missing, `apply` writes it back."""
    from babel.messages.pofile import read_po, write_po

    shutil.copytree(book_i18n.LOCALES, tmp_path / "locales")
    monkeypatch.setattr(book_i18n, "LOCALES", tmp_path / "locales")
    po = tmp_path / "locales" / "zh_CN" / "LC_MESSAGES" / "01_dataset.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    catalog.get("The idea").string = ""
    with po.open("wb") as f:
        write_po(f, catalog, width=76)
    items = book_i18n.todo("zh_CN")
    assert [(i["page"], i["english"]) for i in items] == [("01_dataset", "The idea")]
    items[0]["translation"] = "核心思想"
    assert book_i18n.apply("zh_CN", items) == 1
    assert book_i18n.todo("zh_CN") == []
