"""Shared plumbing for the exercise checks: kind feedback, one verdict, no traceback.

A check's body raises `Fail` at the first problem; `report` prints ✔ or ✘ with the message and
returns True/False, so a book cell can `assert check_...(...)`. A prediction that is wrong gets a
hint first; the measured answer only when the student asks for it (`reveal=True`).
This module is plumbing only; the exercises themselves live in one module per chapter.
"""
from __future__ import annotations

from collections.abc import Callable

from ..messages import translate

NOT_IMPLEMENTED = ("not implemented yet — replace the `raise NotImplementedError` with your code, "
                   "run that cell, then run this check again.")
NO_PREDICTION = ("no prediction yet — replace the `...` with your answer, run that cell, "
                 "then run this check again.")
TAMPERED = ("{name} has been replaced since the checks were imported, so this check cannot trust "
            "its own tools. Restart the kernel (Kernel → Restart) and run the notebook again "
            "without changing labkit, torch or numpy.")


class Fail(Exception):
    """Raised inside a check to stop at the first problem; its message is the feedback."""


SEAL = None  # set once by labkit.exercises after its imports: a _seal.Seal


def report(title: str, run: Callable[[], str]) -> bool:
    """Run a check body: print ✔ + its success message, or ✘ + the first problem; return passed.

    Refuses to judge when labkit, torch or numpy was monkeypatched before or during the check."""
    try:
        broken = SEAL.broken() if SEAL is not None else None
        if broken:
            raise Fail(TAMPERED.format(name=broken))
        message = run()
        broken = SEAL.broken() if SEAL is not None else None
        if broken:
            raise Fail(TAMPERED.format(name=broken))
    except Fail as problem:
        print(translate(f"✘ {title}: not yet.\n    {problem}"))  # LABKIT_LANG picks the language
        return False
    print(translate(f"✔ {title}: {message}"))
    return True


def judge(letter: str, answer: str, why: str, hint: str, reveal: bool, call: str) -> str:
    """`why` when the predicted letter is the measured answer; else `Fail` with a hint, or with
    the answer and `why` when `reveal` is True. `call` is how the student asks for the answer."""
    if letter == answer:
        return why
    if reveal:
        raise Fail(f"you predicted {letter}, the answer is {answer}: {why}")
    raise Fail(f"you predicted {letter}; that is not what the measurement shows. Hint: {hint}\n"
               f"    Change your prediction and run the check again, or see the measured answer "
               f"with {call}.")
