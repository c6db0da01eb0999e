"""Figures over seeds: learning curves, rho(U), a metric against a setting, total gradient norm and
its share per parameter. A line is the mean over seeds, the band their range (min to max).

Each function takes data and returns a matplotlib `Figure` (or draws on a given `Axes`); none
shows or saves. The summaries come from `labkit.curves`.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .curves import mean_band, moving_average, norm_share
from .grad_log import GradNormLog
from .palette import OKABE_ITO
from .plots import figure_and_axes
from .training import TrainResult

PALETTE = OKABE_ITO  # the book's one colour-blind-safe palette
SHORT_NAMES = {"embedding": "embedding", "rnn_model.W": "W", "rnn_model.U": "U",
               "rnn_model.b": "b", "linear.weight": "output weight", "linear.bias": "output bias"}


def draw_band(ax: Axes, x: Sequence[float], curves: Sequence[Sequence[float]], color: str,
              label: str) -> None:
    """The mean of `curves` [R, S] as a line over x [S], their min-max range as a band."""
    mean, low, high = mean_band(curves)
    ax.fill_between(x, low, high, color=color, alpha=0.2, lw=0)
    ax.plot(x, mean, color=color, lw=1.8, label=f"{label} (n={len(curves)})")


def plot_learning_curves(runs: Mapping[str, Sequence[TrainResult]], smooth: int = 25,
                         baseline: float | None = None) -> Figure:
    """Training loss (moving average) and dev accuracy per step: mean and range over each label's runs."""
    fig = Figure(figsize=(10, 4), layout="constrained")
    loss_ax, acc_ax = fig.subplots(1, 2)
    for color, (label, rs) in zip(PALETTE, runs.items()):
        steps = min(len(r.step_losses) for r in rs)  # a diverged run stops early
        losses = [moving_average(r.step_losses[:steps], smooth) for r in rs]
        draw_band(loss_ax, np.arange(1, steps + 1), losses, color, label)
        points = min(len(r.dev_scores) for r in rs)
        dev_steps = [s for s, _ in rs[0].dev_scores[:points]]
        draw_band(acc_ax, dev_steps, [[a for _, a in r.dev_scores[:points]] for r in rs], color, label)
    loss_ax.set_yscale("log")
    loss_ax.set(xlabel="optimizer step", ylabel=f"training loss per batch (moving mean of {smooth} steps)",
                title="Training loss")
    if baseline is not None:
        acc_ax.axhline(baseline, color="grey", ls="--", lw=1, label=f"always 9 ({baseline:.2f})")
    acc_ax.set(xlabel="optimizer step", ylabel="dev accuracy (fraction correct)", ylim=(0, 1),
               title="Dev accuracy")
    acc_ax.legend(loc="upper left", fontsize="small")
    return fig


def plot_radius_curves(radii: Mapping[str, Sequence[Sequence[float]]], ax: Axes | None = None) -> Figure:
    """rho(U) after every step: mean and range over each label's runs (label -> [R][S + 1])."""
    fig, ax = figure_and_axes(ax, (6, 3.5))
    for color, (label, curves) in zip(PALETTE, radii.items()):
        draw_band(ax, np.arange(len(curves[0])), curves, color, label)
    ax.axhline(1, color="grey", lw=1, ls="--", label="ρ(U) = 1")
    ax.set(xlabel="optimizer step", ylabel="spectral radius ρ(U)", title="ρ(U) during training")
    ax.legend(loc="best", fontsize="small")
    return fig


def plot_against(x: Sequence[float], values: Mapping[str, Sequence[Sequence[float]]], *, xlabel: str,
                 ylabel: str, title: str, log_y: bool = False, ax: Axes | None = None) -> Figure:
    """A metric against a setting: label -> per x a list of per-seed values [X][R]; mean line, range band, seeds as dots."""
    fig, ax = figure_and_axes(ax, (5.5, 3.8))
    for color, (label, per_x) in zip(PALETTE, values.items()):
        table = np.asarray(per_x, dtype=float)  # [X, R]
        draw_band(ax, x, table.T, color, label)
        for xi, seeds in zip(x, table):
            ax.plot([xi] * len(seeds), seeds, ".", color=color, alpha=0.6, ms=4)
    if log_y:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(loc="best", fontsize="small")
    return fig


def plot_total_norm(log: GradNormLog, max_norm: float, keep_steps: int | None = None,
                    ax: Axes | None = None) -> Figure:
    """The global gradient norm per step before and after clipping, against the threshold (log y)."""
    fig, ax = figure_and_axes(ax, (6, 3.8))
    pre, post = log.total("pre")[:keep_steps], log.total("post")[:keep_steps]
    steps = np.arange(1, len(pre) + 1)
    ax.plot(steps, pre, color=PALETTE[1], lw=1.2, label="‖g‖ before clipping")
    ax.plot(steps, post, color=PALETTE[0], lw=2, ls="--", label="‖g‖ after clipping")
    ax.axhline(max_norm, color="black", lw=1, ls=":", label=f"max_norm = {max_norm:g}")
    ax.set_yscale("log")
    ax.set(xlabel="optimizer step", ylabel="global gradient L2 norm (log scale)",
           title="Global norm of the whole gradient")
    ax.legend(loc="best", fontsize="small")
    return fig


def plot_norm_share(logs: Sequence[GradNormLog], keep_steps: int | None = None,
                    ax: Axes | None = None) -> Figure:
    """Each parameter's share of the squared global norm (before clipping) per step, mean over runs, stacked."""
    fig, ax = figure_and_axes(ax, (6, 3.8))
    shares = [norm_share(log) for log in logs]
    names = list(shares[0])
    steps = min(len(s[names[0]]) for s in shares)
    steps = steps if keep_steps is None else min(steps, keep_steps)
    mean = [np.mean([s[n][:steps] for s in shares], axis=0) for n in names]  # [P][S]
    ax.stackplot(np.arange(1, steps + 1), mean, colors=PALETTE[:len(names)],
                 labels=[SHORT_NAMES.get(n, n) for n in names])
    ax.set(xlabel="optimizer step", ylabel="share of ‖g‖² (mean over runs)", ylim=(0, 1),
           xlim=(1, steps), title=f"Which parameter carries the norm (n={len(logs)} runs)")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize="small")
    return fig


def plot_step_cap(caps: Mapping[float, Mapping[tuple[float, float], Sequence[float]]],
                  unclipped: Mapping[float, Sequence[float]] = {}, baseline: float | None = None,
                  ax: Axes | None = None) -> Figure:
    """Test accuracy against the step cap lr·max_norm (log x): one mark per (lr, max_norm) cell, seeds as dots."""
    fig, ax = figure_and_axes(ax, (6.5, 4))
    lrs = sorted({lr for cells in caps.values() for lr, _ in cells})
    colors = dict(zip(lrs, PALETTE))
    for cap, cells in caps.items():
        for (lr, c), values in cells.items():
            ax.plot([cap] * len(values), values, ".", color=colors[lr], alpha=0.5, ms=4)
            ax.plot(cap, np.mean(values), "o", color=colors[lr], ms=8, mfc="none", mew=2)
    for lr in lrs:
        ax.plot([], [], "o", color=colors[lr], mfc="none", mew=2, label=f"lr {lr:g}, clipped")
    for lr, values in unclipped.items():
        ax.axhline(np.mean(values), color=colors.get(lr, "grey"), lw=1, ls="-.",
                   label=f"lr {lr:g}, no clipping (mean)")
    if baseline is not None:
        ax.axhline(baseline, color="grey", ls="--", lw=1, label=f"always 9 ({baseline:.2f})")
    ax.set_xscale("log")
    ax.set(xlabel="step cap lr · max_norm (length of a clipped step)", ylabel="test accuracy",
           ylim=(0, 1), title="Clipped runs: accuracy against lr · max_norm")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize="small")
    return fig
