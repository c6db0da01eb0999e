"""Exercises for chapter 2 (the SRN forward pass): count the parameters, write one recurrence step.

Each check runs the student's answer against labkit's `SRN` / `RNNClassifier`, prints kind
feedback and returns True/False. Not a place for solutions: those live in the book.
"""
from __future__ import annotations

from collections.abc import Callable

import torch

from ..models import SRN, RNNClassifier
from ._feedback import NO_PREDICTION, Fail, as_tensor, call, report, require


def check_parameter_count(prediction: int) -> bool:
    """Predict how many trainable numbers `RNNClassifier()` has (embedding, SRN, linear head)."""
    def run() -> str:
        if prediction is Ellipsis or prediction is None:
            raise Fail(NO_PREDICTION)
        if not isinstance(prediction, int) or isinstance(prediction, bool):
            raise Fail(f"answer with a whole number, e.g. 1234; you wrote {prediction!r}.")
        model = RNNClassifier()
        sizes = {name: p.numel() for name, p in model.named_parameters()}
        total = sum(sizes.values())
        parts = ", ".join(f"{name} {n}" for name, n in sizes.items())
        why = (f"measured: {total} = {parts}. The recurrent part (W, U, b) is shared by every time "
               f"step, so the count does not depend on the sequence length.")
        if prediction != total:
            raise Fail(f"you predicted {prediction}, the model has {total}: {why}")
        return why
    return report("parameter count", run)


def _step_cases() -> list[tuple[torch.Tensor, ...]]:
    """(x_t [B, D], h_prev [B, H], W [D, H], U [H, H], b [1, H]) with D != H so shapes matter."""
    gen = torch.Generator().manual_seed(2)
    cases = []
    for batch, d, h in ((3, 4, 5), (1, 2, 3)):
        shapes = ((batch, d), (batch, h), (d, h), (h, h), (1, h))
        cases.append(tuple(torch.randn(s, generator=gen) for s in shapes))
    return cases


def _reference_step(x_t, h_prev, W, U, b) -> torch.Tensor:
    """labkit's SRN.step with the given weights: [B, H]."""
    srn = SRN(W.shape[0], W.shape[1], init="zeros")
    with torch.no_grad():
        srn.W.copy_(W), srn.U.copy_(U), srn.b.copy_(b)
        return srn.step(x_t, h_prev)


STEP_HINTS = {"shapes cannot be multiplied": "row-vector convention: x_t is [B, D] and W is [D, H], "
                                              "so the product is x_t @ W (and h_prev @ U)."}


def check_srn_step(fn: Callable[..., torch.Tensor]) -> bool:
    """Check `fn(x_t, h_prev, W, U, b) -> h_t [B, H]` against labkit's `SRN.step`."""
    def run() -> str:
        for x_t, h_prev, W, U, b in _step_cases():
            args = [t.clone() for t in (x_t, h_prev, W, U, b)]
            out = as_tensor(require(call(fn, *args, hints=STEP_HINTS)), "h_t")
            expected = _reference_step(x_t, h_prev, W, U, b).double()
            if out.shape != expected.shape:
                raise Fail(f"h_t should have shape {tuple(expected.shape)} = [B, H]; yours has "
                           f"{tuple(out.shape)}.")
            if torch.allclose(out, expected, atol=1e-5):
                continue
            pre = (x_t @ W + h_prev @ U + b).double()
            if torch.allclose(out, pre, atol=1e-5):
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
