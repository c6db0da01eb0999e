"""Exercises for chapter 3 (why gradients explode): predict a length effect, write one BPTT step,
compute the spectral radius ρ(U).

Each check compares the student's answer with labkit (`spectral_radius`) or autograd, prints kind
feedback and returns True/False. Not a place for solutions: those live in the book.
"""
from __future__ import annotations

import inspect
import secrets
import statistics
from collections.abc import Callable

import torch
from torch import nn

from ..bptt import hidden_grad_norms, spectral_radius
from ..data import TensorBatches, digit_sum_splits
from ..models import RNNClassifier
from ..seeds import book_seeds
from ._feedback import Fail, judge, report
from ._guard import DEFAULT_TIME_LIMIT, Budget, Rules, student
from ._values import as_letter, as_number, as_tensor, valid_seeds, valid_time_limit

DOUBLING_OPTIONS = {"A": "shrinks (ratio below 0.7)", "B": "stays within a factor of two (0.7 to 2)",
                    "C": "grows 2 to 5 times", "D": "grows more than 5 times"}
DOUBLING_HINT = ("at initialisation ρ(U) < 1 and tanh' ≤ 1. How much of the gradient at h_20 "
                 "still reaches h_1, and so how much do the ten extra early steps add to ∂L/∂U?")


def first_step_u_grad(length: int, seed: int) -> float:
    """‖∂L/∂U‖ on the first training batch of a freshly initialised model (summed loss)."""
    model = RNNClassifier(seed=seed)
    tokens, labels = next(iter(TensorBatches(digit_sum_splits(length)["train"], 64)))  # [64, T]
    nn.CrossEntropyLoss(reduction="sum")(model(tokens), labels).backward()
    return model.rnn_model.U.grad.norm().item()


def first_to_last_grad(length: int, seed: int) -> float:
    """‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ on the first training batch of a freshly initialised model."""
    tokens, labels = next(iter(TensorBatches(digit_sum_splits(length)["train"], 64)))  # [64, T]
    norms = hidden_grad_norms(RNNClassifier(seed=seed), tokens, labels,
                              nn.CrossEntropyLoss(reduction="sum"))  # [T]
    return (norms[0] / norms[-1]).item()


def check_length_doubling(prediction: str, seeds: tuple[int, ...] | None = None,
                          reveal: bool = False) -> bool:
    """Predict how ‖∂L/∂U‖ at initialisation changes when the length doubles from 10 to 20
    (the median ratio over `seeds`, by default `labkit.book_seeds()`)."""
    def run() -> str:
        letter = as_letter(prediction, "".join(DOUBLING_OPTIONS))
        chosen = valid_seeds(book_seeds() if seeds is None else seeds)
        ratios = [first_step_u_grad(20, s) / first_step_u_grad(10, s) for s in chosen]
        ratio = statistics.median(ratios)
        answer = "A" if ratio < 0.7 else "B" if ratio < 2 else "C" if ratio < 5 else "D"
        rho = statistics.mean(spectral_radius(RNNClassifier(seed=s).rnn_model.U) for s in chosen)
        back = statistics.geometric_mean(first_to_last_grad(20, s) for s in chosen)
        why = (f"measured over {len(chosen)} seeds: ‖∂L/∂U‖ at length 20 / at length 10 has median "
               f"{ratio:.2f} (range {min(ratios):.2f} to {max(ratios):.2f}), so it "
               f"{DOUBLING_OPTIONS[answer]}. At initialisation ρ(U) = {rho:.2f} (mean), tanh' ≤ 1 "
               f"shrinks every step back, and the gradient that reaches h_1 is {back:.2f} times the "
               f"one at h_20 (geometric mean): the ten extra early steps add small terms to ∂L/∂U. "
               f"Length alone does not make the gradient explode.")
        return judge(letter, answer, why, DOUBLING_HINT, reveal is True,
                     "ex.check_length_doubling(..., reveal=True)")
    return report("doubling the length", run)


def _bptt_inputs(i: int, seed: int) -> tuple[torch.Tensor, ...]:
    """Case i of (grad_h [B, H], h_prev [B, H], U [H, H], drive [B, H]); drive stands for x_t W + b."""
    gen = torch.Generator().manual_seed(seed + i)
    batch, hidden = 3, 4
    h_prev, U, drive, grad_h = (torch.randn(s, generator=gen) for s in
                                ((batch, hidden), (hidden, hidden), (batch, hidden), (batch, hidden)))
    return grad_h, h_prev, U, drive


def _bptt_expected(grad_h, h_prev, U, drive) -> torch.Tensor:
    """∂L/∂h_{t-1} [B, H] by autograd, for h_t = tanh(drive + h_{t-1} U)."""
    h_prev = h_prev.clone().requires_grad_(True)
    (expected,) = torch.autograd.grad(torch.tanh(drive + h_prev @ U), h_prev, grad_h)
    return expected.double()


def _autograd_entry_points() -> tuple[Callable, ...]:
    """torch's ways of running a backward pass, as Python functions (unwrapped decorators)."""
    import torch.autograd.functional as AF
    import torch.autograd.graph as graph
    found = [torch.autograd.grad, torch.autograd.backward, torch.Tensor.backward,
             graph._engine_run_backward, AF.vjp, AF.jacobian, AF.vjp, torch.func.vjp,
             torch.func.grad, torch.func.jacrev]
    return tuple(inspect.unwrap(f) for f in found if hasattr(inspect.unwrap(f), "__code__"))


BPTT_RULES = Rules(python=_autograd_entry_points(),
                   reference="labkit and autograd (.backward(), torch.autograd.grad, torch.func)")


def check_bptt_step(fn: Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor],
                    time_limit: float = DEFAULT_TIME_LIMIT, seed: int | None = None) -> bool:
    """Check `fn(grad_h, h_t, U) -> ∂L/∂h_{t-1}` for h_t = tanh(x_t W + h_{t-1} U + b), vs autograd.

    The cases are drawn afresh on every call unless `seed` is given."""
    seed = secrets.randbelow(2**31) if seed is None else seed
    def run() -> str:
        budget = Budget(valid_time_limit(time_limit))
        for i in range(2):
            grad_h, h_prev, U, drive = _bptt_inputs(i, seed)
            h_t = torch.tanh(drive + h_prev @ U)  # [B, H]
            out = as_tensor(student(fn, (grad_h, h_t, U), budget, BPTT_RULES), "∂L/∂h_(t-1)")
            grad_h, h_prev, U, drive = _bptt_inputs(i, seed)  # afresh, after the call
            expected = _bptt_expected(grad_h, h_prev, U, drive)
            if out.shape != expected.shape:
                raise Fail(f"∂L/∂h_(t-1) should have shape {tuple(expected.shape)} = [B, H], like "
                           f"h_(t-1); yours has {tuple(out.shape)}.")
            if torch.allclose(out, expected, atol=1e-5):
                continue
            g, h, U = grad_h.double(), torch.tanh(drive + h_prev @ U).double(), U.double()
            if torch.allclose(out, g @ U.T, atol=1e-5):
                raise Fail("you back-propagated through U but skipped tanh: multiply by its "
                           "derivative, 1 - h_t², element-wise, first.")
            if torch.allclose(out, (g * (1 - h**2)) @ U, atol=1e-5):
                raise Fail("the tanh derivative is right, but the product with U is not: h_t uses "
                           "h_(t-1) @ U, so the gradient flows back through U transposed.")
            if torch.allclose(out, (g * (1 - h)) @ U.T, atol=1e-5):
                raise Fail("tanh'(a) = 1 - tanh(a)², so the factor is 1 - h_t², squared.")
            raise Fail(f"the shape is right but the values differ: expected a norm of "
                       f"{expected.norm():.4f}, got {out.norm():.4f}.")
        return ("your step matches autograd: ∂L/∂h_(t-1) = (∂L/∂h_t ⊙ (1 - h_t²)) Uᵀ. Repeat it T "
                "times and the gradient is multiplied by T such Jacobians.")
    return report("one BPTT step", run)


def _radius_case(i: int, seed: int) -> tuple[str, torch.Tensor]:
    """Case i: matrices on which the usual shortcuts give a different answer than max |eigenvalue|."""
    if i == 0:
        return "a diagonal matrix with a negative entry", torch.diag(torch.tensor([0.5, -2.0, 1.0]))
    if i == 1:
        return "a scaled rotation (complex eigenvalues ±1.5i)", torch.tensor([[0.0, -1.5], [1.5, 0.0]])
    if i == 2:
        return "a non-normal matrix [[0.5, 10], [0, 0.5]]", torch.tensor([[0.5, 10.0], [0.0, 0.5]])
    return "a random 6x6 matrix", torch.randn(6, 6, generator=torch.Generator().manual_seed(seed))


RADIUS_RULES = Rules(reference="labkit (spectral_radius); torch.linalg.eigvals is allowed")


def check_spectral_radius(fn: Callable[[torch.Tensor], float],
                          time_limit: float = DEFAULT_TIME_LIMIT, seed: int | None = None) -> bool:
    """Check `fn(U [H, H]) -> ρ(U)`, the largest eigenvalue modulus, against labkit.

    The random case is drawn afresh on every call unless `seed` is given."""
    seed = secrets.randbelow(2**31) if seed is None else seed
    def run() -> str:
        budget = Budget(valid_time_limit(time_limit))
        for i in range(4):
            got = as_number(student(fn, (_radius_case(i, seed)[1],), budget, RADIUS_RULES), "ρ(U)")
            name, matrix = _radius_case(i, seed)  # afresh, after the call
            expected = spectral_radius(matrix)
            if abs(got - expected) <= 1e-4 * max(1.0, expected):
                continue
            sigma = torch.linalg.matrix_norm(matrix.double(), ord=2).item()
            eigs = torch.linalg.eigvals(matrix.double())
            if abs(got - sigma) < 1e-4 * max(1.0, sigma):
                raise Fail(f"for {name} you returned {got:.4g}, its largest singular value. That "
                           f"bounds ρ(U) from above (equal only for normal matrices); ρ(U) is "
                           f"the largest |eigenvalue|, here {expected:.4g}.")
            if any(abs(got - v) < 1e-4 for v in (eigs.real.max().item(), eigs.real.abs().max().item())):
                raise Fail(f"for {name} you returned {got:.4g}, built from the eigenvalues' real "
                           f"parts. Eigenvalues of a real matrix can be negative or complex: take "
                           f"their modulus (abs of the complex number) before the max.")
            raise Fail(f"for {name} you returned {got:.4g}; ρ(U) = max |eigenvalue| is "
                       f"{expected:.4g}.")
        return ("your ρ(U) matches labkit.spectral_radius on negative, complex and non-normal "
                "cases.")
    return report("spectral radius", run)
