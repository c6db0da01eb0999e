"""The in-browser trainer (book/_static/trainer/, run here under node) computes what labkit computes.

The JS engine starts from labkit's initial weights and batch order (`labkit.js_export`) and is held
against `labkit.train` in float64: per-step losses, and the W/U/b and total gradient norms before
and after clipping, agree to 1e-9 (relative) for 50 steps and 1e-6 for 200 steps, for every clip
mode, SGD and Adam, sum and mean, lengths 5 and 20; dev scores, best step and test accuracy are
equal. An exploding run cannot agree to 1e-9 for long: rounding differences (~1e-16) are amplified
once the tanh units saturate, within labkit itself too; there we require agreement as close as
labkit agrees with itself when its initial weights move by one ulp. The JS-only unit tests
(BPTT against finite differences, PRNG, clipping, the worker protocol) run via `node --test`.
"""
from __future__ import annotations

import dataclasses
import itertools
import json
import math
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch

from labkit import Callback, SpectralRadiusLogger, TrainConfig, digit_sum_splits, train
from labkit.data import LENGTHS
from labkit.js_export import initial_state, js_config

JS = Path(__file__).resolve().parent / "js"
NODE = shutil.which("node")
SERIES = ["rnn_model.W", "rnn_model.U", "rnn_model.b"]  # the norms compared, before and after clipping

# 200 steps that do not explode, clipping in every step (length 20) or in some steps (length 5)
LR = {("sgd", "sum"): 0.005, ("sgd", "mean"): 0.3, ("adam", "sum"): 0.003, ("adam", "mean"): 0.003}
MAX_NORM = {5: {("global", "sum"): 40.0, ("per_tensor", "sum"): 25.0, ("value", "sum"): 5.0,
                ("global", "mean"): 0.7, ("per_tensor", "mean"): 0.45, ("value", "mean"): 0.08},
            20: {("global", "sum"): 2.0, ("per_tensor", "sum"): 1.0, ("value", "sum"): 0.05,
                 ("global", "mean"): 0.1, ("per_tensor", "mean"): 0.05, ("value", "mean"): 0.005}}
STEADY = [TrainConfig(length=L, lr=LR[opt, red], optimizer=opt, loss_reduction=red, clip_mode=mode,
                      max_norm=MAX_NORM[L][mode, red], epochs=40, eval_steps=50, dtype="float64")
          for L, mode, opt, red in itertools.product((5, 20), ("global", "per_tensor", "value"),
                                                     ("sgd", "adam"), ("sum", "mean"))
          if L == 5 or ((opt == "sgd") == (red == "sum")) != (mode == "per_tensor")]  # at 20: every pair covered
STEADY += [TrainConfig(length=5, lr=0.005, epochs=40, eval_steps=50, dtype="float64"),  # no clipping
           TrainConfig(length=5, lr=0.003, optimizer="adam", loss_reduction="mean", epochs=40,
                       eval_steps=50, init="zeros", shuffle=False, seed=3, dtype="float64")]
EXPLODING = TrainConfig(length=20, lr=0.2, epochs=2, dtype="float64")  # the blog post's setting, no clipping


def node_or_skip() -> str:
    """The node executable; skip without it (fail under CI=true: node is part of the toolchain)."""
    if NODE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node (Node 20) is not on PATH: the JS engine tests must run in CI")
        pytest.skip("node (Node 20) is not on PATH: the JS engine is not tested")
    return NODE


def run_node(*args: str | Path) -> str:
    """stdout of `node args...`; a failure shows node's stderr."""
    done = subprocess.run([node_or_skip(), *map(str, args)], capture_output=True, text=True)
    assert done.returncode == 0, f"node {' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def replay(configs: list[TrainConfig], folder: Path) -> list[dict]:
    """The JS engine's records and summary for each config, from labkit's initial state."""
    jobs, out = folder / "jobs.json", folder / "out.json"
    jobs.write_text(json.dumps([{"config": js_config(c), **initial_state(c)} for c in configs]))
    run_node(JS / "replay.mjs", jobs, out)
    text = out.read_text()
    for word in ("NaN", "Infinity", "-Infinity"):  # replay.mjs writes non-finite numbers as strings
        text = text.replace(f'"{word}"', word)
    return json.loads(text)


def relative(a, b) -> np.ndarray:
    """|a - b| / max(|a|, |b|) elementwise (0 where both are 0)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.maximum(np.abs(a), np.abs(b))
    return np.divide(np.abs(a - b), scale, out=np.zeros_like(scale), where=scale > 0)


def per_step_difference(records: list[dict], result) -> np.ndarray:
    """Each step's largest relative difference: loss, W/U/b norms and total norm, before and after clipping."""
    log = result.grad_norms
    pairs = [([r["loss"] for r in records], result.step_losses),
             ([r["preTotal"] for r in records], log.total("pre")),
             ([r["postTotal"] for r in records], log.total("post"))]
    pairs += [([r[which][name] for r in records], getattr(log, which)[name])
              for name in SERIES for which in ("pre", "post")]
    assert all(len(js) == len(lab) for js, lab in pairs), "the engine and labkit took different numbers of steps"
    return np.max([relative(js, lab) for js, lab in pairs], axis=0)


@pytest.fixture(scope="module")
def steady(tmp_path_factory) -> list[tuple[TrainConfig, dict, object, list[float]]]:
    """(config, JS result, labkit result, labkit's rho(U) at start and after every step) per STEADY config."""
    js = replay(STEADY, tmp_path_factory.mktemp("steady"))
    runs = []
    for config, js_run in zip(STEADY, js):
        radii = SpectralRadiusLogger()
        runs.append((config, js_run, train(config, callbacks=[radii]), radii.radii))
    return runs


def describe(config: TrainConfig) -> str:
    clip = "no clip" if config.max_norm is None else f"{config.clip_mode} {config.max_norm:g}"
    order = "" if config.shuffle else " unshuffled"
    return f"L{config.length} {config.optimizer} {config.loss_reduction} {clip} {config.init}{order} seed {config.seed}"


@pytest.mark.parametrize("index", range(len(STEADY)), ids=[describe(c) for c in STEADY])
def test_the_engine_computes_labkits_numbers(steady, index):
    config, js, lab, radii = steady[index]
    records = js["records"]
    assert len(records) == len(lab.step_losses) == 200
    difference = per_step_difference(records, lab)
    assert difference[:50].max() <= 1e-9, f"steps 1-50 differ by up to {difference[:50].max():.2e}"
    assert difference.max() <= 1e-6, f"steps 1-200 differ by up to {difference.max():.2e}"
    clipped = np.mean([r["clipped"] for r in records])
    if config.max_norm is None:
        assert clipped == 0
    else:  # the clipping code ran: at length 5 in some steps only (the cap at 1 matters), at 20 in all
        assert (0 < clipped < 1) if config.length == 5 else clipped == 1, f"clipped in {clipped:.0%} of steps"
    assert [(r["step"], r["dev"]) for r in records if r["dev"] is not None] == [tuple(s) for s in lab.dev_scores]
    summary = js["summary"]
    assert (summary["bestStep"], summary["bestDev"], summary["testAccuracy"], summary["divergedAt"]) == \
        (lab.best_step, lab.best_dev_accuracy, lab.test_accuracy, lab.diverged_at)
    rho = [(r["step"], r["rho"]) for r in records if r["rho"] is not None]
    assert [s for s, _ in rho] == list(range(10, 201, 10))
    assert relative([js["initialRho"]] + [v for _, v in rho], [radii[0]] + [radii[s] for s, _ in rho]).max() <= 1e-9


class NudgeWeights(Callback):
    """Moves every initial weight one ulp up: how sensitive is the run to rounding?"""

    def on_train_start(self, runner) -> None:
        with torch.no_grad():
            for p in runner.model.parameters():
                p.copy_(torch.nextafter(p, torch.full_like(p, float("inf"))))


def test_an_exploding_run_agrees_as_closely_as_labkit_agrees_with_itself(tmp_path):
    [js] = replay([EXPLODING], tmp_path)
    lab, nudged = train(EXPLODING), train(EXPLODING, callbacks=[NudgeWeights()])
    total = lab.grad_norms.total("pre")
    assert max(total) > 1000 * total[0], "the run did not explode: the test would test nothing"
    difference = per_step_difference(js["records"], lab)
    sensitivity = np.maximum.accumulate(per_step_difference(
        [{"loss": l, "preTotal": pt, "postTotal": qt, "pre": pre, "post": post}
         for l, pt, qt, pre, post in zip(nudged.step_losses, nudged.grad_norms.total("pre"),
                                         nudged.grad_norms.total("post"),
                                         _by_step(nudged.grad_norms.pre), _by_step(nudged.grad_norms.post))],
        lab))
    bound = np.maximum(1e-9, 100 * sensitivity)
    assert len(difference) == 10 and (difference <= bound).all(), \
        f"engine vs labkit {difference.tolist()}\nlabkit vs labkit nudged one ulp {sensitivity.tolist()}"


def _by_step(table: dict[str, list[float]]) -> list[dict[str, float]]:
    """{name: [v_1, v_2, ...]} -> [{name: v_1}, {name: v_2}, ...]."""
    return [dict(zip(table, values)) for values in zip(*table.values())]


def test_a_diverging_run_stops_at_the_same_step_with_the_same_scores(tmp_path):
    config = TrainConfig(length=5, lr=1e300, epochs=2, eval_steps=1, dtype="float64")
    [js] = replay([config], tmp_path)
    with pytest.warns(RuntimeWarning, match="diverged at step 2"):
        lab = train(config)
    # step 1 is taken but leaves overflowing weights: both stop there, log it, never evaluate it
    assert lab.diverged_at == js["summary"]["divergedAt"] == 2
    assert [r["step"] for r in js["records"]] == list(range(1, len(lab.step_losses) + 1)) == [1]
    assert [(r["step"], r["dev"]) for r in js["records"] if r["dev"] is not None] == lab.dev_scores == []
    assert math.isnan(js["summary"]["testAccuracy"]) and math.isnan(lab.test_accuracy)
    assert lab.best_step is None and js["summary"]["bestStep"] is None


def test_the_engine_decodes_the_data_labkit_generates():
    decoded = json.loads(run_node(JS / "dump_data.mjs"))
    assert sorted(map(int, decoded)) == sorted(LENGTHS)
    for length in LENGTHS:
        for split, examples in digit_sum_splits(length, 0).items():
            assert decoded[str(length)][split]["tokens"] == [d for d, _ in examples], (length, split)
            assert decoded[str(length)][split]["labels"] == [y for _, y in examples], (length, split)


def test_spectral_radius_matches_numpy(tmp_path):
    rng = np.random.default_rng(0)
    rotation = np.kron(np.eye(16), [[0.0, 2.0], [-2.0, 0.0]]) + 1e-3 * rng.normal(size=(32, 32))
    matrices = [rng.normal(size=(32, 32)) for _ in range(5)] + [
        rotation,                                              # complex pairs of equal modulus on top
        (lambda a: a + a.T)(rng.normal(size=(32, 32))),         # real spectrum, both signs
        np.eye(32, k=1) + 0.5 * np.eye(32),                     # defective (one Jordan block)
        np.zeros((32, 32)), np.array([[-3.0]]), np.array([[0.0, 1.0], [-1.0, 0.0]]),
        rng.normal(size=(7, 7)) * 1e6, rng.normal(size=(32, 32)) * 1e-8,
        train(TrainConfig(length=5, epochs=20)).model.rnn_model.U.detach().double().numpy(),
    ]
    cases = tmp_path / "in.json"
    cases.write_text(json.dumps([{"n": len(m), "a": m.ravel().tolist()} for m in matrices]))
    run_node(JS / "eigenvalues.mjs", cases, tmp_path / "out.json")
    for m, js in zip(matrices, json.loads((tmp_path / "out.json").read_text())):
        expected = np.abs(np.linalg.eigvals(m)).max()
        assert abs(js["rho"] - expected) <= 1e-10 * max(expected, 1e-300) + 1e-13 * np.abs(m).max(), (js["rho"], expected)
        if len(m) != 32 or not np.allclose(m, np.eye(32, k=1) + 0.5 * np.eye(32)):  # a Jordan block's eigenvalues are ill-conditioned
            ours, numpy = np.array(js["re"]) + 1j * np.array(js["im"]), np.linalg.eigvals(m)
            distance = np.abs(ours[:, None] - numpy[None, :])  # every eigenvalue has a partner in the other set
            assert max(distance.min(axis=0).max(), distance.min(axis=1).max()) <= 1e-8 * np.abs(m).max()


def test_the_engines_own_unit_tests_pass():
    run_node("--test", *sorted(JS.glob("*.test.mjs")))
