"""What a student's code may not do to the process that checks it: run forever, flood the
output, or leave torch's global switches changed. Used by _guard.run_student.
"""
from __future__ import annotations

import io
import signal
import threading

import torch

ECHO_LIMIT = 800  # characters of the student's own printing echoed back


class TimeLimit(BaseException):
    """Raised inside the student's code when its time is up (BaseException: `except Exception`
    in the student's code does not swallow it; a bare `except:` inside an endless loop does, as
    it swallows Ctrl-C)."""


class BoundedText(io.TextIOBase):
    """A text sink that keeps the first `limit` characters and counts the rest."""

    def __init__(self, limit: int = ECHO_LIMIT):
        self.kept, self.size, self.dropped, self.limit = [], 0, 0, limit

    def write(self, text: str) -> int:
        text = str.__str__(text) if isinstance(text, str) else "<not text>"
        room = max(self.limit - self.size, 0)
        if room:
            self.kept.append(text[:room])
            self.size += len(self.kept[-1])
        self.dropped += max(len(text) - room, 0)
        return len(text)

    def echo(self) -> str:
        """What the student's code printed, truncated, ready to show; '' if nothing."""
        text = "".join(self.kept)
        if not text and not self.dropped:
            return ""
        more = f"\n… ({self.dropped:,} more characters not shown)" if self.dropped else ""
        return "    your code printed:\n" + text.rstrip("\n") + more


def global_state() -> tuple:
    """torch's global switches a student's function might flip."""
    return (torch.is_grad_enabled(), torch.get_default_dtype(), torch.get_num_threads(),
            torch.is_anomaly_enabled())


def restore(state: tuple) -> list[str]:
    """Put torch's global switches back; name the ones the student's code left changed."""
    grad, dtype, threads, anomaly = state
    changed = []
    if torch.is_grad_enabled() != grad:
        changed.append("switched autograd off for the whole program (torch.set_grad_enabled("
                       "False)) and left it off; use `with torch.no_grad():`, which switches it "
                       "back on by itself")
        torch.set_grad_enabled(grad)
    if torch.get_default_dtype() != dtype:
        changed.append(f"changed torch's default dtype to {torch.get_default_dtype()} and left "
                       f"it changed")
        torch.set_default_dtype(dtype)
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    if torch.is_anomaly_enabled() != anomaly:
        torch.autograd.set_detect_anomaly(anomaly)
    return changed


class Timer:
    """SIGALRM after `seconds`, raising TimeLimit while armed; a no-op outside the main thread."""

    def __init__(self, seconds: float, spare: tuple = ()):
        self.seconds, self.armed, self.previous = max(seconds, 1e-3), False, None
        self.spare = {self.__exit__.__code__, *spare}  # code objects never interrupted
        self.usable = threading.current_thread() is threading.main_thread()

    def _fire(self, signum, frame):
        if self.armed and frame is not None and frame.f_code not in self.spare:
            raise TimeLimit  # anywhere in the student's call, never in the caller's clean-up

    def __enter__(self):
        if self.usable:
            self.previous = signal.signal(signal.SIGALRM, self._fire)
            self.armed = True
            signal.setitimer(signal.ITIMER_REAL, self.seconds, 0.05)  # again if it lands in `spare`
        return self

    def __exit__(self, *exc):
        if self.usable:
            self.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False
