"""Figures for the clipping chapters: the geometry of clipping, and heat maps of a grid of runs.

Each function takes data and returns a matplotlib `Figure` (or draws on a given `Axes`); none
shows or saves. The clipping itself is done by `labkit.clip_gradients`, not re-implemented here.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from .clipping import clip_gradients
from .plots import figure_and_axes
from .training import TrainResult


def clipped_2d(g: Sequence[float], mode: str, max_norm: float) -> np.ndarray:
    """A 2-D gradient clipped by `labkit.clip_gradients` in `mode`: array [2]."""
    p = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    p.grad = torch.tensor(g, dtype=torch.float64)
    clip_gradients([p], mode, max_norm)
    return p.grad.numpy()


def plot_clip_geometry(g: Sequence[float], max_norm: float, ax: Axes | None = None) -> Figure:
    """A 2-D gradient, its norm-clipped copy (same ray) and its value-clipped copy (new direction)."""
    fig, ax = figure_and_axes(ax, (5.5, 5))
    g = np.asarray(g, dtype=float)
    ax.add_patch(Circle((0, 0), max_norm, fill=False, ls="--", color="#1f77b4",
                        label=f"norm ball ‖g‖ ≤ {max_norm:g}"))
    ax.add_patch(Rectangle((-max_norm, -max_norm), 2 * max_norm, 2 * max_norm, fill=False,
                           ls=":", color="#e4007f", label=f"value box |g_i| ≤ {max_norm:g}"))
    arrows = [(g, "#444444", "raw gradient g"),
              (clipped_2d(g, "global", max_norm), "#1f77b4", "norm-clipped (global / per_tensor)"),
              (clipped_2d(g, "value", max_norm), "#e4007f", "value-clipped")]
    for vec, color, label in arrows:
        ax.annotate("", xy=vec, xytext=(0, 0),
                    arrowprops=dict(arrowstyle="-|>", color=color, lw=2, shrinkA=0, shrinkB=0))
        ax.plot([], [], color=color, lw=2, label=f"{label} = ({vec[0]:.2f}, {vec[1]:.2f})")
    ax.plot([0, 1.15 * g[0]], [0, 1.15 * g[1]], color="#999999", lw=0.8, zorder=0)
    span = 1.15 * max(np.abs(g).max(), max_norm)
    low = -1.15 * max_norm
    ax.set_xlim(min(low, 1.15 * g[0]), span)
    ax.set_ylim(min(low, 1.15 * g[1]), span)
    ax.set_aspect("equal")
    ax.set_xlabel("gradient component g₁ = ∂L/∂θ₁")
    ax.set_ylabel("gradient component g₂ = ∂L/∂θ₂")
    ax.set_title(f"Clipping a 2-D gradient at max_norm = {max_norm:g}")
    ax.legend(loc="upper left", fontsize="small")
    return fig


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
    image = ax.imshow(table, cmap="viridis", norm=norm, aspect="auto", origin="lower")
    fig.colorbar(image, ax=ax, label=cbar_label)
    mid = np.exp(np.nanmean(np.log(table))) if log_color else np.nanmean(table)
    for (i, j), value in np.ndenumerate(table):
        ax.text(j, i, fmt.format(value), ha="center", va="center", fontsize="small",
                color="white" if value < mid else "black")
    ax.set_xticks(range(len(col_values)), [_label(v) for v in col_values])
    ax.set_yticks(range(len(row_values)), [_label(v) for v in row_values])
    ax.set_xlabel(col_label)
    ax.set_ylabel(row_label)
    ax.set_title(title)
    return fig


def plot_seed_accuracy(runs: Mapping[str, Sequence[TrainResult]],
                       baselines: Mapping[str, float] = {}, ax: Axes | None = None) -> Figure:
    """Test accuracy of every seed (dots) and mean ± sd (bars) per labelled setting, with baselines."""
    fig, ax = figure_and_axes(ax, (7, 4))
    for i, (label, results) in enumerate(runs.items()):
        accs = np.array([r.test_accuracy for r in results])
        ax.plot(np.full(len(accs), i), accs, "o", color="#1f77b4", alpha=0.6,
                label="one seed" if i == 0 else None)
        sd = accs.std(ddof=1) if len(accs) > 1 else 0.0
        ax.errorbar(i + 0.15, accs.mean(), yerr=sd, fmt="s", color="#e4007f", capsize=4,
                    label="mean ± sd" if i == 0 else None)
    for (name, value), style in zip(baselines.items(), ["--", ":", "-."]):
        ax.axhline(value, color="grey", ls=style, lw=1, label=f"{name} = {value:.3f}")
    ax.set_xticks(range(len(runs)), list(runs), fontsize="small", rotation=25, ha="right")
    ax.set_ylim(0, 1)
    ax.set_ylabel("test accuracy (fraction correct)")
    ax.set_title("Test accuracy of the best dev checkpoint, per setting and seed")
    ax.legend(loc="upper left", fontsize="small")
    return fig


def _label(value) -> str:
    """Tick label: 'off' for None, else the value in short form."""
    return "off" if value is None else f"{value:g}"
