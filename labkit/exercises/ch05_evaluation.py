"""Exercises for chapter 5 (evaluation): write accuracy, and choose lr and max_norm that reach a
target dev accuracy at length 10.

Each check compares the student's answer with labkit (`Accuracy`, `train`), prints kind feedback
and returns True/False. Not a place for solutions: those live in the book.
"""
from __future__ import annotations

import statistics
from collections.abc import Callable

import torch

from ..config import TrainConfig
from ..metrics import Accuracy
from ..training import train
from ._feedback import NO_PREDICTION, Fail, as_tensor, call, report, require

ACCURACY_HINTS = {"must match the size": "argmax over the class axis: logits are [B, C], so "
                                         "use dim=1 (one predicted class per example)."}


def _accuracy_cases() -> list[tuple[str, torch.Tensor, torch.Tensor]]:
    """(name, logits [B, C], labels [B]); the last case is square so a wrong axis does not crash."""
    gen = torch.Generator().manual_seed(5)
    cases = []
    for name, batch in (("a batch of 7 examples, 19 classes", 7), ("a square batch, 19 x 19", 19)):
        logits = torch.randn(batch, 19, generator=gen)  # [B, C]
        labels = torch.randint(0, 19, (batch,), generator=gen)  # [B]
        labels[: batch // 2] = logits[: batch // 2].argmax(dim=1)  # about half are right
        cases.append((name, logits, labels))
    return cases


def check_accuracy(fn: Callable[[torch.Tensor, torch.Tensor], float]) -> bool:
    """Check `fn(logits [B, C], labels [B]) -> fraction correct` against `labkit.Accuracy`."""
    def run() -> str:
        for name, logits, labels in _accuracy_cases():
            out = as_tensor(require(call(fn, logits.clone(), labels.clone(), hints=ACCURACY_HINTS)),
                            "the accuracy")
            if out.numel() != 1:
                raise Fail(f"the accuracy is one number; for {name} you returned shape "
                           f"{tuple(out.shape)}.")
            metric = Accuracy()
            metric.update(logits, labels)
            expected, got = metric.accumulate(), out.item()
            if abs(got - expected) < 1e-6:
                continue
            correct = int((logits.argmax(dim=1) == labels).sum())
            if abs(got - correct) < 1e-6:
                raise Fail(f"for {name} you returned {got:g}, the number of correct answers; "
                           f"divide by the batch size to get a fraction.")
            if abs(got - (logits.argmax(dim=0) == labels).double().mean().item()) < 1e-6:
                raise Fail(f"for {name} you took the argmax over dim=0 (over the examples). "
                           f"Logits are [B, C]: the predicted class is the argmax over dim=1.")
            raise Fail(f"for {name} the accuracy should be {expected:.4f}; yours is {got:.4f}.")
        return "your accuracy equals labkit.Accuracy: argmax over the class axis, mean over examples."
    return report("accuracy", run)


def check_hyperparameters(lr: float, max_norm: float | None, target: float = 0.30,
                          seeds: tuple[int, ...] = (0, 1)) -> bool:
    """Train at length 10 (SGD, summed loss, 50 epochs) with `lr`, `max_norm`; pass if the mean
    best dev accuracy over `seeds` reaches `target`."""
    def run() -> str:
        if lr is Ellipsis or max_norm is Ellipsis:
            raise Fail(NO_PREDICTION)
        try:
            configs = [TrainConfig(length=10, lr=lr, max_norm=max_norm, seed=s) for s in seeds]
        except (TypeError, ValueError) as error:
            raise Fail(f"these settings are not valid: {error}") from None
        results = [train(c) for c in configs]
        accs = [r.best_dev_accuracy for r in results]
        mean, sd = statistics.mean(accs), statistics.stdev(accs)
        runs = ", ".join(f"seed {s}: {a:.2f}" for s, a in zip(seeds, accs))
        summary = (f"lr = {lr:g}, max_norm = {max_norm}: best dev accuracy {mean:.2f} ± {sd:.2f} "
                   f"({runs}); target {target:.2f}.")
        if mean < target:
            diverged = sum(r.diverged_at is not None for r in results)
            peak = max(max(r.grad_norms.total()) for r in results if r.grad_norms.steps)
            hint = (f" The largest global gradient norm was {peak:.3g}"
                    + (f" and {diverged} run(s) diverged" if diverged else "")
                    + (". Without clipping a single huge step can wreck the weights: try a "
                       "max_norm." if max_norm is None else
                       ". Try a different lr / max_norm pair: with clipping, a step moves the "
                       "weights by at most lr × max_norm."))
            raise Fail(summary + hint)
        return summary
    return report("choose lr and max_norm", run)
