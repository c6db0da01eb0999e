"""Run a student's function so that nothing it does can break or fool the check that called it.

`run_student(fn, args, budget, rules)` calls `fn(*args)` with
- a time limit (SIGALRM in the main thread; a real Ctrl-C still raises KeyboardInterrupt),
- its printing captured and echoed truncated (megabytes of output cost nothing),
- `SystemExit` and every exception turned into kind feedback (no traceback),
- torch's global switches (autograd, default dtype, threads) and `sys.stdout/stderr` restored,
- a tripwire (`sys.setprofile` + a torch function mode) that refuses calls to the exercise's
  reference: anything in labkit, and the torch functions named in `rules`.
Threat model: this guards against careless and curious code, not against code that targets the
checker itself (e.g. re-installing the tripwire after disabling it). Grading that must resist
that runs the checks in a separate process on the answers' source.
This module is plumbing only; the checks live in one module per chapter.
"""
from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from . import _feedback
from ._feedback import NOT_IMPLEMENTED, TAMPERED, Fail
from ._limits import BoundedText, TimeLimit, Timer, global_state, restore

DEFAULT_TIME_LIMIT = 10.0  # seconds of student code per check
LABKIT_DIR = str(Path(__file__).resolve().parents[1])
OWN_DIR = str(Path(__file__).resolve().parent)  # the checks themselves
_setprofile, _getprofile, _monotonic = sys.setprofile, sys.getprofile, time.monotonic


@dataclass(frozen=True)
class Rules:
    """What the student's function may not call: labkit (always) and these torch functions."""

    python: tuple[Callable, ...] = ()  # Python functions, caught by their code object
    builtin: tuple[Callable, ...] = ()  # C functions, caught by identity
    op: Callable[[Callable, tuple], str | None] | None = None  # torch op -> refusal reason
    reference: str = "labkit"  # how the exercise text names what is refused


@dataclass
class Budget:
    """Seconds of student code left in one check."""

    seconds: float = DEFAULT_TIME_LIMIT
    used: float = 0.0

    def left(self) -> float:
        return self.seconds - self.used


class _RefusedOps(TorchFunctionMode):
    """Records torch ops that `rules.op` refuses, while the student's code runs."""

    def __init__(self, rules: Rules, hits: list[str]):
        super().__init__()
        self.rules, self.hits = rules, hits

    def __torch_function__(self, func, types, args=(), kwargs=None):
        reason = self.rules.op(func, args) if self.rules.op else None
        if reason:
            self.hits.append(reason)
        return func(*args, **(kwargs or {}))


def _tripwire(rules: Rules, hits: list[str]) -> Callable:
    """A profile function that records calls into labkit or to the refused functions."""
    codes = {id(f.__code__): f.__qualname__ for f in rules.python}
    builtins = {id(f): getattr(f, "__name__", "?") for f in rules.builtin}

    def profile(frame, event, arg):
        if event == "call":
            code = frame.f_code
            if id(code) in codes:
                hits.append(codes[id(code)])
            elif code.co_filename.startswith(LABKIT_DIR) and not code.co_filename.startswith(OWN_DIR):
                hits.append(f"labkit's {code.co_name}")
        elif event == "c_call" and id(arg) in builtins:
            hits.append(builtins[id(arg)])
    return profile


@dataclass
class Outcome:
    """What one call of the student's function produced: a value, or an error explained kindly."""

    value: Any = None
    error: str | None = None
    echo: str = ""


def _explain(error: BaseException, hints: dict[str, str]) -> str:
    """A kind one-paragraph account of an exception from the student's code."""
    name = type(error).__name__  # never str(error): a hostile __str__ could loop
    first = error.args[0] if error.args else ""
    text = first[:300] if type(first) is str else "(a message that is not text)"
    hint = next((h for key, h in hints.items() if key in f"{name}: {text}"), None)
    return f"your code raised {name}: {text}" + (f"\n    Hint: {hint}" if hint else "")


def run_student(fn: Callable, args: Iterable, budget: Budget, rules: Rules,
                hints: dict[str, str] | None = None, not_implemented: str = "") -> Outcome:
    """Call `fn(*args)` under the time limit, output capture and tripwire; never raise (but Ctrl-C)."""
    if not callable(fn):
        return Outcome(error=f"expected a function, got a {type(fn).__name__}; pass the function "
                             f"itself (its name, without parentheses).")
    if budget.left() <= 0:
        return Outcome(error=_too_slow(budget))
    hits: list[str] = []
    sink, state, outcome = BoundedText(), global_state(), Outcome()
    streams, threads_profile = (sys.stdout, sys.stderr), threading.getprofile()
    profile, tampered, start = _tripwire(rules, hits), False, _monotonic()
    try:
        with Timer(budget.left(), spare=(run_student.__code__, profile.__code__,
                                                TorchFunctionMode.__exit__.__code__)):
            try:
                sys.stdout = sys.stderr = sink
                threading.setprofile(profile)
                with _RefusedOps(rules, hits):
                    _setprofile(profile)
                    outcome.value = fn(*args)
            finally:
                tampered = _getprofile() is not profile
                _setprofile(None)
                threading.setprofile(threads_profile)
                sys.stdout, sys.stderr = streams
    except TimeLimit:
        outcome = Outcome(error=_too_slow(budget))
    except NotImplementedError:
        outcome = Outcome(error=not_implemented)
    except SystemExit:
        outcome = Outcome(error="your code called sys.exit() (or exit()), which would stop the "
                                "whole program; a function hands back its result with `return`.")
    except Exception as error:  # noqa: BLE001 - the student's code may raise anything
        outcome = Outcome(error=_explain(error, hints or {}))
    finally:  # also on Ctrl-C, which propagates
        budget.used += _monotonic() - start
        changed = restore(state)
    outcome.echo = sink.echo()
    if tampered:
        outcome.error = ("your code switched off the check's call tracing (sys.setprofile); a "
                         "check cannot judge code that hides what it calls.")
    elif hits:
        outcome.error = (f"your code calls {hits[0]}, a ready-made answer to this exercise. "
                         f"The point is to write it yourself: this check refuses {rules.reference}.")
    elif changed and outcome.error is None:
        outcome.error = f"your code {changed[0]}. (I have switched it back.)"
    return outcome


def _too_slow(budget: Budget) -> str:
    """Feedback for code that ran out of time."""
    return (f"your code was still running after {budget.seconds:g} s, so I stopped it. Is there "
            f"a loop that never ends (a `while` whose condition never turns False)? (The limit is "
            f"the check's `time_limit=` argument.)")


def student(fn: Callable, args: Iterable, budget: Budget, rules: Rules,
            hints: dict[str, str] | None = None) -> Any:
    """The value `fn(*args)` returned (its printing echoed, truncated), or `Fail` explaining why not."""
    outcome = run_student(fn, args, budget, rules, hints, NOT_IMPLEMENTED)
    if outcome.echo:
        print(outcome.echo)
    broken = _feedback.SEAL.broken() if _feedback.SEAL is not None else None
    if broken:  # monkeypatched during the call
        raise Fail(TAMPERED.format(name=broken))
    if outcome.error is not None:
        raise Fail(outcome.error)
    return outcome.value
