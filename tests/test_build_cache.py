"""`make book` is never stale: a change to labkit/ re-executes the chapters (on a tiny copy of the book).

jupyter-cache keys a notebook's outputs on the notebook's text only; the Makefile's labkit stamp
is what makes a labkit change reach the pages. The copy uses the real Makefile and the real
`execute:` settings of book/_config.yml, with a one-cell chapter and a one-line labkit.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(sys.prefix)  # the venv running the tests: its stamp is up to date, nothing is installed


def tiny_book(tmp: Path) -> None:
    """The real Makefile and execution settings; a chapter that prints labkit.MARK."""
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp / name)
        os.utime(tmp / name, (0, 0))  # older than this venv's stamp: make installs nothing into it
    (tmp / "labkit").mkdir()
    (tmp / "labkit" / "__init__.py").write_text('MARK = "first-mark"\n')
    book = tmp / "book"
    book.mkdir()
    real = yaml.safe_load((ROOT / "book" / "_config.yml").read_text())
    config = {"title": "tiny", "execute": real["execute"], "only_build_toc_files": True}
    (book / "_config.yml").write_text(yaml.safe_dump(config))
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapter\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Chapter"),
                nbformat.v4.new_code_cell("import labkit\nprint('value:', labkit.MARK)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, book / "chapter.ipynb")


def make_book(tmp: Path) -> str:
    """Run `make book` in the copy (this venv, the copy's labkit first on the path); return the page."""
    env = {**os.environ, "PYTHONPATH": str(tmp)}
    subprocess.run(["make", "book", f"VENV={VENV}"], cwd=tmp, env=env, check=True,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return (tmp / "book" / "_build" / "html" / "chapter.html").read_text()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_a_labkit_change_re_executes_the_chapters(tmp_path):
    tiny_book(tmp_path)
    assert "value: first-mark" in make_book(tmp_path)
    (tmp_path / "labkit" / "__init__.py").write_text('MARK = "second-mark"\n')  # the notebook is unchanged
    page = make_book(tmp_path)
    assert "value: second-mark" in page and "first-mark" not in page
