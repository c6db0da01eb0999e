"""The live explorer: ipywidgets controls that retrain the SRN and redraw its gradient norms.

A thin shell over pure functions: `config_from_controls(values) -> TrainConfig`,
`train_one(config)`, `run_figure(result) -> Figure` and `figure_png(fig) -> bytes`; the figure is
shown as PNG bytes in an `Image` widget (no pyplot, no global figure). It needs a running kernel;
the static book
trains in the browser instead (book/_static/trainer, `labkit.trainer_page`).

Why a worker thread: ipywidgets runs `observe` callbacks one after another in the kernel thread.
If a callback trained for a second, the slider moves made meanwhile would wait in the kernel's
queue and each would then train in turn, showing stale runs for seconds. Here the callback only
stores the latest values; one worker thread trains whatever is latest when it is free, so a burst
of changes costs at most the run in flight plus one. The worker uses one intra-op thread: on this
lab's tiny matrices that is faster than two, and much faster when the CPU is shared.
This module is not a training loop and has no plotting style of its own (see plots.py).
"""
from __future__ import annotations

import dataclasses
import html
import io
import threading
import time
import warnings
from collections.abc import Callable

import ipywidgets as w
import PIL.Image
from matplotlib.figure import Figure
from matplotlib.ticker import LogFormatter

from .clipping import CLIP_MODES
from .config import OPTIMIZERS, TrainConfig
from .data import LENGTHS
from .plots import plot_grad_norms, plot_losses
from .study import run_all
from .training import TrainResult

CACHE_SIZE = 64  # finished runs kept per explorer, so going back to a setting is instant
CONTROLS = ("lr", "max_norm", "clip_off", "clip_mode", "length", "seed", "optimizer")
DPI = 72  # 8 in wide -> 576 px: sharp enough on screen, cheap to render


def train_one(config: TrainConfig) -> TrainResult:
    """One run: by the batched `sweep` when it supports the config (SGD), else by `train`.

    The batched code takes about half the time of `train` for one SGD run, and gives exactly the
    static explorer's run for a grid setting; `train` agrees with both up to float rounding.
    """
    return run_all([config])[0]


def config_from_controls(values: dict, base: TrainConfig = TrainConfig()) -> TrainConfig:
    """A TrainConfig from control values (keys in CONTROLS; missing keys keep `base`'s value)."""
    unknown = set(values) - set(CONTROLS)
    if unknown:
        raise ValueError(f"unknown controls {sorted(unknown)}; expected some of {CONTROLS}")
    fields = {k: v for k, v in values.items() if k not in ("clip_off", "max_norm")}
    if values.get("clip_off", base.max_norm is None):
        fields["max_norm"] = None
    else:
        fields["max_norm"] = float(values.get("max_norm", base.max_norm or 1.0))
    if "lr" in fields:
        fields["lr"] = float(fields["lr"])
    return dataclasses.replace(base, **fields)


def run_figure(result: TrainResult, grad_only: bool = False) -> Figure:
    """Gradient norms of W, U, b (before and, if clipped, after clipping; log scale) over the loss.

    Fixed margins instead of a constrained layout: the figure draws in about half the time.
    """
    config = result.config
    height = 3.4 if grad_only else 6.4
    fig = Figure(figsize=(8, height))
    fig.subplots_adjust(left=0.09, right=0.76, top=1 - 0.4 / height, bottom=0.5 / height,
                        hspace=0.35)
    axes = fig.subplots(1 if grad_only else 2, 1, squeeze=False)[:, 0]
    clip = "no clipping" if config.max_norm is None else f"{config.clip_mode} clip at {config.max_norm:g}"
    norm_line = None if config.clip_mode == "value" else config.max_norm  # value mode bounds elements
    title = f"lr = {config.lr:.3g}, {clip}, length {config.length}"
    if result.diverged_at is not None:
        title += f": diverged at step {result.diverged_at}"
    plot_grad_norms(result.grad_norms, log_scale=True, show_post=config.max_norm is not None,
                    max_norm=norm_line, title=title, ax=axes[0])
    axes[0].legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    if not grad_only:
        plot_losses(result.step_losses, result.dev_scores, ax=axes[1])
        for set_formatter in (axes[1].yaxis.set_major_formatter, axes[1].yaxis.set_minor_formatter):
            set_formatter(LogFormatter(labelOnlyBase=False))  # plain text: mathtext is slow
    return fig


def figure_png(fig: Figure, dpi: int = DPI, colors: int | None = None) -> bytes:
    """The figure as PNG bytes; `colors` quantizes to that many (about 4x smaller files).

    The figure belongs to no pyplot state, so nothing leaks.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    if colors is None:
        return buffer.getvalue()
    small = io.BytesIO()
    PIL.Image.open(buffer).convert("RGB").quantize(colors).save(small, "PNG", optimize=True)
    return small.getvalue()


def summary(result: TrainResult) -> str:
    """One line for the status bar: accuracies and divergence."""
    text = (f"best dev accuracy {result.best_dev_accuracy:.2f}, test accuracy "
            f"{result.test_accuracy:.2f}")
    if result.diverged_at is not None:
        text += f"; loss became NaN/inf at step {result.diverged_at}, training stopped"
    return text


def _controls(base: TrainConfig) -> dict[str, w.Widget]:
    """The input widgets, keyed by CONTROLS; sliders update only on release."""
    style, wide = {"description_width": "90px"}, w.Layout(width="340px")
    return {
        "lr": w.FloatLogSlider(value=base.lr, base=10, min=-3, max=0, step=0.05, readout_format=".3g",
                               description="learning rate", continuous_update=False, style=style,
                               layout=wide),
        "max_norm": w.FloatLogSlider(value=base.max_norm or 1.0, base=10, min=-1, max=3, step=0.25,
                                     readout_format=".3g", description="max_norm",
                                     continuous_update=False, style=style, layout=wide),
        "clip_off": w.Checkbox(value=base.max_norm is None, description="no clipping", indent=False),
        "clip_mode": w.Dropdown(options=CLIP_MODES, value=base.clip_mode, description="clip mode",
                                style=style),
        "length": w.IntSlider(value=base.length, min=min(LENGTHS), max=max(LENGTHS),
                              step=LENGTHS[1] - LENGTHS[0], description="length",
                              continuous_update=False, style=style, layout=wide),
        "seed": w.BoundedIntText(value=base.seed, min=0, max=10**6, description="seed", style=style,
                                 layout=w.Layout(width="180px")),
        "optimizer": w.Dropdown(options=OPTIMIZERS, value=base.optimizer, description="optimizer",
                                style=style),
    }


class GradNormExplorer:
    """Controls + figure + status line; every change retrains (latest values only) and redraws."""

    def __init__(self, base: TrainConfig = TrainConfig(),
                 train_fn: Callable[[TrainConfig], TrainResult] = train_one):
        self.base, self.train_fn = base, train_fn
        self.controls = _controls(base)
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.status = w.HTML()
        self.runs = 0  # finished refreshes (trained or refused), for tests and benchmarks
        self._cache: dict[TrainConfig, tuple[bytes, str]] = {}  # config -> (png, summary)
        self._pending: dict | None = None
        self._busy = False
        self._lock = threading.Condition()
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self._sync_enabled()
        self.refresh(self.values())  # the first figure is drawn before the widget is shown
        left = w.VBox([self.controls[k] for k in ("lr", "max_norm", "clip_off", "clip_mode")])
        right = w.VBox([self.controls[k] for k in ("length", "seed", "optimizer")])
        self.widget = w.VBox([w.HBox([left, right]), self.status, self.image])

    def values(self) -> dict:
        """The controls' current values, keyed by CONTROLS."""
        return {name: control.value for name, control in self.controls.items()}

    def _sync_enabled(self) -> None:
        off = self.controls["clip_off"].value
        self.controls["max_norm"].disabled = self.controls["clip_mode"].disabled = off

    def _on_change(self, change) -> None:
        """Observe callback: remember the latest values; start the worker if it is idle."""
        self._sync_enabled()
        with self._lock:
            self._pending = self.values()
            if self._busy:
                return  # the running worker picks the latest values up when it finishes
            self._busy = True
        self.status.value = "<i>training…</i>"
        threading.Thread(target=self._work, daemon=True).start()

    def _work(self) -> None:
        """Worker: run the latest pending values until none are left."""
        while True:
            with self._lock:
                values, self._pending = self._pending, None
                if values is None:
                    self._busy = False
                    self._lock.notify_all()
                    return
            self.refresh(values)

    def refresh(self, values: dict) -> None:
        """Train on `values` and show the figure, or show why not (never raises)."""
        start = time.perf_counter()
        try:
            config = config_from_controls(values, self.base)
            if config not in self._cache:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)  # divergence: in the status
                    result = self.train_fn(config)
                png = figure_png(run_figure(result))
                self._cache[config] = png, summary(result)
                if len(self._cache) > CACHE_SIZE:
                    self._cache.pop(next(iter(self._cache)))  # drop the oldest
                how = f"trained and drawn in {time.perf_counter() - start:.2f} s"
            else:
                how = "a setting seen before: shown from memory"
            png, text = self._cache[config]
            self.image.value, self.status.value = png, html.escape(f"{text} ({how})")
        except Exception as error:  # shown to the reader, never a traceback
            kind = "invalid setting" if isinstance(error, ValueError) else type(error).__name__
            self.status.value = f"<b style='color:#b00020'>{html.escape(f'{kind}: {error}')}</b>"
        finally:
            self.runs += 1

    def wait(self, timeout: float = 60.0) -> bool:
        """Block until no run is pending or in flight; False on timeout."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._busy, timeout)

    def display(self) -> w.Widget:
        """The widget to show in a notebook cell (`labkit.widgets.explorer()` does the same)."""
        return self.widget

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def explorer(base: TrainConfig = TrainConfig()) -> w.Widget:
    """The live explorer's widget, for one-line use in a chapter: `labkit.widgets.explorer()`."""
    return GradNormExplorer(base).widget
