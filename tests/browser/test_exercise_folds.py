"""The exercises in the built book: no answer is readable before the reader asks for it.

A check's output tells the answer ("✔ ... measured: 3027 = ..."), so it is folded like the
solution above it (issue 12 §7): at load every check output is hidden, and one click on its
"Show the check's output" toggle shows it.
"""
from __future__ import annotations

import pytest

from .bookbrowser import toc_pages

CHAPTERS = [p for p in toc_pages() if p[:2].isdigit()]

FOLDS_JS = r"""
() => {
  const outputs = [...document.querySelectorAll(".cell_output")].filter(
    (o) => /[✔✘]/.test(o.textContent));
  return outputs.map((o) => {
    const fold = o.closest("details");
    return {folded: fold !== null && !fold.open,
            label: fold ? fold.querySelector("summary").innerText : "",
            text: o.textContent.trim().slice(0, 60)};
  });
}
"""


@pytest.mark.parametrize("name", CHAPTERS)
def test_check_outputs_are_folded_until_asked(open_page, name):
    page, report = open_page(name)
    folds = page.evaluate(FOLDS_JS)
    assert len(folds) >= 2, f"{name}: expected the exercises' check outputs, found {folds}"
    unfolded = [f["text"] for f in folds if not f["folded"]]
    assert not unfolded, f"{name}: check output readable without a click: {unfolded}"
    assert all("tells the answer" in f["label"] for f in folds)
    verdict = page.locator(".cell_output").filter(has_text="✔").first
    assert not verdict.is_visible()
    page.locator("details summary").filter(has_text="tells the answer").first.click()
    verdict.wait_for(state="visible", timeout=5000)
    assert not report.problems(), report.problems()
