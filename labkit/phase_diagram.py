"""The Explore page's phase diagram: an lr x max_norm grid per clip mode, over seeds, as page data.

`phase_configs` lists the runs (chapter 5's setting; "no clipping" once per lr and seed, since
the mode changes nothing without clipping), `run_all` trains them batched, and `phase_data`
summarises each cell over its seeds (mean test accuracy, the largest raw gradient norm, the
fraction of steps clipped, mean curves downsampled) into the JSON the page's heat maps read
(book/_static/trainer/phase.js; `cell_key` is written there in the same way). It trains and
summarises; it draws nothing and writes no HTML (that is `labkit.trainer_page`).
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np

from .clipping import CLIP_MODES
from .config import TrainConfig
from .training import TrainResult

SETTING = TrainConfig(length=10, epochs=200)  # chapter 5's setting: L10, 1000 SGD steps, summed loss
OFF = "off"  # the mode (and max_norm) key of an unclipped cell


def cell_key(lr: float, max_norm: float | None, mode: str) -> str:
    """The cell's key in the page data: 'lr|max_norm|mode', or 'lr|off|off' without clipping."""
    if max_norm is None:
        return f"{_js(lr)}|{OFF}|{OFF}"
    return f"{_js(lr)}|{_js(max_norm)}|{mode}"


def _js(x: float) -> str:
    """A float as JavaScript's String(x) writes it for the grid's values (0.2, 1, 20)."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def phase_configs(lrs: Sequence[float], max_norms: Sequence[float | None], seeds: Sequence[int],
                  base: TrainConfig = SETTING, modes: Sequence[str] = CLIP_MODES) -> list[TrainConfig]:
    """Every (lr, max_norm, mode, seed) of the grid; max_norm None (no clipping) once per lr and seed."""
    if not lrs or not max_norms or not seeds or not modes:
        raise ValueError("phase_configs: needs at least one lr, max_norm, seed and mode")
    if any(m is not None and m <= 0 for m in max_norms):
        raise ValueError(f"phase_configs: max_norms must be > 0 or None, got {list(max_norms)}")
    if any(m not in CLIP_MODES for m in modes):
        raise ValueError(f"phase_configs: modes must be among {CLIP_MODES}, got {list(modes)}")
    return [dataclasses.replace(base, lr=lr, max_norm=m, clip_mode=mode if m is not None else base.clip_mode,
                                seed=s)
            for lr in lrs for m in max_norms for mode in (modes if m is not None else modes[:1])
            for s in seeds]


def clipped_fraction(result: TrainResult, rtol: float = 1e-6) -> float:
    """Fraction of the run's steps where clipping shortened some gradient (post < pre)."""
    log = result.grad_norms
    if result.config.max_norm is None or log.steps == 0:
        return 0.0
    pre = np.array(list(log.pre.values()))    # [P, steps]
    post = np.array(list(log.post.values()))  # [P, steps]
    return float(np.mean((post < pre * (1 - rtol)).any(axis=0)))


def _mean_curve(curves: list[list[float]], steps: int, every: int) -> tuple[list[int], list[float | None]]:
    """Window means (every `every` steps) of the per-step mean over runs; finite values only."""
    table = np.full((len(curves), steps), np.nan)  # [runs, steps]
    for k, c in enumerate(curves):
        values = np.asarray(c[:steps], dtype=float)
        table[k, :len(values)] = np.where(np.isfinite(values), values, np.nan)
    xs, ys = [], []
    for start in range(0, steps, every):
        window = table[:, start:start + every]
        xs.append(min(start + every, steps))
        ys.append(None if np.isnan(window).all() else _round(float(np.nanmean(window))))
    return xs, ys


def _round(x: float, digits: int = 3) -> float:
    """x to `digits` significant digits (a smaller page)."""
    return 0.0 if x == 0 else float(f"{x:.{digits}g}")


def phase_data(results: Sequence[TrainResult], every: int = 25) -> dict:
    """The page's JSON: the grid's axes, its seeds, and per cell the metrics and mean curves."""
    groups: dict[str, list[TrainResult]] = {}
    for r in results:
        groups.setdefault(cell_key(r.config.lr, r.config.max_norm, r.config.clip_mode), []).append(r)
    first = results[0].config
    steps = max(len(r.step_losses) for r in results)  # a diverged run stops early
    cells = {}
    for key, runs in groups.items():
        test = [r.test_accuracy for r in runs]
        x, loss = _mean_curve([r.step_losses for r in runs], steps, every)
        _, pre = _mean_curve([r.grad_norms.total("pre") for r in runs], steps, every)
        dev_steps = sorted({s for r in runs for s, _ in r.dev_scores})
        dev = [_round(float(np.mean([a for r in runs for s2, a in r.dev_scores if s2 == s]))) for s in dev_steps]
        cells[key] = {
            "test": _round(float(np.nanmean(test))), "testSd": _round(float(np.nanstd(test, ddof=1))) if len(test) > 1 else 0.0,
            "maxPre": _round(float(np.mean([max(r.grad_norms.total("pre"), default=0.0) for r in runs]))),
            "clipped": _round(float(np.mean([clipped_fraction(r) for r in runs]))),
            "n": len(runs),
            "curves": {"x": x, "loss": loss, "preTotal": pre, "devX": dev_steps, "dev": dev},
        }
    return {
        "setting": {"length": first.length, "steps": steps, "optimizer": first.optimizer,
                    "lossReduction": first.loss_reduction},
        "seeds": sorted({r.config.seed for r in results}),
        "lrs": sorted({r.config.lr for r in results}),
        "maxNorms": sorted({r.config.max_norm for r in results}, key=lambda m: math.inf if m is None else m),
        "modes": list(dict.fromkeys(r.config.clip_mode for r in results if r.config.max_norm is not None)),
        "cells": cells,
    }
