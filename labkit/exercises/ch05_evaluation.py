"""Exercises for chapter 5 (evaluation): write accuracy, and choose lr and max_norm that reach a
target dev accuracy at length 10.

Each check compares the student's answer with labkit (`Accuracy`, `train`), prints kind feedback
and returns True/False. Not a place for solutions: those live in the book.
"""
from __future__ import annotations

import secrets
import statistics
from collections.abc import Callable

import torch

from ..config import TrainConfig
from ..metrics import Accuracy
from ..seeds import book_seeds
from ..training import train
from ._feedback import NO_PREDICTION, Fail, report
from ._guard import DEFAULT_TIME_LIMIT, Budget, Rules, student
from ._values import as_number, kind, valid_seeds, valid_time_limit

TARGET = 0.30  # mean best dev accuracy: 3× chance; runs that learn nothing reach ≤ 0.12
ACCURACY_RULES = Rules(reference="labkit (Accuracy)")
ACCURACY_HINTS = {"must match the size": "argmax over the class axis: logits are [B, C], so "
                                         "use dim=1 (one predicted class per example)."}


def _accuracy_case(i: int, seed: int) -> tuple[str, torch.Tensor, torch.Tensor]:
    """Case i: (name, logits [B, C], labels [B]); about a third of the labels are the arg-max,
    a third the runner-up (so a top-2 accuracy is wrong), the rest third-ranked; case 1 is square."""
    gen = torch.Generator().manual_seed(seed + i)
    name, batch = (("a batch of 7 examples, 19 classes", 7), ("a square batch, 19 x 19", 19))[i]
    logits = torch.randn(batch, 19, generator=gen)  # [B, C]
    ranked = logits.topk(3, dim=1).indices  # [B, 3]
    rank = torch.randint(0, 3, (batch,), generator=gen)  # [B]: which of the top 3 is the label
    rank[:3] = torch.tensor([0, 1, 2])  # each kind at least once; how many varies with the seed
    labels = ranked[torch.arange(batch), rank[torch.randperm(batch, generator=gen)]]  # [B]
    return name, logits, labels


def check_accuracy(fn: Callable[[torch.Tensor, torch.Tensor], float],
                   time_limit: float = DEFAULT_TIME_LIMIT, seed: int | None = None) -> bool:
    """Check `fn(logits [B, C], labels [B]) -> fraction correct` against `labkit.Accuracy`.

    A float, a one-element tensor, a numpy value or a one-element list are all accepted."""
    seed = secrets.randbelow(2**31) if seed is None else seed
    def run() -> str:
        budget = Budget(valid_time_limit(time_limit))
        for i in range(2):
            _, logits, labels = _accuracy_case(i, seed)
            got = as_number(student(fn, (logits, labels), budget, ACCURACY_RULES, ACCURACY_HINTS),
                            "the accuracy")
            name, logits, labels = _accuracy_case(i, seed)  # afresh, after the call
            metric = Accuracy()
            metric.update(logits, labels)
            expected = metric.accumulate()
            if abs(got - expected) < 1e-6:
                continue
            correct = int((logits.argmax(dim=1) == labels).sum())
            top2 = (logits.topk(2, dim=1).indices == labels[:, None]).any(dim=1).double().mean()
            if abs(got - correct) < 1e-6:
                raise Fail(f"for {name} you returned {got:g}, the number of correct answers; "
                           f"divide by the batch size to get a fraction.")
            if abs(got - top2.item()) < 1e-6:
                raise Fail(f"for {name} you counted an example as right when the label is among "
                           f"the two largest logits (a top-2 accuracy); only the arg-max counts.")
            if logits.shape[0] == logits.shape[1] and abs(
                    got - (logits.argmax(dim=0) == labels).double().mean().item()) < 1e-6:
                raise Fail(f"for {name} you took the argmax over dim=0 (over the examples). "
                           f"Logits are [B, C]: the predicted class is the argmax over dim=1.")
            raise Fail(f"for {name} the accuracy should be {expected:.4f}; yours is {got:.4f}.")
        return "your accuracy equals labkit.Accuracy: argmax over the class axis, mean over examples."
    return report("accuracy", run)


def _setting(value: object, name: str, allow_none: bool) -> float | None:
    """A learning rate or threshold as a plain float (None allowed for max_norm), else `Fail`."""
    if value is None and allow_none:
        return None
    number = as_number(value, name)
    if not 0 < number < float("inf"):
        raise Fail(f"{name} must be a positive, finite number"
                   + (" (or None: no clipping)" if allow_none else "") + f"; got {number}.")
    return number


def check_hyperparameters(lr: float, max_norm: float | None,
                          seeds: tuple[int, ...] | None = None) -> bool:
    """Train at length 10 (SGD, summed loss, 50 epochs) with `lr`, `max_norm`; pass if the mean
    best dev accuracy over `seeds` (by default the first two of `labkit.book_seeds()`) reaches
    TARGET = 0.30."""
    def run() -> str:
        if lr is Ellipsis or max_norm is Ellipsis:
            raise Fail(NO_PREDICTION)
        rate, norm = _setting(lr, "lr", False), _setting(max_norm, "max_norm", True)
        chosen = valid_seeds(book_seeds()[:2] if seeds is None else seeds)
        results = [train(TrainConfig(length=10, lr=rate, max_norm=norm, seed=s)) for s in chosen]
        accs = [r.best_dev_accuracy for r in results]
        mean = statistics.mean(accs)
        runs = ", ".join(f"seed {s}: {a:.2f}" for s, a in zip(chosen, accs))
        summary = (f"lr = {rate:g}, max_norm = {norm}: mean best dev accuracy {mean:.2f} "
                   f"({runs}); target {TARGET:.2f}.")
        if mean < TARGET:
            diverged = sum(r.diverged_at is not None for r in results)
            peak = max(max(r.grad_norms.total()) for r in results if r.grad_norms.steps)
            hint = (f" The largest global gradient norm was {peak:.3g}"
                    + (f" and {diverged} run(s) diverged" if diverged else "")
                    + (". Without clipping a single huge step can wreck the weights: try a "
                       "max_norm." if norm is None else
                       ". Try a different lr / max_norm pair: with clipping, a step moves the "
                       "weights by at most lr × max_norm."))
            raise Fail(summary + hint)
        return summary
    return report("choose lr and max_norm", run)
