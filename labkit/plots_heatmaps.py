"""Heat maps: a table of runs with its values written in the cells, hidden states, ‖∂L/∂h_t‖ maps.

Each function takes data and returns a matplotlib `Figure`; none shows or saves. Sizes are chosen
so that, shrunk to a 390 px wide screen, every text is at least 10 px tall (`MIN_TEXT_PX`).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .palette import DIVERGING_CMAP, GREY, SEQUENTIAL_CMAP
from .plots import figure_and_axes

MIN_TEXT_PX = 10  # smallest text height, in px, when the figure is shown 390 px wide
TEXT_PT = 11  # every text in these figures is at least this size (points)


def plot_heatmap(table: np.ndarray, row_values: Sequence, col_values: Sequence, *, row_label: str,
                 col_label: str, title: str, cbar_label: str, log_color: bool = False,
                 fmt: str = "{:.2f}", ax: Axes | None = None) -> Figure:
    """A [R, C] table as a coloured grid with each cell's value written in it (None shown as 'off')."""
    fig, ax = figure_and_axes(ax, (5.5, 4.5))
    table = np.asarray(table, dtype=float)
    if table.shape != (len(row_values), len(col_values)):
        raise ValueError(f"table shape {table.shape} does not match {len(row_values)} rows "
                         f"x {len(col_values)} columns")
    norm = LogNorm(np.nanmin(table), np.nanmax(table)) if log_color else None
    image = ax.imshow(table, cmap=SEQUENTIAL_CMAP, norm=norm, aspect="auto", origin="lower")
    _colorbar(fig, image, ax, cbar_label)
    mid = np.exp(np.nanmean(np.log(table))) if log_color else np.nanmean(table)
    for (i, j), value in np.ndenumerate(table):
        ax.text(j, i, fmt.format(value), ha="center", va="center", fontsize=TEXT_PT,
                color="white" if value < mid else "black")
    ax.set_xticks(range(len(col_values)), [_label(v) for v in col_values])
    ax.set_yticks(range(len(row_values)), [_label(v) for v in row_values])
    _texts(ax, col_label, row_label, title)
    return fig


def plot_hidden_states(states: torch.Tensor, tokens: Sequence[int] | None = None,
                       title: str = "Hidden state h_t of one example") -> Figure:
    """Heat map of one example's hidden states, units x time: `states` is [T, H], values in [-1, 1]."""
    if states.dim() != 2:
        raise ValueError(f"states must be [T, H], got shape {tuple(states.shape)}")
    steps = states.shape[0]
    fig, ax = figure_and_axes(size=(5.5, 4))
    image = ax.imshow(states.detach().T.numpy(), aspect="auto", cmap=DIVERGING_CMAP, vmin=-1, vmax=1,
                      extent=(0.5, steps + 0.5, states.shape[1] - 0.5, -0.5))
    _colorbar(fig, image, ax, "h value (tanh)")
    if tokens is not None:  # the digit under each step: every other step number, every digit
        ax.set_xticks(range(1, steps + 1), [f"{t + 1 if t % 2 == 0 else ''}\n{d}"
                                            for t, d in enumerate(tokens)])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _texts(ax, "time step t" + (" (input digit below)" if tokens is not None else ""),
           "hidden unit", title)
    return fig


def plot_hidden_grad_map(rows: Sequence[Sequence[float]], floor: float = 1e-12,
                         title: str = "‖∂L/∂h_t‖ on a fixed probe batch",
                         vmax: float | None = None) -> Figure:
    """Heat map of ||dL/dh_t||: optimizer step (rows) x time step t (columns), log colour scale.

    Values below `floor` (including exact zeros) are drawn in grey, not left out. `vmax` fixes the
    top of the colour scale (to compare several maps); by default it is the largest value.
    """
    data = torch.as_tensor(rows, dtype=torch.float64)  # [steps, T]
    if data.dim() != 2 or data.numel() == 0:
        raise ValueError(f"rows must be a non-empty steps x T table, got shape {tuple(data.shape)}")
    shown = data.masked_fill(data < floor, math.nan).numpy()
    fig, ax = figure_and_axes(size=(5.5, 4.5))
    ax.set_facecolor(GREY)
    vmax = max(float(data.max()) if vmax is None else vmax, floor * 10)
    image = ax.imshow(shown, aspect="auto", cmap=SEQUENTIAL_CMAP, norm=LogNorm(vmin=floor, vmax=vmax),
                      extent=(0.5, data.shape[1] + 0.5, data.shape[0] + 0.5, 0.5),
                      interpolation="nearest")
    _colorbar(fig, image, ax, "‖∂L/∂h_t‖ (log; grey: < %.0e)" % floor)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _texts(ax, "time step t (the loss reads h_T)", "optimizer step", title)
    return fig


def _colorbar(fig: Figure, image, ax: Axes, label: str) -> None:
    """A colour bar whose label and ticks are as large as the rest of the text."""
    bar = fig.colorbar(image, ax=ax)
    bar.set_label(label, fontsize=TEXT_PT)
    bar.ax.tick_params(labelsize=TEXT_PT)


def _texts(ax: Axes, xlabel: str, ylabel: str, title: str) -> None:
    """Axis labels, title and tick labels at TEXT_PT or more."""
    ax.set_xlabel(xlabel, fontsize=TEXT_PT)
    ax.set_ylabel(ylabel, fontsize=TEXT_PT)
    ax.set_title(title, fontsize=TEXT_PT + 1)
    ax.tick_params(labelsize=TEXT_PT)


def _label(value) -> str:
    """Tick label: 'off' for None, else the value in short form."""
    return "off" if value is None else f"{value:g}"
