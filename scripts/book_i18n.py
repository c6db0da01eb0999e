"""The book's other editions: build one from the executed notebooks, update or check its catalogues.

    python scripts/book_i18n.py build zh_CN   # HTML into book/_build/html/zh_CN (after `jb build`)
    python scripts/book_i18n.py update        # regenerate the .pot, then `sphinx-intl update`
    python scripts/book_i18n.py check         # fail when a message is untranslated, fuzzy or stale
    python scripts/book_i18n.py todo zh_CN    # the untranslated and fuzzy messages, as JSON to fill in
    python scripts/book_i18n.py apply zh_CN FILE   # write the filled-in JSON back into the .po files

English is the source. `build` runs Sphinx with `language` set, on the same configuration as
`jb build` (Jupyter Book 1 has no option for it) and on the same execution cache, so no chapter
runs twice: it refuses to start when a notebook is missing from the cache. The catalogues
(book/locales/LANG/LC_MESSAGES/PAGE.po) are made from a `gettext` build that executes nothing
(outputs are never translated: numbers are glued, so both editions show the same values).
Not a translator: the translations are written in the .po files.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

BOOK = Path(__file__).resolve().parent.parent / "book"
BUILD = BOOK / "_build"
LOCALES = BOOK / "locales"
LANGUAGES = ("zh_CN",)


def sphinx(builder: str, outdir: Path, overrides: dict, strict: bool) -> int:
    """Run Sphinx on book/ exactly as `jb build -n` configures it, plus `overrides`."""
    from jupyter_book.sphinx import build_sphinx

    config = {"external_toc_path": str(BOOK / "_toc.yml"), "latex_individualpages": False,
              "nitpicky": True, **overrides}
    status = build_sphinx(BOOK, outdir, noconfig=True, path_config=str(BOOK / "_config.yml"),
                          confoverrides=config, doctreedir=outdir.parent / ".doctrees",
                          builder=builder, warningiserror=strict, keep_going=strict)
    return status if isinstance(status, int) else 1


def uncached_notebooks() -> list[str]:
    """Notebooks of the book whose current text has no executed copy in the execution cache."""
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(BUILD / ".jupyter_cache")
    missing = []
    for path in sorted(BOOK.glob("*.ipynb")):
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            missing.append(path.name)
    return missing


def build(language: str) -> int:
    """Build the `language` edition into book/_build/html/LANGUAGE from the execution cache."""
    missing = uncached_notebooks()
    if missing:
        print(f"not in the execution cache (run `jb build book` first): {', '.join(missing)}",
              file=sys.stderr)
        return 1
    staging = BUILD / language / "html"  # myst-nb writes jupyter_execute/ beside the outdir
    status = sphinx("html", staging, {
        "language": language,
        "nb_execution_cache_path": str(BUILD / ".jupyter_cache")}, strict=True)
    if status == 0:
        target = BUILD / "html" / language
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(staging, target)
    return status


def pot() -> Path:
    """Regenerate the message templates (one .pot per page) into book/_build/gettext."""
    out = BUILD / "gettext" / "pot"
    shutil.rmtree(out, ignore_errors=True)
    if sphinx("gettext", out, {"nb_execution_mode": "off"}, strict=False) != 0:
        raise SystemExit("the gettext build failed")
    return out


def update() -> int:
    """Regenerate the .pot files and merge them into every language's .po files."""
    from sphinx_intl import basic

    templates = pot()
    basic.update(str(LOCALES), str(templates), LANGUAGES, ignore_obsolete=True)
    for language in LANGUAGES:  # a page that is gone leaves no catalogue behind
        for po in (LOCALES / language / "LC_MESSAGES").glob("*.po"):
            if not (templates / f"{po.stem}.pot").exists():
                po.unlink()
    return 0


def problems(templates: Path, language: str) -> list[str]:
    """What is wrong with `language`'s catalogues against `templates`: stale, missing, fuzzy."""
    from babel.messages.pofile import read_po

    found = []
    po_dir = LOCALES / language / "LC_MESSAGES"
    pages = {p.stem for p in templates.glob("*.pot")} | {p.stem for p in po_dir.glob("*.po")}
    for page in sorted(pages):
        pot_file, po_file = templates / f"{page}.pot", po_dir / f"{page}.po"
        if not po_file.exists() or not pot_file.exists():
            found.append(f"{page}: {'no .po' if pot_file.exists() else 'no such page'}")
            continue
        with pot_file.open("rb") as f:
            wanted = {m.id for m in read_po(f) if m.id}
        with po_file.open("rb") as f:
            catalog = read_po(f)
        have = {m.id for m in catalog if m.id}
        if wanted != have:
            found.append(f"{page}: stale ({len(wanted - have)} new, {len(have - wanted)} gone "
                         f"messages): run `make locales`")
        for m in catalog:
            if m.id and (not m.string or m.fuzzy):
                state = "fuzzy" if m.fuzzy else "untranslated"
                found.append(f"{page}: {state}: {str(m.id)[:70]!r}")
    return found


def check() -> int:
    """Exit 1 listing every untranslated, fuzzy or stale message of every language."""
    templates = pot()
    found = [f"{lang}/{p}" for lang in LANGUAGES for p in problems(templates, lang)]
    print("\n".join(found) or "catalogues complete and current")
    return 1 if found else 0


def todo(language: str) -> list[dict]:
    """Every untranslated or fuzzy message of `language`: {page, english, previous, translation}.

    `previous` is the old translation a fuzzy entry carries (the English changed a little);
    fill in `translation` and give the list to `apply`."""
    from babel.messages.pofile import read_po

    items = []
    for po in sorted((LOCALES / language / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as f:
            for m in read_po(f):
                if m.id and (not m.string or m.fuzzy):
                    items.append({"page": po.stem, "english": m.id,
                                  "previous": m.string if m.fuzzy else "", "translation": ""})
    return items


def apply(language: str, items: list[dict]) -> int:
    """Write each item's non-empty `translation` into its page's .po (clearing `fuzzy`)."""
    from babel.messages.pofile import read_po, write_po

    written = 0
    for page in sorted({item["page"] for item in items}):
        po = LOCALES / language / "LC_MESSAGES" / f"{page}.po"
        with po.open("rb") as f:
            catalog = read_po(f)
        for item in items:
            message = catalog.get(item["english"]) if item["page"] == page else None
            if message is not None and item["translation"]:
                message.string, written = item["translation"], written + 1
                message.flags.discard("fuzzy")
        with po.open("wb") as f:
            write_po(f, catalog, width=76)
    return written


def main() -> int:
    """Command line: build LANGUAGE | update | check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build").add_argument("language", choices=LANGUAGES)
    sub.add_parser("update")
    sub.add_parser("check")
    sub.add_parser("todo").add_argument("language", choices=LANGUAGES)
    filled = sub.add_parser("apply")
    filled.add_argument("language", choices=LANGUAGES)
    filled.add_argument("file", type=Path)
    args = parser.parse_args()
    if args.command == "build":
        return build(args.language)
    if args.command == "todo":
        print(json.dumps(todo(args.language), ensure_ascii=False, indent=1))
        return 0
    if args.command == "apply":
        count = apply(args.language, json.loads(args.file.read_text("utf-8")))
        print(f"{count} translations written")
        return 0
    return update() if args.command == "update" else check()


if __name__ == "__main__":
    sys.exit(main())
