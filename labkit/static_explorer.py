"""The kernel-free explorer: a grid of runs precomputed at build time, browsed by a few lines of JS.

`grid_configs` lists the runs (no clipping once per lr: without clipping the mode changes
nothing), `run_grid` trains them (batched by `labkit.sweep`), `grid_points` keeps what the page shows (accuracies, the
largest norms, the gradient-norm figure as a PNG data URI) and `explorer_html` returns one
self-contained HTML block: two range sliders, a select, an <img> and a text line, with the grid
inline as JSON and an inline script that swaps them. No kernel, no ipywidgets, no CDN: it works
in the static book offline and in a trusted notebook. Not a training loop, not a plot style.
"""
from __future__ import annotations

import base64
import hashlib
import json
import math
import warnings

from .clipping import CLIP_MODES
from .config import TrainConfig
from .study import run_all
from .training import TrainResult
from .widgets import figure_png, run_figure

LRS = (0.003, 0.01, 0.03, 0.1, 0.3)
MAX_NORMS = (None, 0.1, 1.0, 10.0, 100.0)  # None: no clipping
OFF = "off"  # the mode key of an unclipped point


def point_key(lr_index: int, norm_index: int, mode: str, max_norms=MAX_NORMS) -> str:
    """The grid key of one point; the same rule is written in the page's JS."""
    return f"{lr_index}|{norm_index}|{OFF if max_norms[norm_index] is None else mode}"


def grid_configs(base: TrainConfig = TrainConfig(), lrs=LRS, max_norms=MAX_NORMS,
                 modes=CLIP_MODES) -> list[TrainConfig]:
    """One config per grid point: len(lrs) * (1 + clipped max_norms * len(modes)) when None is in."""
    if any(m is not None and m <= 0 for m in max_norms) or not lrs or not modes:
        raise ValueError("grid_configs: needs lrs, modes, and max_norms that are None or > 0")
    return [TrainConfig(**{**base.to_dict(), "lr": lr, "max_norm": m,
                           "clip_mode": base.clip_mode if m is None else mode})
            for lr in lrs for m in max_norms for mode in ((OFF,) if m is None else modes)]


def run_grid(configs: list[TrainConfig]) -> list[TrainResult]:
    """Train every config (`run_all`: batched by `sweep` where it can be, else one by one).

    Divergence is kept in the results (`diverged_at`), not warned about.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return run_all(configs)


def _rounded(x: float | None, digits: int = 4) -> float | None:
    """A JSON-friendly float: None for NaN (JSON has no NaN), else `digits` significant digits."""
    return None if x is None or math.isnan(x) else float(f"{x:.{digits}g}")


def grid_points(results: list[TrainResult], lrs=LRS, max_norms=MAX_NORMS, dpi: int = 72,
                colors: int = 32) -> dict[str, dict]:
    """point_key -> what the page shows for that run, figure included (as a PNG data URI)."""
    points = {}
    for result in results:
        c, log = result.config, result.grad_norms
        key = point_key(lrs.index(c.lr), max_norms.index(c.max_norm), c.clip_mode, max_norms)
        png = figure_png(run_figure(result, grad_only=True), dpi=dpi, colors=colors)
        points[key] = {
            "lr": c.lr, "max_norm": c.max_norm, "mode": OFF if c.max_norm is None else c.clip_mode,
            "dev": result.best_dev_accuracy, "test": _rounded(result.test_accuracy),
            "diverged_at": result.diverged_at,
            "max_pre_U": _rounded(max(log.pre.get("rnn_model.U", [0.0]), default=0.0)),
            "max_post_total": _rounded(max(log.total("post"), default=0.0)),
            "png": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
        }
    return points


SCRIPT = """(function () {
  var root = document.getElementById("%(uid)s");
  var grid = JSON.parse(root.querySelector("[data-role=grid]").textContent);
  var lr = root.querySelector("[data-role=lr]"), norm = root.querySelector("[data-role=norm]");
  var mode = root.querySelector("[data-role=mode]");
  function fmt(x) { return x === null ? "n/a" : x.toFixed(2); }
  function show() {
    var m = grid.max_norms[+norm.value];
    var key = lr.value + "|" + norm.value + "|" + (m === null ? "off" : mode.value);
    var p = grid.points[key];
    mode.disabled = m === null;
    root.dataset.key = key;
    root.querySelector("[data-role=lr-label]").textContent = String(grid.lrs[+lr.value]);
    root.querySelector("[data-role=norm-label]").textContent = m === null ? "off" : String(m);
    root.querySelector("[data-role=figure]").src = p.png;
    root.querySelector("[data-role=scores]").textContent =
      "best dev accuracy " + fmt(p.dev) + ", test accuracy " + fmt(p.test) +
      "; largest pre-clip \\u2016\\u2207U\\u2016 " + p.max_pre_U +
      (p.diverged_at === null ? "" : "; diverged at step " + p.diverged_at);
  }
  [lr, norm, mode].forEach(function (el) {
    el.addEventListener("input", show);
    el.addEventListener("change", show);
  });
  show();
})();"""

STYLE = ("font-family: sans-serif; font-size: 0.9em; border: 1px solid #ddd; padding: 0.6em; "
         "border-radius: 4px; max-width: 600px")


def explorer_html(points: dict[str, dict], lrs=LRS, max_norms=MAX_NORMS, modes=CLIP_MODES,
                  start: tuple[int, int, str] = (2, 0, "global")) -> str:
    """One self-contained HTML block (markup, JSON data, inline script) browsing `points`."""
    data = json.dumps({"lrs": list(lrs), "max_norms": list(max_norms), "modes": list(modes),
                       "points": points}, separators=(",", ":")).replace("</", "<\\/")
    uid = "grad-explorer-" + hashlib.sha1(data.encode()).hexdigest()[:10]
    options = "".join(f"<option value='{m}'{' selected' if m == start[2] else ''}>{m}</option>"
                      for m in modes)
    slider = "<input type='range' data-role='{}' min='0' max='{}' step='1' value='{}' aria-label='{}'>"
    return (
        f"<div class='grad-explorer' id='{uid}' style='{STYLE}'>"
        f"<label>learning rate {slider.format('lr', len(lrs) - 1, start[0], 'learning rate')} "
        f"<output data-role='lr-label'></output></label><br>"
        f"<label>max_norm {slider.format('norm', len(max_norms) - 1, start[1], 'max_norm')} "
        f"<output data-role='norm-label'></output></label><br>"
        f"<label>clip mode <select data-role='mode'>{options}</select></label>"
        f"<p data-role='scores' style='margin: 0.4em 0'></p>"
        f"<img data-role='figure' alt='gradient norms of W, U, b for the selected run' "
        f"style='max-width: 100%'>"
        f"<script type='application/json' data-role='grid'>{data}</script></div>"
        f"<script>{SCRIPT % {'uid': uid}}</script>"
    )
