"""The book in two languages: a language switch on every page, and translated notebook text.

English is the source; the Chinese edition is the same book built with `language = zh_CN`
from the catalogues in `book/locales/` (scripts/book_i18n.py). This extension does two things:

1. Every page gets a link to the same page in the other edition (English at the site root,
   Chinese under `zh_CN/`), as a relative URL, so it works offline and from `file://`.
2. Sphinx parses a translated message with the parser of its document. For a notebook that is
   myst-nb's, which reads the *whole notebook file* again and fails (MyST-NB issue #587:
   NotJSONError). A message is one paragraph, heading or caption of MyST markdown, so here it is
   parsed with the MyST parser, its glue roles pointed at their notebook's stored glue data:
   glue roles, math, links and citations keep working.
3. Text that is not a message: the book's title, the toggle hints and the notebooks' fold
   prompts (cell metadata `code_prompt_show`), from `locales/LANG/ui.json`. A prompt missing
   there is a warning, so the `-W` build fails instead of showing English.
It is not a translation tool: the translations live in the .po files and ui.json.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from docutils.io import StringInput
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.transforms import i18n as sphinx_i18n

EDITIONS = {"en": "English", "zh_CN": "中文"}  # language → name shown on the switch
SOURCE = "en"  # the edition at the site root; every other one lives in a folder named after it
GLUE_TEXT = re.compile(r"\{glue:text\}`([^`]+)`")  # the only glue role the book uses


def _name_page(page: str, role: re.Match) -> str:
    """`{glue:text}`key:fmt`` → `{glue:text}`page::key:fmt`` (`:s` when there is no format)."""
    content = role.group(1)
    if "::" in content:
        return role.group(0)
    return f"{{glue:text}}`{page}::{content if ':' in content else content + ':s'}`"


SETEXT_TITLE = re.compile(r"\A(?P<title>[^\n]*)\n=+\Z")  # how Sphinx hands over a translated title


class _MessageParser(MystParser):
    """MyST for one translated message; its glue roles name their notebook explicitly."""

    def parse(self, inputstring: str, document: nodes.document) -> None:
        """Parse `inputstring` as MyST, `{glue:text}`key`` read as `{glue:text}`page.ipynb::key``.

        myst-nb looks up a plain key in the notebook being parsed, which a message is not; with
        the page named, it resolves the value after reading, from the glue data the notebook
        stored (the same values, formatted by the same code)."""
        page = Path(self.env.doc2path(self.env.docname)).name
        title = SETEXT_TITLE.match(inputstring)  # "3. Title\n=====" would be a list in Markdown
        if title:
            inputstring = f"# {title['title']}"
        super().parse(GLUE_TEXT.sub(lambda role: _name_page(page, role), inputstring), document)


def _publish_msgstr(app: Sphinx, source: str, source_path: str, source_line: int, config,
                    settings) -> nodes.Element:
    """Parse one translated message as MyST markdown (Sphinx's own function, other parser)."""
    from sphinx.io import SphinxI18nReader

    reader = SphinxI18nReader()
    reader.setup(app)
    parser = _MessageParser()
    parser.set_application(app)
    doc = reader.read(source=StringInput(source=source,
                                         source_path=f"{source_path}:{source_line}:<translated>"),
                      parser=parser, settings=settings)
    return doc[0] if len(doc) else doc


def other_edition(language: str, pagename: str) -> tuple[str, str, str]:
    """(language, its name, relative URL) of the same page in the other edition."""
    up = "../" * pagename.count("/")
    if language == SOURCE:
        target = next(code for code in EDITIONS if code != SOURCE)
        return target, EDITIONS[target], f"{up}{target}/{pagename}.html"
    return SOURCE, EDITIONS[SOURCE], f"../{up}{pagename}.html"


def _add_switch(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Put a link to this page in the other edition at the top of the page's body."""
    if "body" not in context or pagename in ("search", "genindex"):
        return
    language, name, href = other_edition(app.config.language or SOURCE, pagename)
    tag = language.replace("_", "-")
    switch = (f'<nav class="lang-switch" aria-label="Language / 语言">'
              f'<a href="{href}" hreflang="{tag}" lang="{tag}">{name}</a></nav>')
    context["body"] = switch + context["body"]


LOGGER = logging.getLogger(__name__)


def _ui(app: Sphinx) -> dict:
    """This edition's ui.json (empty for the source language)."""
    language = app.config.language or SOURCE
    if language == SOURCE:
        return {}
    return json.loads((Path(app.srcdir) / "locales" / language / "ui.json").read_text("utf-8"))


def _translate_config(app: Sphinx, config: Config) -> None:
    """Title and toggle hints of this edition."""
    for key, value in _ui(app).items():
        if key != "cell_prompts":
            setattr(config, key, value)


def _translate_prompts(app: Sphinx, doctree: nodes.document) -> None:
    """Replace each notebook cell's fold prompts with this edition's."""
    prompts = _ui(app).get("cell_prompts")
    if prompts is None:
        return
    for cell in doctree.findall(nodes.container):
        for key in ("prompt_show", "prompt_hide"):
            if key in cell.attributes:
                if cell[key] not in prompts:
                    LOGGER.warning(f"no translation of the prompt {cell[key]!r} in ui.json",
                                   location=cell)
                cell[key] = prompts.get(cell[key], cell[key])


def setup(app: Sphinx) -> dict:
    """Register the switch and the MyST parser for translated messages."""
    unknown = (app.config.language or SOURCE) not in EDITIONS
    if unknown:
        raise ValueError(f"language {app.config.language!r} is not one of {sorted(EDITIONS)}")
    sphinx_i18n.publish_msgstr = _publish_msgstr
    app.connect("html-page-context", _add_switch)
    app.connect("config-inited", _translate_config, priority=400)  # before togglebutton reads it
    app.connect("doctree-read", _translate_prompts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
