"""The Explore page's phase diagram data and the trainer's HTML block."""
import json
import math
import re

import numpy as np
import pytest

from labkit import CLIP_MODES, TrainConfig, run_all
from labkit.phase_diagram import cell_key, clipped_fraction, phase_configs, phase_data
from labkit.trainer_page import trainer_html

TINY = TrainConfig(length=5, epochs=2, eval_steps=5)  # 10 steps
LRS, NORMS, SEEDS = (0.01, 0.2), (1.0, None), (0, 1)


@pytest.fixture(scope="module")
def tiny():
    configs = phase_configs(LRS, NORMS, SEEDS, base=TINY)
    return configs, run_all(configs)


def test_grid_has_every_mode_per_threshold_and_no_clipping_once(tiny):
    configs, _ = tiny
    assert len(configs) == len(LRS) * (len(CLIP_MODES) + 1) * len(SEEDS)
    assert len(set(configs)) == len(configs)
    assert sum(c.max_norm is None for c in configs) == len(LRS) * len(SEEDS)
    assert all(c.length == TINY.length and c.epochs == TINY.epochs for c in configs)


@pytest.mark.parametrize("bad", [dict(max_norms=(0.0,)), dict(lrs=()), dict(seeds=()),
                                 dict(modes=("norm",))])
def test_bad_grid_is_refused(bad):
    args = dict(lrs=LRS, max_norms=NORMS, seeds=SEEDS) | bad
    with pytest.raises(ValueError, match="phase_configs"):
        phase_configs(**args)


def test_cell_keys_are_written_as_javascript_writes_numbers():
    assert cell_key(0.2, 1.0, "global") == "0.2|1|global"
    assert cell_key(0.05, 20.0, "value") == "0.05|20|value"
    assert cell_key(1.0, None, "per_tensor") == "1|off|off"


def test_clipped_fraction_counts_the_steps_global_clipping_shortened():
    base = TrainConfig(length=5, epochs=4, eval_steps=5, lr=0.05)
    free = run_all([base])[0]
    totals = free.grad_norms.total("pre")
    threshold = float(np.median(totals))  # clips about half the steps of the same run
    clipped = run_all([TrainConfig(**{**base.to_dict(), "max_norm": threshold})])[0]
    expected = np.mean([t > threshold for t in clipped.grad_norms.total("pre")])
    assert 0 < expected < 1
    assert clipped_fraction(clipped) == pytest.approx(expected)
    assert clipped_fraction(free) == 0.0


def test_phase_data_summarises_each_cell_over_its_seeds(tiny):
    _, results = tiny
    data = phase_data(results, every=4)
    json.dumps(data, allow_nan=False)  # the page reads it as JSON
    assert data["seeds"] == list(SEEDS) and data["lrs"] == list(LRS)
    assert data["maxNorms"] == [1.0, None] and data["modes"] == list(CLIP_MODES)
    assert data["setting"] == {"length": 5, "steps": 10, "optimizer": "sgd", "lossReduction": "sum"}
    assert len(data["cells"]) == len(LRS) * (len(CLIP_MODES) + 1)
    runs = [r for r in results if (r.config.lr, r.config.max_norm, r.config.clip_mode) == (0.2, 1.0, "value")]
    cell = data["cells"]["0.2|1|value"]
    assert cell["n"] == len(SEEDS)
    assert cell["test"] == pytest.approx(np.mean([r.test_accuracy for r in runs]), rel=1e-2)
    assert cell["maxPre"] == pytest.approx(np.mean([max(r.grad_norms.total("pre")) for r in runs]), rel=1e-2)
    curves = cell["curves"]
    assert curves["x"] == [4, 8, 10]
    first = np.mean([r.step_losses[:4] for r in runs])
    assert curves["loss"][0] == pytest.approx(first, rel=1e-2)
    last = np.mean([r.step_losses[8:10] for r in runs])
    assert curves["loss"][-1] == pytest.approx(last, rel=1e-2)
    assert curves["devX"] == [5, 10]
    assert data["cells"]["0.01|off|off"]["clipped"] == 0.0


def test_trainer_block_carries_its_preset_and_data():
    data = {"cells": {"x": {"note": "</script><b>"}}, "n": math.pi}
    block = trainer_html("ch5-clip1", data, url_state=True)
    assert 'data-preset="ch5-clip1"' in block and 'data-url-state="true"' in block
    inline = re.search(r'<script type="application/json" class="rnn-phase-data">(.*?)</script>', block).group(1)
    assert json.loads(inline) == data  # "</" is escaped, so the data cannot end the script early
    assert '<script type="module" src="_static/trainer/page.js">' in block
    assert "rnn-phase-data" not in trainer_html("blog")
    with pytest.raises(ValueError, match="preset"):
        trainer_html("chapter 9")
