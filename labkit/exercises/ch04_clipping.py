"""Exercises for chapter 4 (gradient clipping): write per-tensor and value clipping, and predict
what trading learning rate for max_norm does.

Each check compares the student's function with `labkit.clip_gradients` on ordinary and edge cases
(a zero gradient, a gradient already below the threshold, a parameter whose `.grad` is None),
prints kind feedback and returns True/False. Not a place for solutions: those live in the book.
"""
from __future__ import annotations

import inspect
import secrets
from collections.abc import Callable

import torch
from torch import nn

from ..clipping import clip_gradients
from ..config import TrainConfig
from ..seeds import demo_seed
from ..training import train
from ._feedback import Fail, judge, report
from ._guard import DEFAULT_TIME_LIMIT, Budget, Rules, student
from ._values import as_letter, as_tensor, kind, valid_length, valid_time_limit

Grads = list[torch.Tensor | None]
CLIP_HINTS = {
    "NoneType": "a parameter that took no part in the loss has p.grad = None: skip it.",
    "ZeroDivisionError": "a zero gradient has norm 0: add a small epsilon (e.g. 1e-6) to the "
                         "norm before dividing, as torch's clip_grad_norm_ does.",
}


CLIP_RULES = Rules(
    python=tuple(inspect.unwrap(f) for f in (torch.nn.utils.clip_grad_norm_,
                                             torch.nn.utils.clip_grad_value_)),
    reference="labkit (clip_gradients) and torch's clipping (torch.nn.utils.clip_grad_norm_, "
              "clip_grad_value_)")


def _grad_cases(scale: float, seed: int) -> list[tuple[str, Grads]]:
    """Named lists of gradients (None = a parameter without gradient), shapes like W, U and b."""
    gen = torch.Generator().manual_seed(seed)
    big = [scale * torch.randn(s, generator=gen) for s in ((4, 3), (3, 3), (1, 3))]
    return [("three large gradients", big),
            ("a gradient already below the threshold", [big[0], torch.full((1, 3), 0.01 * scale)]),
            ("a zero gradient", [torch.zeros(3, 3), big[1]]),
            ("a parameter whose .grad is None", [None, big[2]]),
            ("no gradient at all", [None, None])]


def _grads_of(params: list[nn.Parameter]) -> list[torch.Tensor | None]:
    """The parameters' .grad read as plain float64 tensors (None stays None), or `Fail`."""
    return [None if p.grad is None else as_tensor(p.grad, "a .grad") for p in params]


def _params(grads: Grads) -> list[nn.Parameter]:
    """Fresh parameters carrying copies of `grads`."""
    params = []
    for g in grads:
        p = nn.Parameter(torch.zeros(3 if g is None else g.shape))
        p.grad = None if g is None else g.clone()
        params.append(p)
    return params


def _after(grads: Grads, clip: Callable[[list[nn.Parameter]], object]) -> list[torch.Tensor | None]:
    """The gradients after `clip` ran on fresh parameters holding `grads`."""
    params = _params(grads)
    clip(params)
    return [p.grad for p in params]


def _same(a: list, b: list) -> bool:
    """Element-wise allclose of two gradient lists (None only matches None)."""
    return all((x is None and y is None) or (x is not None and y is not None and x.shape == y.shape
               and torch.allclose(x.double(), y.double(), rtol=1e-5, atol=1e-6)) for x, y in zip(a, b))


def _clip_along(grads: Grads, max_norm: float, dim: int) -> list[torch.Tensor | None]:
    """Per-tensor clipping done wrongly: the norm taken along one axis only."""
    return [None if g is None else g * (max_norm / (g.norm(dim=dim, keepdim=True) + 1e-6)).clamp(max=1)
            for g in grads]


def _diagnose_norm_clip(name: str, grads: Grads, got: list, want: list, max_norm: float) -> None:
    """Raise `Fail` explaining how the student's per-tensor clipping differs from the reference."""
    if any(g is not None and not torch.isfinite(g).all() for g in got):
        raise Fail(f"with {name} your gradients contain NaN or inf. A zero gradient has norm 0: "
                   f"add a small epsilon (e.g. 1e-6) to the norm before dividing by it.")
    if _same(got, grads):
        raise Fail(f"with {name} the parameters' .grad did not change. Clip in place (e.g. "
                   f"p.grad.mul_(scale)) or assign p.grad a new tensor; scaling a copy, or "
                   f"returning new tensors, leaves what the optimizer reads untouched.")
    value = _after(grads, lambda ps: clip_gradients(ps, "value", max_norm))
    if _same(got, value):
        raise Fail(f"with {name} you clamped each element to ±max_norm: that is value clipping, "
                   f"which changes the gradient's direction. Norm clipping multiplies a whole "
                   f"tensor by one factor, min(1, max_norm / ‖g‖).")
    if _same(got, _after(grads, lambda ps: clip_gradients(ps, "global", max_norm))):
        raise Fail(f"with {name} you scaled every tensor by one common factor: that is global "
                   f"clipping. Per-tensor clipping gives each tensor its own factor from its own norm.")
    for dim in (0, 1):
        if _same(got, _clip_along(grads, max_norm, dim)):
            raise Fail(f"with {name} your norms were taken along one axis (dim={dim}), giving one "
                       f"factor per row or column. Take the L2 norm over all of a tensor's elements.")
    for i, (g, w) in enumerate(zip(got, want)):
        if w is not None and (g is None or g.shape != w.shape):
            raise Fail(f"with {name} parameter {i}'s .grad should keep shape {tuple(w.shape)}; "
                       f"it is {None if g is None else tuple(g.shape)}.")
        if w is not None and not torch.allclose(g.double(), w.double(), rtol=1e-5, atol=1e-6):
            raise Fail(f"with {name} parameter {i}'s gradient should end with norm "
                       f"min(‖g‖, max_norm) = {w.norm():.4g}; yours has norm {g.norm():.4g}.")


def _norms_problem(name: str, returned: object, grads: Grads, want: list) -> str | None:
    """What is wrong with the returned pre-clip norms, or None if they are right."""
    pre = torch.tensor([g.norm().item() for g in grads if g is not None], dtype=torch.float64)  # [P]
    if returned is None:
        return ("the gradients are right; now return the pre-clip norms, one per gradient "
                "(shape [P]), as clip_grad_norm_ returns the pre-clip norm.")
    try:
        norms = as_tensor(returned, "the returned norms").flatten()
    except Fail as problem:
        return str(problem)
    if norms.shape == pre.shape and torch.allclose(norms, pre, rtol=1e-5):
        return None
    post = torch.tensor([g.norm().item() for g in want if g is not None], dtype=torch.float64)
    if norms.shape == post.shape and torch.allclose(norms, post, rtol=1e-5):
        return (f"with {name} the gradients are right, but you returned the norms after "
                f"clipping; return the ones measured before.")
    return (f"with {name} the gradients are right, but the returned norms are not: expected "
            f"{len(pre)} pre-clip norms (none for a parameter without gradient), got shape "
            f"{tuple(norms.shape)}.")


def check_clip_per_tensor(fn: Callable[[list[nn.Parameter], float], torch.Tensor],
                          time_limit: float = DEFAULT_TIME_LIMIT, seed: int | None = None) -> bool:
    """Check `fn(parameters, max_norm) -> pre-clip norms [P]` against `clip_gradients(..., "per_tensor")`.

    The gradients are drawn afresh on every call unless `seed` is given."""
    max_norm, seed = 1.0, secrets.randbelow(2**31) if seed is None else seed
    def run() -> str:
        budget, norms_problems = Budget(valid_time_limit(time_limit)), []
        for k in range(4):  # not "no gradient at all": torch.stack([]) would be a needless trap
            params = _params(_grad_cases(10.0, seed)[k][1])
            returned = student(fn, (params, max_norm), budget, CLIP_RULES, CLIP_HINTS)
            got = _grads_of(params)
            name, grads = _grad_cases(10.0, seed)[k]  # afresh, after the call
            want = _after(grads, lambda ps: clip_gradients(ps, "per_tensor", max_norm))
            if not _same(got, want):
                _diagnose_norm_clip(name, grads, got, want, max_norm)
            norms_problems.append(_norms_problem(name, returned, grads, want))
        if any(norms_problems):
            raise Fail(next(p for p in norms_problems if p))
        return ("each tensor now has norm min(‖g‖, max_norm), small and zero gradients are left "
                "alone, None is skipped: the same as clip_gradients(..., 'per_tensor').")
    return report("per-tensor clipping", run)


def check_clip_value(fn: Callable[[list[nn.Parameter], float], object],
                     time_limit: float = DEFAULT_TIME_LIMIT, seed: int | None = None) -> bool:
    """Check `fn(parameters, clip_value)` against `clip_gradients(..., "value")` (clip_grad_value_).

    The gradients are drawn afresh on every call unless `seed` is given."""
    clip_value, seed = 0.5, secrets.randbelow(2**31) if seed is None else seed
    def run() -> str:
        budget = Budget(valid_time_limit(time_limit))
        for k in range(5):
            params = _params(_grad_cases(1.0, seed)[k][1])
            student(fn, (params, clip_value), budget, CLIP_RULES, CLIP_HINTS)
            got = _grads_of(params)
            name, grads = _grad_cases(1.0, seed)[k]  # afresh, after the call
            want = _after(grads, lambda ps: clip_gradients(ps, "value", clip_value))
            if _same(got, want):
                continue
            if any(g is not None and not torch.isfinite(g).all() for g in got):
                raise Fail(f"with {name} your gradients contain NaN or inf; value clipping needs "
                           f"no division at all.")
            if _same(got, grads):
                raise Fail(f"with {name} the parameters' .grad did not change: clamp in place "
                           f"(p.grad.clamp_) or assign p.grad a new tensor.")
            if any(_same(got, _after(grads, lambda ps: clip_gradients(ps, m, clip_value)))
                   for m in ("global", "per_tensor")):
                raise Fail(f"with {name} you rescaled whole tensors (norm clipping), which also "
                           f"shrinks elements already inside [-clip_value, clip_value]. Value "
                           f"clipping leaves those alone and sets only the others to ±clip_value.")
            present = [g for g in got if g is not None]
            if len(present) != sum(g is not None for g in grads):
                raise Fail(f"with {name} some .grad that held a gradient is now None (or the "
                           f"other way round); clip the gradients in place and leave None alone.")
            top = max(g.abs().max().item() for g in present)
            raise Fail(f"with {name}, after clipping every element should lie in "
                       f"[-{clip_value}, {clip_value}] and elements inside should be unchanged; "
                       f"your largest |element| is {top:.4g}.")
        return "every element now lies in [-clip_value, clip_value]: the same as clip_grad_value_."
    return report("value clipping", run)


TRADE_OPTIONS = {"A": "run B learns faster: its threshold is looser",
                 "B": "run B learns slower: its learning rate is halved",
                 "C": "the two runs end with practically the same weights",
                 "D": "run B diverges"}


TRADE_HINT = ("write out one SGD step that clipping has scaled down: Δθ = -lr · max_norm · g/‖g‖. "
              "Compare lr · max_norm in A and B, and ask how often the raw ‖g‖ is below the "
              "threshold with the summed loss.")


def check_lr_times_max_norm(prediction: str, length: int = 10, seed: int | None = None,
                            reveal: bool = False) -> bool:
    """Predict how run A (lr 0.2, max_norm 1) and run B (lr 0.1, max_norm 2) compare
    (one pair of runs, seeded by `seed`, by default `labkit.demo_seed()`)."""
    def run() -> str:
        letter = as_letter(prediction, "".join(TRADE_OPTIONS))
        run_seed = demo_seed() if seed is None else seed
        if type(run_seed) is not int or run_seed < 0:
            raise Fail(f"seed must be a non-negative whole number; got {kind(run_seed)}.")
        L = valid_length(length)
        a = train(TrainConfig(length=L, lr=0.2, max_norm=1.0, seed=run_seed))
        b = train(TrainConfig(length=L, lr=0.1, max_norm=2.0, seed=run_seed))
        gap = max((p - q).abs().max().item() for p, q in zip(a.model.parameters(),
                                                              b.model.parameters()))
        clipped = [sum(n > c for n in r.grad_norms.total()) / max(r.grad_norms.steps, 1)
                   for r, c in ((a, 1.0), (b, 2.0))]
        delta = b.best_dev_accuracy - a.best_dev_accuracy
        answer = "C" if gap < 1e-4 else "D" if b.diverged_at else "A" if delta > 0 else "B"
        why = (f"measured at length {L}, seed {run_seed}: best dev accuracy A "
               f"{a.best_dev_accuracy:.2f}, B {b.best_dev_accuracy:.2f}; largest weight "
               f"difference {gap:.2g}. Clipping acted "
               f"on {clipped[0]:.0%} of A's steps and {clipped[1]:.0%} of B's, and a clipped SGD "
               f"step is lr × max_norm × g/‖g‖: 0.2 × 1 = 0.1 × 2. While every step is clipped, "
               f"max_norm is no safety net for rare spikes: with lr it sets the step length.")
        return judge(letter, answer, why, TRADE_HINT, reveal is True,
                     "ex.check_lr_times_max_norm(..., reveal=True)")
    return report("lr × max_norm", run)
