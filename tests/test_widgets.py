"""The live explorer without a browser: control -> config mapping, redraws, coalescing, errors."""
import threading

import pytest

from labkit import TrainConfig, train
from labkit.widgets import CONTROLS, GradNormExplorer, config_from_controls, explorer

TINY = TrainConfig(length=5, epochs=2, eval_steps=5)  # 10 steps: a redraw in well under a second


@pytest.fixture(scope="module")
def live():
    return GradNormExplorer(TINY)


def test_builds_with_every_control_and_a_first_figure(live):
    assert set(live.controls) == set(CONTROLS)
    assert bytes(live.image.value).startswith(b"\x89PNG")
    assert "test accuracy" in live.status.value
    assert live.display() is live.widget


@pytest.mark.parametrize("name, value, field, expected", [
    ("lr", 0.05, "lr", 0.05),
    ("length", 15, "length", 15),
    ("seed", 7, "seed", 7),
    ("optimizer", "adam", "optimizer", "adam"),
    ("clip_mode", "value", "clip_mode", "value"),
])
def test_each_control_sets_its_config_field(live, name, value, field, expected):
    values = live.values() | {name: value}
    assert getattr(config_from_controls(values, TINY), field) == expected


def test_clip_off_means_no_clipping_and_on_uses_the_slider():
    assert config_from_controls({"clip_off": True, "max_norm": 5.0}).max_norm is None
    config = config_from_controls({"clip_off": False, "max_norm": 5.0, "clip_mode": "per_tensor"})
    assert config.clip == ("per_tensor", 5.0)


def test_unknown_control_is_refused():
    with pytest.raises(ValueError, match="unknown controls"):
        config_from_controls({"learning_rate": 0.1})


def test_a_value_change_retrains_and_redraws():
    live = GradNormExplorer(TINY)
    before = bytes(live.image.value)
    live.controls["lr"].value = 0.9
    assert live.wait(120)
    assert bytes(live.image.value) != before and bytes(live.image.value).startswith(b"\x89PNG")
    live.controls["clip_off"].value = False  # clipping on: the max_norm slider becomes usable
    assert live.wait(120)
    assert not live.controls["max_norm"].disabled


def test_same_setting_again_is_served_from_memory():
    calls = []
    live = GradNormExplorer(TINY, train_fn=lambda c: calls.append(c) or train(c))
    first = bytes(live.image.value)
    live.controls["seed"].value = 1
    assert live.wait(120)
    live.controls["seed"].value = 0
    assert live.wait(120)
    assert bytes(live.image.value) == first and len(calls) == 2 and "from memory" in live.status.value


def test_invalid_setting_shows_a_message_instead_of_raising():
    live = GradNormExplorer(TINY)
    live.controls["length"].value = 7  # the slider's step allows it to be set in code; 7 is not generated
    assert live.wait(120)
    assert "invalid setting" in live.status.value and "length must be one of" in live.status.value
    assert "Traceback" not in live.status.value


def test_a_failing_run_shows_a_message_instead_of_raising():
    def boom(config):
        raise RuntimeError("out of memory <simulated>")
    live = GradNormExplorer(TINY, train_fn=boom)
    assert "RuntimeError: out of memory &lt;simulated&gt;" in live.status.value


def test_a_burst_of_changes_runs_only_the_latest_values():
    release, seen = threading.Event(), []

    def slow_train(config):
        seen.append(config.lr)
        if len(seen) == 2:      # the first run after the initial one: hold it in flight
            release.wait(30)
        return train(config)

    live = GradNormExplorer(TINY, train_fn=slow_train)
    for lr in (0.011, 0.012, 0.013, 0.014, 0.015):  # arrive while 0.011 is in flight
        live.controls["lr"].value = lr
    release.set()
    assert live.wait(120)
    assert seen == [TINY.lr, 0.011, 0.015]  # the stale 0.012..0.014 never ran


def test_one_line_helper_returns_a_widget():
    assert hasattr(explorer(TINY), "children")
