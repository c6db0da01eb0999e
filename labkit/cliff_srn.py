"""The cliff on our own SRN: the loss along the spike step's gradient, and a 2-D slice around it.

`SpikeStep` (a Callback) keeps, from the step with the largest raw gradient norm, the weights
before the step, the batch and the raw gradient. `loss_along` evaluates that batch's training
loss at weights - lr * (s * g + t * v) for many (s, t): s = 1, t = 0 is the full unclipped SGD
step, and global clipping at max_norm lands at s = `clipped_fraction` (it keeps the direction).
Nothing here changes a training run; not a plot (see `plots_surface.py`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from .clipping import clip_gradients
from .config import TrainConfig
from .models import classifier_logits
from .runner import Callback, Runner
from .training import train


@dataclass
class Spike:
    """What the largest-gradient step saw: weights before it, its batch, its raw gradient."""

    step: int
    weights: dict[str, torch.Tensor]
    grads: dict[str, torch.Tensor]
    batch: tuple[torch.Tensor, torch.Tensor]
    norm: float


class SpikeStep(Callback):
    """Records a `Spike` at the step with the largest raw global gradient norm (`.spike`)."""

    def __init__(self):
        self.spike: Spike | None = None
        self._batch = None

    def on_train_batch_start(self, runner: Runner, batch) -> None:
        self._batch = batch

    def on_after_backward(self, runner: Runner) -> None:
        named = [(n, p) for n, p in runner.model.named_parameters() if p.grad is not None]
        norm = torch.stack([p.grad.norm() for _, p in named]).norm().item()
        if self.spike is None or norm > self.spike.norm:
            self.spike = Spike(runner.global_step + 1,
                               {n: p.detach().clone() for n, p in runner.model.named_parameters()},
                               {n: p.grad.detach().clone() for n, p in named},
                               tuple(t.clone() for t in self._batch), norm)


def clipped_fraction(spike: Spike, max_norm: float) -> float:
    """Where a globally clipped step lands on the line, as a fraction of the unclipped step."""
    params = [nn.Parameter(w.clone()) for w in spike.weights.values()]
    for p, name in zip(params, spike.weights):
        p.grad = spike.grads[name].clone() if name in spike.grads else None
    clip_gradients(params, "global", max_norm)   # labkit's own rule, epsilon included
    clipped = torch.cat([p.grad.flatten() for p in params if p.grad is not None])
    raw = torch.cat([spike.grads[n].flatten() for n in spike.weights if n in spike.grads])
    return (clipped.norm() / raw.norm()).item()


def orthogonal_direction(spike: Spike, seed: int) -> dict[str, torch.Tensor]:
    """A random direction (seeded) orthogonal to the gradient and as long (name -> tensor)."""
    gen = torch.Generator().manual_seed(seed)
    v = {n: torch.randn(g.shape, generator=gen, dtype=g.dtype) for n, g in spike.grads.items()}
    dot = sum((v[n] * g).sum() for n, g in spike.grads.items())
    gg = sum((g * g).sum() for g in spike.grads.values())
    v = {n: v[n] - dot / gg * g for n, g in spike.grads.items()}          # Gram-Schmidt
    scale = gg.sqrt() / torch.sqrt(sum((t * t).sum() for t in v.values()))
    return {n: t * scale for n, t in v.items()}


@torch.no_grad()
def loss_along(model: nn.Module, loss_fn, spike: Spike, lr: float, s: torch.Tensor,
               t: torch.Tensor | None = None, other: dict[str, torch.Tensor] | None = None,
               chunk: int = 64) -> torch.Tensor:
    """Batch loss (float64) at weights - lr * (s g + t v) for each (s, t) pair (same shapes; t=None: 0)."""
    if t is None:
        t, other = torch.zeros_like(s), {}
    elif other is None:
        raise ValueError("loss_along: t needs `other`, the second direction")
    tokens, labels = spike.batch

    def losses(weights: dict[str, torch.Tensor]) -> torch.Tensor:
        """The batch loss of each of the c stacked weight variants: [c]."""
        c = next(iter(weights.values())).shape[0]
        logits = classifier_logits(weights, tokens.expand(c, *tokens.shape))  # [c, B, C]
        return torch.stack([loss_fn(one, labels) for one in logits])

    flat_s, flat_t = s.flatten().double(), t.flatten().double()        # [P]
    out = []
    for i in range(0, flat_s.numel(), chunk):
        cs, ct = flat_s[i:i + chunk], flat_t[i:i + chunk]                # [c]
        weights = {}
        for name, w in spike.weights.items():                            # float64: tiny moves resolve
            w = w.double()
            g = spike.grads.get(name, torch.zeros_like(w)).double()
            v = other.get(name, torch.zeros_like(w)).double()
            shape = (-1,) + (1,) * w.ndim
            weights[name] = w - lr * (cs.view(shape) * g + ct.view(shape) * v)   # [c, *w.shape]
        out.append(losses(weights))
    return torch.cat(out).double().reshape(s.shape)


def first_rise(s: torch.Tensor, losses: torch.Tensor) -> float:
    """The smallest s > 0 (s sorted, s[0] = 0) whose loss is above the loss at s = 0; inf if none."""
    if s[0] != 0 or (s[1:] <= s[:-1]).any():
        raise ValueError("first_rise: s must start at 0 and increase")
    above = torch.nonzero(losses[1:] > losses[0])
    return s[1 + above[0, 0]].item() if len(above) else float("inf")


@dataclass
class LineProbe:
    """One run's spike step seen along its gradient: s [P] (fractions of the full step), losses [P]."""

    config: TrainConfig
    spike: Spike
    model: nn.Module
    s: torch.Tensor
    losses: torch.Tensor
    clipped: dict[float, tuple[float, float]]   # max_norm -> (s where it lands, loss there)

    @property
    def first_rise(self) -> float:
        """Fraction of the full step at which the loss first exceeds its start (inf: never)."""
        return first_rise(self.s, self.losses)

    @property
    def full_loss(self) -> float:
        """Batch loss after the full, unclipped step."""
        return self.losses[-1].item()


def line_fractions(points: int = 121, smallest: float = 1e-12) -> torch.Tensor:
    """0, then `points` log-spaced fractions of the full step from `smallest` to 1: [points + 1]."""
    return torch.cat([torch.zeros(1, dtype=torch.float64),
                      torch.logspace(math.log10(smallest), 0, points, dtype=torch.float64)])


def probe_line(config: TrainConfig, max_norms: tuple[float, ...] = (1.0, 20.0),
               s: torch.Tensor | None = None) -> LineProbe:
    """Train `config` unclipped, find its spike step, and probe the batch loss along the raw step."""
    if config.max_norm is not None or config.optimizer != "sgd":
        raise ValueError("probe_line: needs an unclipped SGD run (the line is lr * g)")
    recorder = SpikeStep()
    result = train(config, callbacks=[recorder])
    spike, s = recorder.spike, line_fractions() if s is None else s
    loss_fn = nn.CrossEntropyLoss(reduction=config.loss_reduction)
    losses = loss_along(result.model, loss_fn, spike, config.lr, s)
    at = torch.tensor([clipped_fraction(spike, m) for m in max_norms], dtype=torch.float64)
    clip_losses = loss_along(result.model, loss_fn, spike, config.lr, at)
    return LineProbe(config, spike, result.model, s, losses,
                     {m: (a.item(), l.item()) for m, a, l in zip(max_norms, at, clip_losses)})


def linear_until(probe: LineProbe, keep: float = 0.5) -> float:
    """The first fraction s > 0 at which the loss fell by less than `keep` x its first-order
    prediction lr * s * ||g||^2: where the gradient stops describing the loss (inf: never)."""
    s, drop = probe.s[1:], probe.losses[0] - probe.losses[1:]
    predicted = probe.config.lr * s * probe.spike.norm ** 2
    bad = torch.nonzero(drop < keep * predicted)
    return s[bad[0, 0]].item() if len(bad) else float("inf")
