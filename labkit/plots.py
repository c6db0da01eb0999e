"""Figures for the book. Each function takes data and returns a matplotlib `Figure`; none shows or saves."""
from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .grad_log import GradNormLog

SRN_PARAMS = {"rnn_model.W": ("W", "#e4007f", "-"), "rnn_model.U": ("U", "#1f77b4", "-."),
              "rnn_model.b": ("b", "#000000", "--")}


def plot_grad_norms(log: GradNormLog, keep_steps: int | None = None, log_scale: bool = False,
                    show_post: bool = False, max_norm: float | None = None, title: str | None = None,
                    ax: Axes | None = None) -> Figure:
    """L2 norms of the SRN's W, U, b gradients per step (the blog post's figures 6.8 / 6.9).

    On a log scale a norm of exactly 0 has no place: such steps are drawn as gaps in the line.
    """
    fig, ax = figure_and_axes(ax)
    for name, (label, color, style) in SRN_PARAMS.items():
        pre = _for_axis(log.pre.get(name, [])[:keep_steps], log_scale)
        ax.plot(range(1, len(pre) + 1), pre, style, color=color,
                label=f"‖∇{label}‖" + (" before clip" if show_post else ""))
        if show_post:
            post = _for_axis(log.post.get(name, [])[:keep_steps], log_scale)
            ax.plot(range(1, len(post) + 1), post, ":", color=color, alpha=0.7, lw=2,
                    label=f"‖∇{label}‖ after clip")
    if max_norm is not None:
        ax.axhline(max_norm, color="grey", lw=1, label=f"max_norm = {max_norm:g}")
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("gradient L2 norm" + (" (log scale; gaps: exactly 0)" if log_scale else ""))
    ax.set_title(title or "Gradient norms of the SRN parameters")
    ax.legend(loc="best", fontsize="small")
    return fig


def _for_axis(values: Sequence[float], log_scale: bool) -> list[float]:
    """The values to draw: on a log axis, zeros become NaN (a gap) instead of plunging off the plot."""
    return [v if v > 0 or not log_scale else math.nan for v in values]


def plot_losses(step_losses: Sequence[float], dev_scores: Sequence[tuple[int, float]] = (),
                log_scale: bool = True, ax: Axes | None = None) -> Figure:
    """Training loss per step, with dev accuracy on a second axis when given."""
    fig, ax = figure_and_axes(ax)
    ax.plot(range(1, len(step_losses) + 1), step_losses, color="#444444", lw=1, label="training loss")
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("training loss per batch")
    if dev_scores:
        acc = ax.twinx()
        steps, scores = zip(*dev_scores)
        acc.plot(steps, scores, "o-", color="#e4007f", label="dev accuracy")
        acc.set_ylim(0, 1)
        acc.set_ylabel("dev accuracy", color="#e4007f")
    ax.set_title("Training loss and dev accuracy")
    return fig


def figure_and_axes(ax: Axes | None = None, size: tuple[float, float] = (7, 4)) -> tuple[Figure, Axes]:
    """A new figure of `size` inches with one Axes, or the figure that owns `ax` (for every plot helper)."""
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()
