"""The Chinese (or another language's) student edition: translate the student notebooks' markdown.

    python scripts/translate_notebooks.py --lang zh_CN --src book/_build/student --out book/_build/student-zh_CN

The book's text is translated once, in the Sphinx catalogues (book/locales/LANG/LC_MESSAGES/*.po,
one per page); this script applies the same translations to the notebooks themselves, so a
student who downloads the Chinese edition works in Chinese. A message (a paragraph, heading, list
item, table cell or admonition title, as Sphinx extracted it) is found in the markdown as a whole
block: at the start of a line (after #, -, 1., > or a directive's opening) or of a table cell,
up to the end of its line or cell, spaces and line breaks alike. The text that exists only in the
student edition (its banner, its exercise introduction) is in locales/LANG/ui.json "student".
The first cell sets LABKIT_LANG, so the checks answer in the same language. Code is not touched.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import nbformat
from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent.parent / "book" / "locales"
START = r"(?m)(^[ \t]*(?:#+ |[-*+] |\d+\. |> ?|```\{\w+\} |:::\{\w+\} )?|\| *)"  # a block begins
END = r"(?=[ \t]*(?:\||$))"  # ... and ends at the end of its line or table cell


def catalogue(language: str, page: str) -> dict[str, str]:
    """msgid → translation for one page, plus the student edition's own texts."""
    messages = json.loads((LOCALES / language / "ui.json").read_text("utf-8")).get("student", {})
    po = LOCALES / language / "LC_MESSAGES" / f"{page}.po"
    if po.exists():
        with po.open("rb") as f:
            messages |= {m.id: m.string for m in read_po(f) if m.id and m.string and not m.fuzzy}
    return {k: v for k, v in messages.items() if k.strip() != v.strip()}


def translate_markdown(text: str, messages: dict[str, str]) -> str:
    """`text` with every whole-block message replaced by its translation (longest first)."""
    for english in sorted(messages, key=len, reverse=True):
        words = [re.escape(w) for w in english.split()]
        pattern = re.compile(START + r"\s+".join(words) + END)
        translated = messages[english]
        text = pattern.sub(lambda m: m.group(1) + translated, text)
    return text


def translate_notebook(nb: nbformat.NotebookNode, language: str, page: str) -> nbformat.NotebookNode:
    """A copy of `nb` with its markdown cells translated and LABKIT_LANG set in a first cell."""
    messages = catalogue(language, page)
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = translate_markdown(cell.source, messages)
    setup = nbformat.v4.new_code_cell(
        f'import os\n\nos.environ["LABKIT_LANG"] = "{language}"  # the checks answer in this language')
    nb.cells.insert(1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0, setup)
    nbformat.validate(nb)
    return nb


def main(language: str, src: Path, out: Path) -> list[str]:
    """Translate every `src/*.ipynb` into `out`; return the file names written."""
    if not (LOCALES / language).is_dir():
        raise SystemExit(f"no catalogues for {language!r} in {LOCALES}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(src.glob("*.ipynb")):
        nb = translate_notebook(nbformat.read(path, as_version=4), language, path.stem)
        nbformat.write(nb, out / path.name)
        written.append(path.name)
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", required=True)
    parser.add_argument("--src", type=Path, default=Path("book/_build/student"))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    names = main(args.lang, args.src, args.out)
    print(f"{len(names)} notebooks in {args.lang} written to {args.out}")
