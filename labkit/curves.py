"""Many runs, one curve: mean and range over seeds, clipped-step fractions, per-parameter norm shares.

Plain numbers in, plain numbers out: these helpers summarise `TrainResult`s and `GradNormLog`s
for the learning-curve, lr x max_norm and gradient-share figures. They train and draw nothing.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .grad_log import GradNormLog
from .training import TrainResult


def mean_band(curves: Sequence[Sequence[float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, min, max) over runs of equally long curves [R, S] -> three arrays [S]."""
    if len(curves) == 0:
        raise ValueError("mean_band: needs at least one curve")
    if len({len(c) for c in curves}) != 1:
        raise ValueError(f"mean_band: curves differ in length {sorted({len(c) for c in curves})}")
    table = np.asarray(curves, dtype=float)  # [R, S]
    return table.mean(axis=0), table.min(axis=0), table.max(axis=0)


def moving_average(values: Sequence[float], window: int) -> np.ndarray:
    """Mean of each `window` consecutive values (a trailing window, shorter at the start): [S]."""
    if window < 1:
        raise ValueError(f"moving_average: window must be >= 1, got {window}")
    v = np.asarray(values, dtype=float)
    sums = np.cumsum(np.concatenate([[0.0], v]))  # [S + 1]
    ends = np.arange(1, len(v) + 1)
    starts = np.maximum(ends - window, 0)
    return (sums[ends] - sums[starts]) / (ends - starts)


def fraction_clipped(result: TrainResult) -> float:
    """Fraction of steps whose raw global norm exceeded the run's max_norm (0 without clipping)."""
    c = result.config.max_norm
    pre = result.grad_norms.total("pre")
    if c is None or not pre:
        return 0.0
    return float(np.mean(np.asarray(pre) > c))


def norm_share(log: GradNormLog, which: str = "pre") -> dict[str, np.ndarray]:
    """name -> its share of the squared global norm at every step, ‖∇θ‖² / Σ‖∇θ'‖² ([S]; 0 where all are 0)."""
    table = {"pre": log.pre, "post": log.post}[which]
    names = list(table)
    squares = np.asarray([table[n] for n in names], dtype=float) ** 2  # [P, S]
    total = squares.sum(axis=0)  # [S]
    shares = np.divide(squares, total, out=np.zeros_like(squares), where=total > 0)
    return dict(zip(names, shares))


def peak_norm(result: TrainResult, name: str) -> float:
    """The largest raw gradient norm of parameter `name` over the run's steps."""
    if name not in result.grad_norms.pre:
        raise ValueError(f"peak_norm: no parameter {name!r}; logged: {list(result.grad_norms.pre)}")
    return max(result.grad_norms.pre[name], default=float("nan"))


def by_step_cap(results: Sequence[TrainResult],
                metric: Callable[[TrainResult], float]) -> dict[float, dict[tuple[float, float], list[float]]]:
    """Clipped runs grouped by their step cap lr·max_norm: cap -> {(lr, max_norm): metric per run}."""
    groups: dict[float, dict[tuple[float, float], list[float]]] = {}
    for r in results:
        c = r.config.max_norm
        if c is None:
            continue
        cap = round(r.config.lr * c, 12)  # 0.05 * 4 and 0.2 * 1 are one cap
        groups.setdefault(cap, {}).setdefault((r.config.lr, c), []).append(metric(r))
    return dict(sorted(groups.items()))
