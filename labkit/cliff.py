"""Pascanu, Mikolov & Bengio's (2013) one-unit cliff: the model, its loss surface, GD trajectories.

The paper's section 3.3 (Fig. 6) trains a single recurrent unit with no input,

    x_t = w * sigmoid(x_{t-1}) + b,   x_0 = 0.5,   loss = (sigmoid(x_50) - 0.7)^2,

and shows that its error surface over (w, b) has a steep wall where a gradient step is thrown
far away. Everything here is vectorised float64 torch over any number of (w, b) points; the
gradient comes from autograd, not a hand-derived formula. Not the SRN (see `cliff_srn.py`), not
a plot (see `plots_surface.py`).
"""
from __future__ import annotations

from dataclasses import dataclass

import json
import os

import torch

X0, STEPS, TARGET = 0.5, 50, 0.7   # the paper's setting
EPS = 1e-6                          # as in clip_gradients: scale = max_norm / (norm + EPS)
WINDOW = ((1.0, 9.0), (-5.5, 0.5))  # the chapter's map: w range, b range (page.mjs repeats it)
LR, MAX_NORM = 1.0, 1.0             # the chapter's gradient descent (page.mjs: DEFAULTS)


def one_unit_loss(w: torch.Tensor, b: torch.Tensor, steps: int = STEPS, x0: float = X0,
                  target: float = TARGET) -> torch.Tensor:
    """(sigmoid(x_steps) - target)^2 for every (w, b) pair (broadcast shapes)."""
    if steps < 1:
        raise ValueError(f"one_unit_loss: steps must be >= 1, got {steps}")
    x = torch.full(torch.broadcast_shapes(w.shape, b.shape), x0, dtype=torch.float64)
    for _ in range(steps):
        x = w * torch.sigmoid(x) + b
    return (torch.sigmoid(x) - target) ** 2


def loss_and_grad(points: torch.Tensor, **model) -> tuple[torch.Tensor, torch.Tensor]:
    """Loss [N] and gradient [N, 2] (d/dw, d/db) at points [N, 2] of (w, b), by autograd."""
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"loss_and_grad: points must have shape [N, 2] (w, b), got {tuple(points.shape)}")
    p = points.detach().to(torch.float64).clone().requires_grad_(True)
    loss = one_unit_loss(p[:, 0], p[:, 1], **model)       # [N]; points do not interact
    (grad,) = torch.autograd.grad(loss.sum(), p)
    return loss.detach(), grad


def clip_step(grad: torch.Tensor, max_norm: float | None) -> torch.Tensor:
    """Each row of grad [N, 2] rescaled to norm <= max_norm (labkit's global rule); None: unchanged."""
    if max_norm is None:
        return grad
    if max_norm <= 0:
        raise ValueError(f"clip_step: max_norm must be > 0 or None, got {max_norm}")
    scale = (max_norm / (grad.norm(dim=1, keepdim=True) + EPS)).clamp(max=1.0)   # [N, 1]
    return grad * scale


@dataclass
class Surface:
    """Loss and gradient norm of the one-unit model on a grid: w [nw], b [nb], values [nb, nw]."""

    w: torch.Tensor
    b: torch.Tensor
    loss: torch.Tensor
    grad_norm: torch.Tensor


def surface(w_range: tuple[float, float], b_range: tuple[float, float], n: int = 201,
            **model) -> Surface:
    """The loss and gradient norm on an n x n grid over w_range x b_range."""
    if n < 2 or w_range[0] >= w_range[1] or b_range[0] >= b_range[1]:
        raise ValueError(f"surface: need n >= 2 and increasing ranges, got n={n}, {w_range}, {b_range}")
    w = torch.linspace(*w_range, n, dtype=torch.float64)
    b = torch.linspace(*b_range, n, dtype=torch.float64)
    bb, ww = torch.meshgrid(b, w, indexing="ij")                      # [nb, nw] each
    loss, grad = loss_and_grad(torch.stack([ww.flatten(), bb.flatten()], 1), **model)
    return Surface(w, b, loss.reshape(n, n), grad.norm(dim=1).reshape(n, n))


def descend(starts: torch.Tensor, lr: float, steps: int, max_norm: float | None = None,
            **model) -> torch.Tensor:
    """Gradient-descent paths [N, steps + 1, 2] from starts [N, 2], clipped when max_norm is set.

    A path that leaves the finite numbers stays at its last finite point.
    """
    if lr <= 0 or steps < 0:
        raise ValueError(f"descend: need lr > 0 and steps >= 0, got lr={lr}, steps={steps}")
    points = [starts.detach().to(torch.float64)]
    for _ in range(steps):
        _, grad = loss_and_grad(points[-1], **model)
        nxt = points[-1] - lr * clip_step(grad, max_norm)
        ok = torch.isfinite(nxt).all(dim=1, keepdim=True)
        points.append(torch.where(ok, nxt, points[-1]))
    return torch.stack(points, 1)


def wall_cells(surf: Surface, factor: float = 100.0) -> torch.Tensor:
    """The grid points [N, 2] (w, b) whose gradient norm is >= factor x the map's median: the wall."""
    ib, iw = torch.nonzero(surf.grad_norm >= factor * surf.grad_norm.median(), as_tuple=True)
    return torch.stack([surf.w[iw], surf.b[ib]], 1)


def off_window(points: torch.Tensor, window=WINDOW) -> torch.Tensor:
    """True for each point [N, 2] outside the map `window` ((w_lo, w_hi), (b_lo, b_hi)): [N]."""
    (w0, w1), (b0, b1) = window
    w, b = points[:, 0], points[:, 1]
    return (w < w0) | (w > w1) | (b < b0) | (b > b1)


def reference_values(seed: int = 0, points: int = 12, steps: int = 20) -> dict:
    """Losses, gradients and GD paths at random points of the map, for the page's JS test (JSON-ready)."""
    gen = torch.Generator().manual_seed(seed)
    (w0, w1), (b0, b1) = WINDOW
    pts = torch.rand(points, 2, generator=gen, dtype=torch.float64) * torch.tensor(
        [w1 - w0, b1 - b0], dtype=torch.float64) + torch.tensor([w0, b0], dtype=torch.float64)
    pts = torch.cat([pts, wall_cells(surface(*WINDOW, n=121))[:4]])   # a few on the wall itself
    loss, grad = loss_and_grad(pts)
    return {"window": WINDOW, "lr": LR, "max_norm": MAX_NORM, "steps": steps,
            "points": pts.tolist(), "loss": loss.tolist(), "grad": grad.tolist(),
            "unclipped": descend(pts, LR, steps).tolist(),
            "clipped": descend(pts, LR, steps, MAX_NORM).tolist()}


def write_reference(path: str | os.PathLike) -> None:
    """Write `reference_values()` as JSON to `path` (book/_static/cliff/reference.json)."""
    with open(path, "w", encoding="utf8") as out:
        json.dump(reference_values(), out)
