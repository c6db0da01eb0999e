"""Benchmark: 6 x 6 grids trained as one batched sweep vs 36 sequential `train` runs; and the sweep on busy cores.

Part 1, speed-up: for each 6 x 6 grid (the blog post's setting: TrainConfig() defaults, length
20, SGD, batch 64, summed loss, 250 steps, lr in logspace(-3, 0, 6) x global max_norm in
[None, 0.5, 1, 5, 20, 100]; and two other grids), several rounds of: 36 sequential `train` runs
(one thread, one core), `sweep` (the default: one thread, one core) and `sweep(workers=2)`
(this process and a forked one, two cores). Prints the median ratio and its range over
the rounds, and whether every run of the sweep equals its `train` run bit for bit.

Part 2, machine states: the blog grid's sweep (shortened to `--state-epochs`, the ratio is what
counts) timed with 0, 1 and 2 busy-loop processes started next to it, for the default (one
thread), threads=2 (torch's default on 2 cores, the old default) and workers=2; each time is
also shown relative to the same way's time with no busy loop (goal: default <= 1.5x with one).

Everything is timed in one process, one after the other; the machine may be shared with other
work, so read the ratios, not the seconds. The defaults take about 5 minutes on a quiet 2-core
machine.
"""
from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import statistics
import time
import warnings

import numpy as np

from labkit import TrainConfig, digit_sum_splits, train
from labkit.sweep import grid, sweep

BLOG = TrainConfig()
BLOG_GRID = "blog: lr x max_norm, length 20"


def grids(epochs: int) -> dict[str, list[TrainConfig]]:
    """The three 6 x 6 grids, each run for `epochs` epochs (the blog post's 50 by default)."""
    base = dataclasses.replace(BLOG, epochs=epochs)
    return {
        BLOG_GRID: grid(
            base, lr=[float(x) for x in np.logspace(-3, 0, 6)], max_norm=[None, 0.5, 1.0, 5.0, 20.0, 100.0]),
        "lr x seed, length 20, clip 1": grid(
            dataclasses.replace(base, max_norm=1.0), lr=[0.01, 0.03, 0.1, 0.2, 0.5, 1.0], seed=list(range(6))),
        "lr x max_norm (per_tensor), length 10": grid(
            dataclasses.replace(base, length=10, clip_mode="per_tensor"),
            lr=[0.005, 0.02, 0.05, 0.1, 0.2, 0.5], max_norm=[None, 0.1, 1.0, 2.0, 10.0, 50.0]),
    }


def timed(fn) -> tuple[float, object]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def same(a, b) -> bool:
    """Two TrainResults with the same logs and outcome, bit for bit."""
    return (a.step_losses, a.grad_norms.pre, a.grad_norms.post, a.dev_scores, a.diverged_at) == \
        (b.step_losses, b.grad_norms.pre, b.grad_norms.post, b.dev_scores, b.diverged_at) and \
        (a.test_accuracy == b.test_accuracy or a.test_accuracy != a.test_accuracy)


def spread(values: list[float]) -> str:
    """median [min - max]."""
    return f"{statistics.median(values):5.1f}x [{min(values):.1f} - {max(values):.1f}]"


def speedups(rounds: dict[str, int], table: dict[str, list[TrainConfig]]) -> list[str]:
    """Part 1: time each grid `rounds[name]` times; return one summary line per grid."""
    lines = []
    for name, configs in table.items():
        one, two = [], []
        for _ in range(rounds[name]):
            t_seq, sequential = timed(lambda: [train(c) for c in configs])
            t_one, batched = timed(lambda: sweep(configs))
            one.append(t_seq / t_one)
            t_two, _ = timed(lambda: sweep(configs, workers=2))
            two.append(t_seq / t_two)
            print(f"  {name}: {len(configs)} x train {t_seq:6.2f} s   sweep {t_one:5.2f} s"
                  f"   sweep(workers=2) {t_two:5.2f} s", flush=True)
        equal = sum(same(b, s) for b, s in zip(batched, sequential))
        lines.append(f"{name:40s} {spread(one):>22s} {spread(two):>22s} "
                     f"{len(one):>7d} {equal:>5d}/{len(configs)}")
    return lines


def busy() -> None:
    """A process that wants a core all the time."""
    while True:
        pass


def machine_states(repeats: int, configs: list[TrainConfig]) -> list[str]:
    """Part 2: the table's lines."""
    ways = {"default (1 thread)": {}, "threads=2": {"threads": 2}, "workers=2": {"workers": 2}}
    rows = {}
    for n_busy in (0, 1, 2):
        loops = [multiprocessing.get_context("fork").Process(target=busy, daemon=True) for _ in range(n_busy)]
        for p in loops:
            p.start()
        try:
            rows[n_busy] = {way: statistics.median(timed(lambda: sweep(configs, **kw))[0]
                                                   for _ in range(repeats)) for way, kw in ways.items()}
        finally:
            for p in loops:
                p.terminate()
                p.join()
    c = configs[0]
    steps = c.epochs * -(-len(digit_sum_splits(c.length, c.data_seed)["train"]) // c.batch_size)
    lines = [f"blog grid sweep ({len(configs)} models, {steps} steps), median of {repeats} "
             f"(seconds; x = relative to the same way with no busy loop)",
             f"{'busy-loop processes':22s}" + "".join(f"{way:>26s}" for way in ways)]
    for n_busy, row in rows.items():
        lines.append(f"{n_busy:<22d}" + "".join(f"{row[w]:>18.2f} s {row[w] / rows[0][w]:4.1f}x" for w in ways))
    return lines


def main() -> None:
    """Time both parts and print them (the summary tables again at the end)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="rounds on the blog grid (default 3)")
    parser.add_argument("--other-repeats", type=int, default=2, help="rounds on each other grid (default 2)")
    parser.add_argument("--grids", type=int, default=3, help="time the first N grids (default all 3)")
    parser.add_argument("--epochs", type=int, default=50, help="epochs per run (default 50 = 250 steps)")
    parser.add_argument("--state-epochs", type=int, default=10, help="epochs of Part 2's sweep (default 10)")
    parser.add_argument("--state-repeats", type=int, default=3, help="repeats per cell of Part 2 (default 3)")
    parser.add_argument("--part", choices=["all", "speedup", "states"], default="all")
    args = parser.parse_args()
    train(TrainConfig(epochs=1))  # warm-up: imports, first-call allocations
    summary = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # divergence warnings (large lr, no clip)
        if args.part in ("all", "speedup"):
            table = dict(list(grids(args.epochs).items())[:args.grids])
            rounds = {name: args.repeats if name == BLOG_GRID else args.other_repeats for name in table}
            summary += [f"\nspeed-up vs sequential train, median [min - max] over rounds (target >= 10x)",
                        f"{'grid':40s} {'sweep (1 core)':>22s} {'workers=2 (2 cores)':>22s} "
                        f"{'rounds':>7s} {'equal':>11s}"]
            summary += speedups(rounds, table)
        if args.part in ("all", "states"):
            summary += [""] + machine_states(args.state_repeats, grids(args.state_epochs)[BLOG_GRID])
    print("\n".join(summary))


if __name__ == "__main__":
    main()
