"""Exercises for chapter 2 (the SRN forward pass): count the parameters, write one recurrence step.

Each check runs the student's answer against labkit's `SRN` / `RNNClassifier`, prints kind
feedback and returns True/False. Not a place for solutions: those live in the book.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable

import torch
from torch import nn

from ..models import SRN, RNNClassifier
from ._feedback import NO_PREDICTION, Fail, report
from ._guard import DEFAULT_TIME_LIMIT, Budget, Rules, student
from ._values import as_tensor, as_whole_number, valid_time_limit

COUNT_HINT = ("count each tensor separately: the embedding table (10 × 32), W, U, b, and the "
              "head's weight and bias. None of them has a copy per time step.")


def check_parameter_count(prediction: int, reveal: bool = False) -> bool:
    """Predict how many trainable numbers `RNNClassifier()` has (embedding, SRN, linear head)."""
    def run() -> str:
        if prediction is Ellipsis or prediction is None:
            raise Fail(NO_PREDICTION)
        guess = as_whole_number(prediction)
        sizes = {name: p.numel() for name, p in RNNClassifier().named_parameters()}
        total = sum(sizes.values())
        parts = ", ".join(f"{name} {n}" for name, n in sizes.items())
        why = (f"measured: {total} = {parts}. The recurrent part (W, U, b) is shared by every time "
               f"step, so the count does not depend on the sequence length.")
        if guess == total:
            return why
        if reveal is True:
            raise Fail(f"you predicted {guess}, the model has {total}: {why}")
        direction = "more" if guess < total else "fewer"
        raise Fail(f"you predicted {guess}; the model has {direction}. Hint: {COUNT_HINT}\n"
                   f"    Change your prediction and run the check again, or see the count with "
                   f"ex.check_parameter_count(..., reveal=True).")
    return report("parameter count", run)


def _step_case(i: int, seed: int) -> tuple[torch.Tensor, ...]:
    """Case i of (x_t [B, D], h_prev [B, H], W [D, H], U [H, H], b [1, H]), D != H so shapes matter."""
    gen = torch.Generator().manual_seed(seed + i)
    batch, d, h = ((3, 4, 5), (1, 2, 3))[i]
    return tuple(torch.randn(s, generator=gen)
                 for s in ((batch, d), (batch, h), (d, h), (h, h), (1, h)))


def _reference_step(x_t, h_prev, W, U, b) -> torch.Tensor:
    """labkit's SRN.step with the given weights: [B, H]."""
    srn = SRN(W.shape[0], W.shape[1], init="zeros")
    with torch.no_grad():
        srn.W.copy_(W), srn.U.copy_(U), srn.b.copy_(b)
        return srn.step(x_t, h_prev)


STEP_RULES = Rules(python=(nn.RNNCell.forward, nn.RNN.forward), builtin=(torch.rnn_tanh_cell, torch.rnn_tanh),
                   reference="labkit (SRN.step, SRN.forward) and torch's RNN (nn.RNNCell, nn.RNN)")
STEP_HINTS = {"shapes cannot be multiplied": "row-vector convention: x_t is [B, D] and W is [D, H], "
                                              "so the product is x_t @ W (and h_prev @ U)."}


def check_srn_step(fn: Callable[..., torch.Tensor], time_limit: float = DEFAULT_TIME_LIMIT,
                   seed: int | None = None) -> bool:
    """Check `fn(x_t, h_prev, W, U, b) -> h_t [B, H]` against labkit's `SRN.step`.

    The cases are drawn afresh on every call unless `seed` is given."""
    seed = secrets.randbelow(2**31) if seed is None else seed
    def run() -> str:
        budget = Budget(valid_time_limit(time_limit))
        for i in range(2):
            out = as_tensor(student(fn, _step_case(i, seed), budget, STEP_RULES, STEP_HINTS), "h_t")
            x_t, h_prev, W, U, b = _step_case(i, seed)  # afresh, after the call
            expected = _reference_step(x_t, h_prev, W, U, b).double()
            if out.shape != expected.shape:
                raise Fail(f"h_t should have shape {tuple(expected.shape)} = [B, H]; yours has "
                           f"{tuple(out.shape)}.")
            if torch.allclose(out, expected, atol=1e-5):
                continue
            if torch.allclose(out, (x_t @ W + h_prev @ U + b).double(), atol=1e-5):
                raise Fail("your values are the pre-activation x_t W + h_prev U + b: apply tanh.")
            if torch.allclose(out, torch.tanh(x_t @ W + h_prev @ U.T + b).double(), atol=1e-5):
                raise Fail("you used U transposed. In the row-vector convention h_prev is [B, H] "
                           "and the product is h_prev @ U.")
            if out.abs().max() > 1:
                raise Fail(f"some |h_t| entries reach {out.abs().max():.3g}, but tanh keeps every "
                           f"entry inside (-1, 1).")
            raise Fail(f"the shape is right but the values differ (largest difference "
                       f"{(out - expected).abs().max():.3g}). h_t = tanh(x_t W + h_prev U + b).")
        return "your step equals SRN.step: h_t = tanh(x_t W + h_prev U + b), row-vector convention."
    return report("SRN step", run)
