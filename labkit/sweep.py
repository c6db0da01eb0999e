"""`sweep(configs)`: train K configurations in lockstep as one batched model; `grid(base, **axes)`.

Each model k gets what `train(configs[k])` gives it: the same initial weights (`make_model`), the
same batch order (shuffled with its own seed), its own learning rate and clipping, and the same
optimizer step (`runner.training_step`, over `batched.StackedClassifier`), hence the same logs,
dev scores, best checkpoint and test accuracy, returned as a `TrainResult`. Slice k of every
batched product is computed exactly as the one-model product, so on one thread (the default of
both) the numbers are the same bit for bit, exploding runs included: tests/test_sweep.py checks
every step of clipped, unclipped and diverging runs against `train`, e.g. length 20, lr 0.2,
clip 1 over 140 steps. (On several threads MKL rounds the small [10, 32] x [32, 32] product of
the embedding table differently, and an exploding run amplifies that: then the two are
different samples of the same chaotic process.)
A model that diverges (the rule of `runner.py`) stops there, as in the Runner; the others go on
unchanged. This module is the outer loop of a sweep: batches, evaluation, stopping, logs.
"""
from __future__ import annotations

import dataclasses
import itertools
import math
import multiprocessing
import os
from collections.abc import Sequence

import torch
from tqdm import tqdm

from . import batched
from .config import TrainConfig
from .grad_log import GradNormLog
from .models import classifier_logits
from .runner import training_step, warn_diverged
from .training import TrainResult, load_splits, make_loss, make_model, torch_threads

SHARED = ("length", "batch_size", "epochs", "eval_steps", "loss_reduction", "input_size",
          "hidden_size", "data_seed")  # fields every config of one sweep must agree on


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


def batchable(config: TrainConfig) -> bool:
    """True if `sweep` can run this config: the SRN, SGD, float32 (`check_sweep` says why not)."""
    return config.cell == "srn" and config.optimizer == "sgd" and config.dtype == "float32"


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
        if config.cell != "srn":
            raise ValueError(f"sweep: config {k} uses cell {config.cell!r}; the batched sweep runs "
                             f"the SRN only (use labkit.train for an LSTM or GRU)")
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
    logits = classifier_logits(params, tokens.expand(K, -1, -1))  # [K, N, C]
    correct = (logits.argmax(dim=2) == labels).sum(dim=1)  # [K]
    return [c / n for c in correct.tolist()]


def sweep(configs: list[TrainConfig], data_dir: str | os.PathLike | None = None,
          progress: bool = False, threads: int = 1, workers: int = 1,
          frozen: Sequence[str] = ()) -> list[TrainResult]:
    """Train every config at once as one batched model; return what `train(config)` gives for each.

    `frozen`: names of parameters (e.g. ["embedding"]) kept at their initial values in every
    model, as `train(config, callbacks=[FreezeParameters(frozen)])` keeps them.

    `threads`: torch intra-op threads, 1 by default (as in `train`): the parallelism comes from
    batching, and threads that wait on each other at every operation make a sweep many times
    slower as soon as another process wants a core (benchmarks/bench_sweep.py measures it).
    `workers` > 1 splits the configs over that many processes (this one and forked ones), one
    thread each: they meet only at the end, so a busy core slows one of them down instead of all
    of them. Each model's numbers do not depend on how the configs are split.
    """
    check_sweep(configs)
    frozen = _check_frozen(frozen, configs[0])
    if not isinstance(workers, int) or workers < 1:
        raise ValueError(f"sweep: workers must be an int >= 1, got {workers!r}")
    workers = min(workers, len(configs))
    if workers == 1:
        return _sweep_on(configs, data_dir, progress, threads, frozen)
    size = -(-len(configs) // workers)
    parts = [(configs[i:i + size], data_dir, progress and i == 0, threads, frozen)
             for i in range(0, len(configs), size)]
    # this process trains the first part (with the progress bar) while forked workers train the rest
    with multiprocessing.get_context("fork").Pool(len(parts) - 1) as pool:
        rest = pool.starmap_async(_sweep_on, parts[1:])
        first = _sweep_on(*parts[0])
        return first + [r for part in rest.get() for r in part]


def _check_frozen(frozen: Sequence[str], config: TrainConfig) -> tuple[str, ...]:
    """The names of `frozen` as a tuple; ValueError for a string or a name the classifier lacks."""
    if isinstance(frozen, str):
        raise ValueError(f"sweep: frozen must be a list of parameter names, got {frozen!r}")
    names = [name for name, _ in make_model(config).named_parameters()]
    missing = [name for name in frozen if name not in names]
    if missing:
        raise ValueError(f"sweep: frozen names {missing} are not parameters of the classifier; "
                         f"it has {names}")
    return tuple(frozen)


def _sweep_on(configs: list[TrainConfig], data_dir: str | os.PathLike | None, progress: bool,
              threads: int, frozen: tuple[str, ...]) -> list[TrainResult]:
    """`_sweep` on `threads` torch threads."""
    with torch_threads(threads):
        return _sweep(configs, data_dir, progress, frozen)


def _sweep(configs: list[TrainConfig], data_dir: str | os.PathLike | None,
           progress: bool, frozen: tuple[str, ...]) -> list[TrainResult]:
    """The body of `sweep`, for checked configs."""
    c0, K = configs[0], len(configs)
    splits = load_splits(c0, data_dir)
    tokens, labels = _as_tensors(splits["train"])  # [N, T], [N]
    dev, test = _as_tensors(splits["dev"]), _as_tensors(splits["test"])
    n, B = len(labels), c0.batch_size
    orders = batch_orders(configs, n)  # [E, K, N]
    models = [make_model(c) for c in configs]
    model = batched.StackedClassifier(models)
    params = model.tensors()  # name -> [K, ...], the live weights
    for name in frozen:  # no gradient: clipping and SGD never see it (as `FreezeParameters`)
        params[name].requires_grad_(False)
    optimizer = batched.SGD(model.parameters(), torch.tensor([c.lr for c in configs]))  # lr [K]
    clips = [c.clip for c in configs]
    limits = batched.clip_limits(clips) if any(c is not None for c in clips) else None
    loss_fn = make_loss(c0)

    best = {name: p.detach().clone() for name, p in params.items()}  # best dev weights, [K, ...]
    stopped: dict[int, dict[str, torch.Tensor]] = {}  # k -> its weights when it diverged
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
            batch = tokens[index], labels[index]  # [K, B, T], [K, B]
            result = training_step(model, optimizer, loss_fn, batch, limits)
            while not result.taken and len(stopped) < K:  # stop the diverged models, retry the others
                _stop(model, optimizer, result.bad, step + 1, result.why, diverged_at, stopped)
                result = training_step(model, optimizer, loss_fn, batch, limits)
            if len(stopped) == K:
                break
            step += 1
            pre.append(result.pre)
            post.append(result.post)
            step_losses.append(result.losses)
            bar.update()
            if result.bad.any():  # this update left non-finite or overflowing weights
                _stop(model, optimizer, result.bad, step + 1, result.why, diverged_at, stopped)
            if step % c0.eval_steps == 0 or step == total_steps:
                scores = _accuracy(params, *dev)
                for k in range(K):
                    if diverged_at[k] is None:
                        dev_scores[k].append((step, scores[k]))
                        if scores[k] > best_score[k]:
                            best_score[k], best_step[k] = scores[k], step
                            for name, p in params.items():
                                best[name][k] = p[k].detach()
        if len(stopped) == K:
            break
    bar.close()

    test_scores = _accuracy(best, *test)
    names = [name for name in params if name not in frozen]  # the columns of pre and post
    column = {name: i for i, name in enumerate(names)}
    empty = torch.zeros(0, K, len(names))  # for a sweep that took no step at all
    pre_t, post_t = (torch.stack(t) if t else empty for t in (pre, post))  # [S, K, P]
    loss_t = torch.stack(step_losses) if step_losses else empty[..., 0]  # [S, K]
    pre_l, post_l, loss_l = pre_t.tolist(), post_t.tolist(), loss_t.tolist()  # one conversion each
    results = []
    for k, config in enumerate(configs):
        taken = step if diverged_at[k] is None else diverged_at[k] - 1  # steps model k took
        pre_k, post_k = ({name: [row[k][column[name]] for row in table[:taken]]
                          if name in column else [0.0] * taken for name in params}
                         if taken else {} for table in (pre_l, post_l))  # as GradNormLogger fills it
        if best_step[k] is not None:
            best_model, test_accuracy = batched.load_slice(models[k], best, k), test_scores[k]
        else:  # stopped before its first evaluation: no checkpoint, as in `train`
            best_model, test_accuracy = batched.load_slice(models[k], stopped[k], 0), float("nan")
        results.append(TrainResult(config, GradNormLog(pre_k, post_k), [row[k] for row in loss_l[:taken]],
                                   dev_scores[k], max(best_score[k], 0.0), best_step[k],
                                   test_accuracy, diverged_at[k], best_model))
    return results


@torch.no_grad()
def _stop(model: batched.StackedClassifier, optimizer: batched.SGD, bad: torch.Tensor, step: int,
          why: str, diverged_at: list[int | None], stopped: dict[int, dict[str, torch.Tensor]]) -> None:
    """Stop every model flagged in `bad` [K] at `step`, as the Runner does: the log keeps the steps before it.

    Its weights are kept in `stopped`; its slot is zeroed and its lr set to 0, so it stays finite
    (no NaN in the shared tensors) and never moves again.
    """
    for k in torch.nonzero(bad).flatten().tolist():
        diverged_at[k] = step
        stopped[k] = {name: p[k:k + 1].clone() for name, p in model.tensors().items()}  # [1, ...]
        for p in model.parameters():
            p[k] = 0.0
        optimizer.lr[k] = 0.0
        warn_diverged(step, why, who=f"sweep: model {k} ")
