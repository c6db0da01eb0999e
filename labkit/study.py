"""Several runs, one table: run many configs, repeat them over seeds, report mean ± sd.

`run_all` trains a list of configs (with the batched `labkit.sweep` where it applies, else one
`train` after another); `seed_study` repeats labelled configs over seeds and summarises a metric;
`metric_grid` arranges the results of an lr x max_norm grid as a 2-D array for a heat map.
This module runs and summarises experiments; it draws nothing.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from .config import TrainConfig
from .sweep import SHARED, batchable, sweep
from .training import TrainResult, train

Metric = Callable[[TrainResult], float]


def final_test_accuracy(result: TrainResult) -> float:
    """The test accuracy of the run's best dev checkpoint."""
    return result.test_accuracy


def max_grad_norm(result: TrainResult) -> float:
    """The largest raw (pre-clip) global gradient norm over all steps of the run."""
    return max(result.grad_norms.total("pre"), default=float("nan"))


@dataclasses.dataclass(frozen=True)
class Summary:
    """Mean and sample standard deviation (ddof=1) of one metric over n runs."""

    values: tuple[float, ...]

    @property
    def n(self) -> int:
        """Number of runs."""
        return len(self.values)

    @property
    def mean(self) -> float:
        """Arithmetic mean."""
        return float(np.mean(self.values))

    @property
    def sd(self) -> float:
        """Sample standard deviation (ddof=1); nan for a single run."""
        return float(np.std(self.values, ddof=1)) if self.n > 1 else math.nan

    def __format__(self, spec: str) -> str:
        spec = spec or ".3f"  # f"{s:.0f}" formats mean and sd alike
        return f"{self.mean:{spec}} ± {self.sd:{spec}} (n={self.n})"

    def __str__(self) -> str:
        return format(self)


def summarize(values: Sequence[float]) -> Summary:
    """A `Summary` of the given numbers; ValueError if there are none."""
    if len(values) == 0:
        raise ValueError("summarize: needs at least one value")
    return Summary(tuple(float(v) for v in values))


def run_all(configs: Sequence[TrainConfig], batched: bool = True) -> list[TrainResult]:
    """`[train(c) for c in configs]`; configs `sweep` can run (`batchable`) that share data and
    schedule run batched."""
    configs = list(configs)
    if not batched:
        return [train(c) for c in configs]
    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(configs):
        key = tuple(getattr(c, name) for name in SHARED) if batchable(c) else ("unbatched", i)
        groups.setdefault(key, []).append(i)
    results: list[TrainResult | None] = [None] * len(configs)
    for index in groups.values():
        group = [configs[i] for i in index]
        done = sweep(group) if batchable(group[0]) else [train(group[0])]
        for i, result in zip(index, done):
            results[i] = result
    return results  # type: ignore[return-value]


def with_seeds(configs: Mapping[str, TrainConfig], seeds: Sequence[int]) -> list[TrainConfig]:
    """Every labelled config once per seed (label-major order), seed replaced."""
    if len(seeds) == 0:
        raise ValueError("with_seeds: needs at least one seed")
    return [dataclasses.replace(c, seed=s) for c in configs.values() for s in seeds]


def seed_study(configs: Mapping[str, TrainConfig], seeds: Sequence[int],
               batched: bool = True) -> dict[str, list[TrainResult]]:
    """Run each labelled config once per seed: label -> its runs, in the order of `seeds`."""
    results = run_all(with_seeds(configs, seeds), batched=batched)
    n = len(seeds)
    return {label: results[i * n:(i + 1) * n] for i, label in enumerate(configs)}


def summary_table(runs: Mapping[str, Sequence[TrainResult]],
                  metric: Metric = final_test_accuracy) -> dict[str, Summary]:
    """label -> `Summary` of `metric` over that label's runs."""
    return {label: summarize([metric(r) for r in rs]) for label, rs in runs.items()}


def metric_grid(results: Sequence[TrainResult], rows: str, cols: str,
                metric: Metric = final_test_accuracy) -> tuple[list, list, np.ndarray]:
    """(row values, column values, mean metric [R, C]) over results sharing a (row, col) cell."""
    row_values = list(dict.fromkeys(getattr(r.config, rows) for r in results))
    col_values = list(dict.fromkeys(getattr(r.config, cols) for r in results))
    cells: dict[tuple, list[float]] = {}
    for r in results:
        cells.setdefault((getattr(r.config, rows), getattr(r.config, cols)), []).append(metric(r))
    table = np.full((len(row_values), len(col_values)), np.nan)  # [R, C]
    for (rv, cv), values in cells.items():
        table[row_values.index(rv), col_values.index(cv)] = np.mean(values)
    return row_values, col_values, table
