"""The geometry of clipping: a 2-D gradient, its norm-clipped and its value-clipped copies.

Each function takes data and returns a matplotlib `Figure` (or draws on a given `Axes`); none
shows or saves. The clipping itself is done by `labkit.clip_gradients`, not re-implemented here.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from .clipping import clip_gradients
from .palette import BLACK, BLUE, GREY, VERMILLION
from .plots import figure_and_axes


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
    ax.add_patch(Circle((0, 0), max_norm, fill=False, ls="--", color=BLUE,
                        label=f"norm ball ‖g‖ ≤ {max_norm:g}"))
    ax.add_patch(Rectangle((-max_norm, -max_norm), 2 * max_norm, 2 * max_norm, fill=False,
                           ls=":", color=VERMILLION, label=f"value box |g_i| ≤ {max_norm:g}"))
    arrows = [(g, BLACK, "raw gradient g"),
              (clipped_2d(g, "global", max_norm), BLUE, "norm-clipped (global / per_tensor)"),
              (clipped_2d(g, "value", max_norm), VERMILLION, "value-clipped")]
    for vec, color, label in arrows:
        ax.annotate("", xy=vec, xytext=(0, 0),
                    arrowprops=dict(arrowstyle="-|>", color=color, lw=2, shrinkA=0, shrinkB=0))
        ax.plot([], [], color=color, lw=2, label=f"{label} = ({vec[0]:.2f}, {vec[1]:.2f})")
    ax.plot([0, 1.15 * g[0]], [0, 1.15 * g[1]], color=GREY, lw=0.8, zorder=0)
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
