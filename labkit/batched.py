"""K digit-sum classifiers stacked along a leading axis and run as ONE batched model.

Each parameter of `RNNClassifier` gets a leading K axis (one slice per model), and every matrix
product becomes a batched one (`torch.bmm` / `torch.baddbmm`), so K models cost about as many
Python operations as one:

    embedding [K, 10, D]   rnn_model.W [K, D, H]   rnn_model.U [K, H, H]   rnn_model.b [K, 1, H]
    linear.weight [K, C, H]   linear.bias [K, C]

The K models never mix: slice k of every output depends only on slice k of every input.
This module is the stacked model (forward, a hand-written batched backpropagation through time,
per-model gradient norms and clipping); the training loop, the data order and the logs live in
`sweep.py`.
"""
from __future__ import annotations

import torch

from .clipping import EPS  # the same guard as torch.nn.utils.clip_grad_norm_
from .models import RNNClassifier

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


class Recurrence(torch.autograd.Function):
    """h_t = tanh(z_t + h_{t-1} U) for t = 1..T from h_0 = 0, with backpropagation through time by hand.

    forward(z [K, T, B, H], U [K, H, H]) -> h_T [K, B, H]. The backward is the BPTT recursion

        delta_t = dL/dh_t * (1 - h_t^2)      dL/dh_{t-1} = delta_t U^T      dL/dz_t = delta_t
        dL/dU = sum_t h_{t-1}^T delta_t      (one batched product after the loop)

    which is what autograd computes for the plain loop, with fewer, larger operations.
    """

    @staticmethod
    def forward(ctx, z: torch.Tensor, U: torch.Tensor) -> torch.Tensor:
        hs = torch.empty_like(z)  # every state h_1..h_T                     [K, T, B, H]
        torch.tanh(z[:, 0], out=hs[:, 0])  # h_1 (h_0 = 0 adds nothing)
        for t in range(1, z.shape[1]):
            torch.tanh(torch.baddbmm(z[:, t], hs[:, t - 1], U), out=hs[:, t])
        ctx.save_for_backward(hs, U)
        return hs[:, -1].clone()  # [K, B, H]

    @staticmethod
    def backward(ctx, grad_h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hs, U = ctx.saved_tensors
        K, T, B, H = hs.shape
        delta = torch.empty_like(hs)  # dL/dz_t for every t                    [K, T, B, H]
        g, U_T = grad_h, U.transpose(1, 2)  # g = dL/dh_t, starting at t = T
        for t in range(T - 1, -1, -1):
            h = hs[:, t]  # [K, B, H]
            torch.addcmul(g, g * h, h, value=-1, out=delta[:, t])  # g (1 - h_t^2): through tanh
            if t > 0:
                g = torch.bmm(delta[:, t], U_T)  # back to h_{t-1}           [K, B, H]
        h_prev = hs[:, :-1].reshape(K, (T - 1) * B, H)  # h_1..h_{T-1}
        grad_U = torch.bmm(h_prev.transpose(1, 2), delta[:, 1:].reshape(K, (T - 1) * B, H))
        return delta, grad_U


def forward(params: dict[str, torch.Tensor], tokens: torch.Tensor) -> torch.Tensor:
    """Digit ids [K, B, T] -> logits [K, B, C]; model k reads only tokens[k].

    The same equations as `RNNClassifier`, arranged for speed: x_t W + b for digit d is row d
    of the table `embedding W + b` [K, 10, H], so all of them come out of one product of
    one-hot digits with that table (exact: a one-hot row picks one row), before the time loop.
    The loop itself, h_t = tanh(x_t W + b + h_{t-1} U), is `Recurrence`.
    """
    emb = params["embedding"]
    K, B, T = tokens.shape
    table = torch.baddbmm(params["rnn_model.b"], emb, params["rnn_model.W"])  # [K, 10, H]
    onehot = torch.eye(emb.shape[1])[tokens.transpose(1, 2).contiguous()]  # [K, T, B, 10]
    z = torch.bmm(onehot.view(K, T * B, -1), table).view(K, T, B, -1)  # x_t W + b  [K, T, B, H]
    h = Recurrence.apply(z, params["rnn_model.U"])  # h_T                     [K, B, H]
    head = params["linear.weight"].transpose(1, 2)  # [K, H, C]
    return torch.baddbmm(params["linear.bias"][:, None, :], h, head)  # [K, B, C]


def losses(params: dict[str, torch.Tensor], tokens: torch.Tensor, labels: torch.Tensor,
           reduction: str) -> torch.Tensor:
    """Cross-entropy of each model on its own batch: tokens [K, B, T], labels [K, B] -> [K]."""
    logits = forward(params, tokens)  # [K, B, C]
    K, B, C = logits.shape
    per_example = torch.nn.functional.cross_entropy(
        logits.reshape(K * B, C), labels.reshape(K * B), reduction="none").view(K, B)
    if reduction == "sum":
        return per_example.sum(dim=1)
    if reduction == "mean":
        return per_example.mean(dim=1)
    raise ValueError(f"reduction must be 'sum' or 'mean', got {reduction!r}")


def grad_norms(grads: list[torch.Tensor]) -> torch.Tensor:
    """L2 norm of each model's gradient of each parameter: P tensors [K, ...] -> [K, P]."""
    return torch.stack([g.flatten(1).norm(dim=1) for g in grads], dim=1)


def clip_limits(clips: list[tuple[str, float] | None]) -> dict[str, torch.Tensor]:
    """Per-model threshold of each clip mode, [K] each: max_norm where a model uses it, else inf."""
    return {mode: torch.tensor([c[1] if c is not None and c[0] == mode else INF for c in clips])
            for mode in ("global", "per_tensor", "value")}


@torch.no_grad()
def clip_(grads: list[torch.Tensor], norms: torch.Tensor, limits: dict[str, torch.Tensor]) -> None:
    """Clip each model's gradients in place by its own mode and max_norm (inf = leave alone).

    norms [K, P] are the pre-clip norms. A threshold of inf gives a factor of exactly 1 (and a
    clamp to +-inf does nothing), so one formula serves every model, clipped or not.
    """
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
