"""Shared plumbing for the exercise checks: run a student's code safely and print kind feedback.

A check never lets the student's exception escape: it reports the exception's type and message
with a hint, prints ✔ or ✘, and returns True/False so a book cell can `assert check_...(...)`.
This module is plumbing only; the exercises themselves live in one module per chapter.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

NOT_IMPLEMENTED = ("not implemented yet — replace the `raise NotImplementedError` with your code, "
                   "run that cell, then run this check again.")
NO_PREDICTION = ("no prediction yet — replace the `...` with your answer, run that cell, "
                 "then run this check again.")


class Fail(Exception):
    """Raised inside a check to stop at the first problem; its message is the feedback."""


@dataclass
class Outcome:
    """What one call of the student's function produced: a value, or an error explained kindly."""

    value: Any = None
    error: str | None = None


def call(fn: Callable, *args, hints: dict[str, str] | None = None) -> Outcome:
    """Call `fn(*args)`; turn any exception into a kind message (with a hint matched on its text)."""
    if not callable(fn):
        return Outcome(error=f"expected a function, got a {type(fn).__name__}; pass the function "
                             f"itself (its name, without parentheses).")
    try:
        return Outcome(value=fn(*args))
    except NotImplementedError:
        return Outcome(error=NOT_IMPLEMENTED)
    except Exception as error:  # noqa: BLE001 - the student's code may raise anything
        text = f"{type(error).__name__}: {error}"
        hint = next((h for key, h in (hints or {}).items() if key in text), None)
        return Outcome(error=f"your code raised {text}" + (f"\n    Hint: {hint}" if hint else ""))


def require(outcome: Outcome) -> Any:
    """The outcome's value, or `Fail` carrying its error message."""
    if outcome.error is not None:
        raise Fail(outcome.error)
    return outcome.value


def as_tensor(value: Any, what: str) -> torch.Tensor:
    """`value` as a float64 tensor, or `Fail` saying what type came back instead."""
    if isinstance(value, torch.Tensor):
        return value.detach().double()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return torch.tensor(float(value), dtype=torch.float64)
    raise Fail(f"{what} should be a tensor or a number, but your function returned "
               f"{type(value).__name__} ({value!r:.60}).")


def report(title: str, run: Callable[[], str]) -> bool:
    """Run a check body: print ✔ + its success message, or ✘ + the first problem; return passed."""
    try:
        message = run()
    except Fail as problem:
        print(f"✘ {title}: not yet.\n    {problem}")
        return False
    print(f"✔ {title}: {message}")
    return True


def choice(prediction: Any, options: str) -> str:
    """A multiple-choice answer normalised to one upper-case letter, or `Fail` with a kind message."""
    if prediction is Ellipsis or prediction is None:
        raise Fail(NO_PREDICTION)
    letter = str(prediction).strip().strip("()").upper()
    if len(letter) != 1 or letter not in options:
        raise Fail(f"answer with one letter out of {', '.join(options)}; you wrote {prediction!r}.")
    return letter


def judge(letter: str, answer: str, why: str) -> str:
    """The explanation `why` when the predicted letter is the measured answer, else `Fail` with both."""
    if letter != answer:
        raise Fail(f"you predicted {letter}, the answer is {answer}: {why}")
    return why
