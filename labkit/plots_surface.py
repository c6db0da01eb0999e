"""Figures for the cliff chapter: the one-unit loss surface with GD paths, and the SRN's line and slice.

Each function takes data and returns a matplotlib `Figure`; none shows or saves. Colours are
Okabe-Ito (colour-blind safe) on the book's sequential map (`palette.SEQUENTIAL_CMAP`); the same hex values are in book/_static/cliff/.
"""
from __future__ import annotations

from collections.abc import Sequence

import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .cliff import Surface
from .cliff_srn import LineProbe
from .palette import GREY, PURPLE, SEQUENTIAL_CMAP, SKY, VERMILLION

UNCLIPPED, CLIPPED, WALL = VERMILLION, SKY, PURPLE  # book/_static/cliff/page.mjs copies the first two


def _figure(size: tuple[float, float]) -> tuple[Figure, Axes]:
    """A new constrained-layout figure with one Axes."""
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def plot_surface_paths(surf: Surface, unclipped: torch.Tensor, clipped: torch.Tensor,
                       max_norm: float, lr: float) -> Figure:
    """log10 loss over (w, b) with GD paths [N, K, 2] drawn on it: unclipped dashed, clipped solid."""
    fig, ax = _figure((6, 5))
    mesh = ax.pcolormesh(surf.w.numpy(), surf.b.numpy(), torch.log10(surf.loss).numpy(),
                         cmap=SEQUENTIAL_CMAP, shading="auto", rasterized=True)
    fig.colorbar(mesh, ax=ax, label="log10 loss")
    for paths, color, style, width, label in ((clipped, CLIPPED, "-", 3, f"clipped at {max_norm:g}"),
                                              (unclipped, UNCLIPPED, "--", 1.8, "no clipping")):
        for i, path in enumerate(paths.numpy()):     # unclipped on top: dashes show where they part
            ax.plot(path[:, 0], path[:, 1], style, color=color, lw=width, marker=".", ms=4,
                    label=label if i == 0 else None)
    ax.plot(*unclipped[:, 0].numpy().T, "o", color="white", mec="black", ms=6, label="start")
    ax.set_xlim(surf.w[0].item(), surf.w[-1].item())
    ax.set_ylim(surf.b[0].item(), surf.b[-1].item())
    ax.set_xlabel("recurrent weight w")
    ax.set_ylabel("bias b")
    ax.set_title(f"One-unit RNN, loss after 50 steps (lr {lr:g})")
    ax.legend(loc="upper right", fontsize="small", framealpha=0.9)
    return fig


def plot_wall_profile(b: torch.Tensor, grad_norm: torch.Tensor, w: float) -> Figure:
    """The gradient norm along a line of constant w that crosses the wall (log y axis)."""
    fig, ax = _figure((6, 3.2))
    ax.semilogy(b.numpy(), grad_norm.numpy(), color=WALL, lw=1.5)
    ax.set_xlabel(f"bias b (at w = {w:g})")
    ax.set_ylabel("‖∇loss‖ (log scale)")
    ax.set_title("Across the wall the gradient jumps")
    return fig


def plot_line_probes(probes: Sequence[LineProbe]) -> Figure:
    """Batch loss / loss at start along each run's raw spike step (log x), with the clipped landings."""
    fig, ax = _figure((6, 4))
    for i, p in enumerate(probes):
        s, ratio = p.s[1:].numpy(), (p.losses[1:] / p.losses[0]).numpy()
        ax.plot(s, ratio, color=GREY, lw=1, alpha=0.8, label="seeds" if i == 0 else None)
        for (m, (at, loss)), marker in zip(sorted(p.clipped.items()), ("o", "s")):
            ax.plot(at, loss / p.losses[0].item(), marker, color=CLIPPED, mec="black", ms=6,
                    label=f"clipped at {m:g}" if i == 0 else None)
        ax.plot(1.0, ratio[-1], "X", color=UNCLIPPED, mec="black", ms=8,
                label="no clipping" if i == 0 else None)
    ax.axhline(1.0, color="black", lw=0.8, ls=":")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("distance along −lr·g, as a fraction of the full step")
    ax.set_ylabel("batch loss / loss before")
    ax.set_title("The spike step, seen along its own gradient")
    ax.legend(loc="best", fontsize="small")
    return fig


def plot_slice(s: torch.Tensor, t: torch.Tensor, losses: torch.Tensor, probe: LineProbe) -> Figure:
    """log10 batch loss on a 2-D slice: s along −lr·g (log-spaced), t along a random direction."""
    fig, ax = _figure((6, 4.5))
    mesh = ax.pcolormesh(s.numpy(), t.numpy(), torch.log10(losses).T.numpy(), cmap=SEQUENTIAL_CMAP,
                         shading="auto", rasterized=True)
    fig.colorbar(mesh, ax=ax, label="log10 batch loss")
    for (m, (at, _)), marker in zip(sorted(probe.clipped.items()), ("o", "s")):
        ax.plot(at, 0, marker, color=CLIPPED, mec="black", ms=8, label=f"clipped at {m:g}")
    ax.plot(1.0, 0, "X", color=UNCLIPPED, mec="black", ms=10, label="no clipping")
    ax.set_xscale("log")
    ax.set_xlabel("fraction of the full step along −lr·g")
    ax.set_ylabel("random direction (same length)")
    ax.set_title(f"Seed {probe.config.seed}, spike step {probe.spike.step}")
    ax.legend(loc="lower left", fontsize="small", framealpha=0.9)
    return fig
