"""`Seal`: which function every name of labkit, torch and numpy pointed to when the checks were
imported, so a check can refuse to judge after monkeypatching (`torch.allclose = lambda *a: True`,
`ex.ch04_clipping.clip_gradients = ...`, `torch.Tensor.__eq__ = ...`).

Only names that hold functions, classes, modules or properties are sealed; data may change.
"""
from __future__ import annotations

import builtins
import math
import os
import signal
import statistics
import sys
import threading
import types

import numpy as np
import torch


PARTLY = {builtins: ("abs", "all", "any", "float", "int", "isinstance", "len", "max", "min",
                     "next", "print", "repr", "str", "sum", "type", "zip"),
          sys: ("setprofile", "getprofile", "_getframe"),
          threading: ("setprofile", "getprofile", "current_thread", "main_thread"),
          signal: ("signal", "setitimer")}


def _labkit_modules() -> list[types.ModuleType]:
    """labkit and its submodules, as imported now."""
    return [m for name, m in sorted(sys.modules.items()) if isinstance(m, types.ModuleType)
            and (name == "labkit" or name.startswith("labkit."))]


def _namespaces() -> dict[str, dict]:
    """Every namespace whose functions a check relies on: labkit's modules and classes, torch, numpy."""
    labkit = _labkit_modules()
    others = [torch, torch.nn, torch.nn.functional, torch.linalg, torch.nn.utils, torch.autograd,
              np, math, statistics]
    classes = {torch.Tensor, torch._C.TensorBase, torch.nn.Parameter, torch.nn.Module,
               torch.Generator, np.ndarray, np.generic, int, float, str, list, tuple, dict}
    classes |= {v for m in labkit for v in vars(m).values()
                if isinstance(v, type) and v.__module__.startswith("labkit")}
    spaces = {m.__name__: vars(m) for m in labkit + others}
    spaces.update({f"{c.__module__}.{c.__qualname__}": vars(c) for c in classes})
    for module, names in PARTLY.items():  # the kernel swaps other names (input, displayhook)
        spaces[module.__name__] = {name: getattr(module, name) for name in names}
    return spaces


def _sealable(value: object) -> bool:
    return callable(value) or isinstance(value, (types.ModuleType, property, staticmethod,
                                                 classmethod))


TORCH_WRAPPERS = ("_compile.py", os.path.join("optim", "optimizer.py"))


def _torch_wrapper(now: object, then: object) -> bool:
    """True if `now` is torch's own wrapper of `then`: torch._dynamo wraps torch.manual_seed
    when it is first imported (e.g. by the first optimizer step), and the first instance of an
    optimizer class wraps its class's `step` in a profiling hook (e.g. labkit.batched.SGD)."""
    code = getattr(now, "__code__", None)
    torch_dir = os.path.dirname(torch.__file__)
    return (getattr(now, "__wrapped__", None) is then and code is not None
            and code.co_filename in [os.path.join(torch_dir, f) for f in TORCH_WRAPPERS])


class Seal:
    """The objects every sealed name held at construction."""

    def __init__(self):
        self.held = {(space, key): value for space, ns in _namespaces().items()
                     for key, value in list(ns.items()) if _sealable(value)}

    def broken(self) -> str | None:
        """The first sealed name that now holds something else (e.g. 'torch.allclose'), or None."""
        now = _namespaces()
        for (space, key), value in self.held.items():
            held = now[space].get(key, None) if space in now else value
            if held is not value and not _torch_wrapper(held, value):
                return f"{space}.{key}"
        return None
