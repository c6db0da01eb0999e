"""The in-browser trainer (Explore page, chapter 4's "Try it") in a real, offline Chromium.

Every number checked here comes from the JS engine's real output in the page's Web Worker:
each control starts a new run whose config the page reports (`data-config` on the trainer
block) and whose plots and numbers replace the old ones; chapter 5's presets reproduce the
book's result (clip 1 learns, no clipping stays at the baseline); a phase-diagram cell shows the
numbers of the page's own embedded data and loads its setting; the URL carries every setting; no
ipywidget is shown; screenshots at 1280 px, 390 px and in dark mode.
Uses the fixtures of conftest.py.
"""
import json

import pytest

from .bookbrowser import SCREENSHOTS

ROOT = ".rnn-trainer"
RUN_TIMEOUT_MS = 240_000  # a 1000-step run: ~10 s on a quiet machine, far more on a shared one
STATE = """() => {
  const r = document.querySelector('.rnn-trainer');
  const canvas = r.querySelector('.trainer-chart canvas');
  return {runId: +r.dataset.runId, state: r.dataset.state, config: JSON.parse(r.dataset.config || 'null'),
          step: +(r.dataset.step || 0), numbers: r.querySelector('[data-role=numbers]').textContent,
          status: r.querySelector('[data-role=status]').textContent,
          bestDev: r.dataset.bestDev === undefined ? null : +r.dataset.bestDev, image: canvas.toDataURL()};
}"""


def state(page) -> dict:
    return page.evaluate(STATE)


def wait_for_points(page, run_id: int, steps: int = 5) -> dict:
    """Wait until run `run_id` has plotted at least `steps` steps; return the state."""
    page.wait_for_function(
        f"() => {{ const r = document.querySelector('{ROOT}');"
        f" return +r.dataset.runId === {run_id} && +(r.dataset.step || 0) >= {steps}"
        f" && r.querySelector('[data-role=numbers]').textContent.startsWith('step '); }}", timeout=60_000)
    return state(page)


def wait_done(page, run_id: int) -> dict:
    page.wait_for_function(
        f"() => {{ const r = document.querySelector('{ROOT}');"
        f" return +r.dataset.runId === {run_id} && r.dataset.state !== 'running'; }}", timeout=RUN_TIMEOUT_MS)
    return state(page)


def set_range(page, role: str, value: float) -> None:
    page.evaluate("""([role, value]) => {
      const el = document.querySelector(`.rnn-trainer [data-role=${role}]`);
      el.value = String(value);
      el.dispatchEvent(new Event('input', {bubbles: true}));
    }""", [role, value])


def short_page(open_page, name="explore", width=1280, query="steps=100&L=10&clip=20"):
    page, report = open_page(name, width, query)
    page.wait_for_selector(f"{ROOT}[data-run-id]", timeout=30_000)
    return page, report


# (what to do, the config field it must change, the expected new value)
CONTROLS = [
    ("lr: ArrowRight on the slider", lambda p: (p.focus(f"{ROOT} [data-role=lr]"), p.keyboard.press("ArrowRight")),
     "lr", lambda old, new: new > old),
    ("max_norm: slider to 1", lambda p: set_range(p, "max-norm", 100 * 1 / 3), "maxNorm", lambda old, new: new == 1),
    ("max_norm: slider to off", lambda p: set_range(p, "max-norm", 110), "maxNorm", lambda old, new: new is None),
    ("clip mode", lambda p: (set_range(p, "max-norm", 50), p.select_option(f"{ROOT} [data-role=clip-mode]", "value")),
     "clipMode", lambda old, new: new == "value"),
    ("length", lambda p: set_range(p, "length", 25), "length", lambda old, new: new == 25),
    ("optimizer", lambda p: p.select_option(f"{ROOT} [data-role=optimizer]", "adam"), "optimizer", lambda o, n: n == "adam"),
    ("loss reduction", lambda p: p.select_option(f"{ROOT} [data-role=loss-reduction]", "mean"),
     "lossReduction", lambda o, n: n == "mean"),
    ("steps", lambda p: p.select_option(f"{ROOT} [data-role=steps]", "250"), "steps", lambda o, n: n == 250),
    ("seed", lambda p: p.fill(f"{ROOT} [data-role=seed]", "7") or p.press(f"{ROOT} [data-role=seed]", "Enter"),
     "seed", lambda o, n: n == 7),
]


def test_each_control_starts_a_new_run_and_the_plots_change(open_page):
    page, report = short_page(open_page)
    before = wait_for_points(page, state(page)["runId"])
    for name, act, field, ok in CONTROLS:
        act(page)
        page.wait_for_function(f"() => +document.querySelector('{ROOT}').dataset.runId > {before['runId']}")
        after = wait_for_points(page, state(page)["runId"])
        assert ok(before["config"][field], after["config"][field]), (name, before["config"], after["config"])
        assert after["image"] != before["image"], f"{name}: the gradient-norm chart did not change"
        if field != "steps":  # same seed, more steps: the same first steps, on a longer x axis
            assert after["numbers"] != before["numbers"], f"{name}: the numbers did not change"
        assert str(after["step"]) in after["numbers"]
        before = after
    assert report.problems() == []


def test_a_preset_sets_every_control_and_the_url(open_page):
    page, report = short_page(open_page)
    page.click(f"{ROOT} button[data-preset=blog]")
    s = wait_for_points(page, state(page)["runId"])
    assert {k: s["config"][k] for k in ("length", "lr", "maxNorm", "steps", "clipMode", "optimizer")} == \
        {"length": 20, "lr": 0.2, "maxNorm": 20, "steps": 250, "clipMode": "global", "optimizer": "sgd"}
    assert page.get_attribute(f"{ROOT} button[data-preset=blog]", "aria-pressed") == "true"
    assert "lr=0.2&clip=20&mode=global&L=20" in page.url
    assert report.problems() == []


def test_the_url_sets_the_experiment(open_page):
    page, report = short_page(open_page, query="lr=0.05&clip=off&mode=value&L=15&seed=3&opt=adam&loss=mean&steps=100")
    c = state(page)["config"]
    assert (c["lr"], c["maxNorm"], c["clipMode"], c["length"], c["seed"], c["optimizer"], c["lossReduction"],
            c["steps"]) == (0.05, None, "value", 15, 3, "adam", "mean", 100)
    assert page.locator(f"{ROOT} [data-role=max-norm-value]").text_content() == "off"
    assert page.locator(f"{ROOT} [data-role=clip-mode]").is_disabled()
    assert report.problems() == []


@pytest.mark.parametrize("preset, learns", [("ch5-clip1", True), ("ch5-off", False)])
def test_chapter_5_presets_reproduce_the_book(open_page, preset, learns):
    """clip 1 reaches dev accuracy > 0.4 in the browser; no clipping stays <= 0.15 (book's seed)."""
    page, report = short_page(open_page, query="")
    page.click(f"{ROOT} button[data-preset={preset}]")
    run = state(page)["runId"]
    assert state(page)["config"]["steps"] == 1000 and state(page)["config"]["length"] == 10
    s = wait_done(page, run)
    assert s["state"] == "done", s["status"]
    assert (s["bestDev"] > 0.4) if learns else (s["bestDev"] <= 0.15), s["status"]
    assert f"best dev accuracy {s['bestDev']:.2f}" in s["status"]
    assert report.problems() == []


def test_a_phase_diagram_cell_shows_its_numbers_and_loads_its_setting(open_page):
    page, report = short_page(open_page)
    data = json.loads(page.locator(f"{ROOT} script.rnn-phase-data").text_content())
    tables = page.locator(f"{ROOT} .trainer-heatmap")
    assert tables.count() == len(data["modes"])
    lr_i, norm_i = data["lrs"].index(0.2), data["maxNorms"].index(1.0)
    page.click(f"{ROOT} .trainer-heatmap >> nth=0 >> button[data-row='{lr_i}'][data-col='{norm_i}']")
    cell = data["cells"][f"0.2|1|{data['modes'][0]}"]
    info = page.locator(f"{ROOT} [data-role=cell-info]").text_content()
    assert f"mean test accuracy {cell['test']:.2f} ± {cell['testSd']:.2f}" in info
    assert f"{round(100 * cell['clipped'])} % of steps clipped" in info
    c = state(page)["config"]
    assert (c["lr"], c["maxNorm"], c["clipMode"], c["length"], c["steps"]) == (0.2, 1, data["modes"][0], 10, 1000)
    # keyboard: one cell to the right, Enter selects it
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    right = data["maxNorms"][norm_i + 1]
    key = f"0.2|{'off' if right is None else f'{right:g}'}|{'off' if right is None else data['modes'][0]}"
    assert page.get_attribute(f"{ROOT} [data-role=cell-info]", "data-key") == key
    assert f"mean test accuracy {data['cells'][key]['test']:.2f}" in \
        page.locator(f"{ROOT} [data-role=cell-info]").text_content()
    assert state(page)["config"]["maxNorm"] == right
    assert report.problems() == []


@pytest.mark.parametrize("name", ["explore", "04_clipping"])
def test_no_ipywidget_is_shown_and_the_trainer_runs(open_page, name):
    page, report = open_page(name)
    page.wait_for_selector(f"{ROOT}[data-run-id]", timeout=30_000)
    wait_for_points(page, 1)
    assert page.locator(".jupyter-widgets").count() == 0
    assert page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count() == 0
    if name == "04_clipping":
        assert state(page)["config"]["maxNorm"] == 20 and state(page)["config"]["length"] == 20
    assert report.problems() == []



# Contrast (WCAG 2) of the trainer's text and of its chart labels (--trainer-text, drawn on the
# canvases) against the first opaque background behind the trainer.
CONTRAST_JS = """(root) => {
  const el = document.querySelector(root);
  const rgb = (c) => { const x = document.createElement('div'); x.style.color = c; document.body.append(x);
    const v = getComputedStyle(x).color.match(/[\\d.]+/g).map(Number); x.remove(); return v; };
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  let node = el, bg = null;
  while (node && !bg) { const c = rgb(getComputedStyle(node).backgroundColor); if (c.length < 4 || c[3] > 0) bg = c.slice(0, 3); node = node.parentElement; }
  bg = bg || [255, 255, 255];
  const text = rgb(getComputedStyle(el.querySelector('.trainer-field') || el).color).slice(0, 3);
  const labels = rgb(getComputedStyle(el).getPropertyValue('--trainer-text').trim()).slice(0, 3);
  return {"the trainer's text": ratio(text, bg), "the charts' tick labels": ratio(labels, bg)};
}"""


@pytest.mark.parametrize("width, dark", [(1280, False), (390, False), (390, True), (1280, True)])
def test_fits_and_follows_the_theme(browser, site, width, dark):
    from .bookbrowser import guarded_page

    context, page, report = guarded_page(browser, f"{site}explore.html", width)
    try:
        if dark:
            page.evaluate("() => { document.documentElement.dataset.theme = 'dark'; }")
        page.wait_for_selector(f"{ROOT}[data-run-id]", timeout=30_000)
        page.wait_for_function(f"() => +(document.querySelector('{ROOT}').dataset.step || 0) >= 20", timeout=60_000)
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= width, f"the page scrolls sideways at {width} px ({wide} px wide)"
        contrast = page.evaluate(CONTRAST_JS, ROOT)
        for what, ratio in contrast.items():  # WCAG AA for normal text: 4.5
            assert ratio >= 4.5, (f"{'dark' if dark else 'light'} theme: {what} has contrast {ratio:.2f} "
                                  f"against the background the trainer is drawn on")
        small = page.evaluate("() => Math.min(...[...document.querySelectorAll('.trainer-heatmap button')]"
                              ".map((b) => parseFloat(getComputedStyle(b).fontSize)))")
        assert small >= 10, f"heat-map cell text {small} px"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"explore-trainer-{width}{'-dark' if dark else ''}.png"), full_page=True)
        assert report.problems() == []
    finally:
        context.close()
