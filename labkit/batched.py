"""K digit-sum classifiers stacked along a leading axis and trained as ONE model.

Each parameter of `RNNClassifier` gets a leading K axis (one slice per model), and every matrix
product becomes a batched one, so K models cost about as many Python operations as one:

    embedding [K, 10, D]   rnn_model.W [K, D, H]   rnn_model.U [K, H, H]   rnn_model.b [K, 1, H]
    linear.weight [K, C, H]   linear.bias [K, C]

The K models never mix: slice k of every output depends only on slice k of every input, and
slice k is computed with the very operations `RNNClassifier` uses for one model (K = 1), so it
gets the same numbers. This module is the stacked model and the per-model pieces of a training
step (loss, gradient norms, clipping, SGD); the step itself is `runner.training_step`.
"""
from __future__ import annotations

import torch
from torch import nn

from .clipping import EPS  # the same guard as torch.nn.utils.clip_grad_norm_
from .models import RNNClassifier, classifier_logits

INF = float("inf")


def stack_parameters(models: list[RNNClassifier]) -> dict[str, torch.Tensor]:
    """name -> the K models' parameter stacked along a new axis 0 (fresh leaf tensors with grad)."""
    names = [name for name, _ in models[0].named_parameters()]
    tables = [dict(model.named_parameters()) for model in models]
    return {name: torch.stack([t[name].detach() for t in tables]).requires_grad_()
            for name in names}


@torch.no_grad()
def load_slice(model: RNNClassifier, params: dict[str, torch.Tensor], k: int) -> RNNClassifier:
    """Copy slice k of the stacked parameters into `model` (in place) and return it."""
    for name, p in model.named_parameters():
        p.copy_(params[name][k])
    return model


class StackedClassifier(nn.Module):
    """K `RNNClassifier`s as one module: `forward(tokens [K, B, T]) -> logits [K, B, C]`."""

    def __init__(self, models: list[RNNClassifier]):
        super().__init__()
        stacked = stack_parameters(models)
        self.names = list(stacked)
        self.weights = nn.ParameterList([nn.Parameter(p.detach()) for p in stacked.values()])

    @property
    def num_models(self) -> int:
        """K."""
        return self.weights[0].shape[0]

    def tensors(self) -> dict[str, torch.Tensor]:
        """name (as in `RNNClassifier`) -> stacked parameter [K, ...]."""
        return dict(zip(self.names, self.weights))

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """Digit ids [K, B, T] -> logits [K, B, C]; model k reads only tokens[k]."""
        return classifier_logits(self.tensors(), tokens)


def cross_entropy(logits: torch.Tensor, labels: torch.Tensor, reduction: str) -> torch.Tensor:
    """Cross-entropy of each model on its own batch: logits [K, B, C], labels [K, B] -> [K].

    One `F.cross_entropy` call per model, so that a model's loss is bit for bit what
    `nn.CrossEntropyLoss` gives it alone (its reduction sums in an order a batched sum does not follow).
    """
    if reduction not in ("sum", "mean"):
        raise ValueError(f"reduction must be 'sum' or 'mean', got {reduction!r}")
    return torch.stack([nn.functional.cross_entropy(x, y, reduction=reduction)
                        for x, y in zip(logits, labels)])


def grad_norms(tensors: list[torch.Tensor]) -> torch.Tensor:
    """L2 norm of each model's slice of each tensor: P tensors [K, ...] -> [K, P]."""
    return torch.stack([t.flatten(1).norm(dim=1) for t in tensors], dim=1)


def clip_limits(clips: list[tuple[str, float] | None]) -> dict[str, torch.Tensor]:
    """Per-model threshold of each clip mode, [K] each: max_norm where a model uses it, else inf.

    Kept in float64, so that `clip_` can round them once to the gradients' own dtype (a float64
    run must see 0.7, not float32's 0.699999988).
    """
    return {mode: torch.tensor([c[1] if c is not None and c[0] == mode else INF for c in clips],
                               dtype=torch.float64)
            for mode in ("global", "per_tensor", "value")}


@torch.no_grad()
def clip_(grads: list[torch.Tensor], norms: torch.Tensor, limits: dict[str, torch.Tensor]) -> None:
    """Clip each model's gradients in place by its own mode and max_norm (inf = leave alone).

    grads: P tensors [K, ...]; norms [K, P] are the pre-clip norms. A threshold of inf gives a
    factor of exactly 1 (and a clamp to +-inf does nothing), so one formula serves every model.
    """
    limits = {mode: limit.to(norms.dtype) for mode, limit in limits.items()}
    total = norms.norm(dim=1, keepdim=True)  # global norm per model           [K, 1]
    scale = (limits["global"][:, None] / (total + EPS)).clamp(max=1.0)  # [K, 1]
    scale = scale * (limits["per_tensor"][:, None] / (norms + EPS)).clamp(max=1.0)  # [K, P]
    value = limits["value"]  # [K]
    clamp = bool(torch.isfinite(value).any())  # does any model clip by value?
    for i, g in enumerate(grads):
        shape = (-1,) + (1,) * (g.dim() - 1)  # broadcast a [K] vector over g [K, ...]
        g.mul_(scale[:, i].view(shape))
        if clamp:
            g.clamp_(min=-value.view(shape), max=value.view(shape))


class SGD(torch.optim.Optimizer):
    """Plain SGD with one learning rate per model, lr [K]: p[k] -= lr[k] * grad[k] (as torch.optim.SGD does for one)."""

    def __init__(self, params, lr: torch.Tensor):
        super().__init__(params, {})
        self.lr = lr  # [K]; set lr[k] = 0 to freeze model k

    @torch.no_grad()
    def step(self, closure=None) -> None:
        """One update of every model."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.addcmul_(-self.lr.view((-1,) + (1,) * (p.dim() - 1)), p.grad)
