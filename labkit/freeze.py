"""`FreezeParameters`: a Runner callback that keeps named parameters at their initial values.

The blog post fed the SRN a fixed (untrained) embedding. This callback reproduces that on any
run of `labkit.train(config, callbacks=[FreezeParameters(["embedding"])])` by turning off the
parameters' gradients when training starts: they get no gradient, so clipping and the optimizer
never see them. The batched `sweep` does the same with `sweep(configs, frozen=[...])`.
"""
from __future__ import annotations

from collections.abc import Sequence

from .runner import Callback, Runner


class FreezeParameters(Callback):
    """Stops the named parameters (e.g. ["embedding"]) from training."""

    def __init__(self, names: Sequence[str]):
        if isinstance(names, str) or len(names) == 0:
            raise ValueError(f"FreezeParameters: needs a non-empty list of names, got {names!r}")
        self.names = list(names)

    def on_train_start(self, runner: Runner) -> None:
        params = dict(runner.model.named_parameters())
        missing = [n for n in self.names if n not in params]
        if missing:
            raise ValueError(f"FreezeParameters: the model has no parameter {missing}; "
                             f"it has {list(params)}")
        for name in self.names:
            params[name].requires_grad_(False)
