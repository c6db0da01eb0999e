"""Exercises for chapter 3 (why gradients explode): predict a length effect, write one BPTT step,
compute the spectral radius rho(U).

Each check compares the student's answer with labkit (`spectral_radius`) or autograd, prints kind
feedback and returns True/False. Not a place for solutions: those live in the book.
"""
from __future__ import annotations

import statistics
from collections.abc import Callable

import torch
from torch import nn

from ..bptt import hidden_grad_norms, spectral_radius
from ..data import TensorBatches, digit_sum_splits
from ..models import RNNClassifier
from ._feedback import Fail, as_tensor, call, choice, judge, report, require

DOUBLING_OPTIONS = {"A": "shrinks (ratio < 0.8)", "B": "stays about the same (0.8 to 1.5)",
                    "C": "roughly doubles (1.5 to 3)", "D": "grows more than 3 times"}


def first_step_u_grad(length: int, seed: int) -> float:
    """||dL/dU|| on the first training batch of a freshly initialised model (summed loss)."""
    model = RNNClassifier(seed=seed)
    tokens, labels = next(iter(TensorBatches(digit_sum_splits(length)["train"], 64)))  # [64, T]
    nn.CrossEntropyLoss(reduction="sum")(model(tokens), labels).backward()
    return model.rnn_model.U.grad.norm().item()


def first_to_last_grad(length: int, seed: int) -> float:
    """||dL/dh_1|| / ||dL/dh_T|| on the first training batch of a freshly initialised model."""
    tokens, labels = next(iter(TensorBatches(digit_sum_splits(length)["train"], 64)))  # [64, T]
    norms = hidden_grad_norms(RNNClassifier(seed=seed), tokens, labels,
                              nn.CrossEntropyLoss(reduction="sum"))  # [T]
    return (norms[0] / norms[-1]).item()


def check_length_doubling(prediction: str, seeds: tuple[int, ...] = (0, 1, 2, 3, 4)) -> bool:
    """Predict how ||dL/dU|| at initialisation changes when the length doubles from 10 to 20."""
    def run() -> str:
        letter = choice(prediction, "".join(DOUBLING_OPTIONS))
        ratios = [first_step_u_grad(20, s) / first_step_u_grad(10, s) for s in seeds]
        mean, sd = statistics.mean(ratios), statistics.stdev(ratios)
        answer = "A" if mean < 0.8 else "B" if mean < 1.5 else "C" if mean < 3 else "D"
        rho = statistics.mean(spectral_radius(RNNClassifier(seed=s).rnn_model.U) for s in seeds)
        back = statistics.geometric_mean(first_to_last_grad(20, s) for s in seeds)
        why = (f"measured over {len(seeds)} seeds: ||dL/dU|| at length 20 / at length 10 = "
               f"{mean:.2f} ± {sd:.2f}, so it {DOUBLING_OPTIONS[answer]}. At initialisation "
               f"rho(U) = {rho:.2f}, tanh' <= 1 shrinks every step back, and the gradient that "
               f"reaches h_1 is {back:.2f} times the one at h_20 (geometric mean): the ten extra "
               f"early steps add small terms to dL/dU. Length alone does not make the gradient explode.")
        return judge(letter, answer, why)
    return report("doubling the length", run)


def _bptt_case(seed: int) -> tuple[torch.Tensor, ...]:
    """(grad_h [B, H], h_t [B, H], U [H, H], expected dL/dh_{t-1} [B, H]) computed by autograd."""
    gen = torch.Generator().manual_seed(seed)
    batch, hidden = 3, 4
    h_prev = torch.randn(batch, hidden, generator=gen, requires_grad=True)  # [B, H]
    U = torch.randn(hidden, hidden, generator=gen)  # not symmetric, so U and U^T differ
    drive = torch.randn(batch, hidden, generator=gen)  # stands for x_t W + b
    h_t = torch.tanh(drive + h_prev @ U)  # [B, H]
    grad_h = torch.randn(batch, hidden, generator=gen)  # dL/dh_t
    (expected,) = torch.autograd.grad(h_t, h_prev, grad_h)
    return grad_h, h_t.detach(), U, expected


def check_bptt_step(fn: Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]) -> bool:
    """Check `fn(grad_h, h_t, U) -> dL/dh_{t-1}` for h_t = tanh(x_t W + h_{t-1} U + b), vs autograd."""
    def run() -> str:
        for seed in (0, 1):
            grad_h, h_t, U, expected = _bptt_case(seed)
            out = as_tensor(require(call(fn, grad_h.clone(), h_t.clone(), U.clone())), "dL/dh_{t-1}")
            expected = expected.double()
            if out.shape != expected.shape:
                raise Fail(f"dL/dh_(t-1) should have shape {tuple(expected.shape)} = [B, H], like "
                           f"h_(t-1); yours has {tuple(out.shape)}.")
            if torch.allclose(out, expected, atol=1e-5):
                continue
            g, h = grad_h.double(), h_t.double()
            if torch.allclose(out, g @ U.double().T, atol=1e-5):
                raise Fail("you back-propagated through U but skipped tanh: multiply by its "
                           "derivative, 1 - h_t², element-wise, first.")
            if torch.allclose(out, (g * (1 - h**2)) @ U.double(), atol=1e-5):
                raise Fail("the tanh derivative is right, but the product with U is not: h_t uses "
                           "h_(t-1) @ U, so the gradient flows back through U transposed.")
            if torch.allclose(out, (g * (1 - h)) @ U.double().T, atol=1e-5):
                raise Fail("tanh'(a) = 1 - tanh(a)², so the factor is 1 - h_t², squared.")
            raise Fail(f"the shape is right but the values differ: expected a norm of "
                       f"{expected.norm():.4f}, got {out.norm():.4f}.")
        return ("your step matches autograd: dL/dh_(t-1) = (dL/dh_t ⊙ (1 - h_t²)) Uᵀ. Repeat it T "
                "times and the gradient is multiplied by T such Jacobians.")
    return report("one BPTT step", run)


def _radius_cases() -> list[tuple[str, torch.Tensor]]:
    """Matrices on which the usual shortcuts give a different answer than max |eigenvalue|."""
    rand = torch.randn(6, 6, generator=torch.Generator().manual_seed(3))
    return [("a diagonal matrix with a negative entry", torch.diag(torch.tensor([0.5, -2.0, 1.0]))),
            ("a scaled rotation (complex eigenvalues ±1.5i)", torch.tensor([[0.0, -1.5], [1.5, 0.0]])),
            ("a non-normal matrix [[0.5, 10], [0, 0.5]]", torch.tensor([[0.5, 10.0], [0.0, 0.5]])),
            ("a random 6x6 matrix", rand)]


def check_spectral_radius(fn: Callable[[torch.Tensor], float]) -> bool:
    """Check `fn(U [H, H]) -> rho(U)`, the largest eigenvalue modulus, against labkit."""
    def run() -> str:
        for name, matrix in _radius_cases():
            out = as_tensor(require(call(fn, matrix.clone())), "rho(U)")
            if out.numel() != 1:
                raise Fail(f"rho(U) is one number; for {name} you returned shape {tuple(out.shape)}.")
            got, expected = out.item(), spectral_radius(matrix)
            if abs(got - expected) <= 1e-4 * max(1.0, expected):
                continue
            sigma = torch.linalg.matrix_norm(matrix.double(), ord=2).item()
            eigs = torch.linalg.eigvals(matrix.double())
            if abs(got - sigma) < 1e-4 * max(1.0, sigma):
                raise Fail(f"for {name} you returned {got:.4g}, its largest singular value. That "
                           f"bounds rho(U) from above (equal only for normal matrices); rho(U) is "
                           f"the largest |eigenvalue|, here {expected:.4g}.")
            if any(abs(got - v) < 1e-4 for v in (eigs.real.max().item(), eigs.real.abs().max().item())):
                raise Fail(f"for {name} you returned {got:.4g}, built from the eigenvalues' real "
                           f"parts. Eigenvalues of a real matrix can be negative or complex: take "
                           f"their modulus (abs of the complex number) before the max.")
            raise Fail(f"for {name} you returned {got:.4g}; rho(U) = max |eigenvalue| is "
                       f"{expected:.4g}.")
        return ("your rho(U) matches labkit.spectral_radius on negative, complex and non-normal "
                "cases.")
    return report("spectral radius", run)
