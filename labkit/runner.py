"""The training step, and the Runner that drives it: train / evaluate / checkpoint, extended by callbacks.

`training_step` is the one optimizer step of labkit: `Runner.train` (one model) and `sweep`
(K models stacked into one, `batched.StackedClassifier`) both call it. In order (hook names and
timing as in PyTorch Lightning 2.x):

    on_train_batch_start -> forward, loss -> backward -> on_after_backward (raw gradients)
    -> on_before_optimizer_step (raw gradients, as in Lightning) -> clip -> on_after_clip (clipped)
    -> optimizer.step() -> on_train_batch_end -> every `eval_steps` steps: evaluate -> on_validation_end

Divergence, the same rule in both loops: step s cannot be taken when its loss is non-finite, or its
gradients are non-finite or overflow (a norm above `OVERFLOW`), or the update of step s - 1 left
non-finite or overflowing weights. The run stops (`diverged_at = s`), keeps the s - 1 steps before
it, and a diverged model is never evaluated, so it never becomes the "best" checkpoint.
"""
from __future__ import annotations

import copy
import math
import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import torch
from torch import nn
from tqdm import tqdm

from . import batched
from .checkpoint import load_checkpoint, save_checkpoint
from .clipping import check_clip

OVERFLOW = 1e15  # a weight or gradient norm above this is an overflow (float32 squares overflow at 1.8e19)


class Callback:
    """Base class: override the hooks you need. Every hook receives the Runner."""

    def on_train_start(self, runner: "Runner") -> None: ...
    def on_train_batch_start(self, runner: "Runner", batch) -> None: ...
    def on_after_backward(self, runner: "Runner") -> None: ...
    def on_before_optimizer_step(self, runner: "Runner") -> None: ...
    def on_after_clip(self, runner: "Runner") -> None: ...
    def on_train_batch_end(self, runner: "Runner", loss: float) -> None: ...
    def on_validation_end(self, runner: "Runner", score: float, loss: float) -> None: ...
    def on_train_end(self, runner: "Runner") -> None: ...


@dataclass
class Step:
    """What `training_step` did, per model (K = 1 for one model)."""

    losses: torch.Tensor  # [K] training loss of this batch
    pre: torch.Tensor | None  # [K, P] gradient norms before clipping (None: no gradient was used)
    post: torch.Tensor | None  # [K, P] after clipping
    taken: bool  # False: no update, because some model's loss or gradients diverged (`bad`)
    bad: torch.Tensor  # [K] bool: the models that diverged (before the update, or by it)
    why: str  # what diverged, for the warning


def overflowing(norms: torch.Tensor) -> torch.Tensor:
    """[K, P] norms -> [K] bool: True where a model has a non-finite norm or one above OVERFLOW."""
    return ~(norms <= OVERFLOW).all(dim=1)  # NaN <= x is False


def training_step(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn, batch,
                  limits: dict[str, torch.Tensor] | None,
                  call: Callable[[str], None] = lambda hook: None) -> Step:
    """One optimizer step of `model`: one classifier, or K stacked ones (`batched.StackedClassifier`).

    `loss_fn(logits, labels)` gives one loss per model; `limits` are the per-model clip thresholds
    (`batched.clip_limits`) or None; `call(hook)` runs the callbacks' hook.
    """
    tokens, labels = batch
    stacked = isinstance(model, batched.StackedClassifier)
    model.train()
    losses = loss_fn(model(tokens), labels).reshape(-1)  # [K]
    bad = ~torch.isfinite(losses)
    if bad.any():
        return Step(losses.detach(), None, None, False, bad, "the loss is not finite")
    optimizer.zero_grad()
    losses.sum().backward()  # the models do not mix: model k's gradient is that of its own loss
    params = [p for p in model.parameters() if p.grad is not None]
    grads = [p.grad if stacked else p.grad[None] for p in params]  # P tensors [K, ...]
    pre = batched.grad_norms(grads)  # [K, P]
    bad = overflowing(pre)
    if bad.any():
        return Step(losses.detach(), pre, None, False, bad, "the gradients are not finite or overflow")
    call("on_after_backward")
    call("on_before_optimizer_step")
    post = pre
    if limits is not None:
        batched.clip_(grads, pre, limits)
        post = batched.grad_norms(grads)
    call("on_after_clip")
    optimizer.step()
    with torch.no_grad():
        bad = overflowing(batched.grad_norms([p if stacked else p[None] for p in params]))
    return Step(losses.detach(), pre, post, True, bad, "the update left non-finite or overflowing weights")


def warn_diverged(step: int, why: str, who: str = "") -> None:
    """The one divergence warning of both loops."""
    warnings.warn(f"{who}diverged at step {step}: {why}; training stopped, the log keeps the "
                  f"{step - 1} steps before it", RuntimeWarning, stacklevel=3)


class Runner:
    """Trains `model` with `optimizer` on `loss_fn`, scores it with `metric`, keeps the best weights."""

    def __init__(self, model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn, metric,
                 callbacks: Sequence[Callback] = (), clip: tuple[str, float] | None = None):
        if clip is not None:
            check_clip(*clip)
        self.model, self.optimizer, self.loss_fn, self.metric = model, optimizer, loss_fn, metric
        self.callbacks, self.clip = list(callbacks), clip
        self.global_step = 0                                 # optimizer steps taken
        self.step_losses: list[float] = []                   # training loss of every step
        self.dev_scores: list[tuple[int, float]] = []        # (step, dev metric)
        self.dev_losses: list[tuple[int, float]] = []        # (step, dev loss)
        self.best_score, self.best_step = -math.inf, None
        self.best_state: dict[str, torch.Tensor] | None = None
        self.diverged_at: int | None = None                  # the first step that could not be taken

    def _call(self, hook: str, *args) -> None:
        for callback in self.callbacks:
            getattr(callback, hook)(self, *args)

    def train(self, train_loader: Iterable, dev_loader: Iterable, num_epochs: int, eval_steps: int = 100,
              save_path: str | os.PathLike | None = None, progress: bool = False) -> None:
        """Run `num_epochs` epochs; evaluate every `eval_steps` steps and at the end; keep the best."""
        total_steps = num_epochs * len(train_loader)
        limits = None if self.clip is None else batched.clip_limits([self.clip])
        bar = tqdm(total=total_steps, desc="train", disable=not progress, leave=False)
        self._call("on_train_start")
        for _ in range(num_epochs):
            for batch in train_loader:
                self._call("on_train_batch_start", batch)
                step = training_step(self.model, self.optimizer, self.loss_fn, batch, limits, self._call)
                if step.taken:
                    self.global_step += 1
                    loss = step.losses[0].item()
                    self.step_losses.append(loss)
                    self._call("on_train_batch_end", loss)
                    bar.update()
                if step.bad.any():
                    self.diverged_at = self.global_step + 1
                    warn_diverged(self.diverged_at, step.why)
                    break
                if self.global_step % eval_steps == 0 or self.global_step == total_steps:
                    self._validate(dev_loader, save_path)
                    bar.set_postfix(dev_acc=f"{self.dev_scores[-1][1]:.3f}", best=f"{self.best_score:.3f}")
            if self.diverged_at is not None:
                break
        bar.close()
        self._call("on_train_end")

    def _validate(self, dev_loader: Iterable, save_path) -> None:
        score, loss = self.evaluate(dev_loader)
        self.dev_scores.append((self.global_step, score))
        self.dev_losses.append((self.global_step, loss))
        if score > self.best_score:
            self.best_score, self.best_step = score, self.global_step
            self.best_state = copy.deepcopy(self.model.state_dict())
            if save_path is not None:
                save_checkpoint(self.best_state, save_path)
        self._call("on_validation_end", score, loss)

    @torch.no_grad()
    def evaluate(self, loader: Iterable) -> tuple[float, float]:
        """(metric, mean loss per batch) over `loader`, without touching gradients."""
        self.model.eval()
        self.metric.reset()
        total_loss, batches = 0.0, 0
        for tokens, labels in loader:
            logits = self.model(tokens)
            total_loss += self.loss_fn(logits, labels).item()
            batches += 1
            self.metric.update(logits, labels)
        return self.metric.accumulate(), total_loss / max(batches, 1)

    def load_model(self, path: str | os.PathLike) -> None:
        """Load a checkpoint written by `train(save_path=...)` into the model."""
        load_checkpoint(self.model, path)

    def load_best(self) -> None:
        """Restore the best weights seen during training (kept in memory)."""
        if self.best_state is None:
            raise RuntimeError("no evaluation has run yet, so there is no best model to load")
        self.model.load_state_dict(self.best_state)
