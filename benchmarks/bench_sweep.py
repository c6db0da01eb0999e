"""Benchmark: a 6 x 6 lr x max_norm grid trained as one batched sweep vs 36 sequential `train` runs.

The grid is the seed config (TrainConfig() defaults: length 20, SGD, batch 64, summed loss,
50 epochs = 250 steps) with lr in logspace(-3, 0, 6) and global max_norm in
[None, 0.5, 1, 5, 20, 100]. Both are timed in the same process, one after the other; the
machine may be shared, so run it a few times and read the ratio, not the seconds. Each runs with
its own thread choice: `train` on one thread (tiny matrices), `sweep` of 36 models on torch's
default (its products are 36x larger); the sweep on one thread is timed and printed too.
Prints the two times, the speed-up, and how closely the two agree on the non-chaotic runs.
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import torch

from labkit import TrainConfig, train
from labkit.sweep import grid, sweep

LRS = [float(x) for x in np.logspace(-3, 0, 6)]
MAX_NORMS = [None, 0.5, 1.0, 5.0, 20.0, 100.0]


def main() -> None:
    """Time both ways and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=50,
                        help="epochs per run (default 50 = 250 steps)")
    args = parser.parse_args()
    configs = grid(TrainConfig(epochs=args.epochs), lr=LRS, max_norm=MAX_NORMS)
    train(TrainConfig(epochs=1))  # warm-up: imports, first-call allocations
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # divergence warnings (large lr, no clip)
        start = time.perf_counter()
        batched = sweep(configs)
        t_sweep = time.perf_counter() - start
        start = time.perf_counter()
        sweep(configs, threads=1)
        t_sweep_1 = time.perf_counter() - start
        start = time.perf_counter()
        sequential = [train(c) for c in configs]
        t_seq = time.perf_counter() - start
    print(f"{len(configs)} configs x {sequential[0].grad_norms.steps} steps")
    print(f"sequential train(): {t_seq:6.2f} s")
    print(f"batched sweep():    {t_sweep:6.2f} s  ({torch.get_num_threads()} threads)")
    print(f"speed-up:           {t_seq / t_sweep:6.1f}x  (target >= 10x)")
    print(f"batched sweep() on 1 thread: {t_sweep_1:.2f} s, speed-up {t_seq / t_sweep_1:.1f}x")
    first = [abs(b.step_losses[0] - s.step_losses[0]) / s.step_losses[0]
             for b, s in zip(batched, sequential)]
    close = sum(len(b.step_losses) == len(s.step_losses)
                and all(abs(x - y) <= 1e-4 * abs(y) for x, y in zip(b.step_losses, s.step_losses))
                for b, s in zip(batched, sequential))
    same_div = sum(b.diverged_at == s.diverged_at for b, s in zip(batched, sequential))
    print(f"agreement: first-step loss to {max(first):.0e} (relative); every step loss within 1e-4 "
          f"in {close}/{len(configs)} runs (in the others the exploding gradients amplify float "
          f"rounding); same diverged_at in {same_div}/{len(configs)}")

if __name__ == "__main__":
    main()
