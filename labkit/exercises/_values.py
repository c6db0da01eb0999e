"""Read what a student's function returned into plain values the check can trust.

A returned object could lie (a tensor subclass whose `allclose` or `__eq__` says True, an `int`
subclass whose `__ne__` says False) or refuse to be printed (a `__repr__` that raises or loops).
So a check never calls the object's own methods: it accepts only exact types (`torch.Tensor`,
`nn.Parameter`, numpy arrays and scalars, `int`, `float`, lists and tuples of numbers), copies the
data through the base classes into a fresh float64 `torch.Tensor`, and compares that. Messages
name a returned object by its type only.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import torch

from ._feedback import NO_PREDICTION, Fail

MAX_ELEMENTS = 100_000  # more than any exercise's answer; refuses huge results before copying
NUMPY_SCALARS = (np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64,
                 np.uint8, np.uint16, np.uint32, np.uint64)
PLAIN_TENSORS = (torch.Tensor, torch.nn.Parameter)


def kind(value: Any) -> str:
    """A safe name for what came back: its type, never its (possibly hostile) repr."""
    name = type(value).__name__
    return "None" if value is None else f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _from_list(value: list | tuple, what: str, depth: int = 0) -> list:
    """A nested list of floats from exact lists/tuples of exact numbers."""
    if depth > 3 or len(value) > MAX_ELEMENTS:
        raise Fail(f"{what} came back as a list too large or too deeply nested to be an answer.")
    out = []
    for item in value:
        if type(item) in (list, tuple):
            out.append(_from_list(item, what, depth + 1))
        elif type(item) in (int, float) or type(item) in NUMPY_SCALARS:
            out.append(float(item))
        else:
            raise Fail(f"{what} came back as a list holding {kind(item)}; return a tensor.")
    return out


def as_tensor(value: Any, what: str) -> torch.Tensor:
    """`value` copied into a fresh float64 torch.Tensor of exact type, or `Fail` saying why not."""
    if type(value) in PLAIN_TENSORS:
        if torch.Tensor.numel(value) > MAX_ELEMENTS:
            raise Fail(f"{what} came back with {torch.Tensor.numel(value):,} elements, far more "
                       f"than the answer has; check the shapes.")
        if value.layout != torch.strided or value.device.type != "cpu" or value.is_complex():
            raise Fail(f"{what} should be a real, dense CPU tensor; yours is {value.dtype} "
                       f"{value.layout} on {value.device}.")
        return torch.Tensor.to(torch.Tensor.detach(value), torch.float64, copy=True)
    if isinstance(value, torch.Tensor):
        raise Fail(f"{what} came back as {kind(value)}, a subclass of torch.Tensor; return a "
                   f"plain tensor (e.g. torch.tensor(...) or the result of torch operations).")
    if type(value) is np.ndarray:
        if value.size > MAX_ELEMENTS or value.dtype.kind not in "biuf":
            raise Fail(f"{what} came back as a numpy array of {value.size} {value.dtype} "
                       f"values; expected real numbers of the answer's shape.")
        return torch.from_numpy(np.ndarray.astype(value, np.float64, copy=True))
    if type(value) in NUMPY_SCALARS or type(value) in (int, float):
        return torch.tensor(float(value), dtype=torch.float64)
    if type(value) in (list, tuple):
        return torch.tensor(_from_list(value, what), dtype=torch.float64)
    raise Fail(f"{what} should be a tensor or a number, but your function returned "
               f"{kind(value)}.")


def as_number(value: Any, what: str) -> float:
    """One real number from a tensor, numpy value, float/int or one-element list, else `Fail`."""
    t = as_tensor(value, what)
    if t.numel() != 1:
        raise Fail(f"{what} is one number; you returned {t.numel()} numbers (shape "
                   f"{tuple(t.shape)}).")
    return float(t.reshape(()).item())


def as_whole_number(value: Any) -> int:
    """An exact int from an int or numpy integer (not bool, not a subclass), else `Fail`."""
    if type(value) is int or type(value) in NUMPY_SCALARS and np.issubdtype(type(value), np.integer):
        return int(value)
    raise Fail(f"answer with a whole number, e.g. 1234; you wrote {kind(value)}"
               + (f" ({value!r})" if type(value) in (str, float) and len(repr(value)) < 40 else "")
               + ".")


def as_letter(value: Any, options: str) -> str:
    """A multiple-choice answer as one upper-case letter out of `options`, else `Fail`."""
    if value is Ellipsis or value is None:
        raise Fail(NO_PREDICTION)
    if type(value) is not str or len(value) > 20:
        raise Fail(f"answer with one letter out of {', '.join(options)}, as a string like \"A\"; "
                   f"you wrote {kind(value)}.")
    letter = value.strip().strip("()").upper()
    if len(letter) != 1 or letter not in options:
        raise Fail(f"answer with one letter out of {', '.join(options)}; you wrote {value!r}.")
    return letter


def valid_length(length: Any) -> int:
    """A sequence length the data has (5, 10, ..., 35), else `Fail` naming the choices."""
    from ..data import LENGTHS
    if type(length) is not int or length not in LENGTHS:
        raise Fail(f"length must be one of the generated lengths {LENGTHS}; got "
                   f"{length if type(length) is int else kind(length)}.")
    return length


def valid_seeds(seeds: Any, at_least: int = 1) -> tuple[int, ...]:
    """A tuple of at least `at_least` distinct non-negative ints, else `Fail`."""
    if type(seeds) not in (list, tuple) or not all(type(s) is int and s >= 0 for s in seeds):
        raise Fail(f"seeds must be a list or tuple of non-negative whole numbers, e.g. (0, 1); "
                   f"got {kind(seeds)}.")
    if len(seeds) < at_least or len(set(seeds)) != len(seeds):
        raise Fail(f"seeds must name at least {at_least} seed(s), each once; got {tuple(seeds)}.")
    return tuple(seeds)


def valid_time_limit(seconds: Any) -> float:
    """A positive, finite number of seconds, else `Fail`."""
    if type(seconds) not in (int, float) or not 0 < seconds < float("inf"):
        raise Fail(f"time_limit must be a positive number of seconds; got {kind(seconds)}.")
    return float(seconds)
