"""Line figures over steps: gradient norms, losses, named curves, stacked panels.

Each function takes data and returns a matplotlib `Figure`; none shows or saves. Colours come from
`labkit.palette` (Okabe-Ito). On a log axis a value of exactly 0 has no place: the line breaks
there and a tick near the bottom edge (a rug, one row per line) marks the step, so a zero is never a silent gap.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .grad_log import GradNormLog
from .palette import BLACK, BLUE, GREY, OKABE_ITO, VERMILLION

SRN_PARAMS = {"rnn_model.W": ("W", VERMILLION, "-"), "rnn_model.U": ("U", BLUE, "-."),
              "rnn_model.b": ("b", BLACK, "--")}


def figure_and_axes(ax: Axes | None = None, size: tuple[float, float] = (7, 4)) -> tuple[Figure, Axes]:
    """A new figure of `size` inches with one Axes in the book's palette, or the figure that owns `ax`."""
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.add_subplot()
    ax.set_prop_cycle(color=OKABE_ITO)
    return fig, ax


def plot_series(ax: Axes, values: Sequence[float], log_scale: bool, *args, start: int = 1,
                **kwargs) -> None:
    """One line from x = start; on a log axis, zeros break the line and get a rug tick at the bottom."""
    values = [float(v) for v in values]
    xs = range(start, start + len(values))
    line, = ax.plot(xs, [v if v > 0 or not log_scale else math.nan for v in values], *args, **kwargs)
    zeros = [x for x, v in zip(xs, values) if v == 0]
    if log_scale and zeros:  # one rug row per series, stacked up from the bottom edge
        row = sum(1 for other in ax.lines if other.get_label().endswith("(rug)"))
        ax.plot(zeros, [0.025 + 0.04 * row] * len(zeros), "|", color=line.get_color(), ms=9,
                mew=1.5, transform=ax.get_xaxis_transform(), label=f"{line.get_label()} = 0 (rug)")


def plot_grad_norms(log: GradNormLog, keep_steps: int | None = None, log_scale: bool = False,
                    show_post: bool = False, max_norm: float | None = None, title: str | None = None,
                    ax: Axes | None = None) -> Figure:
    """L2 norms of the SRN's W, U, b gradients per step (the blog post's figures 6.8 / 6.9)."""
    fig, ax = figure_and_axes(ax)
    for name, (label, color, style) in SRN_PARAMS.items():
        suffix = " before clip" if show_post else ""
        plot_series(ax, log.pre.get(name, [])[:keep_steps], log_scale, style, color=color,
                    marker=".", ms=4, label=f"‖∇{label}‖{suffix}")
        if show_post:
            plot_series(ax, log.post.get(name, [])[:keep_steps], log_scale, ":", color=color,
                        alpha=0.7, lw=2, label=f"‖∇{label}‖ after clip")
    if max_norm is not None:
        ax.axhline(max_norm, color=GREY, lw=1, label=f"max_norm = {max_norm:g}")
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("gradient L2 norm" + (" (log scale)" if log_scale else ""))
    ax.set_title(title or "Gradient norms of the SRN parameters")
    ax.legend(loc="best", fontsize="small")
    return fig


def plot_losses(step_losses: Sequence[float], dev_scores: Sequence[tuple[int, float]] = (),
                log_scale: bool = True, ax: Axes | None = None) -> Figure:
    """Training loss per step, with dev accuracy on a second axis when given."""
    fig, ax = figure_and_axes(ax)
    ax.plot(range(1, len(step_losses) + 1), step_losses, color=BLACK, lw=1, label="training loss")
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("training loss per batch")
    if dev_scores:
        acc = ax.twinx()
        steps, scores = zip(*dev_scores)
        acc.plot(steps, scores, "o-", color=VERMILLION, label="dev accuracy")
        acc.set_ylim(0, 1)
        acc.set_ylabel("dev accuracy", color=VERMILLION)
    ax.set_title("Training loss and dev accuracy")
    return fig


def plot_curves(curves: Mapping[str, Sequence[float]], xlabel: str, ylabel: str, title: str,
                log_scale: bool = True, start: int = 1) -> Figure:
    """One line per named curve against its index (counted from `start`)."""
    fig, ax = figure_and_axes(size=(7, 4))
    for name, values in curves.items():
        plot_series(ax, values, log_scale, marker=".", start=start, label=name)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel + (" (log scale)" if log_scale else ""))
    ax.set_title(title)
    ax.legend(loc="best", fontsize="small")
    return fig


def plot_explosion_dynamics(series: Mapping[str, Mapping[str, Sequence[float]]],
                            log_panels: Sequence[str] = (), keep_steps: int | None = None,
                            title: str = "What happens around the explosion") -> Figure:
    """Stacked panels sharing the step axis: `series[panel][curve]` is one value per step (from 1)."""
    if not series:
        raise ValueError("series needs at least one panel")
    fig = Figure(figsize=(7, 2.2 * len(series) + 0.6), layout="constrained")
    axes = fig.subplots(len(series), 1, sharex=True, squeeze=False)[:, 0]
    for i, (ax, (panel, curves)) in enumerate(zip(axes, series.items())):
        ax.set_prop_cycle(color=OKABE_ITO[i:] + OKABE_ITO[:i])  # one colour per panel
        for name, values in curves.items():
            plot_series(ax, list(values)[:keep_steps], panel in log_panels, marker=".", ms=3,
                        label=name)
        if panel in log_panels:
            ax.set_yscale("log")
        ax.set_ylabel(panel + (" (log)" if panel in log_panels else ""))
        ax.legend(loc="best", fontsize="small")
    axes[-1].set_xlabel("optimizer step")
    fig.suptitle(title)
    return fig
