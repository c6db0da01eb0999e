"""The Explore page in a real, offline Chromium: the kernel-free explorer responds to its controls.

Moves each control (keyboard on the lr slider, a set value + input event on the max_norm slider,
a real selection on the mode menu) and checks that the figure and the text shown are the grid
point's own, read from the JSON embedded in the page. Uses the fixtures of conftest.py.
"""
import json

ROOT = ".grad-explorer"
READ_STATE = """() => {
  const r = document.querySelector('.grad-explorer');
  const q = (role) => r.querySelector(`[data-role=${role}]`);
  return {key: r.dataset.key, lr: +q('lr').value, norm: +q('norm').value, mode: q('mode').value,
          mode_disabled: q('mode').disabled, src: q('figure').src,
          loaded: q('figure').complete && q('figure').naturalWidth > 0,
          scores: q('scores').textContent, lr_label: q('lr-label').textContent,
          norm_label: q('norm-label').textContent};
}"""
SET_RANGE = """([role, value]) => {
  const el = document.querySelector(`.grad-explorer [data-role=${role}]`);
  el.value = value;
  el.dispatchEvent(new Event('input', {bubbles: true}));
}"""


def check_shown(page, grid: dict) -> dict:
    """Assert that what the explorer shows is exactly its grid point; return the state."""
    s = page.evaluate(READ_STATE)
    max_norm = grid["max_norms"][s["norm"]]
    key = f"{s['lr']}|{s['norm']}|{'off' if max_norm is None else s['mode']}"
    point = grid["points"][key]
    assert s["key"] == key
    assert s["src"] == point["png"] and s["loaded"]
    assert s["lr_label"] == f"{grid['lrs'][s['lr']]:g}" and point["lr"] == grid["lrs"][s["lr"]]
    assert s["norm_label"] == ("off" if max_norm is None else f"{max_norm:g}")
    assert s["mode_disabled"] == (max_norm is None)
    assert f"best dev accuracy {point['dev']:.2f}, test accuracy {point['test']:.2f}" in s["scores"]
    return s


def test_static_explorer_follows_every_control(open_page):
    page, report = open_page("explore")
    assert page.locator(ROOT).count() == 1
    grid = json.loads(page.locator(f"{ROOT} [data-role=grid]").text_content())
    assert len(grid["points"]) == len(grid["lrs"]) * (1 + (len(grid["max_norms"]) - 1) * len(grid["modes"]))

    first = check_shown(page, grid)
    page.focus(f"{ROOT} [data-role=lr]")  # keyboard: one notch up
    page.keyboard.press("ArrowRight")
    moved = check_shown(page, grid)
    assert moved["lr"] == first["lr"] + 1 and moved["src"] != first["src"]

    page.evaluate(SET_RANGE, ["norm", 2])  # clipping on: the mode menu becomes usable
    clipped = check_shown(page, grid)
    assert clipped["norm"] == 2 and not clipped["mode_disabled"] and clipped["src"] != moved["src"]

    seen = {clipped["src"]}
    for mode in grid["modes"]:
        page.select_option(f"{ROOT} [data-role=mode]", mode)
        seen.add(check_shown(page, grid)["src"])
    assert len(seen) == len(grid["modes"])  # each mode has its own figure

    page.evaluate(SET_RANGE, ["lr", len(grid["lrs"]) - 1])
    page.evaluate(SET_RANGE, ["norm", 0])
    assert check_shown(page, grid)["mode_disabled"]
    assert report.problems() == []


def test_live_widget_shows_its_saved_figure(open_page):
    page, report = open_page("explore")
    page.wait_for_selector(".jupyter-widgets img", timeout=15000)
    loaded = page.evaluate("() => [...document.querySelectorAll('.jupyter-widgets img')]"
                           ".some(i => i.complete && i.naturalWidth > 0)")
    assert loaded, "the live widget's saved figure did not render from the embedded state"
    assert report.problems() == []
