"""labkit.exercises under attack: a student's code that loops, exits, floods the output, returns
lying or unprintable objects, calls the reference, peeks at the check's frames or monkeypatches
labkit never passes, never crashes the check, and never prints a traceback (issues 15 §5, 18)."""
import os
import signal
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from labkit import Accuracy, SRN, clip_gradients, spectral_radius
from labkit import exercises as ex


def accuracy(logits, labels):  # the worked solution
    return (logits.argmax(dim=1) == labels).float().mean().item()


def loop_forever(*args):
    while True:
        pass


def loop_swallowing_errors(*args):
    while True:
        try:
            while True:
                pass
        except Exception:  # noqa: BLE001 - what a careless student writes
            pass


def call_exit(*args):
    sys.exit(0)


def flood(logits, labels):
    print("x" * 5_000_000)
    return accuracy(logits, labels)


class Unprintable:
    def __repr__(self):
        raise RuntimeError("no repr")

    def __str__(self):
        while True:
            pass


def grad_off(logits, labels):
    torch.set_grad_enabled(False)
    return accuracy(logits, labels)


class LyingTensor(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func in (torch.allclose, torch.Tensor.allclose, torch.equal, torch.Tensor.__eq__):
            return True
        return super().__torch_function__(func, types, args, kwargs or {})


class LyingInt(int):
    def __ne__(self, other):
        return False

    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


def peek(name):
    """A 'solution' that returns the check's local `name` from the calling frames."""
    def answer(*args):
        frame = sys._getframe(1)
        while frame is not None:
            if name in frame.f_locals:
                return frame.f_locals[name]
            frame = frame.f_back
        return torch.zeros(())
    return answer


def zero_the_checks_table(tokens, table):
    """Zero the check's own copy of the table (found in its frames), answer zeros."""
    frame = sys._getframe(1)
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if isinstance(value, torch.Tensor) and value.shape == table.shape:
                value.zero_()
        frame = frame.f_back
    return torch.zeros(*tokens.shape, table.shape[1])


def srn_reference(x, h, W, U, b):
    srn = SRN(W.shape[0], W.shape[1])
    with torch.no_grad():
        srn.W.copy_(W), srn.U.copy_(U), srn.b.copy_(b)
        return srn.step(x, h)


def rnn_cell(x, h, W, U, b):
    cell = torch.nn.RNNCell(W.shape[0], W.shape[1], bias=False)
    with torch.no_grad():
        cell.weight_ih.copy_(W.T), cell.weight_hh.copy_(U.T)
        return torch.tanh(torch.atanh(cell(x, h)) + b)


def bptt_by_autograd(grad_h, h_t, U):
    h_prev = torch.zeros_like(h_t, requires_grad=True)
    pre = torch.atanh(h_t).detach() + (h_prev @ U) - (h_prev @ U).detach()
    torch.tanh(pre).backward(grad_h)
    return h_prev.grad


def per_tensor_with_torch(params, max_norm):
    norms = [torch.nn.utils.clip_grad_norm_([p], max_norm) for p in params if p.grad is not None]
    return torch.stack(norms)


def labkit_accuracy(logits, labels):
    metric = Accuracy()
    metric.update(logits, labels)
    return metric.accumulate()


def top2_accuracy(logits, labels):
    return (logits.topk(2, dim=1).indices == labels[:, None]).any(dim=1).float().mean().item()


RUNS_AWAY = [(loop_forever, "still running after"), (loop_swallowing_errors, "still running after"),
             (call_exit, "sys.exit()"), (lambda *a: Unprintable(), "returned an Unprintable"),
             (grad_off, "switched autograd off")]


@pytest.mark.parametrize("answer, phrase", RUNS_AWAY, ids=[p for _, p in RUNS_AWAY])
def test_code_that_runs_away_fails_kindly_within_the_time_limit(answer, phrase, capsys):
    assert ex.check_accuracy(answer, time_limit=0.5) is False
    out = capsys.readouterr().out
    assert out.startswith("✘") and phrase in out and "Traceback" not in out
    assert torch.is_grad_enabled() and sys.stdout is sys.__stdout__ or sys.stdout is not None


def test_megabytes_of_printing_are_truncated(capsys):
    assert ex.check_accuracy(flood) is True
    out = capsys.readouterr().out
    assert len(out) < 3000 and "more characters not shown" in out


def test_a_real_ctrl_c_still_interrupts_and_state_is_restored():
    stdout, grad = sys.stdout, torch.is_grad_enabled()

    def interrupted(logits, labels):
        torch.set_grad_enabled(False)
        os.kill(os.getpid(), signal.SIGINT)
        loop_forever()

    # Python's own Ctrl-C handler, even when the test run inherited "ignore SIGINT" (started in
    # the background of a shell), so that the signal above is a real Ctrl-C
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            ex.check_accuracy(interrupted, time_limit=5)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert sys.stdout is stdout and torch.is_grad_enabled() == grad


REFERENCES = [
    (ex.check_spectral_radius, spectral_radius), (ex.check_spectral_radius, peek("expected")),
    (ex.check_clip_per_tensor, lambda ps, c: clip_gradients(ps, "per_tensor", c)),
    (ex.check_clip_per_tensor, per_tensor_with_torch),
    (ex.check_clip_value, lambda ps, c: clip_gradients(ps, "value", c)),
    (ex.check_clip_value, lambda ps, c: torch.nn.utils.clip_grad_value_(ps, c)),
    (ex.check_bptt_step, bptt_by_autograd), (ex.check_bptt_step, peek("expected")),
    (ex.check_srn_step, srn_reference), (ex.check_srn_step, rnn_cell),
    (ex.check_embed_one_hot, lambda t, T: T[t]), (ex.check_embed_one_hot, lambda t, T: F.embedding(t, T)),
    (ex.check_embed_one_hot, zero_the_checks_table),
    (ex.check_accuracy, labkit_accuracy), (ex.check_accuracy, peek("expected")),
    (ex.check_accuracy, top2_accuracy),
    (ex.check_accuracy, lambda z, y: torch.tensor(0.0).as_subclass(LyingTensor)),
    (ex.check_spectral_radius, lambda U: torch.tensor(0.0).as_subclass(LyingTensor)),
    (ex.check_embed_one_hot, lambda t, T: torch.zeros(()).as_subclass(LyingTensor)),
]


@pytest.mark.parametrize("check, answer", REFERENCES, ids=[f"{c.__name__}-{i}" for i, (c, _) in enumerate(REFERENCES)])
def test_the_reference_or_a_lie_does_not_pass(check, answer, capsys):
    assert check(answer) is False
    out = capsys.readouterr().out
    assert out.startswith("✘") and "Traceback" not in out


def test_the_refusal_names_the_reference(capsys):
    assert ex.check_spectral_radius(spectral_radius) is False
    out = capsys.readouterr().out
    assert "calls labkit's spectral_radius" in out and "write it yourself" in out


def test_a_lying_int_does_not_pass_the_parameter_count(capsys):
    assert ex.check_parameter_count(LyingInt(5)) is False
    assert "whole number" in capsys.readouterr().out


def test_monkeypatching_labkit_or_torch_is_refused(monkeypatch, capsys):
    monkeypatch.setattr(torch, "allclose", lambda *a, **k: True)
    assert ex.check_srn_step(lambda *a: torch.zeros(3, 5)) is False
    assert "torch.allclose has been replaced" in capsys.readouterr().out
    monkeypatch.undo()
    monkeypatch.setattr(ex.ch05_evaluation, "Accuracy", lambda: None)
    assert ex.check_accuracy(lambda z, y: 0.5) is False
    assert "Accuracy has been replaced" in capsys.readouterr().out


class LyingStr(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


def test_predictions_cannot_lie_or_bend_the_measurement(monkeypatch, capsys):
    assert ex.check_forget_gate(LyingStr("A")) is False
    assert "answer with one letter" in capsys.readouterr().out
    monkeypatch.setattr(ex.gated, "first_to_last", lambda model, length=35: 1.0)
    assert ex.check_layer_ranking("A") is False
    assert "has been replaced" in capsys.readouterr().out


def test_monkeypatching_during_the_call_is_refused(capsys):
    original = torch.allclose

    def patch_then_answer(U):
        torch.allclose = lambda *a, **k: True
        return 0.0
    try:
        assert ex.check_spectral_radius(patch_then_answer) is False
    finally:
        torch.allclose = original
    assert "has been replaced" in capsys.readouterr().out


def test_cases_are_drawn_afresh_so_memorised_answers_fail():
    seen = []
    ex.check_accuracy(lambda z, y: seen.append(z.clone()) or 0.0)
    ex.check_accuracy(lambda z, y: seen.append(z.clone()) or 0.0)
    assert not torch.equal(seen[0], seen[1])
    assert ex.check_accuracy(accuracy, seed=7) is True


@pytest.mark.parametrize("value", [np.float32, np.float64, lambda v: [v], lambda v: np.array(v),
                                   lambda v: torch.tensor([v])], ids=["f32", "f64", "list", "array", "tensor"])
def test_accuracy_accepts_numpy_values_and_lists(value, capsys):
    assert ex.check_accuracy(lambda z, y: value(accuracy(z, y))) is True


def test_ordinary_wrong_accuracies_fail_without_crashing(capsys):
    for wrong in (lambda z, y: 0.5, lambda z, y: 1.0, lambda z, y: torch.tensor(0.25)):
        assert ex.check_accuracy(wrong) is False
    out = capsys.readouterr().out
    assert out.count("✘") == 3 and "Traceback" not in out


def test_a_top2_accuracy_is_named(capsys):
    assert ex.check_accuracy(top2_accuracy) is False
    assert "top-2" in capsys.readouterr().out


def test_value_clipping_that_drops_every_grad_fails_kindly(capsys):
    assert ex.check_clip_value(lambda ps, c: [setattr(p, "grad", None) for p in ps]) is False
    assert "is now None" in capsys.readouterr().out


@pytest.mark.parametrize("call, phrase", [
    (lambda: ex.check_hyperparameters(0.2, 2.0, seeds=()), "seeds must name"),
    (lambda: ex.check_length_doubling("B", seeds=()), "seeds must name"),
    (lambda: ex.check_first_digit_only("B", length=12), "length must be one of"),
    (lambda: ex.check_lr_times_max_norm("C", length=12), "length must be one of"),
    (lambda: ex.check_accuracy(accuracy, time_limit=-1), "time_limit must be"),
    (lambda: ex.check_layer_ranking("A", seeds=(-1,)), "seeds must be"),
    (lambda: ex.check_forget_gate("B", seeds=[0, "1"]), "seeds must be"),
], ids=["hyper-seeds", "doubling-seeds", "first-length", "trade-length", "time-limit",
        "layer-seeds", "gate-seeds"])
def test_bad_optional_arguments_are_explained(call, phrase, capsys):
    assert call() is False
    out = capsys.readouterr().out
    assert phrase in out and "Traceback" not in out


def test_the_target_cannot_be_lowered():
    with pytest.raises(TypeError):
        ex.check_hyperparameters(0.2, None, target=0.0)


def test_feedback_writes_norms_as_double_bars(capsys):
    ex.check_length_doubling("D", reveal=True)
    out = capsys.readouterr().out
    assert "‖∂L/∂U‖" in out and "||" not in out


def test_an_endless_print_loop_is_stopped_and_truncated(capsys):
    def chatty(logits, labels):
        while True:
            print("still thinking")

    assert ex.check_accuracy(chatty, time_limit=0.5) is False
    out = capsys.readouterr().out
    assert "still running after 0.5 s" in out and "more characters not shown" in out
    assert len(out) < 3000
