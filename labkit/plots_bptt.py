"""Figures of the recurrence's insides (chapters 2-3): hidden states, rho(U), dL/dh_t over training.

Each function takes plain numbers (lists / tensors) and returns a matplotlib `Figure`; none trains,
shows or saves.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import torch
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .plots import figure_and_axes

def plot_hidden_states(states: torch.Tensor, tokens: Sequence[int] | None = None,
                       title: str = "Hidden state h_t of one example") -> Figure:
    """Heat map of one example's hidden states, units x time: `states` is [T, H], values in [-1, 1]."""
    if states.dim() != 2:
        raise ValueError(f"states must be [T, H], got shape {tuple(states.shape)}")
    steps = states.shape[0]
    fig, ax = figure_and_axes(size=(7, 4))
    image = ax.imshow(states.detach().T.numpy(), aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1,
                      extent=(0.5, steps + 0.5, states.shape[1] - 0.5, -0.5))
    fig.colorbar(image, ax=ax, label="h value (tanh output)")
    ax.set_xlabel("time step t" + (" (input digit below)" if tokens is not None else ""))
    ax.set_ylabel("hidden unit")
    if tokens is not None:
        ax.set_xticks(range(1, steps + 1), [f"{t + 1}\n{d}" for t, d in enumerate(tokens)],
                      fontsize="x-small")
    ax.set_title(title)
    return fig


def plot_curves(curves: Mapping[str, Sequence[float]], xlabel: str, ylabel: str, title: str,
                log_scale: bool = True, start: int = 1) -> Figure:
    """One line per named curve against its index (counted from `start`)."""
    fig, ax = figure_and_axes(size=(7, 4))
    for name, values in curves.items():
        ax.plot(range(start, start + len(values)), list(values), marker=".", label=name)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel + (" (log scale)" if log_scale else ""))
    ax.set_title(title)
    ax.legend(loc="best", fontsize="small")
    return fig


def plot_hidden_grad_map(rows: Sequence[Sequence[float]], floor: float = 1e-12,
                         title: str = "‖∂L/∂h_t‖ on a fixed probe batch") -> Figure:
    """Heat map of ||dL/dh_t||: optimizer step (rows) x time step t (columns), log colour scale.

    Values below `floor` (including exact zeros) are drawn in grey.
    """
    data = torch.as_tensor(rows, dtype=torch.float64)  # [steps, T]
    if data.dim() != 2 or data.numel() == 0:
        raise ValueError(f"rows must be a non-empty steps x T table, got shape {tuple(data.shape)}")
    shown = data.masked_fill(data < floor, math.nan).numpy()
    fig, ax = figure_and_axes(size=(7, 4.5))
    ax.set_facecolor("#bbbbbb")
    vmax = max(float(data.max()), floor * 10)
    image = ax.imshow(shown, aspect="auto", cmap="viridis", norm=LogNorm(vmin=floor, vmax=vmax),
                      extent=(0.5, data.shape[1] + 0.5, data.shape[0] + 0.5, 0.5),
                      interpolation="nearest")
    fig.colorbar(image, ax=ax, label="‖∂L/∂h_t‖ (log scale; grey: < %.0e)" % floor)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("time step t (the loss reads h_T)")
    ax.set_ylabel("optimizer step")
    ax.set_title(title)
    return fig


def plot_explosion_dynamics(series: Mapping[str, Mapping[str, Sequence[float]]],
                            log_panels: Sequence[str] = (), keep_steps: int | None = None,
                            title: str = "What happens around the explosion") -> Figure:
    """Stacked panels sharing the step axis: `series[panel][curve]` is one value per step (from 1).

    In the panels named in `log_panels`, values <= 0 (a log axis cannot show them) are left as gaps.
    """
    if not series:
        raise ValueError("series needs at least one panel")
    fig = Figure(figsize=(7, 2.2 * len(series) + 0.6), layout="constrained")
    axes = fig.subplots(len(series), 1, sharex=True, squeeze=False)[:, 0]
    for ax, (panel, curves) in zip(axes, series.items()):
        for name, values in curves.items():
            values = [float(v) for v in values][:keep_steps]
            if panel in log_panels:
                values = [v if v > 0 else math.nan for v in values]
            ax.plot(range(1, len(values) + 1), values, marker=".", ms=3, label=name)
        if panel in log_panels:
            ax.set_yscale("log")
        ax.set_ylabel(panel + (" (log)" if panel in log_panels else ""))
        ax.legend(loc="best", fontsize="small")
    axes[-1].set_xlabel("optimizer step")
    fig.suptitle(title)
    return fig
