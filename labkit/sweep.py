"""`sweep(configs)`: train K configurations in lockstep as one batched model; `grid(base, **axes)`.

Each model k gets exactly what `train(configs[k])` would give it: the same initial weights
(`RNNClassifier(seed=...)`), the same batch order (shuffled with its own seed), its own learning
rate and clipping, the same logs, dev scores, best checkpoint and test accuracy, returned as a
`TrainResult`. Results agree with sequential runs up to float rounding (~1e-6), not bit for bit
-- except where gradients explode: there the explosion amplifies rounding too (measured, length
10, lr 0.2, no clipping: the losses differ by 1e-7 at step 1, 1e-3 at step 8, 1e-2 at step 10,
the gradient norms by more), so such a run is a different but equally valid sample of the same
chaotic process. Clipped runs stay together.
A model whose loss turns NaN/inf stops, as in the Runner; the others go on unchanged.
This module is the training loop; the stacked model and its clipping are in `batched.py`.
"""
from __future__ import annotations

import dataclasses
import itertools
import math
import os
import warnings

import torch
from tqdm import tqdm

from . import batched
from .config import TrainConfig
from .grad_log import GradNormLog
from .models import RNNClassifier
from .training import TrainResult, load_splits, torch_threads

SHARED = ("length", "batch_size", "epochs", "eval_steps", "loss_reduction", "input_size",
          "hidden_size", "data_seed")  # fields every config of one sweep must agree on
THREADED_ROWS = 1024  # rows per batched product (K x batch) from which threads pay off


def grid(base: TrainConfig, **axes: list) -> list[TrainConfig]:
    """Every combination of the given field values (cartesian product; the last axis varies fastest)."""
    fields = {f.name for f in dataclasses.fields(TrainConfig)}
    for name, values in axes.items():
        if name not in fields:
            raise ValueError(f"grid: {name!r} is not a TrainConfig field")
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__") or len(values) == 0:
            raise ValueError(f"grid: {name} needs a non-empty list of values, got {values!r}")
    names = list(axes)
    return [dataclasses.replace(base, **dict(zip(names, combo)))
            for combo in itertools.product(*axes.values())]


def check_sweep(configs: list[TrainConfig]) -> None:
    """Raise ValueError unless the configs can share one batched run."""
    if len(configs) == 0:
        raise ValueError("sweep: needs at least one config")
    for k, config in enumerate(configs):
        if not isinstance(config, TrainConfig):
            raise ValueError(f"sweep: config {k} is a {type(config).__name__}, not a TrainConfig")
        if config.dtype != "float32":
            raise ValueError(f"sweep: config {k} has dtype {config.dtype!r}; the batched sweep runs "
                             f"in float32 only (use labkit.train for float64)")
        if config.optimizer != "sgd":
            raise ValueError(f"sweep: config {k} uses optimizer {config.optimizer!r}; the batched "
                             f"sweep supports only 'sgd' (use labkit.train for Adam)")
        for name in SHARED:
            if getattr(config, name) != getattr(configs[0], name):
                raise ValueError(f"sweep: all configs must share {name}; config 0 has "
                                 f"{getattr(configs[0], name)!r}, "
                                 f"config {k} has {getattr(config, name)!r}")


def batch_orders(configs: list[TrainConfig], n: int) -> torch.Tensor:
    """Each model's example order in every epoch, drawn as `TensorBatches` draws it: [E, K, N]."""
    cache: dict[tuple[bool, int], torch.Tensor] = {}
    for c in configs:
        if (c.shuffle, c.seed) not in cache:
            g = torch.Generator().manual_seed(c.seed)
            cache[c.shuffle, c.seed] = torch.stack(  # [E, N]
                [torch.randperm(n, generator=g) if c.shuffle else torch.arange(n)
                 for _ in range(c.epochs)])
    return torch.stack([cache[c.shuffle, c.seed] for c in configs], dim=1)  # [E, K, N]


def _as_tensors(examples: list) -> tuple[torch.Tensor, torch.Tensor]:
    """Examples -> tokens [N, T], labels [N]."""
    return (torch.tensor([d for d, _ in examples], dtype=torch.long),
            torch.tensor([y for _, y in examples], dtype=torch.long))


@torch.no_grad()
def _accuracy(params: dict[str, torch.Tensor], tokens: torch.Tensor,
              labels: torch.Tensor) -> list[float]:
    """Each model's accuracy on the same examples (tokens [N, T], labels [N]): K floats."""
    K, n = params["embedding"].shape[0], len(labels)
    logits = batched.forward(params, tokens.expand(K, -1, -1))  # [K, N, C]
    correct = (logits.argmax(dim=2) == labels).sum(dim=1)  # [K]
    return [c / n for c in correct.tolist()]


def sweep(configs: list[TrainConfig], data_dir: str | os.PathLike | None = None,
          progress: bool = False, threads: int | None = None) -> list[TrainResult]:
    """Train every config at once as one batched model; return what `train(config)` gives for each.

    `threads`: torch intra-op threads. By default one thread for small sweeps (as in `train`:
    tiny matrices), torch's default for large ones, where each batched product has at least
    `THREADED_ROWS` rows (K x batch): measured on 2 idle cores, the 36-model seed grid takes
    1.9 s on 2 threads vs 2.6 s on one. On a machine busy with other work, pass `threads=1`.
    """
    check_sweep(configs)
    if threads is None:
        big = len(configs) * configs[0].batch_size >= THREADED_ROWS
        threads = torch.get_num_threads() if big else 1
    with torch_threads(threads):
        return _sweep(configs, data_dir, progress)


def _sweep(configs: list[TrainConfig], data_dir: str | os.PathLike | None,
           progress: bool) -> list[TrainResult]:
    """The body of `sweep`, for checked configs."""
    c0, K = configs[0], len(configs)
    splits = load_splits(c0, data_dir)
    tokens, labels = _as_tensors(splits["train"])  # [N, T], [N]
    dev, test = _as_tensors(splits["dev"]), _as_tensors(splits["test"])
    n, B = len(labels), c0.batch_size
    orders = batch_orders(configs, n)  # [E, K, N]
    models = [RNNClassifier(input_size=c.input_size, hidden_size=c.hidden_size, init=c.init,
                            seed=c.seed) for c in configs]
    params = batched.stack_parameters(models)  # name -> [K, ...]
    weights = list(params.values())
    limits = batched.clip_limits([c.clip for c in configs])
    clipping = any(c.clip is not None for c in configs)
    lr = torch.tensor([c.lr for c in configs])  # [K]; 0 for a model that has stopped

    best = {name: p.detach().clone() for name, p in params.items()}  # best dev weights, [K, ...]
    stopped: dict[int, dict[str, torch.Tensor]] = {}  # k -> weights when its loss went non-finite
    best_score, best_step = [-math.inf] * K, [None] * K
    dev_scores: list[list[tuple[int, float]]] = [[] for _ in range(K)]
    diverged_at: list[int | None] = [None] * K
    pre, post, step_losses = [], [], []  # one [K, P], [K, P], [K] tensor per step

    total_steps = c0.epochs * -(-n // B)
    bar = tqdm(total=total_steps, desc=f"sweep of {K}", disable=not progress, leave=False)
    step = 0
    for epoch in range(c0.epochs):
        for start in range(0, n, B):
            index = orders[epoch, :, start:start + B]  # [K, B]: each model's own batch
            loss = batched.losses(params, tokens[index], labels[index], c0.loss_reduction)  # [K]
            if not bool(torch.isfinite(loss).all()):
                _stop(params, lr, loss, step, diverged_at, stopped)
                if all(d is not None for d in diverged_at):
                    break
                loss = batched.losses(params, tokens[index], labels[index], c0.loss_reduction)
            grads = torch.autograd.grad(loss.sum(), weights)  # P tensors [K, ...]
            norms = batched.grad_norms(grads)  # [K, P], before clipping
            if clipping:
                batched.clip_(grads, norms, limits)
            pre.append(norms)
            post.append(batched.grad_norms(grads) if clipping else norms)
            step_losses.append(loss.detach())
            with torch.no_grad():  # plain SGD, each model with its own learning rate
                for p, g in zip(weights, grads):
                    p.sub_(lr.view((-1,) + (1,) * (g.dim() - 1)) * g)
            step += 1
            bar.update()
            if step % c0.eval_steps == 0 or step == total_steps:
                scores = _accuracy(params, *dev)
                for k in range(K):
                    if diverged_at[k] is None:
                        dev_scores[k].append((step, scores[k]))
                        if scores[k] > best_score[k]:
                            best_score[k], best_step[k] = scores[k], step
                            for name, p in params.items():
                                best[name][k] = p[k].detach()
        if all(d is not None for d in diverged_at):
            break
    bar.close()

    test_scores = _accuracy(best, *test)
    names = list(params)
    empty = torch.zeros(0, K, len(names))  # for a sweep that took no step at all
    pre_t, post_t = (torch.stack(t) if t else empty for t in (pre, post))  # [S, K, P]
    loss_t = torch.stack(step_losses) if step_losses else empty[..., 0]  # [S, K]
    results = []
    for k, config in enumerate(configs):
        taken = step if diverged_at[k] is None else diverged_at[k] - 1  # steps model k took
        pre_k, post_k = ({name: table[:taken, k, i].tolist() for i, name in enumerate(names)}
                         if taken else {} for table in (pre_t, post_t))  # as GradNormLogger fills it
        if best_step[k] is not None:
            model, test_accuracy = batched.load_slice(models[k], best, k), test_scores[k]
        else:  # stopped before its first evaluation: no checkpoint, as in `train`
            model, test_accuracy = batched.load_slice(models[k], stopped[k], 0), float("nan")
        results.append(TrainResult(config, GradNormLog(pre_k, post_k), loss_t[:taken, k].tolist(),
                                   dev_scores[k], max(best_score[k], 0.0), best_step[k],
                                   test_accuracy, diverged_at[k], model))
    return results


@torch.no_grad()
def _stop(params: dict[str, torch.Tensor], lr: torch.Tensor, loss: torch.Tensor, step: int,
          diverged_at: list[int | None], stopped: dict[int, dict[str, torch.Tensor]]) -> None:
    """Stop every model whose loss is non-finite, as the Runner does: no step taken, none recorded.

    Its weights are kept in `stopped`; its slot is zeroed and its lr set to 0, so it stays finite
    (no NaN in the shared tensors) and never moves again.
    """
    for k in torch.nonzero(~torch.isfinite(loss)).flatten().tolist():
        diverged_at[k] = step + 1
        stopped[k] = {name: p[k:k + 1].clone() for name, p in params.items()}  # [1, ...]
        for p in params.values():
            p[k] = 0.0
        lr[k] = 0.0
        warnings.warn(f"sweep: model {k} diverged at step {step + 1}: loss is {loss[k].item()}; "
                      f"its training stopped, the log keeps the {step} steps before it",
                      RuntimeWarning, stacklevel=3)
