"""labkit.exercises: every worked solution passes its check; typical mistakes fail with the right hint;
attacks (loops, exits, floods, lying objects, the reference, monkeypatching) never pass or crash.

The worked solutions are the ones the book shows, read from the notebooks' exercise sections (their
one source) and executed here as the notebook would. Checks must report a student's exception
(never raise it), and their feedback must not print the reference solution.
"""
import os
import signal
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from labkit import exercises as ex
from tests.exercise_cells import CHAPTERS, exercise_cells

MARKER = "# ---- student edition stops here ----"


def solution_bodies() -> list[str]:
    """The distinctive lines of every worked solution: those below the student-edition marker."""
    lines = []
    for stem in CHAPTERS:
        for cell in exercise_cells(stem):
            if "solution" in cell.metadata.get("tags", []) and MARKER in cell.source:
                lines += [l.strip() for l in cell.source.split(MARKER)[1].splitlines() if l.strip()]
    return lines


@pytest.mark.parametrize("stem", CHAPTERS)
def test_every_worked_solution_passes_its_check(stem, capsys):
    namespace: dict = {}
    for cell in exercise_cells(stem):
        if cell.cell_type == "code":
            exec(cell.source, namespace)  # the check cells `assert` that the check returned True
    out = capsys.readouterr().out
    assert "✔" in out and "✘" not in out


# ---- typical wrong answers -------------------------------------------------------------------

def per_tensor_no_eps(params, max_norm):  # rescale to min(norm, max_norm): 0/0 for a zero grad
    norms = []
    for p in params:
        if p.grad is not None:
            n = p.grad.norm()
            norms.append(n.clone())
            p.grad.copy_(p.grad / n * torch.clamp(n, max=max_norm))
    return torch.stack(norms)


def per_tensor_float_division(params, max_norm):  # python float division by a zero norm
    norms = [p.grad.norm().item() for p in params if p.grad is not None]
    for p in params:
        if p.grad is not None and max_norm / p.grad.norm().item() < 1:
            p.grad.mul_(max_norm / p.grad.norm().item())
    return torch.tensor(norms)


def per_tensor_as_value(params, max_norm):  # value clipping passed off as norm clipping
    norms = torch.stack([p.grad.norm() for p in params if p.grad is not None])
    for p in params:
        if p.grad is not None:
            p.grad.clamp_(-max_norm, max_norm)
    return norms


def per_tensor_on_copy(params, max_norm):  # scales a copy, .grad untouched
    out = []
    for p in params:
        if p.grad is not None:
            g = p.grad.clone()
            out.append(g.norm())
            g.mul_(torch.clamp(max_norm / (g.norm() + 1e-6), max=1.0))
    return torch.stack(out)


def per_tensor_new_tensors(params, max_norm):  # returns clipped tensors instead of clipping
    return [p.grad * torch.clamp(max_norm / (p.grad.norm() + 1e-6), max=1.0)
            for p in params if p.grad is not None]


def per_tensor_axis(params, max_norm):  # norm along dim 0 only
    norms = torch.stack([p.grad.norm() for p in params if p.grad is not None])
    for p in params:
        if p.grad is not None:
            p.grad.mul_(torch.clamp(max_norm / (p.grad.norm(dim=0) + 1e-6), max=1.0))
    return norms


def per_tensor_none_crash(params, max_norm):  # forgets that .grad can be None
    norms = torch.stack([p.grad.norm() for p in params])
    for p, n in zip(params, norms):
        p.grad.mul_(torch.clamp(max_norm / (n + 1e-6), max=1.0))
    return norms


def per_tensor_global(params, max_norm):  # one common factor
    grads = [p.grad for p in params if p.grad is not None]
    norms = torch.stack([g.norm() for g in grads])
    scale = torch.clamp(max_norm / (norms.norm() + 1e-6), max=1.0)
    for g in grads:
        g.mul_(scale)
    return norms


def per_tensor_post_norms(params, max_norm):  # right clipping, norms measured after it
    for p in params:
        if p.grad is not None:
            p.grad.mul_(torch.clamp(max_norm / (p.grad.norm() + 1e-6), max=1.0))
    return torch.stack([p.grad.norm() for p in params if p.grad is not None])


def not_implemented(*args):
    raise NotImplementedError("your code here")


def value_as_norm(params, c):
    for p in params:
        if p.grad is not None:
            p.grad.mul_(torch.clamp(c / (p.grad.norm() + 1e-6), max=1.0))


def value_on_copy(params, c):
    return [p.grad.clamp(-c, c) for p in params if p.grad is not None]


def value_none_crash(params, c):
    for p in params:
        p.grad.clamp_(-c, c)


WRONG = [
    (ex.check_clip_per_tensor, per_tensor_no_eps, ["zero gradient", "NaN", "epsilon"]),
    (ex.check_clip_per_tensor, per_tensor_float_division, ["ZeroDivisionError", "epsilon"]),
    (ex.check_clip_per_tensor, per_tensor_as_value, ["value clipping", "direction"]),
    (ex.check_clip_per_tensor, per_tensor_on_copy, [".grad did not change", "copy"]),
    (ex.check_clip_per_tensor, per_tensor_new_tensors, [".grad did not change"]),
    (ex.check_clip_per_tensor, per_tensor_axis, ["along one axis (dim=0)"]),
    (ex.check_clip_per_tensor, per_tensor_none_crash, ["NoneType", "p.grad = None: skip it"]),
    (ex.check_clip_per_tensor, per_tensor_global, ["global clipping", "its own factor"]),
    (ex.check_clip_per_tensor, per_tensor_post_norms, ["norms after clipping"]),
    (ex.check_clip_per_tensor, not_implemented, ["not implemented yet", "raise NotImplementedError"]),
    (ex.check_clip_value, value_as_norm, ["norm clipping", "leaves those alone"]),
    (ex.check_clip_value, value_on_copy, [".grad did not change"]),
    (ex.check_clip_value, value_none_crash, ["NoneType", "skip it"]),
    (ex.check_bptt_step, lambda g, h, U: g @ U.T, ["skipped tanh", "1 - h_t²"]),
    (ex.check_bptt_step, lambda g, h, U: (g * (1 - h**2)) @ U, ["U transposed"]),
    (ex.check_bptt_step, lambda g, h, U: (g * (1 - h)) @ U.T, ["squared"]),
    (ex.check_spectral_radius, lambda U: torch.linalg.matrix_norm(U, ord=2),
     ["largest singular value", "non-normal"]),
    (ex.check_spectral_radius, lambda U: torch.linalg.eigvals(U).real.max(), ["modulus"]),
    (ex.check_spectral_radius, lambda U: torch.linalg.eigvals(U).abs(), ["one number"]),
    (ex.check_srn_step, lambda x, h, W, U, b: x @ W + h @ U + b, ["apply tanh"]),
    (ex.check_srn_step, lambda x, h, W, U, b: torch.tanh(x @ W + h @ U.T + b), ["U transposed"]),
    (ex.check_srn_step, lambda x, h, W, U, b: torch.tanh(W @ x + U @ h + b), ["x_t @ W"]),
    (ex.check_embed_one_hot, lambda t, T: F.one_hot(t).float() @ T, ["num_classes=10"]),
    (ex.check_embed_one_hot, lambda t, T: F.one_hot(t, 10) @ T, [".float()"]),
    (ex.check_accuracy, lambda z, y: (z.argmax(dim=0) == y).float().mean(), ["dim=1"]),
    (ex.check_accuracy, lambda z, y: (z.argmax(dim=1) == y).sum(), ["divide by the batch size"]),
    (ex.check_accuracy, torch.tensor(0.5), ["expected a function"]),
]


@pytest.mark.parametrize("check, answer, phrases", WRONG,
                         ids=[f"{c.__name__}-{i}" for i, (c, _, _) in enumerate(WRONG)])
def test_typical_mistakes_fail_with_a_specific_hint(check, answer, phrases, capsys):
    assert check(answer) is False  # no exception escapes
    out = capsys.readouterr().out
    assert out.startswith("✘")
    for phrase in phrases:
        assert phrase in out, f"{phrase!r} missing from feedback:\n{out}"
    assert "Traceback" not in out
    leaked = [line for line in solution_bodies() if line in out]
    assert not leaked, f"feedback prints solution code: {leaked}"


@pytest.mark.parametrize("check, letter, answer", [
    (ex.check_first_digit_only, "C", "B"), (ex.check_length_doubling, "D", "B"),
    (ex.check_lr_times_max_norm, "B", "C"), (ex.check_layer_ranking, "B", "A"),
    (ex.check_forget_gate, "D", "B")])
def test_a_wrong_prediction_gets_a_hint_and_the_answer_only_when_asked(check, letter, answer, capsys):
    assert check(letter) is False
    out = capsys.readouterr().out
    assert "Hint:" in out and "reveal=True" in out
    assert "the answer is" not in out and "measured at" not in out and "measured over" not in out
    assert check(letter, reveal=True) is False
    out = capsys.readouterr().out
    assert f"you predicted {letter}, the answer is {answer}" in out and "measured" in out


@pytest.mark.parametrize("check", [ex.check_first_digit_only, ex.check_length_doubling,
                                   ex.check_lr_times_max_norm, ex.check_parameter_count,
                                   ex.check_layer_ranking, ex.check_forget_gate])
def test_predictions_not_yet_made_or_malformed_are_explained(check, capsys):
    assert check(...) is False
    assert "no prediction yet" in capsys.readouterr().out
    assert check("ten") is False
    assert "answer with" in capsys.readouterr().out


def test_parameter_count_is_measured_from_the_model(capsys):
    total = sum(p.numel() for p in ex.ch02_srn_forward.RNNClassifier().parameters())
    assert ex.check_parameter_count(total) is True
    assert ex.check_parameter_count(total - 19) is False  # forgot the head's bias
    out = capsys.readouterr().out
    assert "has more" in out and str(total) not in out.split("✘")[1]
    assert ex.check_parameter_count(total - 19, reveal=True) is False
    assert f"the model has {total}" in capsys.readouterr().out


def test_hyperparameters_without_clipping_miss_the_target(capsys):
    assert ex.check_hyperparameters(0.2, None) is False
    assert "try a max_norm" in capsys.readouterr().out


def test_invalid_hyperparameters_are_explained_not_raised(capsys):
    assert ex.check_hyperparameters(-1.0, None) is False
    assert "lr must be a positive, finite number" in capsys.readouterr().out
    assert ex.check_hyperparameters(..., ...) is False
    assert "no prediction yet" in capsys.readouterr().out
