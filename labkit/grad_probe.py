"""Looking at whole gradients, not just their norms: snapshots, clipped copies, cosines.

`PeakGradSnapshot` keeps a copy of the raw gradients at the step where their global norm was
largest; `PostClipMaxAbs` records the largest |element| of the clipped gradient at every step;
`params_with_grads` turns a snapshot into fresh parameters, so any clipping function can be applied
to a copy; `flat` and `cosine` compare directions. Nothing here changes a training run.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import torch

from .runner import Callback, Runner


class PeakGradSnapshot(Callback):
    """Keeps `grads` (name -> copy of the raw gradient) from the step with the largest global norm."""

    def __init__(self):
        self.grads: dict[str, torch.Tensor] = {}
        self.norm, self.step = -1.0, None

    def on_after_backward(self, runner: Runner) -> None:
        grads = {n: p.grad.detach().clone() for n, p in runner.model.named_parameters()
                 if p.grad is not None}
        norm = torch.stack([g.norm() for g in grads.values()]).norm().item()
        if norm > self.norm:
            self.grads, self.norm, self.step = grads, norm, runner.global_step + 1


class PostClipMaxAbs(Callback):
    """Records max |g| over every element of every clipped gradient, once per step."""

    def __init__(self):
        self.values: list[float] = []

    def on_after_clip(self, runner: Runner) -> None:
        self.values.append(max(p.grad.abs().max().item() for p in runner.model.parameters()
                               if p.grad is not None))


def params_with_grads(grads: Mapping[str, torch.Tensor]) -> list[torch.nn.Parameter]:
    """Fresh zero parameters whose `.grad` is a copy of each given gradient (in order)."""
    params = []
    for g in grads.values():
        p = torch.nn.Parameter(torch.zeros_like(g))
        p.grad = g.detach().clone()
        params.append(p)
    return params


def flat(tensors: Iterable[torch.Tensor]) -> torch.Tensor:
    """All tensors (or the `.grad` of parameters) concatenated into one vector: [N]."""
    parts = [t.grad if isinstance(t, torch.nn.Parameter) else t for t in tensors]
    return torch.cat([t.detach().flatten() for t in parts])


def cosine(a: torch.Tensor, b: torch.Tensor) -> float:
    """Cosine similarity of two vectors [N], computed in float64."""
    a, b = a.double(), b.double()
    return (a @ b / (a.norm() * b.norm())).item()
