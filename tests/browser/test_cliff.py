"""The cliff chapter's explorer in a real, offline Chromium: its numbers are labkit's, and it
answers the mouse, the keyboard and its sliders, at 1280 px, at 390 px and in dark mode.

The page's own engine module is imported in the page and held against labkit's reference values
(book/_static/cliff/reference.json, kept current by tests/test_cliff.py) and against
`labkit.cliff.descend` run here. Uses the fixtures of conftest.py.
"""
from __future__ import annotations

import re

import pytest
import torch

from labkit import cliff

from .bookbrowser import SCREENSHOTS

PAGE = "04b_cliff"
ROOT = "[data-cliff-explorer]"
ENGINE_VS_REFERENCE = """async () => {
  const at = (path) => new URL(path, document.baseURI).href;
  const engine = await import(at('_static/cliff/engine.mjs'));
  const page = await import(at('_static/cliff/page.mjs'));
  const ref = await (await fetch(at('_static/cliff/reference.json'))).json();
  const worst = {loss: 0, grad: 0, unclipped: 0, clipped: 0};
  ref.points.forEach(([w, b], i) => {
    const r = engine.lossAndGrad(w, b);
    worst.loss = Math.max(worst.loss, Math.abs(r.loss - ref.loss[i]) / ref.loss[i]);
    worst.grad = Math.max(worst.grad, Math.hypot(r.gw - ref.grad[i][0], r.gb - ref.grad[i][1]) /
                                      Math.hypot(...ref.grad[i]));
    for (const [name, maxNorm] of [['unclipped', null], ['clipped', ref.max_norm]]) {
      engine.descend([w, b], ref.lr, ref.steps, maxNorm).forEach(([pw, pb], k) => {
        const [qw, qb] = ref[name][i][k];
        worst[name] = Math.max(worst[name],
                               Math.hypot(pw - qw, pb - qb) / Math.max(1, Math.hypot(qw, qb)));
      });
    }
  });
  return {worst, n: ref.points.length, window: page.WINDOW, defaults: page.DEFAULTS};
}"""
STATE = f"""() => {{
  const r = document.querySelector('{ROOT}');
  return {{step: Number(r.dataset.step), status: r.querySelector('.cliff-status').textContent,
           pixels: r.querySelector('canvas').toDataURL(), ink: getComputedStyle(r).color,
           width: r.getBoundingClientRect().width, scroll: document.documentElement.scrollWidth}};
}}"""
NUMBER = r"-?[\d.]+(?:e[+-]?\d+)?"


def shown(status: str, name: str) -> tuple[float, float, bool]:
    """(w, b, off the map) of one path as the status line prints it."""
    m = re.search(rf"{name}: w ({NUMBER}), b ({NUMBER}), loss [\d.]+( \(off the map\))?", status)
    assert m, f"no '{name}' in the status line: {status!r}"
    return float(m.group(1)), float(m.group(2)), m.group(3) is not None


@pytest.fixture
def explorer(open_page):
    page, report = open_page(PAGE)
    page.wait_for_selector(f"{ROOT} canvas")
    page.wait_for_function(f"() => document.querySelector('{ROOT}').dataset.step === '0'")
    return page, report


def test_engine_in_the_page_matches_labkit(explorer):
    page, _ = explorer
    got = page.evaluate(ENGINE_VS_REFERENCE)
    assert got["n"] >= 12
    assert got["worst"]["loss"] < 1e-12 and got["worst"]["grad"] < 1e-9, got["worst"]
    assert got["worst"]["unclipped"] < 1e-9 and got["worst"]["clipped"] < 1e-9, got["worst"]
    assert (tuple(got["window"]["w"]), tuple(got["window"]["b"])) == cliff.WINDOW
    assert got["defaults"]["lr"] == cliff.LR and got["defaults"]["maxNorm"] == cliff.MAX_NORM


def test_steps_show_labkits_paths_off_and_on_the_map(explorer):
    page, report = explorer
    start = page.evaluate("async () => (await import(new URL('_static/cliff/page.mjs', "
                          "document.baseURI).href)).DEFAULTS.start")
    before = page.evaluate(STATE)
    for _ in range(20):
        page.get_by_role("button", name="Step").click()
    after = page.evaluate(STATE)
    assert after["step"] == 20 and after["pixels"] != before["pixels"]
    points = torch.tensor([start], dtype=torch.float64)
    for name, max_norm in (("No clipping", None), (f"Clipped at {cliff.MAX_NORM:g}", cliff.MAX_NORM)):
        w, b, off = shown(after["status"], name)
        want = cliff.descend(points, cliff.LR, 20, max_norm)[0, -1]
        assert (w, b) == pytest.approx(want.tolist(), rel=2e-3, abs=2e-3)
        assert off == bool(cliff.off_window(want[None])[0])
    assert shown(after["status"], "No clipping")[2], "the default start should throw the unclipped path"
    assert not report.problems(), report.problems()
    page.locator(ROOT).screenshot(path=str(SCREENSHOTS / f"{PAGE}-explorer.png"))


def test_keyboard_mouse_and_sliders_restart_the_paths(explorer):
    page, _ = explorer
    canvas = page.locator(f"{ROOT} canvas")
    canvas.focus()
    page.keyboard.press("s")
    assert page.evaluate(STATE)["step"] == 1
    first = page.evaluate(STATE)
    page.keyboard.press("ArrowRight")                         # move the start: back to step 0
    moved = page.evaluate(STATE)
    assert moved["step"] == 0 and moved["pixels"] != first["pixels"]
    box = canvas.bounding_box()
    canvas.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.3})
    clicked = page.evaluate(STATE)
    assert clicked["pixels"] != moved["pixels"]
    lr = page.get_by_label("learning rate")                   # a labelled native range input
    lr.focus()
    page.keyboard.press("ArrowLeft")                          # one notch: 10^-0.05
    slid = page.evaluate(STATE)
    assert slid["step"] == 0                                   # a new setting restarts the paths
    assert page.locator(f"{ROOT} output[data-out=lr]").text_content() == f"{10 ** -0.05:.2g}"
    page.get_by_label("clipping threshold").fill("0.5")       # log10: threshold 3.2
    assert page.locator(f"{ROOT} output[data-out=maxNorm]").text_content() == "3.2"
    assert "Clipped at 3.2" in page.evaluate(STATE)["status"]


def test_fits_390_px_and_follows_dark_mode(open_page):
    page, report = open_page(PAGE, width=390)
    page.wait_for_selector(f"{ROOT} canvas")
    light = page.evaluate(STATE)
    assert light["width"] <= 390 and light["scroll"] <= 390 + 4, light["scroll"]
    page.evaluate("() => document.documentElement.setAttribute('data-theme', 'dark')")
    page.wait_for_timeout(100)
    dark = page.evaluate(STATE)
    assert dark["ink"] != light["ink"] and dark["pixels"] != light["pixels"]
    page.locator(ROOT).screenshot(path=str(SCREENSHOTS / f"{PAGE}-explorer-390-dark.png"))
    assert not report.problems(), report.problems()
