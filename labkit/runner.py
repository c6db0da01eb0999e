"""The Runner: train / evaluate / checkpoint one model, extended by callbacks.

One optimizer step, in order (hook names as in PyTorch Lightning):

    on_train_batch_start -> forward, loss -> backward -> on_after_backward   (raw gradients)
    -> clip_gradients -> on_before_optimizer_step (clipped gradients) -> optimizer.step()
    -> on_train_batch_end -> every `eval_steps` steps: evaluate -> on_validation_end

(In Lightning 2.x `on_before_optimizer_step` runs just before clipping; here it runs just after,
so a callback can see exactly what the optimizer is about to use.)
"""
from __future__ import annotations

import copy
import math
import os
import warnings
from collections.abc import Iterable, Sequence

import torch
from torch import nn
from tqdm import tqdm

from .checkpoint import load_checkpoint, save_checkpoint
from .clipping import check_clip, clip_gradients


class Callback:
    """Base class: override the hooks you need. Every hook receives the Runner."""

    def on_train_start(self, runner: "Runner") -> None: ...
    def on_train_batch_start(self, runner: "Runner", batch) -> None: ...
    def on_after_backward(self, runner: "Runner") -> None: ...
    def on_before_optimizer_step(self, runner: "Runner") -> None: ...
    def on_train_batch_end(self, runner: "Runner", loss: float) -> None: ...
    def on_validation_end(self, runner: "Runner", score: float, loss: float) -> None: ...
    def on_train_end(self, runner: "Runner") -> None: ...


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
        self.diverged_at: int | None = None                  # step whose loss was NaN/inf

    def _call(self, hook: str, *args) -> None:
        for callback in self.callbacks:
            getattr(callback, hook)(self, *args)

    def train(self, train_loader: Iterable, dev_loader: Iterable, num_epochs: int, eval_steps: int = 100,
              save_path: str | os.PathLike | None = None, progress: bool = False) -> None:
        """Run `num_epochs` epochs; evaluate every `eval_steps` steps and at the end; keep the best."""
        total_steps = num_epochs * len(train_loader)
        bar = tqdm(total=total_steps, desc="train", disable=not progress, leave=False)
        self._call("on_train_start")
        for _ in range(num_epochs):
            for batch in train_loader:
                tokens, labels = batch
                self._call("on_train_batch_start", batch)
                self.model.train()
                loss = self.loss_fn(self.model(tokens), labels)
                if not torch.isfinite(loss):
                    self.diverged_at = self.global_step + 1
                    warnings.warn(f"diverged at step {self.diverged_at}: loss is {loss.item()}; "
                                  f"training stopped, the log keeps the {self.global_step} steps before it",
                                  RuntimeWarning, stacklevel=2)
                    break
                self.optimizer.zero_grad()
                loss.backward()
                self._call("on_after_backward")
                if self.clip is not None:
                    clip_gradients(self.model.parameters(), *self.clip)
                self._call("on_before_optimizer_step")
                self.optimizer.step()
                self.global_step += 1
                self.step_losses.append(loss.item())
                self._call("on_train_batch_end", loss.item())
                bar.update()
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
