"""Per-step gradient norms, recorded by a Runner callback before and after clipping.

`GradNormLogger` is a callback; `GradNormLog` is the plain data it fills: for every named
parameter, a list with one L2 norm per optimizer step. Nothing is kept in module globals.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch

from .runner import Callback, Runner


@dataclass
class GradNormLog:
    """`pre[name][k]` / `post[name][k]`: L2 norm of `name`'s gradient at step k, before / after clipping."""

    pre: dict[str, list[float]] = field(default_factory=dict)
    post: dict[str, list[float]] = field(default_factory=dict)

    @property
    def steps(self) -> int:
        """Number of optimizer steps recorded."""
        return len(next(iter(self.pre.values()), []))

    def total(self, which: str = "pre") -> list[float]:
        """Global L2 norm over all recorded parameters at every step (what `clip_grad_norm_` sees)."""
        table = {"pre": self.pre, "post": self.post}[which]
        return [math.sqrt(sum(v * v for v in step)) for step in zip(*table.values())]

    def to_dict(self) -> dict:
        """A JSON-ready copy."""
        return {"pre": self.pre, "post": self.post}


def grad_norms(model: torch.nn.Module, names: list[str] | None = None) -> dict[str, float]:
    """L2 norm of each named parameter's current gradient (0.0 where there is none)."""
    params = [(n, p) for n, p in model.named_parameters() if names is None or n in names]
    norms = torch.stack([p.grad.detach().norm(2) if p.grad is not None else torch.zeros(())
                         for _, p in params])
    return dict(zip([n for n, _ in params], norms.tolist()))


class GradNormLogger(Callback):
    """Records each parameter's gradient norm at every step: raw (`pre`) and as clipped (`post`)."""

    def __init__(self, names: list[str] | None = None):
        self.names = names
        self.log = GradNormLog()

    def _record(self, table: dict[str, list[float]], runner: Runner) -> None:
        for name, value in grad_norms(runner.model, self.names).items():
            table.setdefault(name, []).append(value)

    def on_after_backward(self, runner: Runner) -> None:
        self._record(self.log.pre, runner)

    def on_after_clip(self, runner: Runner) -> None:
        self._record(self.log.post, runner)
