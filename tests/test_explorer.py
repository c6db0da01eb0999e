"""The kernel-free explorer: grid layout, one point per config, the HTML block and its data."""
import json
import re

import pytest

from labkit import CLIP_MODES, TrainConfig, train
from labkit.static_explorer import OFF, explorer_html, grid_configs, grid_points, point_key, run_grid

TINY = TrainConfig(length=5, epochs=2, eval_steps=5)
LRS, NORMS = (0.01, 0.1), (None, 1.0)


@pytest.fixture(scope="module")
def tiny_grid():
    configs = grid_configs(TINY, lrs=LRS, max_norms=NORMS)
    return configs, run_grid(configs)


def test_grid_has_one_unclipped_run_per_lr_and_every_mode_for_each_threshold(tiny_grid):
    configs, _ = tiny_grid
    assert len(configs) == len(LRS) * (1 + 1 * len(CLIP_MODES))
    assert len(set(configs)) == len(configs)
    assert sum(c.max_norm is None for c in configs) == len(LRS)


def test_bad_grid_is_refused():
    with pytest.raises(ValueError):
        grid_configs(TINY, max_norms=(None, 0.0))


def test_run_grid_gives_the_runs_train_gives(tiny_grid):
    """Batched (sweep) vs one by one: equal up to float rounding, which large steps amplify later."""
    configs, results = tiny_grid
    for config, result in zip(configs, results):
        alone = train(config)
        assert result.config == config and len(result.step_losses) == len(alone.step_losses)
        assert result.step_losses[:3] == pytest.approx(alone.step_losses[:3], rel=1e-4)


def test_points_are_keyed_as_the_page_looks_them_up(tiny_grid):
    _, results = tiny_grid
    points = grid_points(results, lrs=LRS, max_norms=NORMS)
    assert set(points) == {"0|0|off", "1|0|off"} | {f"{i}|1|{m}" for i in (0, 1) for m in CLIP_MODES}
    p = points[point_key(1, 1, "value", NORMS)]
    result = next(r for r in results if (r.config.lr, r.config.max_norm, r.config.clip_mode)
                  == (0.1, 1.0, "value"))
    assert p["dev"] == result.best_dev_accuracy and p["mode"] == "value"
    assert p["max_pre_U"] == pytest.approx(max(result.grad_norms.pre["rnn_model.U"]), rel=1e-3)
    assert p["png"].startswith("data:image/png;base64,")
    assert points[point_key(0, 0, "global", NORMS)]["mode"] == OFF


def test_html_block_is_self_contained_and_its_json_round_trips(tiny_grid):
    _, results = tiny_grid
    points = grid_points(results, lrs=LRS, max_norms=NORMS)
    block = explorer_html(points, lrs=LRS, max_norms=NORMS, start=(0, 0, "global"))
    assert "http" not in block  # nothing to fetch: no CDN, no external file
    data = re.search(r"<script type='application/json' data-role='grid'>(.*?)</script>", block).group(1)
    grid = json.loads(data.replace("<\\/", "</"))
    assert grid["points"] == json.loads(json.dumps(points)) and grid["max_norms"] == [None, 1.0]
    assert block.count("<script") == 2 and "data-role='lr'" in block and "data-role='norm'" in block
